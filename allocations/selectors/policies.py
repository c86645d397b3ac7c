"""Which policy version is in force, and the published versions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from allocations import rules
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


def local_connection_in_force(*, on: date) -> rules.ConnectionRules:
    """The local connection settings of the lettings policy in force on a day (with its list
    of parishes, if it has one); the defaults, with no list, when no policy is in force."""
    try:
        version = policy_in_force(scheme=Scheme.CBL, on=on)
    except ValidationError:
        return rules.LettingsRules().local_connection
    return version.policy.lettings.local_connection


def policy_for(application: Application):
    return policy_in_force(scheme=application.scheme, on=timezone.localdate())


def policy_versions() -> QuerySet:
    return PolicyVersion.objects.select_related("published_by").order_by(
        "scheme", "-effective_from"
    )
