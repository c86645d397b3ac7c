"""Joining the register: refusing a household that does not qualify under the policy's
qualification rules (with a letter giving every reason and the review right), and the review.

Housing Act 1996 s.166A(9): the applicant is told the decision and its grounds, may ask for
a review within the policy's `review_days`, and is told the review's outcome with reasons.
The review is decided by a team leader who did not make the first decision.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.models import Application, Letter, PolicyVersion, RegistrationRefusal
from allocations.services.applications import (
    OPEN_STATUSES,
    application_locked,
    application_move,
    band_assessment_key,
)
from allocations.services.letters import letter_request
from allocations.services.reminders import work_add
from config.kernel.dates import letter_date, page_date
from config.kernel.records import reason_required, save
from config.roles import OFFICER, TEAM_LEADER
from projects.work import source_key, work_item_complete_for_source
from residents.selectors import household_name

DECIDE_REVIEW = "allocations.decide_registration_review"


def registration_refuse(
    *,
    application: Application,
    policy: PolicyVersion,
    failed_rules: list[dict[str, str]],
    by: AbstractBaseUser,
    on: date | None = None,
    other_reasons: list[str] | None = None,
) -> RegistrationRefusal:
    """Not admitted to the register: every rule failed is recorded with its refusal, the
    household gets a letter with all of them and its review right. Call inside the
    transaction of the decision (validation or assessment), the application locked."""
    on = on or timezone.localdate()
    review_by = on + timedelta(days=policy.policy.review_days)
    refusal = RegistrationRefusal(
        application=application,
        policy_version=policy,
        failed_rules=failed_rules,
        refused_by=by,
        refused_on=on,
        review_by=review_by,
    )
    save(refusal, by=by, reason="Registration refused under " + str(policy))
    reasons = [rule["refusal"] for rule in failed_rules] + list(other_reasons or [])
    application_move(
        application,
        Application.Status.REFUSED,
        by=by,
        reason="Refused registration: " + "; ".join(reasons),
    )
    letter_request(
        application=application,
        kind=Letter.Kind.REGISTRATION_REFUSED,
        context=documents.letter_context(
            application, reasons=reasons, policy=policy, extra={"review_by": letter_date(review_by)}
        ),
        by=by,
    )
    return refusal


# Days an officer has to assess the band of a household admitted on review.
BAND_ASSESSMENT_DAYS = 14


def _review_key(refusal: RegistrationRefusal) -> str:
    return source_key("registration_review", refusal.pk)


@transaction.atomic
def registration_review_request(
    *,
    refusal: RegistrationRefusal,
    requested_on: date,
    grounds: str,
    by: AbstractBaseUser,
    late_reason: str = "",
) -> RegistrationRefusal:
    """The household asks for the refusal to be reviewed: recorded with what it said, and put
    in the team leaders' queue to decide within the policy's period."""
    refusal = RegistrationRefusal.objects.select_for_update().get(pk=refusal.pk)
    problems: dict[str, str] = {}
    if refusal.review != RegistrationRefusal.Review.NONE:
        raise ValidationError("A review of this refusal has already been asked for.")
    if requested_on > timezone.localdate():
        problems["requested_on"] = "The date the review was asked for cannot be in the future"
    elif requested_on < refusal.refused_on:
        problems["requested_on"] = (
            f"The review cannot have been asked for before the refusal on "
            f"{page_date(refusal.refused_on)}"
        )
    if not (grounds or "").strip():
        problems["grounds"] = "Enter what the household said when asking for the review"
    late_reason = (late_reason or "").strip()
    if requested_on > refusal.review_by and not late_reason:
        problems["late_reason"] = (
            f"The review period ended on {page_date(refusal.review_by)}: enter why a late "
            f"request is accepted"
        )
    if problems:
        raise ValidationError(problems)
    refusal.review = RegistrationRefusal.Review.REQUESTED
    refusal.review_requested_on = requested_on
    refusal.review_grounds = grounds.strip()
    refusal.late_reason = late_reason
    refusal.review_recorded_by = by
    save(refusal, by=by, reason="Review of the refused registration asked for")
    policy = refusal.policy_version.policy
    work_add(
        key=_review_key(refusal),
        kind="registration_review",
        title=f"Review the refused registration of {household_name(refusal.application.household)}",
        due=requested_on + timedelta(days=policy.review_days),
        about=refusal,
        role=TEAM_LEADER.name,
        by=by,
    )
    return refusal


@transaction.atomic
def registration_review_decide(
    *, refusal: RegistrationRefusal, overturn: bool, reasons: str, by: AbstractBaseUser
) -> RegistrationRefusal:
    """A team leader who did not refuse decides the review: upheld (still refused) or
    overturned (admitted to the register); the household is told the outcome and why."""
    refusal = (
        RegistrationRefusal.objects.select_for_update(of=("self",))
        .select_related("application", "policy_version", "reviewed_by")
        .get(pk=refusal.pk)
    )
    if not by.has_perm(DECIDE_REVIEW):
        raise PermissionDenied("Only a team leader can decide a review.")
    if refusal.review_decided:
        # Decided since the page was drawn (two team leaders on the queue, or sent twice).
        decider = refusal.reviewed_by
        outcome = (
            "overturned" if refusal.review == RegistrationRefusal.Review.OVERTURNED else "upheld"
        )
        raise ValidationError(
            f"{decider.get_full_name() or decider} already decided this review on "
            f"{page_date(refusal.reviewed_on)} and {outcome} the refusal: your decision was not "
            f"recorded."
        )
    if refusal.review != RegistrationRefusal.Review.REQUESTED:
        raise ValidationError("There is no review of this refusal awaiting a decision.")
    if refusal.refused_by_id == by.pk:
        # Four eyes: said on the page, where the refuser sees why they cannot decide.
        raise ValidationError("You refused this registration: another team leader must review it.")
    reasons = reason_required(reasons)
    application = application_locked(refusal.application)
    if overturn and application.status != Application.Status.REFUSED:
        raise ValidationError(
            f"{household_name(application.household)}'s application is now "
            f"{application.get_status_display().lower()}: it cannot be admitted to the register "
            f"from here."
        )
    if (
        overturn
        and application.household.applications.filter(
            scheme=application.scheme, status__in=OPEN_STATUSES
        )
        .exclude(pk=application.pk)
        .exists()
    ):
        raise ValidationError(
            "This household has another open application for this scheme since the refusal: "
            "withdraw one of them first."
        )
    refusal.review = (
        RegistrationRefusal.Review.OVERTURNED if overturn else RegistrationRefusal.Review.UPHELD
    )
    refusal.reviewed_by = by
    refusal.reviewed_on = timezone.localdate()
    refusal.review_reasons = reasons
    save(refusal, by=by, reason=f"Review decided: {refusal.get_review_display().lower()}")
    if overturn:
        application_move(
            application,
            Application.Status.ACTIVE,
            by=by,
            reason=f"Admitted to the register on review: {reasons}",
        )
        if application.band is None:
            # Refused for no housing need, or before any assessment: with no band it cannot
            # be ranked, so an officer must assess it (done when the band is assessed).
            work_add(
                key=band_assessment_key(application),
                kind="band_assessment",
                title=f"Assess the band of {household_name(application.household)}: admitted "
                "to the register on review",
                due=timezone.localdate() + timedelta(days=BAND_ASSESSMENT_DAYS),
                about=application,
                role=OFFICER.name,
                by=by,
            )
    letter_request(
        application=application,
        kind=Letter.Kind.REGISTRATION_REVIEW,
        context=documents.letter_context(
            application,
            reasons=refusal.reasons,
            policy=refusal.policy_version,
            extra={
                "overturned": overturn,
                "review_reasons": reasons,
                "refused_on": letter_date(refusal.refused_on),
                "requested_on": letter_date(refusal.review_requested_on),
            },
        ),
        by=by,
    )
    work_item_complete_for_source(_review_key(refusal), by=by)
    return refusal
