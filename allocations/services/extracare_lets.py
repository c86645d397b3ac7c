"""Extra Care homes offered from the panel's ranking (issue 14), outside the bidding cycle.

An officer lets an Extra Care home's vacancy "from the panel": it goes to the highest-ranked
approved referral still waiting, or to one lower down with the officer's reason for skipping
those ranked above (kept with the let). Like a direct let, the vacancy is closed with that
household on its shortlist, and the normal offer follows at once: the reply, a team leader's
approval of the allocation, and the tenancy. A refused offer leaves the vacancy for the next
referral in the ranking (another let on the same vacancy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import (
    Application,
    DirectLet,
    ExtraCareLet,
    ExtraCarePanelItem,
    Offer,
    Vacancy,
)
from allocations.selectors.applications import application_named
from allocations.selectors.checks import checks_cleared, checks_outstanding
from allocations.selectors.lettings import next_in_order
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import application_locked
from allocations.services.common import next_reference
from allocations.services.directlets import vacancy_let_outside_cycle
from allocations.services.offers import adaptations_unneeded, offer_make
from config.kernel.dates import page_date
from config.kernel.records import save
from residents.selectors import household_name
from sites.models import Unit


@dataclass(frozen=True)
class RankedReferral:
    """One approved referral in the panels' ranking, and where it stands now."""

    item: ExtraCarePanelItem
    # "" while it waits for an Extra Care home; otherwise why it is not offered one now.
    not_waiting: str

    @property
    def waiting(self) -> bool:
        return not self.not_waiting


def item_label(item: ExtraCarePanelItem) -> str:
    """How pages and reasons name a ranked referral: number, household and panel."""
    return (
        f"number {item.ranking} at the {item.panel}: "
        f"{household_name(item.referral.application.household)}, "
        f"{item.referral.application.reference}"
    )


def _not_waiting(item: ExtraCarePanelItem, offered: dict[int, ExtraCareLet]) -> str:
    application = item.referral.application
    let = offered.get(item.referral_id)
    if let is not None:
        return f"Offered {let.vacancy.unit} ({let.reference})"
    if application.status != Application.Status.ACTIVE:
        return f"Application {application.get_status_display().lower()}"
    return ""


def extracare_ranking() -> list[RankedReferral]:
    """Every approved, ranked referral in offering order: the most recent panel first, each
    panel in its own order. A referral counts once, on the latest panel that decided it (a
    referral declined or deferred by a later panel is out of the ranking). Each says whether
    it is still waiting: not offered an Extra Care home from the ranking already (whatever the
    reply), and its application still active (not withdrawn, housed, suspended or lapsed)."""
    items = (
        ExtraCarePanelItem.objects.exclude(decision="")
        .filter(panel__held_on__lte=timezone.localdate())
        .select_related("panel", "referral__application__household")
        .order_by("-panel__held_on", "-panel_id", "ranking", "pk")
    )
    offered = {
        let.item.referral_id: let
        for let in ExtraCareLet.objects.select_related("item", "vacancy__unit__site").order_by(
            "made_at", "pk"
        )
    }
    seen: set[int] = set()
    ranking = []
    for item in items:
        if item.referral_id in seen:
            continue
        seen.add(item.referral_id)
        if item.decision == ExtraCarePanelItem.Decision.APPROVE and item.ranking is not None:
            ranking.append(RankedReferral(item=item, not_waiting=_not_waiting(item, offered)))
    return ranking


def extracare_waiting() -> list[ExtraCarePanelItem]:
    """The approved referrals waiting for an Extra Care home, in the order they are offered."""
    return [ranked.item for ranked in extracare_ranking() if ranked.waiting]


def extracare_vacancy_refusal(vacancy: Vacancy) -> str:
    """Why this vacancy cannot be offered from the panel's ranking now ("" when it can): an
    Extra Care home of the council's, open, with no bids in the cycle, no live offer or direct
    let, and nobody left on its shortlist to be offered it first."""
    unit = vacancy.unit
    if unit.kind != Unit.Kind.HOME or not unit.extra_care:
        return (
            f"{unit} is not an Extra Care home: it is let through bidding. If it is one, "
            "mark it as an Extra Care home on its page first."
        )
    if unit.provider_id is not None:
        return (
            f"{unit} is a registered provider's home: it is let by nominating to the provider, "
            "not by an offer from the panel's ranking."
        )
    if not vacancy.is_open:
        return (
            f"{vacancy.reference} is {vacancy.get_status_display().lower()}: only an open "
            "vacancy can be offered from the panel's ranking."
        )
    if vacancy.bids.filter(withdrawn=False).exists():
        return (
            f"{vacancy.reference} has bids in the bidding cycle: let it from its shortlist, or "
            "withdraw the advert and start again, before offering it from the panel's ranking."
        )
    live = vacancy.offers.filter(status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]).first()
    if live is not None:
        return (
            f"{vacancy.reference} already has an offer {live.get_status_display().lower()} "
            f"({household_name(live.application.household)}): one offer at a time."
        )
    direct = vacancy.direct_lets.filter(status__in=DirectLet.LIVE_STATUSES).first()
    if direct is not None:
        return (
            f"{vacancy.reference} has direct let {direct.reference} "
            f"({direct.get_status_display().lower()}): it is not offered from the ranking too."
        )
    if vacancy.is_closed and (waiting := next_in_order(vacancy)) is not None:
        return (
            f"{vacancy.reference}'s shortlist still has "
            f"{household_name(waiting.application.household)} at position {waiting.position} "
            "to offer it to: offer it to them first."
        )
    return ""


def _chosen(
    item: ExtraCarePanelItem | None, waiting: list[ExtraCarePanelItem]
) -> tuple[ExtraCarePanelItem | None, list[ExtraCarePanelItem], str]:
    """(the referral to offer, those ranked above it who are skipped, why not) from the
    officer's choice (None: the first waiting)."""
    if not waiting:
        return None, [], ""
    if item is None:
        return waiting[0], [], ""
    for position, candidate in enumerate(waiting):
        if candidate.pk == item.pk:
            return candidate, waiting[:position], ""
    return (
        None,
        [],
        f"{household_name(item.referral.application.household)} is not waiting in the ranking now",
    )


def extracare_let_problems(
    *,
    vacancy: Vacancy | None,
    item: ExtraCarePanelItem | None = None,
    skip_reason: str = "",
    respond_by: date | None = None,
    adaptations_reason: str = "",
) -> dict[str, Any]:
    """Every refusal of `extracare_let_make` at once, without writing. A vacancy or reply
    date not known (None: the form refused it) is not checked."""
    problems: dict[str, Any] = {}
    if respond_by is not None and respond_by <= timezone.localdate():
        problems["respond_by"] = "The reply date must be after today"
    waiting = extracare_waiting()
    if not waiting:
        problems[NON_FIELD_ERRORS] = (
            "No approved referral in the Extra Care panel's ranking is waiting for a home: "
            "the panel must approve and rank a referral first."
        )
    chosen, skipped, refusal = _chosen(item, waiting)
    if refusal:
        problems["referral"] = refusal
    if skipped and not (skip_reason or "").strip():
        problems["skip_reason"] = (
            "Say why the referrals ranked above are skipped for this home: "
            + "; ".join(item_label(above) for above in skipped)
        )
    if vacancy is None:
        return problems
    if refusal := extracare_vacancy_refusal(vacancy):
        problems["vacancy_reference"] = refusal
        return problems
    if chosen is None:
        return problems
    application = chosen.referral.application
    if application.scheme != vacancy.scheme:
        problems["referral"] = (
            f"{application_named(application)} is on the {application.get_scheme_display()} "
            f"register; {vacancy.reference} is let under {vacancy.get_scheme_display()}."
        )
        return problems
    try:
        policy = vacancy.policy_version or policy_in_force(
            scheme=vacancy.scheme, on=timezone.localdate()
        )
    except ValidationError as error:
        problems[NON_FIELD_ERRORS] = error.messages
        return problems
    # Waiting means active: the offer's other rule is the policy's checks.
    if not checks_cleared(application, policy=policy):
        problems["referral"] = (
            f"{household_name(application.household)}'s required checks are not all back ("
            + ", ".join(checks_outstanding(application, policy=policy))
            + "): record the answers, or ask a team leader for an exception."
        )
    if (wasted := adaptations_unneeded(vacancy.unit, application, vacancy)) and not (
        adaptations_reason or ""
    ).strip():
        problems["adaptations_reason"] = (
            f"{wasted} Say why this adapted home goes to a household that does not need it"
        )
    return problems


@transaction.atomic
def extracare_let_make(
    *,
    vacancy: Vacancy,
    respond_by: date,
    by: AbstractBaseUser,
    item: ExtraCarePanelItem | None = None,
    skip_reason: str = "",
    adaptations_reason: str = "",
) -> ExtraCareLet:
    """Offer the Extra Care home to the highest-ranked approved referral still waiting (or to
    `item`, lower down, with the reason for skipping those above): the vacancy closes with the
    household on its shortlist and the offer is made, to be replied to as any other."""
    Unit.objects.select_for_update().get(pk=vacancy.unit_id)
    vacancy = Vacancy.objects.select_for_update().select_related("unit").get(pk=vacancy.pk)
    problems = extracare_let_problems(
        vacancy=vacancy,
        item=item,
        skip_reason=skip_reason,
        respond_by=respond_by,
        adaptations_reason=adaptations_reason,
    )
    if problems:
        raise ValidationError(problems)
    chosen, skipped, _ = _chosen(item, extracare_waiting())
    assert chosen is not None  # the problems above say so otherwise
    application = application_locked(chosen.referral.application)
    why = (
        f"Offered from the Extra Care panel's ranking ({item_label(chosen)}, "
        f"panel held {page_date(chosen.panel.held_on)})"
    )
    entry = vacancy_let_outside_cycle(
        vacancy=vacancy,
        application=application,
        why=why,
        explanation=f"{why}: an Extra Care home, let outside the bidding cycle in the "
        "panel's order, so not ranked against bids."
        + (f" Ranked above and skipped: {skip_reason.strip()}" if skipped else ""),
        snapshot_extra={"extra_care_panel_item": chosen.pk, "extra_care_ranking": chosen.ranking},
        by=by,
    )
    let = ExtraCareLet(
        reference=next_reference("EC", "allocations_extra_care_let_reference"),
        vacancy=vacancy,
        item=chosen,
        skip_reason=skip_reason.strip() if skipped else "",
        entry=entry,
        made_by=by,
    )
    reason = f"Offered from the Extra Care panel's ranking to {application.reference}"
    if skipped:
        reason += (
            ", skipping "
            + ", ".join(above.referral.application.reference for above in skipped)
            + f": {let.skip_reason}"
        )
    save(let, by=by, reason=reason)
    let.skipped.set(skipped)
    offer_make(entry=entry, respond_by=respond_by, by=by, adaptations_reason=adaptations_reason)
    return let
