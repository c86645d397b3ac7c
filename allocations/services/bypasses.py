"""Bypassing a ranked applicant: asked for with a reason, agreed by a team leader where the
policy says so, undone before the next offer, and a shortlist's offers reset by a team leader.

Every step is a history row on the shortlist entry (or the vacancy), with who and why.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.lifecycles import OFFER
from allocations.models import AllocationDecision, ShortlistEntry, Vacancy
from allocations.predicates import APPROVE_DECISION
from allocations.services.reminders import work_add
from config.kernel.records import reason_required, save
from config.roles import TEAM_LEADER
from projects.work import source_key, work_item_cancel_for_source, work_item_complete_for_source

_B = ShortlistEntry.Bypass


def _entry_locked(entry: ShortlistEntry) -> ShortlistEntry:
    # The vacancy row first, as offers lock it: a bypass and an offer never cross.
    Vacancy.objects.select_for_update().get(pk=entry.vacancy_id)
    return (
        ShortlistEntry.objects.select_for_update(of=("self",))
        .select_related("vacancy__policy_version", "application")
        .get(pk=entry.pk)
    )


def _needs_agreement(entry: ShortlistEntry) -> bool:
    policy = entry.vacancy.policy_version
    return policy is None or policy.policy.bypass_needs_team_leader


def _bypass_clear(entry: ShortlistEntry) -> None:
    entry.bypass_status = _B.NONE
    entry.bypass_reason = ""
    entry.bypassed_by = None
    entry.bypass_agreed_by = None
    entry.bypass_agreed_at = None


@transaction.atomic
def shortlist_bypass(*, entry: ShortlistEntry, reason: str, by: AbstractBaseUser) -> ShortlistEntry:
    """Pass over a ranked applicant, always with a recorded reason.

    Where the policy says so (the default), an officer's bypass waits for a team leader's
    agreement and the applicant stays next in line until then; a team leader's own bypass
    is the team leader's agreement.
    """
    entry = _entry_locked(entry)
    if not entry.eligible:
        raise ValidationError("Only a ranked applicant can be bypassed.")
    if entry.bypass_status == _B.BYPASSED:
        raise ValidationError("This applicant has already been bypassed.")
    if entry.bypass_status == _B.REQUESTED:
        raise ValidationError("A bypass of this applicant is already waiting for a team leader.")
    if entry.vacancy.status != Vacancy.Status.CLOSED:
        raise ValidationError(
            "Applicants are bypassed once the shortlist is frozen, before the let."
        )
    if entry.offers.exists():
        raise ValidationError("This applicant has already been offered this vacancy.")
    entry.bypass_reason = reason_required(reason)
    entry.bypassed_by = by
    if _needs_agreement(entry) and not by.has_perm(APPROVE_DECISION):
        entry.bypass_status = _B.REQUESTED
        save(entry, by=by, reason=f"Bypass asked for: {entry.bypass_reason}")
        work_add(
            key=source_key("bypass_agreement", entry.pk),
            kind="bypass_agreement",
            title=f"Agree or refuse a bypass: {entry.vacancy.unit} (vacancy "
            f"{entry.vacancy.reference}), position {entry.position}",
            due=timezone.localdate() + timedelta(days=settings.DECISION_APPROVAL_DAYS),
            about=entry.vacancy,
            role=TEAM_LEADER.name,
            by=by,
        )
        return entry
    entry.bypass_status = _B.BYPASSED
    save(entry, by=by, reason=f"Bypassed: {entry.bypass_reason}")
    return entry


@transaction.atomic
def shortlist_bypass_decide(
    *, entry: ShortlistEntry, agree: bool, comments: str, by: AbstractBaseUser
) -> ShortlistEntry:
    """A team leader agrees to an officer's bypass (it takes effect) or refuses it (the
    applicant is next in line again), never for a bypass they asked for themselves."""
    if not by.has_perm(APPROVE_DECISION):
        raise PermissionDenied("Only a team leader can agree to a bypass.")
    entry = _entry_locked(entry)
    if entry.bypass_status != _B.REQUESTED:
        raise ValidationError("No bypass of this applicant is waiting for agreement.")
    if entry.bypassed_by_id == by.pk:
        raise ValidationError("You asked for this bypass: another team leader must agree to it.")
    comments = comments.strip()
    if agree:
        entry.bypass_status = _B.BYPASSED
        entry.bypass_agreed_by = by
        entry.bypass_agreed_at = timezone.now()
        save(
            entry,
            by=by,
            reason="Bypass agreed" + (f": {comments}" if comments else ""),
        )
    else:
        comments = reason_required(comments)
        _bypass_clear(entry)
        save(entry, by=by, reason=f"Bypass refused: {comments}")
    work_item_complete_for_source(source_key("bypass_agreement", entry.pk), by=by)
    return entry


def _bypass_used(entry: ShortlistEntry) -> bool:
    """An offer has gone to someone placed below: the bypass has been acted on."""
    return entry.vacancy.offers.filter(entry__position__gt=entry.position).exists()


@transaction.atomic
def shortlist_bypass_undo(
    *, entry: ShortlistEntry, reason: str, by: AbstractBaseUser
) -> ShortlistEntry:
    """Take a bypass back (or an officer's request for one) before the next offer is made."""
    entry = _entry_locked(entry)
    if entry.bypass_status == _B.NONE:
        raise ValidationError("This applicant has not been bypassed.")
    if entry.vacancy.status != Vacancy.Status.CLOSED:
        raise ValidationError("The vacancy is no longer making offers: the bypass stands.")
    if _bypass_used(entry):
        raise ValidationError(
            "An offer has been made since this bypass, so it cannot be undone; a team leader "
            "can reset the shortlist's offers."
        )
    reason = reason_required(reason)
    _bypass_clear(entry)
    save(entry, by=by, reason=f"Bypass undone: {reason}")
    work_item_cancel_for_source(
        source_key("bypass_agreement", entry.pk), by=by, reason="Bypass undone"
    )
    return entry


@transaction.atomic
def shortlist_offers_reset(*, vacancy: Vacancy, reason: str, by: AbstractBaseUser) -> Vacancy:
    """A team leader starts a shortlist's offers again from the top: the live offer (if not
    yet approved) is withdrawn and every bypass is undone. Refused offers stay refused."""
    from allocations.services.offers import offer_withdraw

    if not by.has_perm(APPROVE_DECISION):
        raise PermissionDenied("Only a team leader can reset a shortlist's offers.")
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.CLOSED:
        raise ValidationError(
            "Only a closed vacancy that is not yet let can have its offers reset."
        )
    reason = reason_required(reason)
    if AllocationDecision.objects.filter(
        offer__vacancy=vacancy, status=AllocationDecision.Status.APPROVED
    ).exists():
        raise ValidationError("The allocation has been approved: the offers cannot be reset.")
    for offer in vacancy.offers.all():
        if not OFFER.is_final(offer.status):
            offer_withdraw(offer=offer, reason=f"Shortlist's offers reset: {reason}", by=by)
    for entry in vacancy.shortlist.exclude(bypass_status=_B.NONE).select_for_update():
        _bypass_clear(entry)
        save(entry, by=by, reason=f"Bypass undone (offers reset): {reason}")
        work_item_cancel_for_source(
            source_key("bypass_agreement", entry.pk), by=by, reason="Shortlist's offers reset"
        )
    save(vacancy, by=by, reason=f"Offers reset: {reason}")
    return vacancy
