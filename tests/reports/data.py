"""A small lettings history for the reports' tests, made through the letting services; only the
day each step happened is then moved into the past, as if it had been done then."""

from datetime import date, datetime, timedelta

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
    **advert_fields,
) -> AllocationDecision:
    """A pitch let on `on`: advertised, bid for, offered, accepted, proposed and approved."""
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
    services.decision_approve(decision=decision, comments="Agreed", by=team_leader)
    # The approval happened on `on` (the reports read when, not what the clock said).
    AllocationDecision.objects.filter(pk=decision.pk).update(decided_at=at_noon(on))
    decision.refresh_from_db()
    return decision


def a_refusal(officer, *, on: date, reason: str, reasonable: bool, **advert_fields) -> Offer:
    vacancy = advert(**advert_fields)
    (entry,) = shortlisted(vacancy, officer, ActiveApplicationFactory(points=50))
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_refuse(
        offer=offer, on=timezone.localdate(), reason=reason, reasonable=reasonable, by=officer
    )
    Offer.objects.filter(pk=offer.pk).update(responded_on=on)
    return offer


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
