"""Bids through the one service: the limit and eligibility checked when the bid is placed,
each refusal saying exactly why and writing nothing; withdrawal; two bids racing for the last
slot; the live position; a household under offer leaving its other shortlists."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from allocations import selectors, services
from allocations.models import Application, Bid, Scheme, ShortlistEntry
from tests.allocations.casework import in_a_week
from tests.allocations.cbl import advert, applicant, bid, connect, cycle_opening, refused, uk
from tests.allocations.factories import ActiveApplicationFactory

OPEN = uk(2027, 3, 26, 10, 0)  # Friday of the cycle opening Thursday 25 March 2027


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


@pytest.fixture
def at_open():
    with time_machine.travel(OPEN, tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("at_open")
class TestRefusals:
    def test_a_fourth_bid_in_the_week_is_refused(self, officer, cycle):
        application = applicant()
        for _ in range(3):
            bid(application, advert(cycle, officer), officer)
        refused(application, advert(cycle, officer), officer, "already placed 3 bids this week")

    def test_a_withdrawn_bid_frees_its_slot(self, officer, cycle):
        application = applicant()
        first = bid(application, advert(cycle, officer), officer)
        for _ in range(2):
            bid(application, advert(cycle, officer), officer)
        services.bid_withdraw(bid=first, by=officer, reason="Changed their mind")
        assert bid(application, advert(cycle, officer), officer).channel == "phone"

    def test_the_wrong_bedroom_need_is_refused_saying_both_numbers(self, officer, cycle):
        refused(
            applicant(need=3),
            advert(cycle, officer),
            officer,
            "This home needs 2 bedrooms; your household needs 3",
        )

    def test_a_suspended_household_is_told_until_when(self, officer, cycle):
        application = applicant(
            status=Application.Status.SUSPENDED,
            suspended_until=date(2028, 3, 10),
        )
        refused(
            application, advert(cycle, officer), officer, "You are suspended until 10 March 2028"
        )

    def test_a_duplicate_bid_is_refused(self, officer, cycle):
        application, home = applicant(), advert(cycle, officer)
        bid(application, home, officer)
        refused(application, home, officer, "already bid for this home")

    def test_a_withdrawn_advert_takes_no_bids(self, officer, cycle):
        home = advert(cycle, officer)
        services.advert_withdraw(vacancy=home, reason="Repairs found", by=officer)
        refused(applicant(), home, officer, "advert has been withdrawn")

    def test_a_55_plus_home_refuses_a_younger_household(self, officer, cycle):
        refused(
            applicant(),
            advert(cycle, officer, min_age=55),
            officer,
            r"aged 55 or over; the lead applicant, .+, will not be 55 by the close on 29 March "
            r"2027 \(38 then\)",
        )

    def test_an_inactive_application_is_refused(self, officer, cycle):
        refused(
            applicant(status=Application.Status.LAPSED),
            advert(cycle, officer),
            officer,
            "Your application is lapsed, not active, so you cannot bid",
        )

    def test_a_household_on_hold_is_told_why_in_its_own_words_not_by_application(
        self, officer, cycle
    ):
        application = applicant(
            on_hold_reason="the renewal due on 1 March 2027 has not been answered"
        )
        with pytest.raises(ValidationError) as refusal:
            bid(application, advert(cycle, officer), officer)
        assert refusal.value.messages == [
            "You cannot bid while your application is on hold: the renewal due on 1 March 2027 "
            "has not been answered."
        ]

    def test_an_application_of_the_other_scheme_is_refused_speaking_to_the_household(
        self, officer, cycle
    ):
        refused(
            ActiveApplicationFactory(scheme=Scheme.PITCH),
            advert(cycle, officer),
            officer,
            "Your application is for a different scheme from this home",
        )

    def test_an_adapted_home_refuses_a_household_outside_its_categories(self, officer, cycle):
        home = advert(cycle, officer, access_categories=["a", "b"])
        refused(
            applicant(access_category="f"),
            home,
            officer,
            "suits access categories A, B; your household needs category F: general needs",
        )


@pytest.mark.django_db
def test_a_bid_cannot_be_withdrawn_after_the_close(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        placed = bid(applicant(), advert(cycle, officer), officer)
    with (
        time_machine.travel(uk(2027, 3, 30, 0, 0, 0), tick=False),
        pytest.raises(ValidationError, match="can no longer be withdrawn"),
    ):
        services.bid_withdraw(bid=placed, by=officer)


@pytest.mark.django_db
def test_the_live_position_of_every_bid_takes_three_queries(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        mine = applicant(band=3)
        homes = [advert(cycle, officer) for _ in range(3)]
        for band, home in zip((1, 2, 4), homes, strict=True):
            bid(applicant(band=band), home, officer)
        for home in homes:
            bid(mine, home, officer)
        connect(mine, "Cheriton")  # own parish for every home: tier 1 beats band
        with CaptureQueriesContext(connection) as queries:
            positions = selectors.bid_positions(mine)
        assert len(queries) <= 3
        assert [(p.position, p.bids, p.tier) for p in positions] == [(1, 2, 1)] * 3
        connect(applicant(), "Folkestone")
        other = applicant(band=1)
        bid(other, homes[0], officer)
        connect(other, "Cheriton")
        assert selectors.bid_positions(mine)[0].position == 2


def test_the_live_position_leaves_out_rivals_the_close_would_drop(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        mine = applicant(band=3)
        home = advert(cycle, officer)
        on_hold, closed, live = applicant(band=1), applicant(band=1), applicant(band=2)
        for application in (on_hold, closed, live, mine):
            bid(application, home, officer)
        assert [(p.position, p.bids) for p in selectors.bid_positions(mine)] == [(4, 4)]
        # Put on hold (a renewal not returned) and suspended after bidding: the close ranks
        # neither, so the household is second of two, not fourth of four.
        Application.objects.filter(pk=on_hold.pk).update(on_hold_reason="Renewal not returned")
        Application.objects.filter(pk=closed.pk).update(status=Application.Status.SUSPENDED)
        assert [(p.position, p.bids) for p in selectors.bid_positions(mine)] == [(2, 2)]
        # Its own bid is shown whatever its state: put on hold itself, it still sees where
        # it stands among the rest.
        Application.objects.filter(pk=mine.pk).update(on_hold_reason="Renewal not returned")
        assert [(p.position, p.bids) for p in selectors.bid_positions(mine)] == [(2, 2)]


def test_the_live_position_of_each_bidder_is_the_place_the_close_gives_it(officer, cycle):
    # One definition of the rivals the close keeps (active, not on hold, holding no offer of
    # another home: `ranking.kept_at_close_sql`) serves both, so they cannot drift apart.
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer)
        bidders = [applicant(band=band) for band in (1, 2, 2, 3, 4, 3)]
        for application in bidders:
            bid(application, home, officer)
        connect(bidders[4], "Cheriton")  # own parish: tier 1, ahead of every band
        connect(bidders[5], "Folkestone")  # the parish next to it: tier 2
        Application.objects.filter(pk=bidders[0].pk).update(on_hold_reason="Renewal not returned")
        Application.objects.filter(pk=bidders[2].pk).update(status=Application.Status.SUSPENDED)
        live = {
            application.pk: [(p.position, p.bids) for p in selectors.bid_positions(application)]
            for application in bidders
        }
    with time_machine.travel(uk(2027, 3, 30, 9, 0), tick=False):
        services.cycles_close_due(by=officer)
    entries = list(ShortlistEntry.objects.filter(vacancy=home))
    ranked = [entry for entry in entries if entry.position is not None]
    assert len(ranked) == 4
    assert {entry.application_id: [(entry.position, len(ranked))] for entry in ranked} == {
        application_id: places
        for application_id, places in live.items()
        if application_id not in (bidders[0].pk, bidders[2].pk)
    }


def test_two_bids_racing_for_the_last_slot_get_exactly_one(transactional_db, officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        application = applicant()
        for _ in range(2):
            bid(application, advert(cycle, officer), officer)
        racing = [advert(cycle, officer), advert(cycle, officer)]
    results: list[str] = []
    barrier = threading.Barrier(2)

    def place(home):
        try:
            with time_machine.travel(OPEN, tick=False):
                barrier.wait()
                bid(application, home, officer)
            results.append("placed")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(home,)) for home in racing]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("placed") == 1
    assert any("already placed 2 bids" in r or "already placed 3 bids" in r for r in results)
    assert Bid.objects.filter(application=application, withdrawn=False).count() == 3


@pytest.mark.django_db
def test_accepting_an_offer_takes_the_household_off_its_other_shortlists_and_refusing_puts_it_back(
    officer, cycle
):
    with time_machine.travel(OPEN, tick=False):
        application = applicant()
        homes = [advert(cycle, officer), advert(cycle, officer)]
        for home in homes:
            bid(application, home, officer)
    with time_machine.travel(uk(2027, 3, 30, 9, 0), tick=False):
        services.cycles_close_due(by=officer)
        first = ShortlistEntry.objects.get(vacancy=homes[0], application=application)
        other = ShortlistEntry.objects.get(vacancy=homes[1], application=application)
        from tests.allocations.casework import checks_back

        checks_back(application, officer)
        offer = services.offer_make(entry=first, respond_by=in_a_week(), by=officer)
        services.offer_accept(offer=offer, on=date(2027, 3, 30), by=officer)
        other.refresh_from_db()
        assert other.removed_reason.startswith("Accepted an offer of")
        assert selectors.next_in_order(homes[1]) is None
        services.offer_withdraw(offer=offer, reason="The household withdrew", by=officer)
        other.refresh_from_db()
        assert other.removed_reason == ""
        assert selectors.next_in_order(homes[1]) == other
