"""Recording what CORE needs and the allocation does not: a let's CORE answers, a vacancy's
needs and rent type, an application's reasonable preference. Each write names who and why."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from allocations.core import year2026 as core
from allocations.models import (
    AllocationDecision,
    Application,
    CoreLetAnswers,
    CorePersonAnswers,
    Nomination,
    Vacancy,
)
from allocations.models.applications import PreferenceGround, ReasonablePreference
from config.kernel.postcodes import postcode_normalise
from config.kernel.records import reason_required, save

ANSWER_FIELDS = {
    "privacy_notice_seen",
    "referral",
    "referral_org",
    "via_cbl",
    "via_common_allocation_policy",
    "via_common_housing_register",
    "via_accessible_register",
    "vacancy_reason",
    "nationality",
    "armed_forces",
    "still_serving",
    "injured_in_service",
    "illness",
    "condition_effects",
    "time_in_area",
    "leaving_reason",
    "leaving_reason_other",
    "previous_tenure",
    "homeless",
    "previous_postcode",
    "income_known",
    "income_frequency",
    "income",
    "housing_benefit",
    "benefits_share",
    "rent_shortfall",
    "shortfall",
}
PERSON_FIELDS = {"working_situation", "gender_same_as_sex", "gender_description"}


def core_answers_problems(fields: dict[str, Any]) -> dict[str, str]:
    """The answers that contradict each other, as CORE's routing would refuse them."""
    problems: dict[str, str] = {}
    if fields.get("armed_forces") in core.ARMED_FORCES_YES:
        if fields.get("still_serving") is None:
            problems["still_serving"] = "Select whether they are still serving"
        if fields.get("injured_in_service") is None:
            problems["injured_in_service"] = "Select whether they were seriously injured or ill"
    if fields.get("condition_effects") and fields.get("illness") != 1:
        problems["condition_effects"] = (
            "Effects of a condition can be given only when someone has one: answer 'Yes' or "
            "clear the effects"
        )
    if fields.get("illness") == 1 and not fields.get("condition_effects"):
        problems["condition_effects"] = "Select how the condition affects them"
    if fields.get("leaving_reason") == core.LEAVING_REASON_OTHER and not fields.get(
        "leaving_reason_other"
    ):
        problems["leaving_reason_other"] = "Say what the other reason for leaving was"
    if fields.get("income_known") == 1:
        if fields.get("income_frequency") is None:
            problems["income_frequency"] = "Select how often the household receives its income"
        if fields.get("income") is None:
            problems["income"] = "Enter the household's income after tax"
    if fields.get("shortfall") is not None and fields.get("rent_shortfall") != 1:
        problems["shortfall"] = (
            "An outstanding amount is given only when they will still need to pay: clear it"
        )
    return problems


@transaction.atomic
def core_answers_record(
    *,
    decision: AllocationDecision | None = None,
    nomination: Nomination | None = None,
    by: AbstractBaseUser,
    reason: str,
    people: dict[int, dict[str, Any]] | None = None,
    **fields: Any,
) -> CoreLetAnswers:
    """Record (or correct) a let's answers to CORE's questions, and each person's: the let
    is the council's (its approved allocation decision) or a registered provider's on the
    council's nomination, which the council returns to CORE on the provider's behalf."""
    if (decision is None) == (nomination is None):
        raise TypeError("Give the let: its decision or its nomination, one of the two.")
    if nomination is not None and nomination.status != Nomination.Status.LET:
        raise ValidationError(
            "CORE answers are recorded for a let: the provider has not yet confirmed this "
            "nomination's let."
        )
    let = {"decision": decision} if decision is not None else {"nomination": nomination}
    unknown = set(fields) - ANSWER_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    reason = reason_required(reason)
    problems = core_answers_problems(fields)
    household = (decision.offer if decision is not None else nomination).application.household
    members = {p.pk: p for p in household.people.all()}
    for person_id, answers in (people or {}).items():
        if person_id not in members:
            raise ValidationError(f"Person {person_id} is not in household {household}.")
        if set(answers) - PERSON_FIELDS:
            raise TypeError(f"Unknown person fields: {set(answers) - PERSON_FIELDS}")
        if answers.get("gender_same_as_sex") == 2 and not answers.get("gender_description"):
            problems[f"gender_description_{person_id}"] = (
                f"Enter {members[person_id]}'s gender identity"
            )
    if problems:
        raise ValidationError(problems)
    if fields.get("previous_postcode"):
        fields["previous_postcode"] = postcode_normalise(fields["previous_postcode"])
    answers = CoreLetAnswers.objects.select_for_update().filter(**let).first() or CoreLetAnswers(
        **let, recorded_by=by
    )
    for name, value in fields.items():
        setattr(answers, name, value)
    answers.recorded_by = by
    save(answers, by=by, reason=reason)
    for person_id, values in (people or {}).items():
        row = CorePersonAnswers.objects.filter(answers=answers, person_id=person_id).first()
        row = row or CorePersonAnswers(answers=answers, person=members[person_id])
        for name, value in values.items():
            setattr(row, name, value)
        save(row, by=by, reason=reason)
    return answers


@transaction.atomic
def vacancy_core_record(
    *,
    vacancy: Vacancy,
    needs_type: str,
    rent_type: str,
    home_type: str,
    by: AbstractBaseUser,
    reason: str,
) -> Vacancy:
    """How CORE classes the let of this vacancy: needs type, rent type and type of home."""
    reason = reason_required(reason)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    vacancy.needs_type, vacancy.rent_type = needs_type, rent_type
    if not vacancy.unit.is_pitch:
        vacancy.home_type = home_type
    save(vacancy, by=by, reason=reason)
    return vacancy


@transaction.atomic
def application_preference_record(
    *,
    application: Application,
    reasonable_preference: str,
    grounds: list[str],
    by: AbstractBaseUser,
    reason: str,
) -> Application:
    """Whether the household was given reasonable preference and on which grounds."""
    reason = reason_required(reason)
    if reasonable_preference == ReasonablePreference.YES and not grounds:
        raise ValidationError({"grounds": "Select the grounds for reasonable preference"})
    if reasonable_preference != ReasonablePreference.YES and grounds:
        raise ValidationError(
            {"grounds": "Grounds are given only when the household had reasonable preference"}
        )
    if PreferenceGround.DONT_KNOW in grounds and len(grounds) > 1:
        raise ValidationError(
            {"grounds": "'Don't know' cannot be given with a ground: choose one or the other"}
        )
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.reasonable_preference = reasonable_preference
    application.reasonable_preference_grounds = list(grounds)
    save(application, by=by, reason=reason)
    return application
