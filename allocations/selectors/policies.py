"""Which policy version is in force, and the published versions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from allocations.models import (
    Application,
    PolicyVersion,
    Scheme,
)
from config.kernel.dates import page_date


def policy_in_force(*, scheme: str, on: date) -> PolicyVersion:
    version = (
        PolicyVersion.objects.filter(scheme=scheme, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise ValidationError(
            f"No {Scheme(scheme).label.lower()} policy was in force on {page_date(on)}."
        )
    return version


def policy_for(application: Application):
    return policy_in_force(scheme=application.scheme, on=timezone.localdate())


def policy_versions() -> QuerySet:
    return PolicyVersion.objects.select_related("published_by").order_by(
        "scheme", "-effective_from"
    )
