"""Choice-based lettings: telling a household the priority it was assessed in (band or points,
effective date, bedroom need, with the reasons) and its right to a review; and the review.

Housing Act 1996 s.166A(9)(b),(c): an applicant is told any decision about the facts of their
case likely to be taken into account in considering whether to allocate to them, may ask for
it to be reviewed within the policy's `review_days`, and is told the review's outcome and its
grounds. The review is decided by a team leader who did not make the assessment; a changed
band goes through `band_change_apply`, so the policy's effective-date rule still applies.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents, rules
from allocations.models import Application, Assessment, BandReview, Letter, PolicyVersion
from allocations.services.applications import ON_THE_REGISTER, application_locked, band_review_key
from allocations.services.assessments import band_change_apply
from allocations.services.letters import letter_request
from allocations.services.reminders import work_add
from config.kernel.dates import letter_date, page_date
from config.kernel.records import reason_required, save
from config.roles import TEAM_LEADER
from projects.work import work_item_complete_for_source
from residents.selectors import household_name

DECIDE_BAND_REVIEW = "allocations.decide_band_review"
# An application may be assessed once submitted (application_assess), and is told its band
# then: its review is open until it leaves the register.
REVIEWABLE = (*ON_THE_REGISTER, Application.Status.SUBMITTED)


def assessment_review_by(assessment: Assessment) -> date:
    """The last day the household may ask for a review: the policy's period from the day it
    was assessed (the day its letter is dated)."""
    return timezone.localdate(assessment.assessed_at) + timedelta(
        days=assessment.policy_version.policy.review_days
    )


def _priority_words(application: Application, policy: PolicyVersion) -> dict[str, Any]:
    """The priority the application has now, as its letters say it."""
    return {
        "band": application.band,
        "points": application.points,
        "band_meaning": rules.priority_meaning(
            banded=application.band is not None,
            lowest_band=policy.policy.lowest_band,
            tie_breakers=policy.policy.tie_breakers,
        ),
        "effective_date": letter_date(application.effective_date),
        "bedroom_need": application.bedroom_need,
    }


def assessment_decision_letter(
    *, application: Application, assessment: Assessment, by: AbstractBaseUser
) -> Letter | None:
    """Tell a choice-based lettings household its assessed priority, why, and its right to a
    review by a date. Call in the assessment's transaction, once the application is saved."""
    if application.scheme != "cbl" or (assessment.band is None and assessment.points is None):
        return None
    policy = assessment.policy_version
    return letter_request(
        application=application,
        kind=Letter.Kind.ASSESSMENT_DECISION,
        context=documents.letter_context(
            application,
            reasons=list(assessment.reasons),
            policy=policy,
            extra={
                **_priority_words(application, policy),
                "assessed_on": letter_date(assessment.assessed_at),
                "effective_date_reason": application.effective_date_words.rstrip("."),
                "bedroom_reasons": list(assessment.bedroom_reasons),
                "review_by": letter_date(assessment_review_by(assessment)),
            },
        ),
        by=by,
    )


def _review_key(review: BandReview) -> str:
    return band_review_key(review.pk)


@transaction.atomic
def band_review_request(
    *,
    assessment: Assessment,
    requested_on: date,
    grounds: str,
    by: AbstractBaseUser,
    late_reason: str = "",
) -> BandReview:
    """The household asks for its assessment to be reviewed: recorded with what it said, and
    put in the team leaders' queue to decide within the policy's period."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("application__household", "policy_version")
        .get(pk=assessment.pk)
    )
    application = assessment.application
    if application.status not in REVIEWABLE:
        raise ValidationError(
            f"The application is {application.get_status_display().lower()}: only the band "
            f"of an application on the register can be reviewed."
        )
    if application.scheme != "cbl":
        raise ValidationError("Only a choice-based lettings assessment can be reviewed here.")
    if assessment.band_reviews.exists():
        raise ValidationError("A review of this assessment has already been asked for.")
    if not assessment.is_current:
        raise ValidationError(
            "This assessment has been replaced by a newer one: record the review request "
            "against the current assessment."
        )
    review_by = assessment_review_by(assessment)
    assessed_on = timezone.localdate(assessment.assessed_at)
    problems: dict[str, str] = {}
    if requested_on > timezone.localdate():
        problems["requested_on"] = "The date the review was asked for cannot be in the future"
    elif requested_on < assessed_on:
        problems["requested_on"] = (
            f"The review cannot have been asked for before the assessment on "
            f"{page_date(assessed_on)}"
        )
    if not (grounds or "").strip():
        problems["grounds"] = "Enter what the household said when asking for the review"
    late_reason = (late_reason or "").strip()
    if requested_on > review_by and not late_reason:
        problems["late_reason"] = (
            f"The review period ended on {page_date(review_by)}: enter why a late request is "
            f"accepted"
        )
    if problems:
        raise ValidationError(problems)
    review = BandReview(
        application=application,
        assessment=assessment,
        assessed_by=assessment.assessed_by,
        review_by=review_by,
        requested_on=requested_on,
        grounds=grounds.strip(),
        late_reason=late_reason,
        recorded_by=by,
    )
    save(review, by=by, reason="Review of the band assessment asked for")
    work_add(
        key=_review_key(review),
        kind="band_review",
        title=f"Review the band assessment of {household_name(application.household)}",
        due=requested_on + timedelta(days=assessment.policy_version.policy.review_days),
        about=review,
        role=TEAM_LEADER.name,
        by=by,
    )
    return review


def _changes_problems(
    application: Application,
    policy: PolicyVersion,
    *,
    band: int | None,
    points: int | None,
    bedroom_need: int | None,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    lowest_band = policy.policy.lowest_band
    banded = application.band is not None or application.band_before_penalty is not None
    if band is not None:
        if not banded or lowest_band is None:
            problems["band"] = "This application has points, not a band: give the points"
        elif not 1 <= band <= lowest_band:
            problems["band"] = f"Give a band from 1 to {lowest_band}"
    if points is not None:
        if banded:
            problems["points"] = "This application has a band, not points: give the band"
        elif points < 0:
            problems["points"] = "Points cannot be less than 0"
    if bedroom_need is not None and not 1 <= bedroom_need <= 9:
        problems["bedroom_need"] = "Give a bedroom need from 1 to 9"
    if problems:
        return problems
    current_band = (
        application.band_before_penalty
        if application.band_penalty_until is not None
        else application.band
    )
    if (
        (band is None or band == current_band)
        and (points is None or points == application.points)
        and (bedroom_need is None or bedroom_need == application.bedroom_need)
    ):
        problems["__all__"] = (
            "To change the assessment, give a new band, points or bedroom need different from "
            "what the application has now (or uphold it)"
        )
    return problems


@transaction.atomic
def band_review_decide(
    *,
    review: BandReview,
    change: bool,
    reasons: str,
    by: AbstractBaseUser,
    band: int | None = None,
    points: int | None = None,
    bedroom_need: int | None = None,
) -> BandReview:
    """A team leader who did not assess decides the review: upheld, or changed (a new band,
    points or bedroom need, applied as any band change is); the household is told the outcome,
    its grounds and the priority it has now."""
    review = (
        BandReview.objects.select_for_update(of=("self",))
        .select_related("application", "assessment__policy_version", "reviewed_by")
        .get(pk=review.pk)
    )
    if not by.has_perm(DECIDE_BAND_REVIEW):
        raise PermissionDenied("Only a team leader can decide a review.")
    if review.review_decided:
        # Decided since the page was drawn (two team leaders on the queue, or sent twice).
        decider = review.reviewed_by
        raise ValidationError(
            f"{decider.get_full_name() or decider} already decided this review on "
            f"{page_date(review.reviewed_on)} ({review.get_outcome_display().lower()}): your "
            f"decision was not recorded."
        )
    if review.assessed_by_id == by.pk:
        # Four eyes: said on the page, where the assessor sees why they cannot decide.
        raise ValidationError("You made this assessment: another team leader must review it.")
    reasons = reason_required(reasons)
    assessment = review.assessment
    policy = assessment.policy_version
    application = application_locked(review.application)
    if application.status not in REVIEWABLE:
        raise ValidationError(
            f"The application is now {application.get_status_display().lower()}: off the "
            f"register its band ranks it for nothing, so the review is not decided."
        )
    if change:
        if not Assessment.objects.filter(pk=assessment.pk, is_current=True).exists():
            # Changed, it would overwrite the priority a newer assessment gave the application.
            raise ValidationError(
                "This assessment has been replaced by a newer one, so the review cannot change "
                "it: uphold it, saying so, and ask for a review of the current assessment if "
                "one is still wanted."
            )
        problems = _changes_problems(
            application, policy, band=band, points=points, bedroom_need=bedroom_need
        )
        if problems:
            raise ValidationError(problems)
    review.band_before = application.band
    review.points_before = application.points
    review.bedroom_need_before = application.bedroom_need
    if change:
        changed = []
        if band is not None:
            band_change_apply(application, new_band=band, policy=policy, on=timezone.localdate())
            changed.append(f"band {band}")
        if points is not None:
            application.points = points
            changed.append(f"{rules.points_words(points)}")
        if bedroom_need is not None:
            application.bedroom_need = bedroom_need
            changed.append(f"{bedroom_need} bedroom{'s' if bedroom_need != 1 else ''}")
        save(
            application,
            by=by,
            reason=f"Assessment changed on review: {', '.join(changed)} (reasons on the review)",
        )
    review.outcome = BandReview.Outcome.CHANGED if change else BandReview.Outcome.UPHELD
    review.reviewed_by = by
    review.reviewed_on = timezone.localdate()
    review.review_reasons = reasons
    review.band_after = application.band
    review.points_after = application.points
    review.bedroom_need_after = application.bedroom_need
    # The reasons may be health or welfare (special category): the change's reason names the
    # outcome only.
    save(review, by=by, reason=f"Review decided: {review.get_outcome_display().lower()}")
    letter_request(
        application=application,
        kind=Letter.Kind.BAND_REVIEW,
        context=documents.letter_context(
            application,
            reasons=list(assessment.reasons),
            policy=policy,
            extra={
                **_priority_words(application, policy),
                "changed": change,
                "review_reasons": reasons,
                "assessed_on": letter_date(assessment.assessed_at),
                "requested_on": letter_date(review.requested_on),
            },
        ),
        by=by,
    )
    work_item_complete_for_source(_review_key(review), by=by)
    return review
