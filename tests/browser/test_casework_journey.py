"""Issue 4's "done when", in a browser: from a frozen shortlist through interview, checks, site
visit, an offer refused by the first applicant, an offer to the second, acceptance and a team
leader's approval — with letters drawn by a real Celery worker, reminders sent, and every step in
the records' history. Every page is scanned with axe-core."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations.models import Letter, Partner
from projects.models import WorkItem
from projects.tasks import reminders_send
from residents.selectors import household_name
from tests.allocations.casework import checks_back, frozen_vacancy, partner
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.browser.test_allocation_journey import _heading
from tests.browser.test_keyboard import assert_every_control_is_reachable_by_tab
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def _click(page: Page, name: str, *, role: str = "link") -> None:
    page.get_by_role(role, name=name).first.click()
    assert_accessible(page)


def _submit(page: Page, name: str, banner: str) -> None:
    page.get_by_role("button", name=name).click()
    success_banner(page, banner)
    assert_accessible(page)


def _first_applicant_is_interviewed_checked_and_visits(page, application, officer, colleague):
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.goto(application.get_absolute_url())
    assert_accessible(page)

    # Held yesterday: recorded after the fact, with its outcome (an outcome is only ever
    # recorded once the interview has started).
    yesterday = timezone.localdate() - timedelta(days=1)
    _click(page, "Schedule an interview")
    date_fill(page, "Date of the interview", yesterday)
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Place").fill("County Hall, Room 4")
    page.get_by_label("Interviewing officer").select_option(str(officer.pk))
    page.get_by_role("button", name="Schedule interview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("if it already happened")
    assert_accessible(page)
    page.get_by_label("Held", exact=True).check()
    page.get_by_label("Outcome and notes").fill("Needs space for two trailers; keen on the site.")
    _submit(page, "Schedule interview", "The interview was recorded after the fact")

    _click(page, "Request a check")
    page.get_by_label("Partner").select_option(label="Northshire Police")
    page.get_by_label("Purpose").fill("Pitch offer: safety of residents and staff")
    page.get_by_label("Legal basis or agreement clause").fill("Northshire ISA 2024/03 clause 4.2")
    date_fill(page, "Answer due by", tomorrow + timedelta(days=13))
    _submit(page, "Request check", "The check was requested")
    _click(page, "Northshire Police")
    expect(_heading(page, "Northshire Police check")).to_be_visible()
    _click(page, "Record the answer", role="button")
    date_fill(page, "Answer received on", timezone.localdate())
    page.get_by_label("Clear", exact=True).check()
    _submit(page, "Record answer", "The check's answer was recorded")

    _click(page, "Arrange a site visit")
    page.get_by_label("Site", exact=True).select_option(index=1)
    date_fill(page, "Date of the visit", yesterday)
    page.get_by_label("Time").fill("14:00")
    page.get_by_label("First officer").select_option(str(officer.pk))
    page.get_by_label("Second officer").select_option(str(officer.pk))
    page.get_by_role("button", name="Arrange visit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("visits need two")
    assert_accessible(page)
    page.get_by_label("Second officer").select_option(str(colleague.pk))
    page.get_by_label("Held", exact=True).check()
    page.get_by_label("Outcome and notes").fill("Walked the site with both officers.")
    _submit(page, "Arrange visit", "The site visit was recorded after the fact")


def _offer(page: Page, vacancy, reference: str) -> None:
    page.goto(vacancy.get_absolute_url())
    assert_accessible(page)
    _click(page, f"Make an offer to {reference}")
    date_fill(page, "Reply needed by", timezone.localdate() + timedelta(days=1))
    _submit(page, "Make offer", "The offer was made")


def _reply(page: Page, *, accept: bool) -> None:
    _click(page, "Record the reply", role="button")
    date_fill(page, "Replied on", timezone.localdate())
    if accept:
        page.get_by_label("Accepted the offer").check()
    else:
        page.get_by_label("Refused the offer").check()
        page.get_by_label("Reason for refusing (if refused)").fill("Wants to stay near family")
        page.get_by_label("No: it counts towards the limit").check()
    _submit(page, "Record reply", "reply was recorded")


def _letters_ready(page: Page, application, kinds: set[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = set(
            application.letters.filter(status=Letter.Status.READY).values_list("kind", flat=True)
        )
        if kinds <= ready:
            break
        time.sleep(0.5)
    page.goto(application.get_absolute_url())
    assert_accessible(page)
    expect(page.get_by_role("link", name="download the letter (PDF)")).to_have_count(
        application.letters.count()
    )


def test_from_frozen_shortlist_to_approved_allocation(page: Page, celery_worker_process):
    officer = UserFactory(username="olivia", roles=["officer"])
    colleague = UserFactory(username="owen", roles=["officer"])
    leader = UserFactory(username="tariq", roles=["team_leader"])
    partner(Partner.Kind.POLICE, name="Northshire Police")
    vacancy, (first, second) = frozen_vacancy(officer, 90, 20)
    # The other required checks are back already (through the services).
    checks_back(second.application, officer)
    landlord_check = partner(Partner.Kind.PREVIOUS_LANDLORD, name="Previous landlord A")
    from allocations import services

    check = services.check_request(
        application=first.application,
        partner=landlord_check,
        purpose="Tenancy history",
        legal_basis="Consent",
        due_on=timezone.localdate(),
        by=officer,
    )
    services.check_return(
        check=check, returned_on=timezone.localdate(), outcome="clear", notes="", by=officer
    )

    sign_in(page, officer)
    _first_applicant_is_interviewed_checked_and_visits(page, first.application, officer, colleague)

    _offer(page, vacancy, first.application.reference)
    _reply(page, accept=False)
    _offer(page, vacancy, second.application.reference)
    # Beat's sender runs: the reply due tomorrow reaches the officer by email and on screen.
    reminders_send()
    reply = WorkItem.objects.get(kind="offer_reply", status=WorkItem.Status.OPEN)
    assert [m.subject for m in mail.outbox] == [f"Due tomorrow: Offer reply due (work {reply.pk})"]
    page.goto("/")
    assert_accessible(page)
    expect(
        page.get_by_role("button", name=re.compile(r"Acknowledge .*Reply to the offer"))
    ).to_be_visible()
    # The queue names the household the email does not.
    household = household_name(second.application.household)
    named = f"Reply to the offer of {vacancy.unit} from {household}"
    expect(page.get_by_role("link", name=named).first).to_be_visible()

    page.goto(second.application.offers.get().get_absolute_url())
    assert_accessible(page)
    _reply(page, accept=True)
    _click(page, "Propose the allocation", role="button")
    assert_accessible(page)
    assert_every_control_is_reachable_by_tab(page)
    page.reload()  # start the form afresh after tabbing round the whole page
    assert_accessible(page)
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    page.get_by_label("Reasons for the allocation").fill(
        "Next on the shortlist after a refusal; checks, interview and visit complete."
    )
    # The second household's interview and visit are not recorded as held: "yes" needs a note.
    page.get_by_role("button", name="Send to a team leader").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("no interview is recorded")
    assert_accessible(page)  # the form again, with its error summary
    page.locator("[name=note_interview_held]").fill("Interviewed with the first household")
    page.locator("[name=note_site_visit_held]").fill("Came on the first household's visit")
    _submit(page, "Send to a team leader", "sent to the team leaders")
    expect(page.get_by_text("You proposed this allocation")).to_be_visible()
    sign_out(page)

    sign_in(page, leader)
    _click(page, "Decisions")
    _click(page, f"{vacancy.unit} to {second.application.reference}")
    assert_every_control_is_reachable_by_tab(page)
    page.reload()  # start the form afresh after tabbing round the whole page
    assert_accessible(page)
    page.get_by_label("Approve the allocation").check()
    page.get_by_label("Comments").fill("Policy followed; well recorded.")
    _submit(page, "Record decision", "The allocation was approved")
    expect(page.locator(".govuk-tag").first).to_have_text("Approved")
    # Approval prepared the draft licence, for the officer to sign up (issue 5's journey).
    licence = second.application.household.licences.get()
    _click(page, licence.reference)
    expect(page.get_by_role("heading", level=1)).to_contain_text(licence.reference)

    # Letters: the offer and decision to the second household, refusal to the first.
    _letters_ready(page, second.application, {"offer", "decision"})
    _letters_ready(page, first.application, {"interview", "offer", "refusal"})

    # The whole sequence is in the vacancy's page and history.
    page.goto(vacancy.get_absolute_url())
    assert_accessible(page)
    expect(page.get_by_text("Wants to stay near family")).to_be_visible()
    _click(page, "History of this vacancy")
    expect(page.get_by_text(re.compile(rf"Let to {second.application.reference}"))).to_be_visible()
    page.goto(first.application.offers.get().get_history_url())
    assert_accessible(page)
    expect(page.get_by_text("Offer refused")).to_be_visible()
    # And every step of the second household's case, on one page.
    page.goto(second.application.get_absolute_url())
    assert_accessible(page)
    _click(page, "History of the whole case")
    for step in ("Offer: changed", "Allocation decision: changed", "Application: changed"):
        expect(page.get_by_role("heading", name=step).first).to_be_visible()
