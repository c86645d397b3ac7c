"""What the residents services share beyond the kernel: field and date checks."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone


def fields_check(given: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def date_not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "The date must be today or in the past"})
