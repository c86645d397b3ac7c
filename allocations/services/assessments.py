"""Assessment and priority: bedroom need, scoring, overrides (four eyes) and dates."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.lifecycles import OVERRIDE
from allocations.models import (
    Application,
    Assessment,
    PolicyVersion,
)
from allocations.predicates import is_override_requester
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import application_locked
from config.kernel.records import reason_required, save
from residents.models import Household


def household_occupants(household: Household) -> list[rules.Occupant]:
    """The household for the bedroom rules, each person named as an officer would name them
    (the reasons read "Room 1: couple (Mary Ward and John Ward)")."""
    people = list(household.people.all())
    names: dict[int, str] = {}
    for person in people:
        name = f"{person.first_name} {person.last_name}"
        taken = sum(1 for other in names.values() if other.startswith(name))
        names[person.pk] = f"{name} ({taken + 1})" if taken else name
    return [
        rules.Occupant(
            key=names[person.pk],
            date_of_birth=person.date_of_birth,
            sex=person.sex,
            partner_key=names.get(person.partner_id) if person.partner_id else None,
        )
        for person in people
    ]


def household_due_date(household: Household) -> date | None:
    dates = [
        person.pregnancy_due_date
        for person in household.people.all()
        if getattr(person, "pregnancy_due_date", None)
    ]
    return min(dates) if dates else None


def bedroom_need_for(household: Household, *, policy: PolicyVersion, on: date) -> rules.BedroomNeed:
    standard = policy.policy.bedroom_standard
    occupants = rules.occupants_with_pregnancy(
        household_occupants(household),
        due_date=household_due_date(household),
        on=on,
        standard=standard,
    )
    return rules.bedroom_need(occupants, on=on, standard=standard)


@transaction.atomic
def application_assess(
    *,
    application: Application,
    criteria: list[dict[str, str]],
    by: AbstractBaseUser,
    local_connection: int | None = None,
    on: date | None = None,
) -> Assessment:
    """Score an application under the policy in force, with the evidence for each criterion."""
    application = application_locked(application)
    if application.status not in {Application.Status.ACTIVE, Application.Status.SUBMITTED}:
        raise ValidationError(
            f"Only submitted or active applications can be assessed; this one is "
            f"{application.get_status_display().lower()}."
        )
    on = on or timezone.localdate()
    policy = policy_in_force(scheme=application.scheme, on=on)
    policy_criteria = policy.policy.criteria
    missing_evidence = [item["code"] for item in criteria if not item.get("evidence", "").strip()]
    if missing_evidence:
        labels = {c.code: c.label for c in policy_criteria}
        raise ValidationError(
            [f"Say what evidence shows: {labels.get(code, code)}" for code in missing_evidence]
        )
    try:
        result = rules.score(
            [item["code"] for item in criteria],
            criteria=policy_criteria,
            scheme=policy.policy.priority_scheme,
            lowest_band=policy.policy.lowest_band,
        )
    except ValueError as error:
        raise ValidationError(str(error)) from error
    need = bedroom_need_for(application.household, policy=policy, on=on)
    for previous in application.assessments.filter(is_current=True):
        previous.is_current = False
        save(previous, by=by, reason="Superseded by a new assessment")
    assessment = Assessment(
        application=application,
        policy_version=policy,
        criteria_met=criteria,
        points=result.points,
        band=result.band,
        reasons=list(result.reasons),
        bedroom_need=need.bedrooms,
        bedroom_reasons=list(need.reasons),
        assessed_by=by,
    )
    save(assessment, by=by, reason="Assessed")
    application.points = result.points
    application.band = result.band
    application.bedroom_need = need.bedrooms
    if local_connection is not None:
        application.local_connection = local_connection or None
    save(application, by=by, reason=f"Assessed under {policy}")
    return assessment


@transaction.atomic
def assessment_override_request(
    *,
    assessment: Assessment,
    reason: str,
    by: AbstractBaseUser,
    band: int | None = None,
    points: int | None = None,
) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_current:
        raise ValidationError("Only the current assessment can be overridden.")
    if not OVERRIDE.can_move(assessment, Assessment.Override.PENDING):
        raise ValidationError("An override is already awaiting a team leader.")
    if band is None and points is None:
        raise ValidationError("Give the band or points the assessment should have.")
    OVERRIDE.move(assessment, Assessment.Override.PENDING)
    assessment.override_band = band
    assessment.override_points = points
    assessment.override_reason = reason_required(reason)
    assessment.override_requested_by = by
    assessment.override_decided_by = None
    assessment.override_decision_note = ""
    save(assessment, by=by, reason=f"Override requested: {assessment.override_reason}")
    return assessment


@transaction.atomic
def assessment_override_decide(
    *, assessment: Assessment, approve: bool, note: str, by: AbstractBaseUser
) -> Assessment:
    """A team leader approves or rejects an override; nobody decides their own request."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not OVERRIDE.can_move(assessment, Assessment.Override.APPROVED):
        raise ValidationError("There is no override awaiting a decision.")
    if is_override_requester.test(by, assessment):
        # Four eyes: said on the page, where the requester sees why they cannot decide.
        raise ValidationError("You asked for this override, so someone else must decide it.")
    if not by.has_perm("allocations.decide_override", assessment):
        raise PermissionDenied("Only a team leader can decide an override.")
    note = reason_required(note)
    OVERRIDE.move(
        assessment, Assessment.Override.APPROVED if approve else Assessment.Override.REJECTED
    )
    assessment.override_decided_by = by
    assessment.override_decision_note = note
    save(assessment, by=by, reason=f"Override {'approved' if approve else 'rejected'}: {note}")
    if approve:
        application = application_locked(assessment.application)
        if assessment.override_band is not None:
            application.band = assessment.override_band
        if assessment.override_points is not None:
            application.points = assessment.override_points
        save(application, by=by, reason=f"Override approved: {assessment.override_reason}")
    return assessment


@transaction.atomic
def application_dates_change(
    *,
    application: Application,
    reason: str,
    by: AbstractBaseUser,
    registration_date: date | None = None,
    effective_date: date | None = None,
) -> Application:
    """Dates decide priority: they change only here, with a reason, never silently."""
    reason = reason_required(reason)
    application = application_locked(application)
    if registration_date:
        application.registration_date = registration_date
    if effective_date:
        application.effective_date = effective_date
    if application.effective_date < application.registration_date:
        raise ValidationError(
            {"effective_date": "The effective date cannot be before the registration date"}
        )
    save(application, by=by, reason=reason)
    return application
