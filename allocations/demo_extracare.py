"""The Extra Care demo: three lettings households referred by adult social care, last month's
Extra Care panel with its members and minutes (one approved and ranked first, one deferred,
one declined), and this month's panel arranged with a new referral on its agenda. A flat at
Hythe Court, an Extra Care scheme, fell vacant: it is offered from the panel's ranking to the
household ranked first, outside the bidding cycle.

Everything goes through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from allocations import services
from allocations.models import Application, ExtraCarePanel, Partner, Scheme
from config.demo import Demo, DemoStep
from sites import services as site_services
from sites.models import Site, Unit

PARTNER_MEMBERS = (
    "Aisha Khan, Northshire Adult Social Care\n"
    "Ben Jones, Carewell (the Extra Care provider at Hythe Court)\n"
    "Clare Dunn, Hythe Court landlord's housing manager"
)
REFERRALS = [
    (
        "J. Patel, Adult Social Care (Hythe)",
        "14",
        "Help with washing, dressing and medication "
        "twice a day after a stroke; falls risk at home on the stairs.",
    ),
    (
        "M. Osei, Adult Social Care (Folkestone)",
        "21",
        "Early dementia: prompts for meals and "
        "medication, night-time reassurance; family carer no longer able to cope.",
    ),
    (
        "J. Patel, Adult Social Care (Hythe)",
        "3",
        "Independent with personal care; wants company and a lift.",
    ),
    (
        "R. Hale, Hospital discharge team",
        "10.5",
        "Going home from hospital after a hip "
        "replacement; needs help with personal care for at least three months.",
    ),
]
DECISIONS = [
    ("approve", 1, "Eligible: care needs met well by the on-site team; stairs at home unsafe."),
    (
        "defer",
        None,
        "The panel needs the occupational therapist's report on night needs; "
        "bring back next month.",
    ),
    (
        "decline",
        None,
        "Care needs too low for Extra Care: refer to sheltered housing and "
        "the community connector.",
    ),
]


def extracare_load(demo: Demo) -> None:
    officer, leader = demo.user("officer"), demo.user("teamleader")
    today = timezone.localdate()
    # Lettings households with no offer or direct let of their own: an Extra Care flat is a
    # home let under choice-based lettings (outside its bidding cycle).
    applications = list(
        Application.objects.filter(
            status=Application.Status.ACTIVE,
            scheme=Scheme.CBL,
            offers__isnull=True,
            direct_lets__isnull=True,
        ).order_by("pk")[:4]
    )
    referrals = [
        services.extracare_referral_make(
            application=application,
            referred_by=referred_by,
            referred_on=today - timedelta(days=40 - number),
            care_hours_per_week=Decimal(hours),
            needs_summary=needs,
            by=officer,
        )
        for number, (application, (referred_by, hours, needs)) in enumerate(
            zip(applications, REFERRALS, strict=False)
        )
    ]
    last_month = services.extracare_panel_record(
        held_on=today - timedelta(days=28),
        staff=[officer, leader],
        partner_members=PARTNER_MEMBERS,
        referrals=referrals[:3],
        by=officer,
    )
    for item, (decision, ranking, reasons) in zip(
        last_month.items.order_by("pk"), DECISIONS, strict=False
    ):
        services.extracare_decision_record(
            item=item, decision=decision, reasons=reasons, ranking=ranking, by=officer
        )
    # This month's: the deferred referral comes back with the new one.
    services.extracare_panel_record(
        held_on=today + timedelta(days=3),
        staff=[officer, leader],
        partner_members=PARTNER_MEMBERS,
        referrals=[referrals[1], *referrals[3:]],
        by=officer,
    )
    if referrals:
        _offer_from_the_ranking(referrals[0].application, officer)


def _offer_from_the_ranking(application: Application, officer) -> None:
    """Hythe Court's vacant flat offered to the household the panel ranked first, once the
    checks the policy asks for before an offer are back."""
    today = timezone.localdate()
    policy = services.policy_in_force(scheme=Scheme.CBL, on=today)
    for kind in policy.policy.required_checks:
        partner = Partner.objects.filter(kind=kind, active=True).first()
        if partner is None:
            return
        check = services.check_request(
            application=application,
            partner=partner,
            purpose="Checks before an Extra Care offer",
            legal_basis="Applicant's signed consent",
            due_on=today + timedelta(days=5),
            by=officer,
        )
        services.check_return(
            check=check, returned_on=today, outcome="clear", notes="Nothing of concern.", by=officer
        )
    site = site_services.site_create(
        by=officer,
        reason="Demo data",
        name="Hythe Court",
        reference="EC-01",
        kind=Site.Kind.HOUSING_SCHEME,
        address_line_1="Hythe Court, Seabrook Road",
        town="Hythe",
        postcode="CT21 5QA",
        parish="Hythe",
        opened_on=date(2016, 9, 1),
    )
    flat = site_services.unit_create(
        site=site,
        by=officer,
        reason="Demo data",
        reference="Flat 4",
        kind=Unit.Kind.HOME,
        bedrooms=1,
        floor_level=0,
        accessibility="c",
        adaptations="Level-access shower, alarm pull-cords, care team on site day and night",
        extra_care=True,
        weekly_charge=Decimal("104.20"),
        service_charge=Decimal("38.60"),
        status=Unit.Status.VOID,
        void_date=today - timedelta(days=9),
        void_reason=Unit.VoidReason.CARE_HOME,
    )
    vacancy = services.vacancy_create(
        unit=flat,
        scheme=Scheme.CBL,
        advert_text="A one-bedroom ground-floor Extra Care flat at Hythe Court, with care on "
        "site: let from the Extra Care panel's ranking.",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        by=officer,
    )
    services.extracare_let_make(
        vacancy=vacancy,
        respond_by=today + timedelta(days=7),
        # The flat is step-free (category C): the panel's approval is why it goes to a
        # household without an assessed access category.
        adaptations_reason="The Extra Care panel approved the household for care on site; "
        "the step-free flat suits the needs in the social care assessment.",
        by=officer,
    )


EXTRA_CARE = DemoStep(loaded=lambda: ExtraCarePanel.objects.exists(), load=extracare_load)
