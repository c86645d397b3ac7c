"""Saving a record with its history, and the reason every change must give."""

from collections.abc import Collection

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models

# The longest reason anyone may give, everywhere (forms use the same number).
REASON_MAX_LENGTH = 500
REASON_MISSING = "Enter the reason for this change"
REASON_TOO_LONG = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"


def reason_required(reason: str | None) -> str:
    """The reason, stripped; refused when blank or too long (on the form's `reason` field)."""
    stripped = (reason or "").strip()
    if not stripped:
        raise ValidationError({"reason": ValidationError(REASON_MISSING, code="required")})
    if len(stripped) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": ValidationError(REASON_TOO_LONG, code="max_length")})
    return stripped


def history_stamp(instance: models.Model, *, by: AbstractBaseUser | None, reason: str) -> None:
    """Name who made the next change and why: django-simple-history writes them on save."""
    instance._history_user = by  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


def save(
    instance: models.Model,
    *,
    by: AbstractBaseUser | None,
    reason: str,
    exclude: Collection[str] | None = None,
    database_checks: bool = True,
) -> None:
    """Validate and save a record, its history row naming `by` and `reason`.

    `database_checks=False` leaves uniqueness and the model's constraints to the database
    alone (Django asks it one query for each): only for a change made by the system, not typed
    by anyone, that cannot break them, so there is no message to give a person."""
    history_stamp(instance, by=by, reason=reason)
    instance.full_clean(
        exclude=exclude, validate_unique=database_checks, validate_constraints=database_checks
    )
    instance.save()
