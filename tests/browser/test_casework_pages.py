"""The casework pages the journey does not pass through — partners, exceptions to the checks,
withdrawing an offer, sampling and reviewing past decisions, and each step's History page —
scanned with axe-core, their mistakes explained in the error summary."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services
from allocations.models import Partner
from tests.allocations.casework import (
    answers_as_records,
    checks_back,
    frozen_vacancy,
    in_a_week,
    partner,
    tomorrow_at,
)
from tests.browser.conftest import assert_accessible, sign_in, success_banner
from tests.factories import SiteFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def _approved_decision(officer, leader):
    _vacancy, (entry,) = frozen_vacancy(officer, 60)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer,
        answers=answers_as_records(offer),
        reasons="First on the shortlist",
        by=officer,
    )
    return services.decision_approve(decision=decision, comments="Agreed", by=leader)


def test_the_other_casework_pages_are_accessible_and_explain_their_mistakes(page: Page):
    officer = UserFactory(username="olivia", roles=["officer"])
    decider = UserFactory(username="tariq", roles=["team_leader"])
    reviewer = UserFactory(username="rhona", roles=["team_leader"])
    decision = _approved_decision(officer, decider)
    # A second case: an open offer to withdraw, and checks still outstanding.
    _vacancy, (entry,) = frozen_vacancy(officer, 40)
    application = entry.application
    services.check_exception_record(
        application=application, reason="Police answer delayed", by=decider
    )
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    waiting = frozen_vacancy(officer, 30)[1][0].application
    interview = services.interview_schedule(
        application=waiting,
        starts_at=tomorrow_at(10),
        place="County Hall",
        lead_officer=officer,
        by=officer,
    )
    visit = services.site_visit_arrange(
        application=waiting,
        site=SiteFactory(),
        starts_at=tomorrow_at(14),
        officers=[officer, decider],
        by=officer,
    )
    police = partner(Partner.Kind.POLICE, name="Northshire Police")
    check = services.check_request(
        application=waiting,
        partner=police,
        purpose="Offer",
        legal_basis="ISA",
        due_on=timezone.localdate() + timedelta(days=7),
        by=officer,
    )

    sign_in(page, reviewer)

    page.goto("/allocations/partners/")
    assert_accessible(page)
    page.get_by_role("button", name="Add a partner").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save partner").click()
    expect(_error_summary(page)).to_contain_text("Enter the partner's name")
    expect(_error_summary(page)).to_contain_text("Enter the information-sharing agreement")
    expect(_error_summary(page)).to_contain_text("Select the type of partner")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Westmoor Social Care")
    page.get_by_label("Social care").check()
    page.get_by_label("Information-sharing agreement").fill("Regional ISA 2022")
    page.get_by_role("button", name="Save partner").click()
    success_banner(page, "The partner was added")
    assert_accessible(page)

    page.goto(f"/allocations/applications/{waiting.pk}/checks/exception/")
    assert_accessible(page)
    expect(page.get_by_text("Checks not back yet: Police, Previous landlord.")).to_be_visible()
    page.get_by_role("button", name="Record exception").click()
    expect(_error_summary(page)).to_contain_text("Enter the reason for this change")
    assert_accessible(page)

    page.goto(offer.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the offer").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw offer").click()
    expect(_error_summary(page)).to_contain_text("Enter the reason for this change")
    assert_accessible(page)
    page.get_by_label("Why the offer is withdrawn").fill("The household has moved out of area")
    page.get_by_role("button", name="Withdraw offer").click()
    success_banner(page, "The offer was withdrawn")
    assert_accessible(page)

    page.goto("/allocations/decisions/sample/")
    assert_accessible(page)
    page.get_by_label("How many to sample").fill("0")
    page.get_by_role("button", name="Show sample").click()
    expect(_error_summary(page)).to_contain_text("Sample at least 1 decision")
    assert_accessible(page)
    page.get_by_label("How many to sample").fill("5")
    page.get_by_role("button", name="Show sample").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"to {decision.offer.application.reference}").click()
    assert_accessible(page)
    page.get_by_role("link", name="Review this decision for quality").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record review").click()
    expect(_error_summary(page)).to_contain_text("Select the finding")
    assert_accessible(page)
    page.get_by_label("Sound: policy followed and recorded").check()
    page.get_by_label("Notes").fill("Checklist complete; reasons clear.")
    page.get_by_role("button", name="Record review").click()
    success_banner(page, "The review was recorded")
    assert_accessible(page)

    for url in (
        interview.get_history_url(),
        visit.get_history_url(),
        check.get_history_url(),
        decision.get_history_url(),
        police.get_history_url(),
        f"/allocations/applications/{application.pk}/case-history/",
    ):
        page.goto(url)
        assert_accessible(page)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
