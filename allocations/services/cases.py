"""What the casework steps share: an open case, an outcome recorded once, times in words."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations.lifecycles import INTERVIEW, SITE_VISIT
from allocations.models import (
    Application,
    Interview,
)
from allocations.services.applications import application_locked
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
    lifecycle.move(record, status)
    record.outcome_notes = notes.strip()
    save(record, by=by, reason=f"{what.capitalize()}: {record.get_status_display().lower()}")
    return record
