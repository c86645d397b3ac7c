"""An approved direct let does not hold its home for ever: not let within
DIRECT_LET_LAPSE_DAYS (28) of approval it lapses in the nightly run, after a week in the
officers' queue; an officer may close it sooner with a reason. Ended, it frees the home and
the household; a let whose offer waits for the reply (or was accepted) goes ahead."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services, tasks
from allocations.models import DirectLet, Vacancy
from projects.models import WorkItem
from residents.selectors import household_name
from tests.allocations.casework import checks_back
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db

APPROVED_ON = date(2027, 2, 1)
LAPSES_ON = APPROVED_ON + timedelta(days=28)


def _at(day: date, hour: int = 9):
    return time_machine.travel(
        timezone.make_aware(datetime(day.year, day.month, day.day, hour)), tick=False
    )


def _approved(officer, team_leader, *, vacancy=None) -> DirectLet:
    with _at(APPROVED_ON):
        direct_let = services.direct_let_propose(
            vacancy=vacancy or VacancyFactory(status=Vacancy.Status.DRAFT),
            application=ActiveApplicationFactory(),
            reason="decant",
            details="The block is to be demolished",
            by=officer,
        )
        services.direct_let_decide(
            direct_let=direct_let, approve=True, reason="Decant agreed", by=team_leader
        )
    direct_let.refresh_from_db()
    return direct_let


def _lapsing_work(direct_let) -> WorkItem:
    return WorkItem.objects.get(source_key=f"direct_let_lapsing:{direct_let.pk}")


def test_an_approved_direct_let_shows_in_the_officers_queue_a_week_before_it_lapses(
    officer, team_leader
):
    direct_let = _approved(officer, team_leader)
    assert direct_let.lapses_on == LAPSES_ON
    work = _lapsing_work(direct_let)
    assert (work.status, work.assigned_role.name) == (WorkItem.Status.OPEN, "officer")
    assert work.due_on == LAPSES_ON - timedelta(days=7)
    assert household_name(direct_let.application.household) in work.title
    assert direct_let.application.reference not in work.title


def test_a_direct_let_not_let_by_its_lapse_date_lapses_overnight_and_frees_the_home(
    officer, team_leader
):
    direct_let = _approved(officer, team_leader)
    vacancy = direct_let.vacancy
    with _at(LAPSES_ON - timedelta(days=1), hour=2):
        tasks.housekeeping_nightly()
    direct_let.refresh_from_db()
    assert direct_let.status == DirectLet.Status.APPROVED
    with _at(LAPSES_ON, hour=2):
        tasks.housekeeping_nightly()
    direct_let.refresh_from_db()
    assert direct_let.status == DirectLet.Status.LAPSED
    assert direct_let.end_reason == "not let by its lapse date, 1 March 2027"
    assert direct_let.ended_by is not None and direct_let.ended_at is not None
    assert direct_let.history.first().history_change_reason == (
        "Direct let lapsed (not let in time): not let by its lapse date, 1 March 2027"
    )
    assert _lapsing_work(direct_let).status == WorkItem.Status.CANCELLED
    # The household is off the shortlist, so the home is free: nobody waits to be offered
    # it, and it can be let directly to someone else.
    direct_let.entry.refresh_from_db()
    assert direct_let.entry.removed_reason.startswith(f"direct let {direct_let.reference} lapsed")
    assert services.next_in_order(vacancy) is None
    assert services.direct_let_vacancy_refusal(vacancy) == ""
    second = _approved(officer, team_leader, vacancy=vacancy)
    assert second.status == DirectLet.Status.APPROVED


def test_a_direct_let_whose_offer_waits_for_the_reply_does_not_lapse(officer, team_leader):
    direct_let = _approved(officer, team_leader)
    with _at(APPROVED_ON + timedelta(days=3)):
        checks_back(direct_let.application, officer)
        offer = services.offer_make(
            entry=direct_let.entry, respond_by=LAPSES_ON + timedelta(days=7), by=officer
        )
    assert _lapsing_work(direct_let).status == WorkItem.Status.DONE  # the offer is made
    with _at(LAPSES_ON, hour=2):
        counts = services.direct_lets_lapse_due(today=LAPSES_ON, by=officer)
    direct_let.refresh_from_db()
    assert (direct_let.status, counts["direct_lets_lapsed"]) == (DirectLet.Status.APPROVED, 0)
    with pytest.raises(ValidationError, match="withdraw the offer, before closing"):
        services.direct_let_close(direct_let=direct_let, reason="Changed plans", by=officer)
    # Refused after the lapse date, the let lapses the next night.
    with _at(LAPSES_ON + timedelta(days=1)):
        services.offer_refuse(
            offer=offer, on=timezone.localdate(), reason="Too far", reasonable=True, by=officer
        )
        services.direct_lets_lapse_due(today=timezone.localdate(), by=officer)
    direct_let.refresh_from_db()
    assert direct_let.status == DirectLet.Status.LAPSED


def test_an_officer_closes_an_approved_direct_let_with_a_reason_on_its_page(
    client, officer, team_leader
):
    direct_let = _approved(officer, team_leader)
    with _at(APPROVED_ON + timedelta(days=5)):
        client.force_login(officer)
        page = client.get(direct_let.get_absolute_url()).content.decode()
        assert "Close the direct let" in page and "1 March 2027" in page
        url = reverse("allocations:direct-let-close", args=[direct_let.pk])
        refused = client.post(url, {"reason": "  "})
        assert refused.status_code == 400
        assert "Enter why the direct let is being closed" in refused.content.decode()
        response = client.post(url, {"reason": "Housed by the homelessness team elsewhere"})
        assert response.status_code == 302
        direct_let.refresh_from_db()
        assert (direct_let.status, direct_let.ended_by) == (DirectLet.Status.CLOSED, officer)
        assert direct_let.end_reason == "Housed by the homelessness team elsewhere"
        assert direct_let.history.first().history_user == officer
        assert services.next_in_order(direct_let.vacancy) is None
        page = client.get(direct_let.get_absolute_url()).content.decode()
        assert "Housed by the homelessness team elsewhere" in page
        assert "Close the direct let" not in page
        # Closed once; a second close is refused on the page, not a crash.
        again = client.post(url, {"reason": "Twice"})
        assert again.status_code == 400
        assert "only an approved direct let can be closed" in again.content.decode()


def test_a_proposed_direct_let_is_declined_not_closed(officer):
    direct_let = services.direct_let_propose(
        vacancy=VacancyFactory(),
        application=ActiveApplicationFactory(),
        reason="decant",
        details="The block is to be demolished",
        by=officer,
    )
    with pytest.raises(ValidationError, match="only an approved direct let can be closed"):
        services.direct_let_close(direct_let=direct_let, reason="No", by=officer)


def test_a_lapsed_direct_lets_household_is_told_why_it_cannot_be_let_the_home_again(
    officer, team_leader
):
    direct_let = _approved(officer, team_leader)
    with _at(LAPSES_ON, hour=2):
        services.direct_lets_lapse_due(today=LAPSES_ON, by=officer)
    problems = services.direct_let_propose_problems(
        vacancy=direct_let.vacancy,
        application=direct_let.application,
        reason="decant",
        details="Again",
    )
    assert problems["application_reference"] == (
        f"{household_name(direct_let.application.household)} was taken off "
        f"{direct_let.vacancy.reference}'s "
        f"shortlist (direct let {direct_let.reference} lapsed: not let by its lapse date, "
        "1 March 2027): it cannot be let to them directly now."
    )
