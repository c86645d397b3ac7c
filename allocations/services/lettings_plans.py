"""Local lettings plans: policy data an advert can name (see `LocalLettingsPlan`), kept with
who changed them and why."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from allocations.models import LocalLettingsPlan
from config.kernel.records import save

PLAN_FIELDS = (
    "name",
    "area",
    "description",
    "local_connection",
    "work_or_volunteering",
    "min_age",
    "min_age_use",
    "active",
)


@transaction.atomic
def lettings_plan_save(
    *, by: AbstractBaseUser, plan: LocalLettingsPlan | None = None, **fields
) -> LocalLettingsPlan:
    """Add a plan, or change one (adverts already published keep the plan they name: a
    change applies to bids placed and shortlists frozen after it)."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    creating = plan is None
    plan = (
        LocalLettingsPlan()
        if plan is None
        else LocalLettingsPlan.objects.select_for_update().get(pk=plan.pk)
    )
    for name, value in fields.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    problems: dict[str, str] = {}
    if not plan.name:
        problems["name"] = "Enter the plan's name"
    elif LocalLettingsPlan.objects.filter(name__iexact=plan.name).exclude(pk=plan.pk).exists():
        problems["name"] = "There is already a plan with that name"
    if not plan.area:
        problems["area"] = "Enter the parish or area the plan covers"
    if plan.min_age_use and not plan.min_age:
        problems["min_age"] = "Enter the minimum age, or choose not to use it"
    elif plan.min_age and not plan.min_age_use:
        problems["min_age_use"] = "Say whether the minimum age is required or a priority"
    if not (plan.local_connection or plan.work_or_volunteering or plan.min_age_use):
        problems["local_connection"] = "A plan needs at least one criterion, required or a priority"
    if problems:
        raise ValidationError(problems)
    if not plan.min_age_use:
        plan.min_age = None
    save(
        plan,
        by=by,
        reason="Local lettings plan added" if creating else "Local lettings plan changed",
    )
    return plan
