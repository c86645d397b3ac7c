"""Direct lets (issue 14): a home let to a named household outside the bidding cycle.

An officer proposes the let with the policy's reason; a team leader who did not propose it
approves or declines it with a reason before any offer is made. Approval closes the vacancy
with a shortlist of that one household, so the normal offer, decision and agreement steps
follow (offers.py refuses any offer while a direct let waits for its decision)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from allocations import rules
from allocations.lifecycles import DIRECT_LET, VACANCY
from allocations.models import Application, DirectLet, Offer, ShortlistEntry, Vacancy
from allocations.selectors.applications import application_named
from allocations.selectors.lettings import next_in_order
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import application_locked
from allocations.services.bids import bids_withdraw_with_advert
from allocations.services.common import next_reference
from allocations.services.nightly import nightly_each
from allocations.services.offers import household_offer_refusal
from allocations.services.reminders import work_add
from config.kernel.dates import page_date
from config.kernel.records import reason_required, save, save_unique
from config.roles import OFFICER, TEAM_LEADER
from projects.work import (
    source_key,
    work_item_cancel_for_source,
    work_item_complete_for_source,
)
from residents.selectors import household_name
from sites.models import Unit

DECIDE_DIRECT_LET = "allocations.decide_direct_let"


def direct_let_vacancy_refusal(vacancy: Vacancy, *, ignoring: DirectLet | None = None) -> str:
    """Why this vacancy cannot be let directly now ("" when it can): it must be the council's
    home, not Extra Care (the Extra Care panel's ranking lets those), open, with no live
    offer, no other direct let, and (once its shortlist is frozen) nobody left on the
    shortlist who could still be offered it. A registered provider's home
    is never offered by the council (offer_make refuses it): it is let by nominating to the
    provider, so a direct let of one, once approved, would close its vacancy for an offer
    that cannot be made."""
    if vacancy.unit.provider_id is not None:
        return (
            f"{vacancy.unit} is a registered provider's home: it is let by nominating to the "
            "provider, not by a direct let."
        )
    if vacancy.unit.extra_care:
        # Extra Care homes go to the panel's ranking (social care, care provider, landlord):
        # a direct let would skip the panel.
        return (
            f"{vacancy.unit} is an Extra Care home: it is offered from the Extra Care panel's "
            "ranking, not let directly."
        )
    if not vacancy.is_open:
        return (
            f"{vacancy.reference} is {vacancy.get_status_display().lower()}: only an open "
            "vacancy can be let directly."
        )
    live = vacancy.offers.filter(status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]).first()
    if live is not None:
        return (
            f"{vacancy.reference} has an offer to {household_name(live.application.household)}, "
            f"application {live.application.reference}, "
            f"{live.get_status_display().lower()}: it cannot be let directly as well."
        )
    other = vacancy.direct_lets.filter(status__in=DirectLet.LIVE_STATUSES)
    if ignoring is not None:
        other = other.exclude(pk=ignoring.pk)
    if (existing := other.first()) is not None:
        return (
            f"{vacancy.reference} already has direct let {existing.reference} "
            f"({existing.get_status_display().lower()})."
        )
    if vacancy.is_closed and (waiting := next_in_order(vacancy)) is not None:
        return (
            f"{vacancy.reference}'s shortlist still has "
            f"{household_name(waiting.application.household)} (application "
            f"{waiting.application.reference}) at position {waiting.position} to offer it to: "
            "offer it in order, or bypass them with a reason, before letting it directly."
        )
    return ""


def direct_let_propose_problems(
    *, vacancy: Vacancy | None, application: Application | None, reason: str, details: str
) -> dict[str, Any]:
    """Every refusal of `direct_let_propose` at once, without writing."""
    problems: dict[str, Any] = {}
    if reason not in DirectLet.Reason.values:
        problems["reason"] = "Choose the policy's reason for the direct let"
    if not details or not details.strip():
        problems["details"] = "Say why this household should have this home outside bidding"
    if vacancy is not None and (refusal := direct_let_vacancy_refusal(vacancy)):
        problems["vacancy_reference"] = refusal
    if application is not None:
        if application.status != Application.Status.ACTIVE:
            problems["application_reference"] = (
                f"{application_named(application)} is "
                f"{application.get_status_display().lower()}: only an active application can "
                "be let a home directly."
            )
        elif vacancy is not None and application.scheme != vacancy.scheme:
            problems["application_reference"] = (
                f"{application_named(application)} is on the "
                f"{application.get_scheme_display()} register; {vacancy.reference} is let under "
                f"{vacancy.get_scheme_display()}."
            )
        elif vacancy is not None and (
            on_list := vacancy.shortlist.filter(application=application).first()
        ):
            problems["application_reference"] = (
                f"{household_name(application.household)} was taken off {vacancy.reference}'s "
                f"shortlist ({on_list.removed_reason}): it cannot be let to them directly now."
                if on_list.removed_reason
                else f"{household_name(application.household)} is already on "
                f"{vacancy.reference}'s shortlist: offer it to them there."
            )
        elif refusal := household_offer_refusal(application):
            problems["application_reference"] = refusal
    return problems


@transaction.atomic
def direct_let_propose(
    *,
    vacancy: Vacancy,
    application: Application,
    reason: str,
    details: str,
    by: AbstractBaseUser,
) -> DirectLet:
    """Propose letting the vacancy to this application outside the cycle; the team leaders'
    queue gets the decision to make."""
    Unit.objects.select_for_update().get(pk=vacancy.unit_id)
    vacancy = Vacancy.objects.select_for_update().select_related("unit").get(pk=vacancy.pk)
    problems = direct_let_propose_problems(
        vacancy=vacancy, application=application, reason=reason, details=details
    )
    if problems:
        raise ValidationError(problems)
    direct_let = DirectLet(
        reference=next_reference("DL", "allocations_direct_let_reference"),
        vacancy=vacancy,
        application=application,
        reason=reason,
        details=details.strip(),
        proposed_by=by,
    )
    direct_let.full_clean(exclude=["vacancy", "application", "proposed_by", "entry"])
    save_unique(
        direct_let,
        by=by,
        reason=f"Direct let proposed: {direct_let.get_reason_display()}",
        refusals={
            "one_live_direct_let_per_vacancy": f"{vacancy.reference} already has a live direct let."
        },
    )
    work_add(
        key=source_key("direct_let_approval", direct_let.pk),
        kind="direct_let_approval",
        title=f"Approve or decline direct let {direct_let.reference}: {vacancy.unit} to "
        f"{household_name(application.household)}",
        due=timezone.localdate() + timedelta(days=settings.DECISION_APPROVAL_DAYS),
        about=direct_let,
        role=TEAM_LEADER.name,
        by=by,
    )
    return direct_let


def direct_let_decide_problems(
    *, direct_let: DirectLet, approve: bool | None, reason: str | None
) -> dict[str, Any]:
    """Every refusal of `direct_let_decide` at once, without writing."""
    problems: dict[str, Any] = {}
    if not direct_let.is_proposed:
        problems[NON_FIELD_ERRORS] = (
            f"Direct let {direct_let.reference} is already "
            f"{direct_let.get_status_display().lower()}."
        )
        return problems
    if approve is None:
        problems["decision"] = "Choose whether to approve or decline the direct let"
    if not reason or not reason.strip():
        problems["reason"] = "Give the reason for your decision"
    if approve:
        if refusal := direct_let_vacancy_refusal(direct_let.vacancy, ignoring=direct_let):
            problems[NON_FIELD_ERRORS] = refusal
        elif direct_let.application.status != Application.Status.ACTIVE:
            problems[NON_FIELD_ERRORS] = (
                f"{application_named(direct_let.application)} is no longer active "
                f"({direct_let.application.get_status_display().lower()}): decline the direct let."
            )
        elif refusal := household_offer_refusal(direct_let.application):
            # Approved, the home would leave bidding for an offer that cannot be made.
            problems[NON_FIELD_ERRORS] = (
                f"{refusal} Approve the direct let once that is settled, or decline it."
            )
    return problems


@transaction.atomic
def direct_let_decide(
    *, direct_let: DirectLet, approve: bool, reason: str, by: AbstractBaseUser
) -> DirectLet:
    """A team leader (never the proposer) approves or declines the direct let, with a reason.

    Approved: the vacancy closes (taken off the cycle if it was advertised) with the household
    as its one shortlist entry, ready for the normal offer."""
    direct_let = DirectLet.objects.select_related("vacancy", "application").get(pk=direct_let.pk)
    if not by.has_perm(DECIDE_DIRECT_LET, direct_let):
        raise PermissionDenied("A team leader other than the proposer decides a direct let.")
    unit = Unit.objects.select_for_update().get(pk=direct_let.vacancy.unit_id)
    vacancy = Vacancy.objects.select_for_update().get(pk=direct_let.vacancy_id)
    direct_let = DirectLet.objects.select_for_update().get(pk=direct_let.pk)
    direct_let.vacancy = vacancy
    direct_let.application = application_locked(direct_let.application)
    problems = direct_let_decide_problems(direct_let=direct_let, approve=approve, reason=reason)
    if problems:
        raise ValidationError(problems)
    reason = reason_required(reason)
    direct_let.decided_by = by
    direct_let.decided_at = timezone.now()
    direct_let.decision_reason = reason
    if approve:
        direct_let.entry = _vacancy_close_for(direct_let, vacancy=vacancy, unit=unit, by=by)
        DIRECT_LET.move(direct_let, DirectLet.Status.APPROVED)
        direct_let.lapses_on = timezone.localdate() + timedelta(days=settings.DIRECT_LET_LAPSE_DAYS)
    else:
        DIRECT_LET.move(direct_let, DirectLet.Status.DECLINED)
    save(
        direct_let,
        by=by,
        reason=f"Direct let {'approved' if approve else 'declined'}: {reason}",
    )
    work_item_complete_for_source(source_key("direct_let_approval", direct_let.pk), by=by)
    if approve:
        _lapse_warning_add(direct_let, by=by)
    return direct_let


def _lapse_warning_add(direct_let: DirectLet, *, by: AbstractBaseUser) -> None:
    """Put the approved let in the officers' queue, due a week before it lapses, until its
    offer is made (offer_make completes it) or it ends; once only (idempotent by key)."""
    assert direct_let.lapses_on is not None
    work_add(
        key=source_key("direct_let_lapsing", direct_let.pk),
        kind="direct_let_lapsing",
        title=f"Offer {direct_let.vacancy.unit} to "
        f"{household_name(direct_let.application.household)} (direct let "
        f"{direct_let.reference}) before it lapses on {page_date(direct_let.lapses_on)}",
        due=max(timezone.localdate(), direct_let.lapses_on - timedelta(days=7)),
        about=direct_let,
        role=OFFICER.name,
        by=by,
    )


def _live_offer(direct_let: DirectLet) -> Offer | None:
    """The let's offer still open or accepted: the let is going ahead, so it does not end."""
    if direct_let.entry_id is None:
        return None
    return (
        Offer.objects.filter(
            entry_id=direct_let.entry_id, status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]
        )
        .select_related("application__household")
        .first()
    )


def direct_let_close_refusal(direct_let: DirectLet) -> str:
    """Why the direct let cannot be closed now ("" when it can): only an approved let, and
    not while its offer is waiting for the reply or accepted (withdraw the offer first)."""
    if not direct_let.is_approved:
        return (
            f"Direct let {direct_let.reference} is {direct_let.get_status_display().lower()}: "
            "only an approved direct let can be closed."
        )
    if (offer := _live_offer(direct_let)) is not None:
        return (
            f"Direct let {direct_let.reference} has an offer to "
            f"{household_name(offer.application.household)} "
            f"{offer.get_status_display().lower()}: record the reply, or withdraw the offer, "
            "before closing the direct let."
        )
    return ""


def _end(direct_let: DirectLet, *, to: str, reason: str, by: AbstractBaseUser) -> DirectLet:
    """End a locked, approved direct let: its household is taken off the vacancy's shortlist
    (so the vacancy can be offered in order, let directly again or advertised), and its queue
    item closes. Who, when and why are kept on the let and in its history."""
    DIRECT_LET.move(direct_let, to)
    direct_let.ended_by = by
    direct_let.ended_at = timezone.now()
    direct_let.end_reason = reason
    save(
        direct_let, by=by, reason=f"Direct let {direct_let.get_status_display().lower()}: {reason}"
    )
    entry = ShortlistEntry.objects.select_for_update().get(pk=direct_let.entry_id)
    if not entry.removed_reason:
        verb = "lapsed" if to == DirectLet.Status.LAPSED else "was closed"
        entry.removed_reason = f"direct let {direct_let.reference} {verb}: {reason}"
        save(entry, by=by, reason=f"Off the shortlist: {entry.removed_reason}")
    work_item_cancel_for_source(
        source_key("direct_let_lapsing", direct_let.pk),
        by=by,
        reason=f"Direct let {direct_let.get_status_display().lower()}",
    )
    return direct_let


@transaction.atomic
def direct_let_close(*, direct_let: DirectLet, reason: str, by: AbstractBaseUser) -> DirectLet:
    """An officer closes an approved direct let that will not go ahead (the household
    moved elsewhere, the home is needed for something else), with the reason."""
    reason = reason_required(reason)
    Vacancy.objects.select_for_update().get(pk=direct_let.vacancy_id)
    direct_let = DirectLet.objects.select_for_update().get(pk=direct_let.pk)
    if refusal := direct_let_close_refusal(direct_let):
        raise ValidationError(refusal)
    return _end(direct_let, to=DirectLet.Status.CLOSED, reason=reason, by=by)


def direct_lets_lapse_due(*, today, by: AbstractBaseUser) -> dict[str, int]:
    """The nightly run: each approved direct let past its lapse date whose offer was not made,
    or was refused or withdrawn, lapses (one with an offer waiting or accepted goes ahead);
    each approved let not yet offered is in the officers' queue (a let approved before
    lapsing began gets its item here). Each let in its own transaction."""
    counts = {"direct_lets_lapsed": 0, "direct_lets_failed": 0}
    due = list(
        DirectLet.objects.filter(status=DirectLet.Status.APPROVED, lapses_on__lte=today)
        .exclude(entry__offers__status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED])
        .values_list("pk", flat=True)
    )

    def lapse(pk: int) -> bool:
        Vacancy.objects.select_for_update().get(direct_lets__pk=pk)
        direct_let = DirectLet.objects.select_for_update().get(pk=pk)
        if direct_let_close_refusal(direct_let):  # let, offered or closed meanwhile
            return False
        _end(
            direct_let,
            to=DirectLet.Status.LAPSED,
            reason=f"not let by its lapse date, {page_date(direct_let.lapses_on)}",
            by=by,
        )
        return True

    nightly_each(
        "Direct lets", "lapse", due, lapse, counts, "direct_lets_lapsed", "direct_lets_failed"
    )
    for direct_let in DirectLet.objects.filter(
        status=DirectLet.Status.APPROVED, lapses_on__gt=today, entry__offers__isnull=True
    ).select_related("vacancy__unit", "application__household"):
        _lapse_warning_add(direct_let, by=by)
    return counts


def _vacancy_close_for(
    direct_let: DirectLet, *, vacancy: Vacancy, unit: Unit, by: AbstractBaseUser
) -> ShortlistEntry:
    """Close the vacancy (if it is not closed) and put the household on its shortlist, next
    in order, with the direct let as its explanation."""
    why = f"Let directly ({direct_let.reference}: {direct_let.get_reason_display().lower()})"
    return vacancy_let_outside_cycle(
        vacancy=vacancy,
        application=direct_let.application,
        why=why,
        explanation=f"{why}, approved by a team leader: outside the bidding cycle, so not "
        "ranked against bids.",
        snapshot_extra={"direct_let": direct_let.reference},
        by=by,
    )


def vacancy_let_outside_cycle(
    *,
    vacancy: Vacancy,
    application: Application,
    why: str,
    explanation: str,
    snapshot_extra: dict[str, Any],
    by: AbstractBaseUser,
) -> ShortlistEntry:
    """A let outside the bidding cycle (a direct let, an Extra Care offer from the panel's
    ranking): close the vacancy if it is not closed (taking it off the cycle), and put the
    household on its shortlist, next in order, with `explanation` as the reason. The caller
    holds the unit and vacancy locks and has checked the let may be made. Closing an advert
    while its cycle takes bids withdraws those bids, with the reason."""
    today = timezone.localdate()
    if not vacancy.is_closed:
        # A draft goes through advertised only to keep the one transition table: it closes
        # in the same step, and the history says why.
        if vacancy.status == Vacancy.Status.DRAFT:
            VACANCY.move(vacancy, Vacancy.Status.ADVERTISED)
        VACANCY.move(vacancy, Vacancy.Status.CLOSED)
        vacancy.closed_on = today
        vacancy.ranked_on = min(vacancy.closes_on, today)
        if today < vacancy.closes_on:
            vacancy.closed_early_reason = why
        vacancy.frozen_at = timezone.now()
        vacancy.frozen_by = by
        vacancy.policy_version = policy_in_force(scheme=vacancy.scheme, on=vacancy.ranked_on)
        save(vacancy, by=by, reason=f"Closed: {why}")
        if vacancy.cycle_id is not None:
            # Its bids go with it, as with a withdrawn advert: each household has that bid
            # back for the week (the close skips a frozen advert, so none would be ranked).
            bids_withdraw_with_advert(
                vacancy=vacancy, reason=why, by=by, heading="Home let outside the bidding cycle"
            )
    last = vacancy.shortlist.aggregate(last=Max("position"))["last"] or 0
    lead = application.household.people.filter(relationship="lead").first()
    entry = ShortlistEntry(
        vacancy=vacancy,
        application=application,
        position=last + 1,
        eligible=True,
        snapshot={
            "application_id": application.pk,
            "label": f"Application {application.reference}",
            "status": application.status,
            "band": application.band,
            "points": application.points,
            "local_connection_tier": None,
            "effective_date": application.effective_date.isoformat(),
            "registration_date": application.registration_date.isoformat(),
            "household_size": application.household.people.count(),
            "bedroom_need": application.bedroom_need,
            "lead_age": rules.age_on(lead.date_of_birth, today)
            if lead and lead.date_of_birth
            else None,
            "needs_accessible_home": application.needs_accessible_home,
            "access_category": application.access_category,
            **snapshot_extra,
        },
        explanation=explanation,
    )
    save(entry, by=by, reason=f"On the shortlist: {why}")
    return entry
