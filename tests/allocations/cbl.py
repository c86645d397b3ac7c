"""Building blocks for choice-based lettings tests: cycles, adverts in them, applicants."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations import services
from allocations.models import (
    Application,
    AutoBidPreference,
    Bid,
    BiddingCycle,
    HouseholdConnection,
    Scheme,
    Vacancy,
)
from sites.models import Unit
from tests.allocations.factories import ActiveApplicationFactory, HouseholdWithPeopleFactory
from tests.factories import HomeFactory, SiteFactory

LONDON = ZoneInfo("Europe/London")


def uk(*args) -> datetime:
    """A moment in UK time."""
    return datetime(*args, tzinfo=LONDON)


def cycle_opening(opens_on: date, by) -> BiddingCycle:
    return services.cycle_create(opens_on=opens_on, by=by)


def week_starting_today(by) -> None:
    """A policy version whose bidding week opens today at midnight and closes six days later,
    so that a test can open a cycle today whatever day it runs on."""
    today = timezone.localdate()
    current = services.policy_in_force(scheme=Scheme.CBL, on=today)
    rules = dict(current.rules)
    rules["cycle"] = {
        "opens_weekday": today.weekday(),
        "opens_time": "00:00:00",
        "closes_weekday": (today.weekday() + 6) % 7,
        "closes_time": "23:59:59",
        "timezone": "Europe/London",
    }
    services.policy_publish(
        scheme=Scheme.CBL,
        name=current.name,
        effective_from=today - timedelta(days=14),
        policy_rules=rules,
        summary_of_changes="Cycles open on the day the test runs",
        by=by,
    )


def cycle_open_today(by) -> BiddingCycle:
    """A cycle open now, whatever day the test runs on (see `week_starting_today`)."""
    week_starting_today(by)
    return services.cycle_create(opens_on=timezone.localdate(), by=by)


def advert(cycle: BiddingCycle, by, *, parish: str = "Cheriton", bedrooms: int = 2, **fields):
    """A draft CBL vacancy on a void home, published into `cycle`."""
    vacancy = draft_advert(by, parish=parish, bedrooms=bedrooms, **fields)
    return services.advert_publish(vacancy=vacancy, cycle=cycle, by=by)


def draft_advert(by, *, parish: str = "Cheriton", bedrooms: int = 2, **fields) -> Vacancy:
    """A draft CBL vacancy on a void home on a site in `parish`."""
    site = SiteFactory(parish=parish, town=fields.pop("town", "Folkestone"))
    unit = HomeFactory(
        site=site,
        status=Unit.Status.VOID,
        bedrooms=bedrooms,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
        floor_level=fields.pop("floor_level", 0),
    )
    extra = {k: fields.pop(k) for k in ("home_type", "access_categories", "area") if k in fields}
    vacancy = services.vacancy_create(
        unit=unit,
        scheme=Scheme.CBL,
        advert_text=f"A {bedrooms}-bedroom home in {parish}.",
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 1, 1),
        min_bedroom_need=fields.pop("min_bedroom_need", bedrooms),
        max_bedroom_need=fields.pop("max_bedroom_need", bedrooms),
        by=by,
        **fields,
    )
    if extra:
        Vacancy.objects.filter(pk=vacancy.pk).update(**extra)
        vacancy.refresh_from_db()
    return vacancy


def applicant(*, band: int = 3, need: int = 2, people: int = 3, **fields) -> Application:
    return ActiveApplicationFactory(
        scheme=Scheme.CBL,
        band=band,
        points=None,
        bedroom_need=need,
        household=HouseholdWithPeopleFactory(people=people),
        **fields,
    )


def connect(application: Application, parish: str, *, years: int = 3, kind: str = "residence"):
    return HouseholdConnection.objects.create(
        household=application.household,
        kind=kind,
        parish=parish,
        since=timezone.localdate() - timedelta(days=365 * years),
        evidence_seen="Council tax bill",
    )


# Every parish the default adjacency table names, and Hythe.
PARISHES = [
    "Ashford",
    "Cheriton",
    "Folkestone",
    "Hawkinge",
    "Hythe",
    "Kingsnorth",
    "Newington",
    "Sandgate",
    "Shadoxhurst",
]


def parishes_listed(by, parishes=PARISHES, *, effective_from: date = date(2025, 4, 1)):
    """A lettings policy version listing the council's parishes (version 1's rules otherwise)."""
    current = services.policy_in_force(scheme=Scheme.CBL, on=effective_from)
    local_connection = current.policy.lettings.local_connection.to_json()
    return services.policy_publish(
        scheme=Scheme.CBL,
        name=current.name,
        effective_from=effective_from,
        policy_rules={
            **current.rules,
            "local_connection": local_connection | {"parishes": parishes},
        },
        summary_of_changes="The council's parishes listed",
        by=by,
    )


def auto_bid_last_change(application: Application) -> int | None:
    """The latest change of the household's auto-bid preferences, as a page opened now
    carries it to the service (None: nothing recorded yet)."""
    return (
        AutoBidPreference.history.filter(application=application)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )


def bid(application, home, officer, channel=Bid.Channel.PHONE):
    """A bid placed by an officer (by phone unless said)."""
    return services.place_bid(application=application, advert=home, channel=channel, by=officer)


def legacy_bid(application, home, officer) -> Bid:
    """A bid on a choice-based advert outside any cycle, as one was taken before such adverts
    were refused bids: the row the data of that time holds (`place_bid` refuses it now)."""
    return Bid.objects.create(
        vacancy=home, application=application, placed_by=officer, channel=Bid.Channel.PHONE
    )


def refused(application, home, officer, match):
    """The bid is refused saying `match`, and nothing is written."""
    bids, history = Bid.objects.count(), Bid.history.count()
    with pytest.raises(ValidationError, match=match):
        bid(application, home, officer)
    assert (Bid.objects.count(), Bid.history.count()) == (bids, history)
