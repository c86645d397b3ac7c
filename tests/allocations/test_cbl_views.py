"""The officer's bid form (search by name or reference, by phone or in person), refusals on
the page, closing a cycle by hand; tiers per home on the frozen shortlist; the auto-bidder."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from allocations import services, tasks
from allocations.models import AutoBidPreference, Bid, ShortlistEntry
from tests.allocations.cbl import advert, applicant, connect, cycle_opening, uk

pytestmark = pytest.mark.django_db

OPEN = uk(2027, 3, 26, 10, 0)


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


def test_an_officer_finds_the_household_by_name_and_records_a_phone_bid(client, officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        client.force_login(officer)
        home, application = advert(cycle, officer), applicant()
        lead = application.household.people.get(relationship="lead")
        url = reverse("allocations:bid-create", args=[home.pk])
        page = client.get(url, {"q": lead.last_name})
        assert application.reference in page.content.decode()
        response = client.post(url, {"application": application.pk, "channel": "phone"})
    assert response.status_code == 302
    bid = Bid.objects.get()
    assert (bid.channel, bid.placed_by, bid.cycle) == ("phone", officer, cycle)


def test_a_fourth_bid_is_refused_on_the_page_saying_why(client, officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        client.force_login(officer)
        application = applicant()
        for _ in range(3):
            services.place_bid(
                application=application, advert=advert(cycle, officer), channel="phone", by=officer
            )
        home = advert(cycle, officer)
        response = client.post(
            reverse("allocations:bid-create", args=[home.pk]),
            {"application": application.pk, "channel": "in_person"},
        )
    assert response.status_code == 400
    assert "already placed 3 bids this week" in response.content.decode()
    assert not home.bids.exists()


def test_the_frozen_shortlist_ranks_by_the_tier_for_that_home_and_says_why(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, parish="Cheriton")
        own, adjacent, elsewhere, short, exempt = (applicant(band=b) for b in (3, 2, 1, 1, 4))
        connect(own, "Cheriton", years=2)
        connect(adjacent, "Folkestone", years=2)  # next to Cheriton in the default table
        connect(short, "Cheriton", years=0)  # under 12 months: no connection yet
        exempt.connection_exempt_group = "armed_forces"
        exempt.save()
        for application in (own, adjacent, elsewhere, short, exempt):
            services.place_bid(application=application, advert=home, channel="phone", by=officer)
    with time_machine.travel(uk(2027, 3, 30, 0, 0, 5), tick=False):
        tasks.cycles_close_due()
    entries = {e.application_id: e for e in ShortlistEntry.objects.filter(vacancy=home)}
    assert [entries[a.pk].connection_tier for a in (own, adjacent, elsewhere, short, exempt)] == [
        1,
        2,
        3,
        3,
        1,
    ]
    assert entries[own.pk].connection_reason == "Own parish: lived in Cheriton for 12 months"
    assert entries[adjacent.pk].connection_reason.startswith("Adjacent parish")
    assert "Exempt" in entries[exempt.pk].connection_reason
    # Tier first, then band: own parish (band 3) before adjacent (band 2) before elsewhere.
    order = sorted(entries.values(), key=lambda e: e.position)
    rest = sorted([elsewhere.pk, short.pk])
    assert [e.application_id for e in order] == [own.pk, exempt.pk, adjacent.pk, *rest]


def test_the_auto_bidder_bids_within_the_limit_with_the_reason_it_matched(officer, cycle):
    with time_machine.travel(uk(2027, 3, 24, 12, 0), tick=False):
        homes = [
            advert(cycle, officer, area="Folkestone", home_type="flat", floor_level=0),
            advert(cycle, officer, area="Folkestone", home_type="flat", floor_level=1),
            advert(cycle, officer, area="Hythe", home_type="flat", floor_level=0),
            advert(cycle, officer, area="Folkestone", home_type="house", floor_level=0),
            advert(cycle, officer, area="Folkestone", home_type="flat", floor_level=3),
            advert(cycle, officer, area="Folkestone", home_type="flat", floor_level=0),
        ]
        application = applicant()
        AutoBidPreference.objects.create(
            application=application,
            group="cannot_bid",
            areas=["Folkestone"],
            home_types=["flat"],
            highest_floor=1,
        )
        assert tasks.cycles_open_due() == []  # not open yet
    with time_machine.travel(uk(2027, 3, 25, 0, 0, 30), tick=False):
        assert tasks.cycles_open_due() == [cycle.reference]
        assert tasks.cycles_open_due() == []  # once per cycle
    bids = list(Bid.objects.filter(application=application).order_by("vacancy_id"))
    assert len(bids) == 3
    assert {b.vacancy_id for b in bids} == {homes[0].pk, homes[1].pk, homes[5].pk}
    assert all(b.channel == Bid.Channel.AUTO for b in bids)
    assert bids[0].match_reason.startswith("Matches area Folkestone (choice 1), a flat, floor 0")
