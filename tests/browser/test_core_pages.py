"""CORE lettings logs in a browser (issue 16): an officer records a let's CORE answers from the
decision's page, a vacancy's needs and rent type, an application's reasonable preference and
its consent to enquiries withdrawn, then opens the year's CORE returns from the menu. Every page
is scanned with axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services
from allocations.models import CoreLetAnswers
from allocations.services import nominations
from tests.allocations.casework import answers_as_records, checks_back, frozen_vacancy, in_a_week
from tests.allocations.nominations import provider, provider_home_shortlisted, provider_staff
from tests.browser.conftest import assert_accessible, sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_what_core_needs_and_opens_the_core_returns(page: Page, officer):
    _vacancy, entries = frozen_vacancy(officer, 50)
    checks_back(entries[0].application, officer)
    offer = services.offer_make(entry=entries[0], respond_by=in_a_week(), by=officer)
    offer = services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top of the list", by=officer
    )

    sign_in(page, officer)
    page.goto(decision.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="CORE answers for this let").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save CORE answers").click()
    expect(
        page.get_by_text("CORE takes a log only once the tenant has seen the notice").first
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label(
        "The tenant has seen or been given the government's (MHCLG) privacy notice"
    ).check()
    page.get_by_label("From the housing register (waiting list)").check()
    page.get_by_label("Lead tenant's nationality").select_option(label="United Kingdom")
    page.get_by_label("Reason for this change").fill("Asked at sign-up")
    page.get_by_role("button", name="Save CORE answers").click()
    success_banner(page, "CORE answers saved.")
    assert_accessible(page)
    assert CoreLetAnswers.objects.get(decision=decision).nationality == 826

    page.goto(offer.vacancy.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Needs and rent type (CORE)").click()
    assert_accessible(page)
    page.get_by_label("General needs").check()
    page.get_by_label("Social rent").check()
    page.get_by_label("Reason for this change").fill("For CORE")
    page.get_by_role("button", name="Save").click()
    success_banner(page, "Needs and rent type saved.")
    assert_accessible(page)

    page.goto(offer.application.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Reasonable preference (CORE)").click()
    assert_accessible(page)

    # Consent to enquiries withdrawn after applying, recorded from the application's page.
    page.goto(offer.application.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Record consent to enquiries", exact=False).click()
    assert_accessible(page)
    page.get_by_role("button", name="Save consent").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("No: consent withdrawn or not given").check()
    page.get_by_label("Reason for this change").fill("Withdrawn by phone, confirmed in writing")
    page.get_by_role("button", name="Save consent").click()
    success_banner(page, "Consent to enquiries saved.")
    assert_accessible(page)
    offer.application.refresh_from_db()
    assert offer.application.consent_to_enquiries is False

    page.get_by_role("link", name="CORE returns").first.click()
    expect(page.get_by_role("heading", name="CORE lettings logs", exact=False)).to_be_visible()
    assert_accessible(page)


def test_an_officer_records_the_core_answers_of_a_providers_let(page: Page, officer):
    """A registered provider's let on the council's nomination: the council returns it to
    CORE, so its officer records the sign-up answers from the nomination's page."""
    northshire = provider()
    vacancy, _entries = provider_home_shortlisted(officer, northshire)
    nomination = nominations.nomination_next(vacancy=vacancy, by=officer)
    staff = provider_staff(northshire)
    nominations.nomination_accept(nomination=nomination, answered_by="Priya", by=staff)
    nominations.nomination_let_confirm(
        nomination=nomination,
        tenancy_start_date=timezone.localdate(),
        tenancy_type=2,
        starter_tenancy=False,
        joint_tenancy=False,
        answered_by="Priya",
        by=staff,
    )

    sign_in(page, officer)
    page.goto(nomination.get_absolute_url())
    expect(page.get_by_text("Assured - lifetime")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="CORE answers for this let").click()
    assert_accessible(page)
    page.get_by_label(
        "The tenant has seen or been given the government's (MHCLG) privacy notice"
    ).check()
    page.get_by_label("Who referred the household to the council").select_option(
        label="Other referral"
    )
    page.get_by_label("Reason for this change").fill("Asked at sign-up")
    page.get_by_role("button", name="Save CORE answers").click()
    success_banner(page, "CORE answers saved.")
    assert_accessible(page)
    assert CoreLetAnswers.objects.get(nomination=nomination).referral_org == 9
