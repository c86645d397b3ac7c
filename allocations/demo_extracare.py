"""The Extra Care demo: three lettings households referred by adult social care, last month's
Extra Care panel with its members and minutes (one approved and ranked first, one deferred,
one declined), and this month's panel arranged with a new referral on its agenda.

Everything goes through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from allocations import services
from allocations.models import Application, ExtraCarePanel
from config.demo import Demo, DemoStep

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
    applications = list(
        Application.objects.filter(status=Application.Status.ACTIVE).order_by("pk")[:4]
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


EXTRA_CARE = DemoStep(loaded=lambda: ExtraCarePanel.objects.exists(), load=extracare_load)
