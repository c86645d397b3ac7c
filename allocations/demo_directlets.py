"""The direct lets demo: two homes at Channel View let outside the bidding cycle. One, a
decant, was approved by the team leader and offered to the household; the other, an
emergency move, waits in the team leaders' queue.

Everything goes through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from allocations import services
from allocations.models import Application, DirectLet, Partner, Scheme
from config.demo import Demo, DemoStep
from sites import services as site_services
from sites.models import Site, Unit


def _home(site: Site, officer, number: int, bedrooms: int) -> Unit:
    return site_services.unit_create(
        site=site,
        by=officer,
        reason="Demo data",
        reference=f"Home {number}",
        kind=Unit.Kind.HOME,
        bedrooms=bedrooms,
        floor_level=0,
        accessibility="f",
        adaptations="",
        weekly_charge=Decimal("112.40"),
        status=Unit.Status.VOID,
        void_date=timezone.localdate() - timedelta(days=12),
        void_reason=Unit.VoidReason.TRANSFER,
    )


def _vacancy(unit: Unit, officer):
    today = timezone.localdate()
    return services.vacancy_create(
        unit=unit,
        scheme=Scheme.CBL,
        advert_text=f"A {unit.bedrooms}-bedroom home at Channel View, let directly.",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        by=officer,
    )


def directlets_load(demo: Demo) -> None:
    officer, leader = demo.user("officer"), demo.user("teamleader")
    site = Site.objects.get(reference="HS-02")
    households = list(
        Application.objects.filter(
            scheme=Scheme.CBL, status=Application.Status.ACTIVE, offers__isnull=True
        ).order_by("-pk")[:2]
    )
    if len(households) < 2:
        return
    decant, emergency = households
    approved = services.direct_let_propose(
        vacancy=_vacancy(_home(site, officer, 21, 2), officer),
        application=decant,
        reason=DirectLet.Reason.DECANT,
        details="Their block at Radnor Park is to be demolished this winter (the cabinet's "
        "decision of 14 October); this is a like-for-like two-bedroom home in the same area.",
        by=officer,
    )
    services.direct_let_decide(
        direct_let=approved,
        approve=True,
        reason="Decant agreed under the regeneration scheme; the home suits the household.",
        by=leader,
    )
    approved.refresh_from_db()
    today = timezone.localdate()
    partner = Partner.objects.filter(kind="previous_landlord").first()
    if partner is not None:
        check = services.check_request(
            application=decant,
            partner=partner,
            purpose="Tenancy history for a direct let",
            legal_basis="Applicant's signed consent",
            due_on=today + timedelta(days=5),
            by=officer,
        )
        services.check_return(
            check=check, returned_on=today, outcome="clear", notes="No arrears.", by=officer
        )
    services.offer_make(entry=approved.entry, respond_by=today + timedelta(days=7), by=officer)
    services.direct_let_propose(
        vacancy=_vacancy(_home(site, officer, 22, 1), officer),
        application=emergency,
        reason=DirectLet.Reason.EMERGENCY,
        details="Police and the MARAC advise an immediate move away from the current address; "
        "a one-bedroom ground-floor home suits the household.",
        by=officer,
    )


DIRECT_LETS = DemoStep(loaded=lambda: DirectLet.objects.exists(), load=directlets_load)
