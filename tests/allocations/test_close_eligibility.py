"""The close judges a bid as placing it did: a household on hold, one whose access category
no longer suits the home, or one holding an offer of another home is not ranked; an
accessible home is judged on the access category at both."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from allocations import services
from allocations.models import Application, Bid, ShortlistEntry, Vacancy
from allocations.selectors import ranking
from tests.allocations.casework import checks_back
from tests.allocations.cbl import advert, applicant, cycle_opening, uk

pytestmark = pytest.mark.django_db

OPEN = uk(2027, 3, 26, 10, 0)
CLOSED = uk(2027, 3, 30, 9, 0)


def _cycle(officer, n=1, **fields):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        homes = [advert(cycle, officer, **fields) for _ in range(n)]
    return cycle, homes


def _close(officer):
    with time_machine.travel(CLOSED, tick=False):
        services.cycles_close_due(by=officer)


def test_a_household_put_on_hold_after_bidding_is_not_ranked_at_the_close(officer):
    _, homes = _cycle(officer)
    held, other = applicant(band=1), applicant(band=3)
    with time_machine.travel(OPEN, tick=False):
        for household in (held, other):
            services.place_bid(application=household, advert=homes[0], channel="phone", by=officer)
    Application.objects.filter(pk=held.pk).update(on_hold_reason="Renewal not answered")
    _close(officer)
    entry = ShortlistEntry.objects.get(vacancy=homes[0], application=held)
    assert (entry.eligible, entry.position) == (False, None)
    assert entry.ineligible_reason == "The application was on hold at closing: Renewal not answered"
    assert ShortlistEntry.objects.get(vacancy=homes[0], application=other).position == 1
    replay = ranking.shortlist_replay(vacancy=homes[0])
    assert replay.same_as_frozen


def test_a_household_whose_access_category_no_longer_suits_the_home_is_not_ranked(officer):
    _, homes = _cycle(officer, access_categories=["c"])
    household = applicant(access_category="c", needs_accessible_home=True)
    with time_machine.travel(OPEN, tick=False):
        services.place_bid(application=household, advert=homes[0], channel="phone", by=officer)
    Application.objects.filter(pk=household.pk).update(
        access_category="f", needs_accessible_home=False
    )
    _close(officer)
    entry = ShortlistEntry.objects.get(vacancy=homes[0], application=household)
    assert (entry.eligible, entry.position) == (False, None)
    assert entry.ineligible_reason == (
        "This home suits access categories C; the household needed category F at closing."
    )
    assert ranking.shortlist_replay(vacancy=homes[0]).same_as_frozen


def test_an_accessible_home_is_judged_on_the_access_category_when_bidding_and_at_the_close(
    officer,
):
    _, homes = _cycle(officer)
    Vacancy.objects.filter(pk=homes[0].pk).update(requires_accessible=True, access_categories=[])
    not_assessed = applicant(access_category="", needs_accessible_home=True)
    assessed = applicant(access_category="a", needs_accessible_home=False)
    with time_machine.travel(OPEN, tick=False):
        with pytest.raises(ValidationError) as refused:
            services.place_bid(
                application=not_assessed, advert=homes[0], channel="phone", by=officer
            )
        assert refused.value.messages == [
            "This accessible home is kept for households that need one; your household's "
            "access needs have not been assessed yet."
        ]
        services.place_bid(application=assessed, advert=homes[0], channel="phone", by=officer)
    _close(officer)
    entry = ShortlistEntry.objects.get(vacancy=homes[0], application=assessed)
    assert (entry.eligible, entry.position, entry.ineligible_reason) == (True, 1, "")


def _accepted_offer(officer, *, accept=True):
    """A household that accepted (or, not `accept`, was made and has not answered) an offer of
    a home in the first cycle, and the next cycle's advert."""
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        first = cycle_opening(date(2027, 3, 25), officer)
        second = cycle_opening(date(2027, 4, 1), officer)
        let_home, next_home = advert(first, officer), advert(second, officer)
    winner = applicant(band=1)
    with time_machine.travel(OPEN, tick=False):
        services.place_bid(application=winner, advert=let_home, channel="phone", by=officer)
    with time_machine.travel(CLOSED, tick=False):
        services.cycles_close_due(by=officer)
        entry = ShortlistEntry.objects.get(vacancy=let_home, position=1)
        checks_back(winner, officer)
        offer = services.offer_make(entry=entry, respond_by=date(2027, 4, 6), by=officer)
        if accept:
            services.offer_accept(offer=offer, on=date(2027, 3, 30), by=officer)
    return winner, let_home, next_home


def test_a_household_with_an_offer_waiting_for_its_reply_cannot_bid_meanwhile(officer):
    waiting, offered_home, next_home = _accepted_offer(officer, accept=False)
    with (
        time_machine.travel(uk(2027, 4, 2, 10, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.place_bid(application=waiting, advert=next_home, channel="phone", by=officer)
    assert refused.value.messages == [
        f"You cannot bid while you have an open offer of {offered_home.unit} "
        f"(vacancy {offered_home.reference}) waiting for your reply; you may bid again if you "
        "refuse that offer."
    ]


def test_a_household_holding_an_accepted_offer_cannot_bid_again(officer):
    winner, let_home, next_home = _accepted_offer(officer)
    with (
        time_machine.travel(uk(2027, 4, 2, 10, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.place_bid(application=winner, advert=next_home, channel="phone", by=officer)
    assert refused.value.messages == [
        f"You cannot bid: you have accepted an offer of {let_home.unit} "
        f"(vacancy {let_home.reference}); you may bid again only if that offer is withdrawn."
    ]


def test_a_household_holding_an_accepted_offer_is_not_ranked_at_the_next_close(officer):
    winner, let_home, next_home = _accepted_offer(officer)
    other = applicant(band=3)
    # A bid from before the offer was accepted (the row as it stands): the close judges it.
    Bid.objects.create(
        vacancy=next_home,
        application=winner,
        placed_by=officer,
        channel=Bid.Channel.PHONE,
        cycle_id=next_home.cycle_id,
    )
    with time_machine.travel(uk(2027, 4, 2, 10, 0), tick=False):
        services.place_bid(application=other, advert=next_home, channel="phone", by=officer)
    with time_machine.travel(uk(2027, 4, 6, 9, 0), tick=False):
        services.cycles_close_due(by=officer)
    entry = ShortlistEntry.objects.get(vacancy=next_home, application=winner)
    assert (entry.eligible, entry.position) == (False, None)
    assert entry.ineligible_reason == (
        f"Held an offer (accepted) of {let_home.reference} at closing."
    )
    assert ShortlistEntry.objects.get(vacancy=next_home, application=other).position == 1


def test_a_household_put_on_hold_after_the_close_is_not_offered_the_home(officer):
    from allocations.selectors.lettings import next_in_order

    _, homes = _cycle(officer)
    first, second = applicant(band=1), applicant(band=3)
    with time_machine.travel(OPEN, tick=False):
        for household in (first, second):
            services.place_bid(application=household, advert=homes[0], channel="phone", by=officer)
    _close(officer)
    Application.objects.filter(pk=first.pk).update(on_hold_reason="Renewal not answered")
    held = ShortlistEntry.objects.get(vacancy=homes[0], application=first)
    assert held.position == 1
    assert next_in_order(homes[0]).application_id == second.pk
    with (
        time_machine.travel(CLOSED, tick=False),
        pytest.raises(ValidationError, match=r"is on hold \(Renewal not answered\): no offer"),
    ):
        services.offer_make(entry=held, respond_by=date(2027, 4, 6), by=officer)
