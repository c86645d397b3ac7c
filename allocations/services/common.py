"""Plumbing every allocations service shares: saving with history, reasons, references."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection


def save(instance, *, by: AbstractBaseUser, reason: str = "") -> None:
    instance._history_user = by
    instance._change_reason = reason
    instance.full_clean()
    instance.save()


def reason_required(reason: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError("Give a reason for the change.")
    return reason.strip()


def next_reference(prefix: str, sequence: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (number,) = cursor.fetchone()
    return f"{prefix}-{number:06d}"
