"""Local lettings plans: policy data an advert can name (see `LocalLettingsPlan`), kept with
who changed them and why. Officers draft them; a team leader approves one with its start and
end dates, and only an approved plan in date on the advert's opening day applies."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import LocalLettingsPlan
from allocations.models.cycles import LETTINGS_PLAN_NAME_UNIQUE
from config.kernel.records import save, save_unique

PLAN_FIELDS = (
    "name",
    "area",
    "description",
    "local_connection",
    "work_or_volunteering",
    "min_age",
    "min_age_use",
    "no_recent_asb",
    "asb_months",
    "under_occupation",
    "working_share",
    "active",
)
NAME_TAKEN = "There is already a plan with that name"

# What a team leader approved: changing any of these sends the plan back to draft.
CRITERIA_FIELDS = (
    "local_connection",
    "work_or_volunteering",
    "min_age",
    "min_age_use",
    "no_recent_asb",
    "asb_months",
    "under_occupation",
    "working_share",
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
    approved_criteria = [getattr(plan, name) for name in CRITERIA_FIELDS]
    for name, value in fields.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    problems: dict[str, str] = {}
    if not plan.name:
        problems["name"] = "Enter the plan's name"
    elif _name_taken(plan):
        problems["name"] = NAME_TAKEN
    if not plan.area:
        problems["area"] = "Enter the parish or area the plan covers"
    if plan.min_age_use and not plan.min_age:
        problems["min_age"] = "Enter the minimum age, or choose not to use it"
    elif plan.min_age and not plan.min_age_use:
        problems["min_age_use"] = "Say whether the minimum age is required or a priority"
    if plan.no_recent_asb and not plan.asb_months:
        problems["asb_months"] = (
            "Enter how many months an anti-social behaviour record counts for, or choose not "
            "to use it"
        )
    elif plan.asb_months and not plan.no_recent_asb:
        problems["no_recent_asb"] = (
            "Say whether no recent anti-social behaviour is required or a priority"
        )
    if plan.working_share is not None and not 1 <= plan.working_share <= 100:
        problems["working_share"] = "The share for working households must be from 1% to 100%"
    used = (
        plan.local_connection,
        plan.work_or_volunteering,
        plan.min_age_use,
        plan.no_recent_asb,
        plan.under_occupation,
        plan.working_share,
    )
    if not any(used):
        problems["local_connection"] = (
            "A plan needs at least one criterion, required or a priority, or a share for "
            "working households"
        )
    if problems:
        raise ValidationError(problems)
    if not plan.min_age_use:
        plan.min_age = None
    if not plan.no_recent_asb:
        plan.asb_months = None
    reason = "Local lettings plan added" if creating else "Local lettings plan changed"
    if plan.is_approved and approved_criteria != [getattr(plan, n) for n in CRITERIA_FIELDS]:
        plan.approved_by, plan.approved_at, plan.approval_reason = None, None, ""
        reason += "; its criteria changed, so it needs a team leader's approval again"
    # Another plan given this name (in any capitals) at the same moment, after the check
    # above: the same refusal.
    save_unique(
        plan, by=by, reason=reason, refusals={LETTINGS_PLAN_NAME_UNIQUE: {"name": NAME_TAKEN}}
    )
    return plan


def _name_taken(plan: LocalLettingsPlan) -> bool:
    return LocalLettingsPlan.objects.filter(name__iexact=plan.name).exclude(pk=plan.pk).exists()


@transaction.atomic
def lettings_plan_approve(
    *,
    plan: LocalLettingsPlan,
    by: AbstractBaseUser,
    starts_on: date | None,
    ends_on: date | None = None,
    reason: str,
) -> LocalLettingsPlan:
    """A team leader approves a plan, or changes an approved plan's dates (to end it, say),
    with the reason; it applies to adverts opening from its start date to its end date."""
    if not by.has_perm("allocations.approve_locallettingsplan"):
        raise PermissionDenied("Only a team leader can approve a local lettings plan.")
    plan = LocalLettingsPlan.objects.select_for_update().get(pk=plan.pk)
    reason = (reason or "").strip()
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["starts_on"] = "Enter the date the plan starts"
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "The end date must be the same as or after the start date"
    if not reason:
        problems["reason"] = "Enter why the plan is approved"
    if problems:
        raise ValidationError(problems)
    again = plan.is_approved
    plan.starts_on, plan.ends_on = starts_on, ends_on
    plan.approved_by, plan.approved_at, plan.approval_reason = by, timezone.now(), reason
    save(
        plan,
        by=by,
        reason=f"Local lettings plan {'dates changed' if again else 'approved'}: {reason}",
    )
    return plan
