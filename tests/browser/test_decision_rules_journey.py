"""Issue 12's decisions that hold up to review, in a browser: an officer's bypass of the top
applicant waits for a team leader's agreement; a proposal whose checklist answer contradicts
the records is refused until a note explains it, and the team leader's page flags it at the
top. Every page is scanned with axe-core."""

import pytest
from playwright.sync_api import Page, expect

from allocations.models import AllocationDecision
from tests.allocations.casework import checks_back, frozen_vacancy
from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.browser.test_casework_journey import _click, _offer, _reply, _submit
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bypass_needs_a_team_leader_and_a_contradicting_answer_needs_a_note(page: Page):
    officer = UserFactory(username="olivia", roles=["officer"])
    leader = UserFactory(username="tariq", roles=["team_leader"])
    vacancy, (first, second) = frozen_vacancy(officer, 90, 20)
    checks_back(second.application, officer)

    # The officer passes over the top applicant: it waits for a team leader.
    sign_in(page, officer)
    page.goto(vacancy.get_absolute_url())
    assert_accessible(page)
    _click(page, f"Bypass {first.application.reference}")
    page.get_by_label("Why this applicant is being passed over").fill(
        "Their two trailers do not fit this pitch"
    )
    _submit(page, "Record bypass", "waiting for a team leader's agreement")
    expect(page.get_by_text("Bypass awaiting a team leader")).to_be_visible()
    expect(page.get_by_role("link", name="Make an offer")).to_have_count(0)
    sign_out(page)

    sign_in(page, leader)
    page.goto(vacancy.get_absolute_url())
    assert_accessible(page)
    _click(page, f"Agree or refuse the bypass of {first.application.reference}")
    page.get_by_label("Refuse").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you refuse")
    assert_accessible(page)
    page.get_by_label("Agree: the next applicant can be offered").check()
    _submit(page, "Record decision", "The bypass was agreed")
    expect(page.get_by_text("agreed by")).to_be_visible()
    sign_out(page)

    # The second applicant is offered the pitch and accepts.
    sign_in(page, officer)
    _offer(page, vacancy, second.application.reference)
    _reply(page, accept=True)
    _click(page, "Propose the allocation", role="button")
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    page.get_by_label("Reasons for the allocation").fill("Next after an agreed bypass")
    # "Yes, interviewed" with no interview recorded as held: refused, what was typed kept.
    page.get_by_role("button", name="Send to a team leader").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The records say no interview is recorded as held")
    expect(page.get_by_label("Reasons for the allocation")).to_have_value(
        "Next after an agreed bypass"
    )
    assert_accessible(page)
    page.locator("[name=note_interview_held]").fill("Interviewed at their home on Monday")
    page.locator("[name=note_site_visit_held]").fill("Walked the site with them on Monday")
    _submit(page, "Send to a team leader", "sent to the team leaders")
    sign_out(page)

    # The team leader's page flags both answers at the top, with the officer's notes.
    decision = AllocationDecision.objects.get()
    sign_in(page, leader)
    page.goto(decision.get_absolute_url())
    assert_accessible(page)
    flags = page.locator("#checklist-mismatches")
    expect(flags).to_contain_text("2 checklist answers contradict the records")
    expect(flags).to_contain_text("Interviewed at their home on Monday")
    expect(flags).to_contain_text("no site visit is recorded as held")
