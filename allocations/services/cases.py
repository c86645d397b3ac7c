"""What the casework steps share: an open case, an outcome recorded once, times in words."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from allocations.lifecycles import INTERVIEW, SITE_VISIT
from allocations.models import (
    Application,
    Interview,
)
from allocations.selectors.applications import application_named
from allocations.services.applications import application_locked
from config.kernel.dates import page_datetime
from config.kernel.records import save


def clock(moment: datetime) -> str:
    """10:30am, 2pm: the time as a letter says it."""
    local = timezone.localtime(moment)
    words = f"{local:%-I:%M%p}".lower()
    return words.replace(":00", "")


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def case_open(application: Application) -> Application:
    application = application_locked(application)
    problems = case_open_problems(application)
    if problems:
        raise ValidationError(problems[NON_FIELD_ERRORS])
    return application


# Outcomes that say the event took place (or the household did not come): only after it began.
HAPPENED = ("held", "not_attended")


def happened_problems(
    *, starts_at: datetime | None, outcome: str | None, notes: str | None, what: str
) -> dict[str, str]:
    """Every refusal of an interview's or a visit's time and outcome at once, without
    writing: one still to come has no outcome; one already past is recorded after the fact,
    saying what happened. A time not known (None: the form refused it) is not checked."""
    if starts_at is None:
        return {}
    if starts_at > timezone.now():
        if outcome:
            return {"outcome": f"A {what} that has not happened yet has no outcome: leave it blank"}
        return {}
    problems = {}
    if outcome not in HAPPENED:
        problems["starts_at"] = (
            f"The {what} must be in the future; if it already happened, say what happened to "
            "record it after the fact"
        )
    if outcome and not (notes or "").strip():
        problems["outcome_notes"] = "Enter the outcome and notes"
    return problems


def happened_after_the_fact(
    *, starts_at: datetime, outcome: str, notes: str, what: str, by
) -> dict[str, Any] | None:
    """The fields of an interview or visit recorded once it had happened (None for one still
    to come); refusals in words on the form's fields (`happened_problems`)."""
    problems = happened_problems(starts_at=starts_at, outcome=outcome, notes=notes, what=what)
    if problems:
        raise ValidationError(problems)
    if starts_at > timezone.now():
        return None
    return {
        "status": outcome,
        "outcome_notes": notes.strip(),
        "recorded_after_by": by,
        "recorded_after_at": timezone.now(),
    }


def case_open_problems(application: Application) -> dict[str, str]:
    """Why `case_open` refuses the application, without locking it (empty when it is open)."""
    if application.status != Application.Status.ACTIVE:
        return {
            NON_FIELD_ERRORS: f"{application_named(application)} is "
            f"{application.get_status_display().lower()}: only an active application can go "
            "through interviews, checks, visits and offers."
        }
    return {}


def outcome_problems(record, *, status: str | None, notes: str | None, what: str) -> dict[str, str]:
    """Every refusal of an interview's or a visit's outcome at once, without writing. A value
    not known (None: the form refused it) is not checked."""
    lifecycle = INTERVIEW if isinstance(record, Interview) else SITE_VISIT
    if lifecycle.is_final(record.status):
        return {NON_FIELD_ERRORS: f"The outcome of this {what} has already been recorded."}
    problems = {}
    if status is not None:
        if not lifecycle.can_move(record, status):
            problems["status"] = "Choose what happened"
        elif status in HAPPENED and record.starts_at > timezone.now():
            problems["status"] = (
                f"The {what} has not started yet (it starts {page_datetime(record.starts_at)}): "
                "record what happened after it, or cancel it"
            )
    if notes is not None and not notes.strip():
        problems["outcome_notes"] = "Enter the outcome and notes"
    return problems


def outcome_record(record, *, status: str, notes: str, what: str, by):
    """An interview's or a visit's outcome: recorded once, with notes, from the choices."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    lifecycle = INTERVIEW if isinstance(record, Interview) else SITE_VISIT
    problems = outcome_problems(record, status=status, notes=notes, what=what)
    if problems:
        raise ValidationError(problems)
    lifecycle.move(record, status)
    record.outcome_notes = notes.strip()
    save(record, by=by, reason=f"{what.capitalize()}: {record.get_status_display().lower()}")
    return record
