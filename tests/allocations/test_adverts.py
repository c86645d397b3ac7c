"""Adverts in a bidding cycle and the bids on them: a home only for households with a local
connection, a choice-based lettings advert advertised only through a cycle, an advert
withdrawn taking its bids with it, a bid placed again after withdrawing it, a withdrawal and
the close judged one after the other, and a lead applicant's age taken on the closing day."""

import re
import threading
import time
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from allocations import selectors, services
from allocations.models import Bid, Scheme, ShortlistEntry, Vacancy
from residents.models import Person
from tests.allocations.cbl import (
    advert,
    applicant,
    bid,
    connect,
    cycle_opening,
    draft_advert,
    refused,
    uk,
)
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory

OPEN = uk(2027, 3, 26, 10, 0)  # Friday of the cycle opening Thursday 25 March 2027
LAST_SECOND = uk(2027, 3, 29, 23, 59, 59)
CLOSED = uk(2027, 3, 30, 9, 0)


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


def lead_named(application, first: str, last: str, born: date | None = None) -> None:
    lead = application.household.people.get(relationship=Person.Relationship.LEAD)
    lead.first_name, lead.last_name = first, last
    if born is not None:
        lead.date_of_birth = born
    lead.save()


# --- Only for households with a local connection --------------------------------------------


@pytest.mark.django_db
class TestLocalConnectionRequired:
    def test_a_household_with_no_connection_is_refused_at_the_bid(self, officer, cycle):
        with time_machine.travel(OPEN, tick=False):
            home = advert(cycle, officer, local_connection_required=True)
            stranger = applicant()
            lead_named(stranger, "Ada", "Stone")
            connect(stranger, "Ashford")  # a connection, but not to Cheriton or next to it
            refused(
                stranger,
                home,
                officer,
                "This home is only for households with a local connection to Cheriton or a "
                "parish next to it; Ada Stone's household has none recorded.",
            )

    def test_own_parish_adjacent_parish_and_exempt_households_may_bid(self, officer, cycle):
        with time_machine.travel(OPEN, tick=False):
            home = advert(cycle, officer, local_connection_required=True)
            own, adjacent = applicant(), applicant()
            connect(own, "Cheriton")
            connect(adjacent, "Folkestone")  # next to Cheriton in the default table
            exempt = applicant(connection_exempt_group="armed_forces")
            for household in (own, adjacent, exempt):
                assert not bid(household, home, officer).withdrawn

    def test_the_close_agrees_tier_three_is_not_local(self, officer, cycle):
        with time_machine.travel(OPEN, tick=False):
            home = advert(cycle, officer, local_connection_required=True)
            local, ended = applicant(), applicant()
            connect(local, "Cheriton")
            connection = connect(ended, "Cheriton")
            bid(local, home, officer)
            bid(ended, home, officer)
            # Its connection ends before the close: the close finds no local connection.
            connection.ended_on = date(2027, 3, 27)
            connection.save()
        with time_machine.travel(CLOSED, tick=False):
            services.cycles_close_due(by=officer)
        entries = {e.application_id: e for e in ShortlistEntry.objects.filter(vacancy=home)}
        assert entries[local.pk].eligible and entries[local.pk].position == 1
        assert not entries[ended.pk].eligible
        assert entries[ended.pk].ineligible_reason.startswith(
            "Only for households with a local connection to Cheriton or a parish next to it"
        )

    def test_a_pitch_vacancy_keeps_its_meaning(self, officer):
        # A pitch's "local connection" is the one recorded on the application, any at all.
        vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, local_connection_required=True)
        far, none = ActiveApplicationFactory(local_connection=3), ActiveApplicationFactory()
        for household in (far, none):
            services.bid_place(vacancy=vacancy, application=household, by=officer)
        entries = {
            e.application_id: e for e in services.shortlist_freeze(vacancy=vacancy, by=officer)
        }
        assert entries[far.pk].eligible
        assert entries[none.pk].ineligible_reason == (
            "This vacancy is only for households with a local connection."
        )

    def test_the_refusal_is_shown_on_the_bid_page(self, officer, cycle, client):
        with time_machine.travel(OPEN, tick=False):
            home = advert(cycle, officer, local_connection_required=True)
            stranger = applicant()
            lead_named(stranger, "Ada", "Stone")
            client.force_login(officer)
            response = client.post(
                reverse("allocations:bid-create", args=[home.pk]),
                {"application": stranger.pk, "channel": "phone"},
            )
        assert response.status_code == 400
        assert "Ada Stone&#x27;s household has none recorded" in response.content.decode()
        assert not Bid.objects.exists()


# --- A choice-based lettings advert is advertised only through a cycle ------------------------


@pytest.mark.django_db
def test_a_cbl_draft_cannot_be_advertised_without_a_cycle(officer, client):
    with time_machine.travel(OPEN, tick=False):
        draft = draft_advert(officer)
        history = Vacancy.history.filter(id=draft.pk).count()
        with pytest.raises(ValidationError, match="publish it into a bidding cycle"):
            services.vacancy_advertise(vacancy=draft, by=officer)
        labels = [action.label for action in selectors.vacancy_actions(draft, officer)]
        assert "Advertise" not in labels
        assert "Publish into a bidding cycle" in labels
        client.force_login(officer)
        response = client.post(
            reverse("allocations:vacancy-advertise", args=[draft.pk]), follow=True
        )
        assert "publish it into a bidding cycle" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.cycle_id) == (Vacancy.Status.DRAFT, None)
    assert Vacancy.history.filter(id=draft.pk).count() == history  # nothing written


# --- An advert withdrawn takes its bids with it -----------------------------------------------


@pytest.mark.django_db
def test_withdrawing_an_advert_withdraws_its_bids_and_frees_the_slot(officer, cycle, client):
    with time_machine.travel(OPEN, tick=False):
        household = applicant()
        homes = [advert(cycle, officer) for _ in range(3)]
        for home in homes:
            bid(household, home, officer)
        services.advert_withdraw(vacancy=homes[0], reason="Repairs found", by=officer)
        dead = Bid.objects.get(vacancy=homes[0], application=household)
        assert dead.withdrawn
        assert dead.withdrawal_reason == "Advert withdrawn: Repairs found"
        change = dead.history.latest("history_id")
        assert change.history_user == officer
        assert change.history_change_reason == "Bid withdrawn: Advert withdrawn: Repairs found"
        # The slot is free again, and the dead advert is no longer among its live positions.
        bid(household, advert(cycle, officer), officer)
        assert homes[0].pk not in [p.bid.vacancy_id for p in selectors.bid_positions(household)]
        client.force_login(officer)
        page = client.get(reverse("allocations:application-bids", args=[household.pk]))
    assert "Withdrawn: Advert withdrawn: Repairs found" in page.content.decode()


@pytest.mark.django_db
def test_withdrawing_a_vacancy_from_its_page_withdraws_its_bids(officer, cycle, client):
    with time_machine.travel(OPEN, tick=False):
        household, home = applicant(), advert(cycle, officer)
        bid(household, home, officer)
        client.force_login(officer)
        client.post(reverse("allocations:vacancy-withdraw", args=[home.pk]), {"reason": "Sold"})
    assert Bid.objects.get(vacancy=home).withdrawal_reason == "Advert withdrawn: Sold"


# --- A bid placed again after withdrawing it ----------------------------------------------------


@pytest.mark.django_db
def test_a_bid_placed_again_is_placed_when_it_is_placed_again(officer, cycle, client):
    other = type(officer).objects.create(username="second", first_name="Sam", last_name="Reid")
    with time_machine.travel(OPEN, tick=False):
        household, home = applicant(), advert(cycle, officer)
        first = bid(household, home, officer)
        services.bid_withdraw(bid=first, by=officer, reason="Changed their mind")
    with time_machine.travel(LAST_SECOND, tick=False):
        again = bid(household, home, other, channel=Bid.Channel.IN_PERSON)
    again.refresh_from_db()
    assert again.pk == first.pk
    assert again.placed_at == LAST_SECOND
    assert (again.placed_by, again.channel) == (other, Bid.Channel.IN_PERSON)
    with time_machine.travel(OPEN, tick=False):
        client.force_login(officer)
        page = client.get(reverse("allocations:application-bids", args=[household.pk]))
    assert "29 March 2027, 23:59 by Sam Reid" in page.content.decode()
    assert "26 March 2027, 10:00" not in page.content.decode()


# --- A withdrawal and the close, one after the other ------------------------------------------


def test_a_withdrawal_waits_for_the_close_and_is_then_refused(transactional_db, officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        household, home = applicant(), advert(cycle, officer)
        placed = bid(household, home, officer)
    results: list[str] = []
    with time_machine.travel(LAST_SECOND, tick=False) as traveller:

        def withdraw():
            try:
                services.bid_withdraw(bid=placed, by=officer, reason="Too late?")
                results.append("withdrawn")
            except ValidationError as error:
                results.append(error.messages[0])
            finally:
                connection.close()

        with transaction.atomic():
            # The close has the advert's row (as it does while it reads the bids).
            Vacancy.objects.select_for_update().get(pk=home.pk)
            thread = threading.Thread(target=withdraw)
            thread.start()
            time.sleep(0.5)
            assert thread.is_alive(), "the withdrawal did not wait for the close"
            traveller.move_to(CLOSED)
            services.cycles_close_due(by=officer)
        thread.join()
    assert results == ["Bidding for this home has closed: the bid can no longer be withdrawn."]
    assert not Bid.objects.get(pk=placed.pk).withdrawn
    assert ShortlistEntry.objects.get(vacancy=home).application_id == household.pk


# --- The lead applicant's age, on the closing day -----------------------------------------------


@pytest.mark.django_db
def test_someone_turning_55_during_the_cycle_may_bid_for_a_55_plus_home(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, min_age=55)
        turning = applicant()
        lead_named(turning, "Pat", "Lee", born=date(1972, 3, 28))  # 55 on Sunday 28 March
        too_young = applicant()
        lead_named(too_young, "Kim", "Ray", born=date(1972, 3, 31))  # 55 the day after
        bid(turning, home, officer)
        refused(
            too_young,
            home,
            officer,
            "This home is for people aged 55 or over; the lead applicant, Kim Ray, will not be "
            r"55 by the close on 29 March 2027 \(54 then\).",
        )
    with time_machine.travel(CLOSED, tick=False):
        services.cycles_close_due(by=officer)
    assert ShortlistEntry.objects.get(vacancy=home, application=turning).eligible


@pytest.mark.django_db
def test_a_choice_based_advert_left_advertised_outside_any_cycle_takes_no_bid(officer):
    # A row from before a choice-based advert had to be in a cycle: advertised, no cycle.
    legacy = VacancyFactory(scheme=Scheme.CBL, status=Vacancy.Status.ADVERTISED, cycle=None)
    household = applicant()
    message = (
        f"{legacy.reference} is not advertised in a bidding cycle, so it is not taking bids: "
        "the lettings team publishes it into a cycle first."
    )
    for channel in (Bid.Channel.PHONE, Bid.Channel.APPLICANT):
        before = Bid.objects.count(), Bid.history.count()
        with pytest.raises(ValidationError, match=re.escape(message)):
            services.place_bid(application=household, advert=legacy, channel=channel, by=officer)
        assert (Bid.objects.count(), Bid.history.count()) == before
    refused(household, legacy, officer, re.escape(message))
    assert not household.bids.exists()
