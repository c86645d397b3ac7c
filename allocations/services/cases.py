"""What the casework steps share: an open case, an outcome recorded once, times in words."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations.lifecycles import INTERVIEW, SITE_VISIT
from allocations.models import (
    Application,
    Interview,
)
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
    if application.status != Application.Status.ACTIVE:
        raise ValidationError(
            f"{application} is {application.get_status_display().lower()}: only an active "
            "application can go through interviews, checks, visits and offers."
        )
    return application


# Outcomes that say the event took place (or the household did not come): only after it began.
HAPPENED = ("held", "not_attended")


def happened_after_the_fact(
    *, starts_at: datetime, outcome: str, notes: str, what: str, by
) -> dict[str, Any] | None:
    """The fields of an interview or visit recorded once it had happened (None for one still
    to come); refusals in words on the form's fields."""
    past = starts_at <= timezone.now()
    if not past and outcome:
        raise ValidationError(
            {"outcome": f"A {what} that has not happened yet has no outcome: leave it blank"}
        )
    if not past:
        return None
    if outcome not in HAPPENED:
        raise ValidationError(
            {
                "starts_at": f"The {what} must be in the future; if it already happened, say "
                "what happened to record it after the fact"
            }
        )
    if not notes.strip():
        raise ValidationError({"outcome_notes": "Enter the outcome and notes"})
    return {
        "status": outcome,
        "outcome_notes": notes.strip(),
        "recorded_after_by": by,
        "recorded_after_at": timezone.now(),
    }


def outcome_record(record, *, status: str, notes: str, what: str, by):
    """An interview's or a visit's outcome: recorded once, with notes, from the choices."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    lifecycle = INTERVIEW if isinstance(record, Interview) else SITE_VISIT
    if lifecycle.is_final(record.status):
        raise ValidationError(f"The outcome of this {what} has already been recorded.")
    if not lifecycle.can_move(record, status):
        raise ValidationError({"status": "Choose what happened"})
    if not notes.strip():
        raise ValidationError({"outcome_notes": "Enter the outcome and notes"})
    if status in HAPPENED and record.starts_at > timezone.now():
        raise ValidationError(
            {
                "status": f"The {what} has not started yet (it starts "
                f"{page_datetime(record.starts_at)}): record what happened after it, "
                "or cancel it"
            }
        )
    lifecycle.move(record, status)
    record.outcome_notes = notes.strip()
    save(record, by=by, reason=f"{what.capitalize()}: {record.get_status_display().lower()}")
    return record
