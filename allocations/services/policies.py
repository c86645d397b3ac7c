"""Policy versions: which one is in force, and publishing a new one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from allocations import rules
from allocations.models import (
    PolicyVersion,
)
from config.kernel.dates import page_date

# --- Policies --------------------------------------------------------------------------------


@transaction.atomic
def policy_publish(
    *,
    scheme: str,
    name: str,
    effective_from: date,
    policy_rules: dict[str, Any],
    by: AbstractBaseUser,
    summary_of_changes: str = "",
) -> PolicyVersion:
    """Publish a new version. Earlier versions stay exactly as they were, forever."""
    try:
        policy = rules.Policy.from_json(policy_rules)
    except rules.PolicyError as error:
        raise ValidationError(list(error.problems)) from error
    if policy.scheme != scheme:
        raise ValidationError("The policy's rules are for a different scheme.")
    # Serialise publishing per scheme, so two administrators cannot take the same number.
    PolicyVersion.objects.select_for_update().filter(scheme=scheme).exists()
    latest = PolicyVersion.objects.filter(scheme=scheme).aggregate(
        version=Max("version"), effective_from=Max("effective_from")
    )
    if latest["effective_from"] and effective_from <= latest["effective_from"]:
        # A version may not slip in before one already published: shortlists ranked under
        # the later one would otherwise have been ranked under the wrong policy.
        raise ValidationError(
            "A new version must take effect after the latest one "
            f"({page_date(latest['effective_from'])})."
        )
    version = PolicyVersion(
        scheme=scheme,
        version=(latest["version"] or 0) + 1,
        name=name,
        effective_from=effective_from,
        rules=policy_rules,
        summary_of_changes=summary_of_changes,
        published_by=by,
    )
    version.full_clean()
    version.save()
    return version
