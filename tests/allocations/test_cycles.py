"""Bidding cycles: exact to the second in UK time (across a clock change), adverts published
into them and closing with them, every shortlist frozen by the scheduled task at the close,
and an officer closing a cycle that has passed, with a reason."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from allocations import rules, services, tasks
from allocations.models import Bid, BiddingCycle, Vacancy
from allocations.services.nominations import vacancy_readvertise
from config.history import system_user
from tests.allocations.cbl import (
    advert,
    applicant,
    cycle_opening,
    draft_advert,
    parishes_listed,
    uk,
)
from tests.allocations.nominations import provider, provider_home_shortlisted

pytestmark = pytest.mark.django_db

UTC = UTC
TIMES = rules.LettingsRules().cycle


def test_the_default_cycle_opens_thursday_midnight_and_closes_monday_235959_uk_time():
    # Clocks go back on Sunday 31 October 2027: the cycle opens in BST and closes in GMT.
    opens, closes = TIMES.window_from(date(2027, 10, 28))
    assert opens.astimezone(UTC) == datetime(2027, 10, 27, 23, 0, tzinfo=UTC)
    assert closes.astimezone(UTC) == datetime(2027, 11, 1, 23, 59, 59, tzinfo=UTC)
    # Clocks go forward on Sunday 28 March 2027: opens in GMT, closes in BST.
    opens, closes = TIMES.window_from(date(2027, 3, 25))
    assert opens.astimezone(UTC) == datetime(2027, 3, 25, 0, 0, tzinfo=UTC)
    assert closes.astimezone(UTC) == datetime(2027, 3, 29, 22, 59, 59, tzinfo=UTC)


def test_a_cycle_whose_week_has_closed_is_refused_and_nothing_written(officer, client):
    # Thursday 1 April 2027 at 09:00: last week's cycle closed on Monday 29 March.
    with time_machine.travel(uk(2027, 4, 1, 9, 0), tick=False):
        with pytest.raises(ValidationError, match="would have closed at 23:59:59 on Monday"):
            services.cycle_create(opens_on=date(2027, 3, 25), by=officer)
        client.force_login(officer)
        response = client.post(
            "/allocations/cycles/new/",
            {"opens_on_0": "25", "opens_on_1": "3", "opens_on_2": "2027"},
        )
        assert response.status_code == 400
        assert "create a cycle for this week or one still to come" in response.content.decode()
        assert 'value="25"' in response.content.decode()  # what was typed is kept
        # This week's cycle, open now, and next week's are made.
        assert services.cycle_create(opens_on=date(2027, 4, 1), by=officer).is_open
        services.cycle_create(opens_on=date(2027, 4, 8), by=officer)
    assert not BiddingCycle.objects.filter(reference="C-2027-03-25").exists()


def test_a_cycle_must_open_on_the_policys_opening_day(officer):
    with pytest.raises(ValidationError, match="Cycles open on a Thursday"):
        services.cycle_create(opens_on=date(2027, 3, 24), by=officer)


@pytest.mark.parametrize(
    ("moment", "counts"),
    [
        (uk(2027, 3, 29, 23, 59, 59), True),  # the last second of Monday, in BST
        (uk(2027, 3, 29, 23, 59, 59, 900000), True),  # still that second
        (uk(2027, 3, 30, 0, 0, 0), False),  # Tuesday has begun
        (uk(2027, 3, 24, 23, 59, 59), False),  # before Thursday 00:00 (GMT)
        (uk(2027, 3, 25, 0, 0, 0), True),
    ],
)
def test_a_bid_counts_to_the_second_across_the_clock_change(officer, moment, counts):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        home = advert(cycle, officer)
        application = applicant()
    with time_machine.travel(moment, tick=False):
        if counts:
            bid = services.place_bid(
                application=application, advert=home, channel=Bid.Channel.PHONE, by=officer
            )
            assert bid.cycle == cycle
        else:
            with pytest.raises(ValidationError) as refused:
                services.place_bid(
                    application=application, advert=home, channel=Bid.Channel.PHONE, by=officer
                )
            assert "(UK time)" in refused.value.messages[0]
            assert not Bid.objects.exists()


def test_a_refusal_after_the_close_names_the_closing_second_in_uk_time(officer):
    with time_machine.travel(uk(2027, 10, 25, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 10, 28), officer)
        home = advert(cycle, officer)
        application = applicant()
    with (
        time_machine.travel(uk(2027, 11, 2, 0, 0, 0), tick=False),
        pytest.raises(ValidationError, match="closed at 23:59:59 on Monday 1 November 2027"),
    ):
        services.place_bid(
            application=application, advert=home, channel=Bid.Channel.PHONE, by=officer
        )


def test_adverts_take_the_cycles_dates_and_parish(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        home = advert(cycle, officer, parish="Cheriton")
    assert home.status == Vacancy.Status.ADVERTISED
    assert (home.opens_on, home.closes_on) == (date(2027, 3, 25), date(2027, 3, 29))
    assert home.parish == "Cheriton"


HYTH = (
    "Hyth, the parish of {site}, is not a parish in the lettings policy: correct the site's "
    "parish to one in the policy's list (Ashford, Cheriton, Folkestone, Hawkinge, Hythe, "
    "Kingsnorth, Newington, Sandgate, Shadoxhurst), then publish the advert."
)


def test_an_advert_is_not_published_with_a_site_parish_the_policys_list_does_not_name(
    officer, administrator
):
    parishes_listed(administrator)
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        draft = draft_advert(officer, parish="Hyth")
        with pytest.raises(ValidationError) as refused:
            services.advert_publish(vacancy=draft, cycle=cycle, by=officer)
    assert refused.value.messages == [HYTH.format(site=draft.unit.site)]
    draft.refresh_from_db()
    assert (draft.status, draft.cycle, draft.parish) == (Vacancy.Status.DRAFT, None, "")
    assert draft.history.count() == 1  # created, nothing since


def test_an_advert_takes_its_sites_parish_as_the_policys_list_spells_it(officer, administrator):
    parishes_listed(administrator)
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        home = advert(cycle, officer, parish=" hythe")
    assert (home.status, home.parish) == (Vacancy.Status.ADVERTISED, "Hythe")


def test_under_a_policy_without_the_list_an_advert_takes_any_site_parish(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        home = advert(cycle, officer, parish="Hyth")
    assert (home.status, home.parish) == (Vacancy.Status.ADVERTISED, "Hyth")


def test_the_publish_page_says_why_the_sites_parish_is_refused(client, officer, administrator):
    parishes_listed(administrator)
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        draft = draft_advert(officer, parish="Hyth")
        client.force_login(officer)
        response = client.post(
            reverse("allocations:advert-publish", args=[draft.pk]), {"cycle": cycle.pk}
        )
    assert response.status_code == 400
    assert HYTH.format(site=draft.unit.site).replace("'", "&#x27;") in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.DRAFT


def readvertised(officer, parish: str) -> Vacancy:
    """A home advertised (before the list) in `parish`, nobody left on its shortlist to
    nominate, re-advertised into the next cycle: the new advert keeps the parish unchecked."""
    vacancy, _ = provider_home_shortlisted(officer, provider(), bidders=0)
    Vacancy.objects.filter(pk=vacancy.pk).update(parish=parish)
    return vacancy_readvertise(vacancy=vacancy, reason="Nobody left", by=officer)


def test_a_readvertised_home_with_a_parish_not_on_the_list_is_marked_for_an_officer(
    client, officer, administrator
):
    parishes_listed(administrator)
    again = readvertised(officer, "Hyth")
    assert (again.status, again.parish) == (Vacancy.Status.ADVERTISED, "Hyth")  # as before
    client.force_login(officer)
    page = client.get(again.get_absolute_url()).content.decode()
    assert "Not in the policy's parishes" in page
    assert (
        "Hyth is not a parish in the lettings policy's list (this advert took it from the one "
        "before it): no household's connection gives it tier 1 or 2 for this home"
    ) in page
    assert "withdraw the advert and advertise the home again" in page
    listing = client.get(again.cycle.get_absolute_url()).content.decode()
    assert (
        "1 advert has a parish that is not in the lettings policy's list (a home re-advertised "
        "keeps the parish of the advert before it): no household's connection gives tier 1 or "
        "2 for it."
    ) in listing
    assert 'Hyth <strong class="govuk-tag govuk-tag--red">Not in the policy\'s parishes' in (
        listing
    )


@pytest.mark.parametrize("listed", [True, False], ids=["listed parish", "no list"])
def test_a_readvertised_home_is_not_marked_when_its_parish_is_listed_or_there_is_no_list(
    client, officer, administrator, listed
):
    if listed:
        parishes_listed(administrator)
    again = readvertised(officer, "Hythe" if listed else "Hyth")
    client.force_login(officer)
    for url in (again.get_absolute_url(), again.cycle.get_absolute_url()):
        page = client.get(url).content.decode()
        assert again.parish in page
        assert "Not in the policy's parishes" not in page
        assert "not in the lettings policy's list" not in page


def test_the_scheduled_task_freezes_every_shortlist_once_the_cycle_has_closed(officer):
    with time_machine.travel(uk(2027, 3, 25, 9, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        homes = [advert(cycle, officer), advert(cycle, officer)]
        for home in homes:
            services.place_bid(
                application=applicant(), advert=home, channel=Bid.Channel.PHONE, by=officer
            )
    with time_machine.travel(uk(2027, 3, 29, 23, 59, 59), tick=False):
        assert tasks.cycles_close_due() == []  # still open in its last second
    with time_machine.travel(uk(2027, 3, 30, 0, 0, 1), tick=False):
        assert tasks.cycles_close_due() == [cycle.reference]
        assert tasks.cycles_close_due() == []  # never twice
    cycle.refresh_from_db()
    assert cycle.frozen_at is not None and cycle.phase == BiddingCycle.Phase.CLOSED
    for home in homes:
        home.refresh_from_db()
        assert home.status == Vacancy.Status.CLOSED
        assert home.shortlist.filter(position=1).exists()


def test_a_cycle_that_cannot_close_tells_the_team_leaders_and_does_not_hold_up_the_next(
    officer, team_leader
):
    # One cycle that raised at its close stopped the task every minute, so every cycle after
    # it waited too. The default lettings policy is in force from 1 April 2024: a cycle closing
    # before then has none to rank under.
    from projects.models import WorkItem
    from projects.work import source_key

    with time_machine.travel(uk(2024, 3, 20, 9, 0), tick=False):
        # A cycle carried over from before any lettings policy (as an import would write it:
        # the service refuses to make one).
        early = BiddingCycle.objects.create(
            reference="C-2024-03-21",
            opens_at=uk(2024, 3, 21, 0, 0),
            closes_at=uk(2024, 3, 25, 23, 59, 59),
        )
        stuck = draft_advert(officer)
        Vacancy.objects.filter(pk=stuck.pk).update(
            cycle=early,
            status=Vacancy.Status.ADVERTISED,
            opens_on=date(2024, 3, 21),
            closes_on=date(2024, 3, 25),
        )
    with time_machine.travel(uk(2024, 4, 3, 9, 0), tick=False):
        later = cycle_opening(date(2024, 4, 4), officer)
        advert(later, officer)
    with time_machine.travel(uk(2024, 4, 9, 0, 0, 1), tick=False):
        assert tasks.cycles_close_due() == [later.reference]
        assert tasks.cycles_close_due() == []  # tried again, told once
    early.refresh_from_db()
    stuck.refresh_from_db()
    assert early.frozen_at is None and stuck.status == Vacancy.Status.ADVERTISED
    work = WorkItem.objects.get(source_key=source_key("cycle_not_closed", early.pk))
    assert work.assigned_role.name == "team_leader" and work.status == WorkItem.Status.OPEN
    assert "No choice-based lettings policy was in force on 25 March 2024" in work.title
    later.refresh_from_db()
    assert later.frozen_at is not None
    # Once the team has dealt with it (here the advert is withdrawn, to advertise the home
    # again), the next run closes it and the work is done.
    with time_machine.travel(uk(2024, 4, 9, 9, 0), tick=False):
        services.vacancy_withdraw(vacancy=stuck, reason="No policy to rank it under", by=officer)
        assert tasks.cycles_close_due() == [early.reference]
    work.refresh_from_db()
    assert work.status == WorkItem.Status.DONE


def test_an_officer_closes_a_past_cycle_only_with_a_reason_and_only_once_it_has_passed(officer):
    with time_machine.travel(uk(2027, 3, 25, 9, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        advert(cycle, officer)
        with pytest.raises(ValidationError, match="still taking bids until 23:59:59 on Monday"):
            services.cycle_close(cycle=cycle, by=officer, reason="Scheduled task was down")
    with time_machine.travel(uk(2027, 4, 1, 9, 0), tick=False):
        with pytest.raises(ValidationError):
            services.cycle_close(cycle=cycle, by=officer, reason=" ")
        services.cycle_close(cycle=cycle, by=officer, reason="Scheduled task was down")
    cycle.refresh_from_db()
    assert cycle.close_reason == "Scheduled task was down"
    assert cycle.history.first().history_change_reason == (
        "Closed by an officer: Scheduled task was down"
    )
    assert cycle.adverts.get().status == Vacancy.Status.CLOSED


def test_closing_a_cycle_makes_the_same_queries_for_3_or_30_bids_an_advert(officer):
    def close_with(bids: int, opens_on: date, closes_at: datetime) -> int:
        with time_machine.travel(uk(opens_on.year, opens_on.month, opens_on.day, 9), tick=False):
            cycle = cycle_opening(opens_on, officer)
            homes = [advert(cycle, officer), advert(cycle, officer)]
            for home in homes:
                for _ in range(bids):
                    services.place_bid(
                        application=applicant(), advert=home, channel=Bid.Channel.PHONE, by=officer
                    )
        with time_machine.travel(closes_at, tick=False), CaptureQueriesContext(connection) as ran:
            assert tasks.cycles_close_due() == [cycle.reference]
        assert all(home.shortlist.count() == bids for home in homes)
        return len(ran)

    few = close_with(3, date(2027, 3, 25), uk(2027, 3, 30, 0, 0, 1))
    many = close_with(30, date(2027, 4, 1), uk(2027, 4, 6, 0, 0, 1))
    assert many == few


def test_closing_a_cycle_writes_every_advert_together_one_ranking_statement_an_advert(officer):
    def close_with(adverts: int, opens_on: date, closes_at: datetime) -> tuple[int, list]:
        with time_machine.travel(uk(opens_on.year, opens_on.month, opens_on.day, 9), tick=False):
            cycle = cycle_opening(opens_on, officer)
            homes = [advert(cycle, officer) for _ in range(adverts)]
            for home in homes:
                services.place_bid(
                    application=applicant(), advert=home, channel=Bid.Channel.PHONE, by=officer
                )
        with time_machine.travel(closes_at, tick=False), CaptureQueriesContext(connection) as ran:
            assert tasks.cycles_close_due() == [cycle.reference]
        return len(ran), homes

    two, _ = close_with(2, date(2027, 3, 25), uk(2027, 3, 30, 0, 0, 1))
    five, homes = close_with(5, date(2027, 4, 1), uk(2027, 4, 6, 0, 0, 1))
    assert five - two == 3  # the ranking statement of each further advert, nothing else
    for home in homes:
        line = home.shortlist.get()
        assert line.history.get().history_change_reason == "Shortlist frozen"
        assert line.history.get().history_user == system_user()
        closed = home.history.first()
        assert closed.history_type == "~" and closed.status == Vacancy.Status.CLOSED
        assert closed.history_change_reason.startswith("Closed; shortlist frozen under ")
