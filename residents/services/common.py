"""What the residents services share: saving with history, reasons, field and date checks."""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

# simple_history keeps a change's reason in a column of 100 characters.
REASON_MAX_LENGTH = 100


def fields_check(given: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def history_save(instance, *, by: AbstractBaseUser, reason: str, exclude: list[str] | None = None):
    instance._history_user = by
    instance._change_reason = reason
    instance.full_clean(exclude=exclude)
    instance.save()


def reason_required(reason: str) -> str:
    if not reason.strip():
        raise ValidationError("Give a reason for the change.")
    if len(reason.strip()) > REASON_MAX_LENGTH:
        raise ValidationError(
            f"The reason must be {REASON_MAX_LENGTH} characters or fewer.", code="max_length"
        )
    return reason.strip()


def date_not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "The date must be today or in the past"})
