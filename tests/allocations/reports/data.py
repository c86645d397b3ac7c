"""A small lettings history for the reports' tests, made through the letting services on the
day each step happened (the clock travels there), so every date and history row agrees."""

from datetime import date, datetime, timedelta

import time_machine
from django.utils import timezone

from allocations import services
from allocations.models import AllocationDecision, Offer, Vacancy
from sites.models import Unit
from tests.allocations.casework import answers_as_records, checks_back, in_a_week
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.factories import SiteFactory, UnitFactory


def at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def advert(*, site=None, bidders: int = 1, void_on=date(2026, 1, 5), ready_on=None, **fields):
    """An advertised pitch with its bidders' applications; the shortlist frozen."""
    unit = UnitFactory(
        site=site or SiteFactory(),
        status=Unit.Status.ADVERTISED,
        void_date=void_on,
        ready_to_let_date=ready_on,
        void_reason=Unit.VoidReason.TRANSFER,
    )
    return VacancyFactory(unit=unit, status=Vacancy.Status.ADVERTISED, **fields)


def shortlisted(vacancy, officer, *applications):
    for application in applications:
        services.bid_place(vacancy=vacancy, application=application, by=officer)
    entries = services.shortlist_freeze(vacancy=vacancy, by=officer)
    return sorted((e for e in entries if e.eligible), key=lambda e: e.position)


def a_let(
    officer,
    team_leader,
    *,
    on: date,
    band: int | None = None,
    registered: date = date(2025, 1, 1),
    effective: date | None = None,
    approve: bool = True,
    **advert_fields,
) -> AllocationDecision:
    """A pitch let on `on`: advertised, bid for, offered, accepted, proposed and approved (or,
    with approve=False, waiting for the team leader)."""
    with time_machine.travel(at_noon(on), tick=False):
        return _let(officer, team_leader, band, registered, effective, approve, advert_fields)


def _let(officer, team_leader, band, registered, effective, approve, advert_fields):
    vacancy = advert(**advert_fields)
    application = ActiveApplicationFactory(
        band=band, points=50, registration_date=registered, effective_date=effective or registered
    )
    (entry,) = shortlisted(vacancy, officer, application)
    checks_back(application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top of the list", by=officer
    )
    if approve:
        services.decision_approve(decision=decision, comments="Agreed", by=team_leader)
    decision.refresh_from_db()
    return decision


def a_refusal(officer, *, on: date, reason: str, reasonable: bool, **advert_fields) -> Offer:
    with time_machine.travel(at_noon(on), tick=False):
        vacancy = advert(**advert_fields)
        application = ActiveApplicationFactory(points=50)
        (entry,) = shortlisted(vacancy, officer, application)
        checks_back(application, officer)
        offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
        return services.offer_refuse(
            offer=offer, on=on, reason=reason, reasonable=reasonable, by=officer
        )


def bids_on(vacancy, officer, count: int, *, withdrawn: int = 0) -> None:
    """`count` bids on an advert, the first `withdrawn` of them then withdrawn."""
    with time_machine.travel(at_noon(vacancy.closes_on), tick=False):
        for n in range(count):
            bid = services.bid_place(
                vacancy=vacancy, application=ActiveApplicationFactory(points=n), by=officer
            )
            if n < withdrawn:
                services.bid_withdraw(bid=bid, reason="Found a home elsewhere", by=officer)


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def advert_closing(day: date, **fields) -> Vacancy:
    """An advert that opened a week before `day` and closes on it."""
    with time_machine.travel(at_noon(day), tick=False):
        return advert(**fields)
