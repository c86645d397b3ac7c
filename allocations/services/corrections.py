"""Corrections made after the fact, and the remedy a team leader decides for each.

An effective date changed through `application_dates_change` is a correction from the earlier
of the two dates; a band or bedroom need is corrected from a past date here. Either way the
household's frozen shortlists since that date can then be replayed with the corrected value
(selectors.corrections), and the correction waits in the team leaders' queue for a remedy."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.models import Application, Correction
from allocations.selectors.corrections import correction_replay
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import application_locked
from allocations.services.reminders import work_add
from config.kernel.dates import page_date
from config.kernel.records import reason_required, save
from config.roles import TEAM_LEADER
from projects.work import source_key, work_item_complete_for_source
from residents.selectors import household_name

DECIDE_REMEDY = "allocations.decide_correction_remedy"
# A remedy is decided within a month of the correction (the ombudsman expects prompt remedies).
REMEDY_DUE_DAYS = 28
# The largest bedroom need a correction may give (the bedroom standard's homes run to 6).
MOST_BEDROOMS = 10


def _remedy_key(correction: Correction) -> str:
    return source_key("correction_remedy", correction.pk)


def correction_make(
    *,
    application: Application,
    field: str,
    before: object,
    after: object,
    applies_from: date,
    reason: str,
    by: AbstractBaseUser,
) -> Correction:
    """Record a correction of a value already put right on the (locked, saved) application,
    and put the remedy decision in the team leaders' queue. Callers are atomic."""
    correction = Correction(
        application=application,
        field=field,
        value_before="" if before is None else _text(before),
        value_after=_text(after),
        applies_from=applies_from,
        reason=reason,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    save(correction, by=by, reason=f"Correction recorded: {reason}")
    work_add(
        key=_remedy_key(correction),
        kind="correction_remedy",
        title=(
            f"Decide the remedy: {correction.get_field_display().lower()} of "
            f"{household_name(application.household)} corrected from {page_date(applies_from)}"
        ),
        due=timezone.localdate() + timedelta(days=REMEDY_DUE_DAYS),
        about=correction,
        role=TEAM_LEADER.name,
        by=by,
    )
    return correction


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@transaction.atomic
def correction_record(
    *,
    application: Application,
    field: str,
    value: int | None,
    applies_from: date | None,
    reason: str,
    by: AbstractBaseUser,
) -> Correction:
    """Correct an application's band or bedroom need from a date in the past: the value is
    put right now (with its history row) and the correction kept, to be replayed."""
    if not by.has_perm("allocations.change_priority"):
        raise PermissionDenied("Only officers and team leaders correct an application.")
    application = application_locked(application)
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if field not in {Correction.Field.BAND, Correction.Field.BEDROOM_NEED}:
        problems["field"] = "Select the band or the bedroom need (dates: use Change dates)"
    elif field == Correction.Field.BAND and not by.has_perm("allocations.approve_override"):
        # A band decides priority over everyone else: as a band override is approved by a team
        # leader, a band put right after the fact is a team leader's to record.
        problems["field"] = (
            "A band is corrected by a team leader: ask one (a bedroom need you may correct)"
        )
    elif field == Correction.Field.BAND:
        policy = policy_in_force(scheme=application.scheme, on=today).policy
        lowest = policy.lowest_band or 1
        if policy.priority_scheme != rules.PriorityScheme.BANDS:
            problems["field"] = (
                f"{household_name(application.household)}'s application is ranked by points, "
                "not bands"
            )
        elif value is None or not 1 <= value <= lowest:
            problems["value"] = f"Enter a band from 1 to {lowest}"
    elif application.is_pitch:
        problems["field"] = "A pitch application has a pitch need, not a bedroom need"
    elif value is None or not 1 <= value <= MOST_BEDROOMS:
        # Every bedroom standard gives a household at least one room (bedroom_need refuses a
        # household of nobody): a need of 0 would be a typing slip, not a correction.
        problems["value"] = f"Enter a bedroom need from 1 to {MOST_BEDROOMS}"
    if applies_from is None:
        problems["applies_from"] = "Enter the date the corrected value applies from"
    elif applies_from >= today:
        problems["applies_from"] = (
            "A correction applies from a date before today (a change from today is a reassessment)"
        )
    elif applies_from < application.registration_date:
        problems["applies_from"] = (
            f"The date cannot be before the registration date "
            f"({page_date(application.registration_date)})"
        )
    # While a refusal penalty holds the household in the lowest band, the band that was wrong
    # is the assessed one it returns to when the penalty ends (as a reassessment does): put
    # right there, the penalty keeps its date and the corrected band is the one that returns.
    under_penalty = field == Correction.Field.BAND and application.band_penalty_until is not None
    before = application.band_before_penalty if under_penalty else getattr(application, field)
    if not problems and before == value:
        problems["value"] = f"The {Correction.Field(field).label.lower()} is already {value}"
    if not (reason or "").strip():
        problems["reason"] = "Enter why the value was wrong and what shows the right one"
    if problems:
        raise ValidationError(problems)
    assert applies_from is not None
    reason = reason_required(reason)
    label = Correction.Field(field).label
    penalty = ""
    if under_penalty:
        application.band_before_penalty = value
        penalty = (
            f" (the band it returns to when the refusal penalty ends on "
            f"{page_date(application.band_penalty_until)}; band {application.band} until then)"
        )
    else:
        setattr(application, field, value)
    save(
        application,
        by=by,
        reason=f"{label} corrected from {before} to {value} from {page_date(applies_from)}"
        f"{penalty}: {reason}",
    )
    return correction_make(
        application=application,
        field=field,
        before=before,
        after=value,
        applies_from=applies_from,
        reason=reason,
        by=by,
    )


@transaction.atomic
def correction_remedy_decide(
    *, correction: Correction, remedy: str, reasons: str, by: AbstractBaseUser
) -> Correction:
    """A team leader decides the remedy, with reasons, once the replay has been seen; a
    "no remedy" the replay contradicts is refused with the shortlists that contradict it."""
    if not by.has_perm(DECIDE_REMEDY):
        raise PermissionDenied("Only a team leader can decide the remedy for a correction.")
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if not correction.awaiting_remedy:
        raise ValidationError(
            f"The remedy was already decided: {correction.get_remedy_display().lower()}."
        )
    if remedy not in Correction.Remedy.values or remedy == Correction.Remedy.AWAITING:
        raise ValidationError({"remedy": "Select the remedy"})
    reasons = reason_required(reasons)
    replay = correction_replay(correction)
    changed = replay.changed
    if remedy == Correction.Remedy.NO_REMEDY_UNCHANGED and changed:
        raise ValidationError(
            {
                "remedy": f"The replay shows {len(changed)} shortlist(s) whose order would "
                f"have changed: " + ", ".join(shortlist.vacancy.reference for shortlist in changed)
            }
        )
    passed_over = [shortlist for shortlist in changed if shortlist.ahead_of_let]
    if remedy == Correction.Remedy.NO_REMEDY_STILL_FIRST and passed_over:
        raise ValidationError(
            {
                "remedy": "With the corrected value the household would have come before the "
                "household let the home on: "
                + ", ".join(shortlist.vacancy.reference for shortlist in passed_over)
            }
        )
    correction.remedy = remedy
    correction.remedy_reason = reasons
    correction.remedy_decided_by = by
    correction.remedy_decided_at = timezone.now()
    save(correction, by=by, reason=f"Remedy decided: {correction.get_remedy_display()}")
    work_item_complete_for_source(_remedy_key(correction), by=by)
    return correction
