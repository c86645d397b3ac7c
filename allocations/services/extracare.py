"""Extra Care housing panels (issue 14): referrals, panel meetings, decisions with reasons,
the panel's ranking, and the panel pack."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import (
    Application,
    ExtraCareLet,
    ExtraCarePanel,
    ExtraCarePanelItem,
    ExtraCarePanelPack,
    ExtraCareReferral,
    Offer,
)
from allocations.selectors.extracare import referrals_awaiting_panel
from config.kernel.dates import page_date
from config.kernel.documents import RenderedDocument, document_request
from config.kernel.people import person_name
from config.kernel.records import save
from residents.models import Household
from residents.selectors import household_name

# Applications that are not, and will not be without a new decision, on the register.
REFERRAL_CLOSED = (
    Application.Status.DRAFT,
    Application.Status.INVALID,
    Application.Status.REFUSED,
    Application.Status.LAPSED,
    Application.Status.WITHDRAWN,
    Application.Status.HOUSED,
)
# Care hours a week above this are not a plausible Extra Care package (168 is every hour).
CARE_HOURS_MAX = Decimal("168")


@transaction.atomic
def extracare_referral_make(
    *,
    application: Application,
    referred_by: str,
    referred_on: date,
    care_hours_per_week: Decimal,
    needs_summary: str,
    by: AbstractBaseUser,
) -> ExtraCareReferral:
    """Record a referral to Extra Care with social care's assessment."""
    problems: dict[str, str] = {}
    if referred_on > timezone.localdate():
        problems["referred_on"] = "The referral date cannot be in the future"
    if care_hours_per_week < 0 or care_hours_per_week > CARE_HOURS_MAX:
        problems["care_hours_per_week"] = "Enter the care hours a week, from 0 to 168"
    if not needs_summary.strip():
        problems["needs_summary"] = "Enter the needs from the social care assessment"
    if not referred_by.strip():
        problems["referred_by"] = "Enter who made the referral"
    if application.status in REFERRAL_CLOSED:
        # Never offered an Extra Care home from the ranking (that needs an active application),
        # so a panel would spend its time, and read the household's health, for nothing.
        problems["application"] = (
            f"{household_name(application.household)}'s application {application.reference} "
            f"is {application.get_status_display().lower()}: only a household on the register "
            "can be referred to Extra Care (reinstate or register the application first)"
        )
    # Waiting until a panel approves or declines it (by the latest decision, the one that
    # counts): new, on an agenda, or deferred and not on one yet. The household's row is
    # locked first, so two officers recording a referral at once are judged in turn.
    Household.objects.select_for_update().filter(pk=application.household_id).first()
    waiting = list(
        referrals_awaiting_panel().filter(application__household_id=application.household_id)
    )
    if waiting:
        problems["application"] = (
            f"{household_name(application.household)} already has an Extra Care referral "
            f"waiting for a panel's decision (referred on {page_date(waiting[0].referred_on)}): "
            "a panel decides that referral before another is recorded"
        )
    if problems:
        raise ValidationError(problems)
    referral = ExtraCareReferral(
        application=application,
        referred_by=referred_by.strip(),
        referred_on=referred_on,
        care_hours_per_week=care_hours_per_week,
        needs_summary=needs_summary.strip(),
        recorded_by=by,
    )
    referral.full_clean()
    save(referral, by=by, reason="Extra Care referral recorded")
    return referral


@transaction.atomic
def extracare_panel_record(
    *,
    held_on: date,
    staff: list,
    partner_members: str,
    referrals: list[ExtraCareReferral],
    by: AbstractBaseUser,
) -> ExtraCarePanel:
    """A panel meeting with its members and agenda (the referrals it will discuss)."""
    problems: dict[str, str] = {}
    if not staff:
        problems["staff"] = "Choose the council staff on the panel"
    if not partner_members.strip():
        problems["partner_members"] = (
            "Enter the partner members (social care and the care provider)"
        )
    if not referrals:
        problems["referrals"] = "Choose the referrals on the agenda"
    # Locked, so two panels arranged at once cannot both take the same referral.
    referrals = list(
        ExtraCareReferral.objects.select_for_update()
        .filter(pk__in=[referral.pk for referral in referrals])
        .select_related("application")
        .order_by("pk")
    )
    refusals = [
        f"{household_name(referral.application.household)}'s referral is already on the "
        f"agenda of the Extra Care panel on {page_date(panel.held_on)}, which has not decided "
        "it: record that panel's decision (or defer it) before putting it on another agenda."
        for referral, panel in agendas_waiting(referrals)
    ]
    # An agenda takes new referrals and deferred ones (the form lists no others). An approved
    # referral put on a later agenda would stay ranked, and be offered a home, while that
    # panel had it to decide; a declined one is referred again, as a new referral.
    for referral, item in decided_already(referrals):
        reference = referral.application.reference
        panel_named = f"the Extra Care panel on {page_date(item.panel.held_on)}"
        refusals.append(
            f"{reference}'s referral was approved at {panel_named} (number {item.ranking} in "
            "its ranking): an approved referral is offered Extra Care homes from that "
            "ranking, not put on another panel's agenda."
            if item.decision == ExtraCarePanelItem.Decision.APPROVE
            else f"{reference}'s referral was declined at {panel_named}: a declined referral "
            "is not put on another panel's agenda (if social care refers the household again, "
            "record a new referral)."
        )
    if refusals:
        problems["referrals"] = " ".join(refusals)
    # A panel decides referrals made before it met: one referred after the panel's date (a
    # mistyped year, say) would be minuted at a meeting before it existed, and the panel would
    # rank after older panels in the offering order.
    later = [r for r in referrals if held_on is not None and r.referred_on > held_on]
    if later and "held_on" not in problems:
        problems["held_on"] = (
            f"The panel's date, {page_date(held_on)}, is before "
            + "; ".join(
                f"{household_name(r.application.household)}'s referral of "
                f"{page_date(r.referred_on)}"
                for r in later
            )
            + ": a panel decides referrals made before it meets"
        )
    if problems:
        raise ValidationError(problems)
    panel = ExtraCarePanel(held_on=held_on, partner_members=partner_members.strip(), recorded_by=by)
    panel.full_clean()
    save(panel, by=by, reason="Extra Care panel arranged")
    panel.staff.set(staff)
    for referral in referrals:
        save(
            ExtraCarePanelItem(panel=panel, referral=referral),
            by=by,
            reason="Referral put on the panel's agenda",
        )
    return panel


def agendas_waiting(
    referrals: list[ExtraCareReferral],
) -> list[tuple[ExtraCareReferral, ExtraCarePanel]]:
    """Each of these referrals already on a panel's agenda that has not decided it (held or
    not), with that panel: a referral is on one agenda at a time."""
    waiting = {
        item.referral_id: item.panel
        for item in ExtraCarePanelItem.objects.filter(
            referral__in=referrals, decision=""
        ).select_related("panel")
    }
    return [(referral, waiting[referral.pk]) for referral in referrals if referral.pk in waiting]


def decided_already(
    referrals: list[ExtraCareReferral],
) -> list[tuple[ExtraCareReferral, ExtraCarePanelItem]]:
    """Each of these referrals whose latest decision (the one that counts, as the ranking
    reads it) approved or declined it, with that panel's decision. One deferred by a later
    panel is not among them, even if an earlier panel's minutes were since put right to an
    approval: it waits for a panel again."""
    latest: dict[int, ExtraCarePanelItem] = {}
    for item in (
        ExtraCarePanelItem.objects.filter(referral__in=referrals)
        .exclude(decision="")
        .select_related("panel")
        .order_by(*ExtraCarePanelItem.LATEST_FIRST)
    ):
        latest.setdefault(item.referral_id, item)
    decided = {ExtraCarePanelItem.Decision.APPROVE, ExtraCarePanelItem.Decision.DECLINE}
    return [
        (referral, latest[referral.pk])
        for referral in referrals
        if referral.pk in latest and latest[referral.pk].decision in decided
    ]


@transaction.atomic
def extracare_decision_record(
    *,
    item: ExtraCarePanelItem,
    decision: str,
    reasons: str,
    by: AbstractBaseUser,
    ranking: int | None = None,
) -> ExtraCarePanelItem:
    """The panel's decision on one referral, with its reasons, for the minutes; an approved
    referral takes its place in the panel's ranking (offers are made in that order)."""
    # The panel locked first: two members minuting two referrals of one panel at once are
    # judged in turn, so a place in its ranking given twice is refused with a message rather
    # than by the database's unique index (a server error).
    ExtraCarePanel.objects.select_for_update().filter(pk=item.panel_id).first()
    item = ExtraCarePanelItem.objects.select_for_update().get(pk=item.pk)
    # The referral locked as extracare_panel_record locks it: an approval here and a panel
    # arranged with it at the same moment cannot both go through.
    ExtraCareReferral.objects.select_for_update().filter(pk=item.referral_id).first()
    problems: dict[str, str] = {}
    if item.panel.held_on > timezone.localdate():
        problems["decision"] = (
            f"The panel meets on {page_date(item.panel.held_on)}: record its decisions then"
        )
    if decision not in ExtraCarePanelItem.Decision.values:
        problems["decision"] = "Choose the panel's decision"
    if not reasons.strip():
        problems["reasons"] = "Enter the panel's reasons for its decision"
    if decision == ExtraCarePanelItem.Decision.APPROVE:
        if not ranking or ranking < 1:
            problems["ranking"] = "Enter the position the panel gave this referral, from 1"
        elif (
            ExtraCarePanelItem.objects.filter(panel_id=item.panel_id, ranking=ranking)
            .exclude(pk=item.pk)
            .exists()
        ):
            problems["ranking"] = f"Another referral is already number {ranking} in the ranking"
    elif ranking:
        problems["ranking"] = "Only an approved referral is ranked"
    if decision == ExtraCarePanelItem.Decision.APPROVE and (elsewhere := _agenda_elsewhere(item)):
        # A deferral changed to an approval after the referral went on a later panel's agenda
        # would rank it, and let it be offered a home, while that panel still has it to decide
        # (and the latest panel's decision is the one that counts).
        problems.setdefault(
            "decision",
            f"{household_name(item.referral.application.household)}'s referral is on the "
            f"agenda of the Extra Care panel on {page_date(elsewhere.panel.held_on)}, which has "
            "not decided it: record that panel's decision there. Approved here, it would be "
            "ranked for offers while that panel still has it to decide.",
        )
    if decision != ExtraCarePanelItem.Decision.APPROVE and (live := _live_let(item)):
        # The home was offered on this approval: undone here, the offer would stand (and be
        # accepted, approved and signed up) for a household the panel no longer approves.
        problems["decision"] = (
            f"{live.vacancy.unit} was offered on this approval ({live.reference}) and the "
            "offer is still open or accepted: withdraw the offer before changing the panel's "
            "decision"
        )
    if problems:
        raise ValidationError(problems)
    item.decision = decision
    item.reasons = reasons.strip()
    item.ranking = ranking if decision == ExtraCarePanelItem.Decision.APPROVE else None
    item.decided_by = by
    save(item, by=by, reason=f"Panel decision: {item.get_decision_display().lower()}")
    return item


def _agenda_elsewhere(item: ExtraCarePanelItem) -> ExtraCarePanelItem | None:
    """The referral's place on another panel's agenda that has not decided it, if any."""
    return (
        ExtraCarePanelItem.objects.filter(referral_id=item.referral_id, decision="")
        .exclude(pk=item.pk)
        .select_related("panel")
        .order_by("panel__held_on", "pk")
        .first()
    )


def _live_let(item: ExtraCarePanelItem) -> ExtraCareLet | None:
    """The Extra Care let made on this approval whose offer is still open or accepted."""
    return (
        item.lets.filter(entry__offers__status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED])
        .select_related("vacancy__unit")
        .first()
    )


def extracare_pack_context(panel: ExtraCarePanel) -> dict[str, Any]:
    """What the pack says, frozen when it is requested."""
    items = panel.items.select_related("referral__application__household").order_by("pk")
    return {
        "held_on": page_date(panel.held_on),
        "staff": sorted(person_name(user) for user in panel.staff.all()),
        "partner_members": panel.partner_member_lines,
        "referrals": [
            {
                "application": item.referral.application.reference,
                "household": household_name(item.referral.application.household),
                "referred_by": item.referral.referred_by,
                "referred_on": page_date(item.referral.referred_on),
                "care_hours": str(item.referral.care_hours_per_week),
                "needs": item.referral.needs_summary,
            }
            for item in items
        ],
    }


@transaction.atomic
def extracare_pack_request(*, panel: ExtraCarePanel, by: AbstractBaseUser) -> ExtraCarePanelPack:
    """The pack is drawn once per panel (again only if drawing it failed)."""
    panel = ExtraCarePanel.objects.select_for_update().get(pk=panel.pk)
    if panel.packs.exclude(status=RenderedDocument.Status.FAILED).exists():
        raise ValidationError("The panel pack has already been requested.")
    pack = ExtraCarePanelPack(panel=panel, context=extracare_pack_context(panel), requested_by=by)
    document_request(pack, by=by, reason="Panel pack requested")
    return pack
