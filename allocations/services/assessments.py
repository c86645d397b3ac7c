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
    Correction,
    EvidenceDocument,
    PolicyVersion,
)
from allocations.predicates import is_override_requester
from allocations.rules.lettings import HOUSING_NEED
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import application_locked, band_assessment_key
from allocations.services.corrections import correction_make
from config.kernel.dates import page_date
from config.kernel.records import reason_required, save
from projects.work import work_item_complete_for_source
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
            couple_from=person.couple_from,
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


def housing_need_required(policy: PolicyVersion) -> bool:
    """The policy admits to the register only households that meet a band criterion."""
    return policy.scheme == "cbl" and any(
        rule["code"] == HOUSING_NEED for rule in policy.policy.lettings.qualification
    )


def _assessed_without_need(
    application: Application, policy: PolicyVersion, need: rules.BedroomNeed, *, by, on: date
) -> Assessment:
    """Assessed and meeting no band criterion: recorded without a band, and the registration
    refused (or, for a household already on the register, it no longer qualifies)."""
    from allocations.services.registration import registration_refuse

    rule = next(r for r in policy.policy.lettings.qualification if r["code"] == HOUSING_NEED)
    assessment = Assessment(
        application=application,
        policy_version=policy,
        criteria_met=[],
        points=None,
        band=None,
        reasons=[f"No band criterion met: {rule['refusal']}"],
        bedroom_need=need.bedrooms,
        bedroom_reasons=list(need.reasons),
        assessed_by=by,
    )
    save(assessment, by=by, reason="Assessed: no band criterion met")
    application.band = None
    application.points = None
    # A refusal penalty ends here: the household no longer qualifies, so there is no band to
    # give back on the penalty's date.
    application.band_penalty_until = None
    application.band_before_penalty = None
    application.bedroom_need = need.bedrooms
    registration_refuse(
        application=application,
        policy=policy,
        failed_rules=[
            {
                "code": rule["code"],
                "label": rule["label"],
                "refusal": rule["refusal"],
                "note": "Assessed: no band criterion met",
            }
        ],
        by=by,
        on=on,
    )
    return assessment


def band_change_apply(
    application: Application,
    *,
    new_band: int | None,
    policy: PolicyVersion,
    on: date,
    penalty_ends: bool = False,
) -> None:
    """Set the new band; on a rise, the policy's effective-date rule decides whether the
    effective date moves to the day of the rise or stays, and the application says why.
    The caller saves the application.

    While a refusal penalty keeps the household in the lowest band, a new band is the one it
    returns to when the penalty ends (the penalty band stays until its date; the policy names
    no need that lifts it early), and a rise is measured from the band it was assessed in.
    `penalty_ends` gives that band back and ends the penalty."""
    under_penalty = application.band_penalty_until is not None
    old_band = application.band_before_penalty if under_penalty else application.band
    if under_penalty and not penalty_ends:
        application.band_before_penalty = new_band
    else:
        application.band = new_band
        application.band_penalty_until = None
        application.band_before_penalty = None
    if policy.scheme != "cbl":
        return
    moves = bool(policy.policy.lettings.effective_date_rules.get("band_rise_moves_date"))
    effective_date, why = rules.effective_date_on_band_change(
        effective_date=application.effective_date,
        old_band=old_band,
        new_band=new_band,
        moves_on_rise=moves,
        on=on,
        on_words=page_date(on),
    )
    if not why:
        return
    if effective_date != application.effective_date:
        application.effective_date = effective_date
        application.effective_date_evidence = None
        application.effective_date_reason = why
    else:
        kept_from = application.effective_date_words.split(". Kept when the band rose")[0]
        application.effective_date_reason = f"{kept_from}. {why}"


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
    need = bedroom_need_for(application.household, policy=policy, on=on)
    for previous in application.assessments.filter(is_current=True):
        previous.is_current = False
        save(previous, by=by, reason="Superseded by a new assessment")
    if not criteria and housing_need_required(policy):
        # The policy admits only households with a housing need: one that meets no band
        # criterion is refused, not put in the lowest band (Wiltshire).
        return _assessed_without_need(application, policy, need, by=by, on=on)
    try:
        result = rules.score(
            [item["code"] for item in criteria],
            criteria=policy_criteria,
            scheme=policy.policy.priority_scheme,
            lowest_band=policy.policy.lowest_band,
        )
    except ValueError as error:
        raise ValidationError(str(error)) from error
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
    band_change_apply(application, new_band=result.band, policy=policy, on=on)
    application.points = result.points
    application.bedroom_need = need.bedrooms
    if local_connection is not None:
        application.local_connection = local_connection or None
    save(application, by=by, reason=f"Assessed under {policy}")
    # s.166A(9)(b): a choice-based lettings household is told its priority, why, and its
    # right to a review, in the same transaction as the decision.
    from allocations.services.band_reviews import assessment_decision_letter

    assessment_decision_letter(application=application, assessment=assessment, by=by)
    # A household admitted on review without a band: assessed now.
    work_item_complete_for_source(band_assessment_key(application), by=by)
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
    # The reason is special-category (Assessment.SPECIAL_CATEGORY_FIELDS), masked on the
    # history pages for roles without that access: the change's reason names what was asked.
    save(
        assessment,
        by=by,
        reason=f"Override requested: {_override_wanted(assessment)} (reason on the assessment)",
    )
    return assessment


def _override_wanted(assessment: Assessment) -> str:
    if assessment.override_band is not None:
        return f"band {assessment.override_band}"
    return f"{assessment.override_points} points"


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
    if approve and not assessment.is_current:
        # Approved, it would overwrite the priority a newer assessment gave the application.
        raise ValidationError(
            "This assessment has been replaced by a newer one, so its override cannot be "
            "approved: reject it, and ask for an override of the current assessment if one is "
            "still needed."
        )
    note = reason_required(note)
    OVERRIDE.move(
        assessment, Assessment.Override.APPROVED if approve else Assessment.Override.REJECTED
    )
    assessment.override_decided_by = by
    assessment.override_decision_note = note
    decided = "approved" if approve else "rejected"
    save(
        assessment,
        by=by,
        reason=f"Override {decided}: {_override_wanted(assessment)} (note on the assessment)",
    )
    if approve:
        application = application_locked(assessment.application)
        if assessment.override_band is not None:
            band_change_apply(
                application,
                new_band=assessment.override_band,
                policy=assessment.policy_version,
                on=timezone.localdate(),
            )
        if assessment.override_points is not None:
            application.points = assessment.override_points
        save(
            application,
            by=by,
            reason=f"Override approved: {_override_wanted(assessment)} ({assessment})",
        )
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
    # Both dates break ties in the ranking: one in the future would put the household behind
    # everyone (or, later, ahead of those who joined meanwhile) on a day that has not come
    # (a wrong effective date is a common Ombudsman finding). As when the application was
    # recorded, neither is after today.
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if registration_date and registration_date > today:
        problems["registration_date"] = "The registration date cannot be in the future"
    if effective_date and effective_date > today:
        problems["effective_date"] = "The effective date cannot be in the future"
    if problems:
        raise ValidationError(problems)
    application = application_locked(application)
    effective_before = application.effective_date
    registration_before = application.registration_date
    if registration_date:
        application.registration_date = registration_date
    if effective_date and effective_date != application.effective_date:
        application.effective_date = effective_date
        application.effective_date_evidence = None
        application.effective_date_reason = (
            f"Changed on {page_date(timezone.localdate())}: {reason}"
        )
    # Only a policy exception, with its evidence, dates priority before registration.
    if (
        application.effective_date < application.registration_date
        and application.effective_date_evidence_id is None
    ):
        raise ValidationError(
            {
                "effective_date": "The effective date cannot be before the registration date "
                "(unless a policy exception applies: date it from there, with its evidence)"
            }
        )
    save(application, by=by, reason=reason)
    # A changed date is a correction from the earlier of its two values: the household's
    # priority (the effective date ranks it; the registration date can break a tie) was wrong
    # from then, so its frozen shortlists since can be replayed.
    for field, before, after in (
        (Correction.Field.EFFECTIVE_DATE, effective_before, application.effective_date),
        (Correction.Field.REGISTRATION_DATE, registration_before, application.registration_date),
    ):
        corrected_from = min(before, after)
        if after != before and corrected_from < today:
            correction_make(
                application=application,
                field=field,
                before=before,
                after=after,
                applies_from=corrected_from,
                reason=reason,
                by=by,
            )
    return application


@transaction.atomic
def effective_date_backdate(
    *,
    application: Application,
    group: str,
    effective_date: date,
    reason: str,
    evidence: EvidenceDocument | None,
    by: AbstractBaseUser,
) -> Application:
    """A policy exception (e.g. leaving the armed forces) dates priority before registration:
    only for a group the policy names, with the reason and the evidence document seen."""
    application = application_locked(application)
    policy = policy_in_force(scheme=application.scheme, on=timezone.localdate())
    label = (
        rules.backdating_group_label(policy.policy.lettings.effective_date_rules, group)
        if policy.scheme == "cbl"
        else ""
    )
    problems: dict[str, str] = {}
    if not label:
        problems["group"] = f"{policy} lets no group by that name date priority early"
    if effective_date >= application.registration_date:
        problems["effective_date"] = (
            f"Date it before the registration date ({page_date(application.registration_date)}); "
            f"a later date is a change of dates, not a policy exception"
        )
    if not (reason or "").strip():
        problems["reason"] = "Enter why the exception applies to this household"
    if evidence is None:
        problems["evidence"] = "Choose the evidence document that shows the exception applies"
    elif evidence.application_id != application.pk:
        problems["evidence"] = "Choose evidence attached to this application"
    if problems:
        raise ValidationError(problems)
    assert evidence is not None
    effective_before = application.effective_date
    application.effective_date = effective_date
    application.effective_date_evidence = evidence
    # The reason is read on the application page, its History and the change log, by roles
    # without special-category access too: a medical or pregnancy document is named without
    # its type or description (str() withholds them), any other by what it is.
    evidence_named = (
        str(evidence)
        if evidence.kind in EvidenceDocument.SPECIAL_CATEGORY_KINDS
        else evidence.description
    )
    application.effective_date_reason = (
        f"Dated before registration under the policy's exception for {label[0].lower()}"
        f"{label[1:]}: {reason.strip()} (evidence: {evidence_named})"
    )
    save(application, by=by, reason=application.effective_date_reason)
    if effective_date != effective_before:
        # Dated earlier than it was: a correction from the new date (before registration).
        correction_make(
            application=application,
            field=Correction.Field.EFFECTIVE_DATE,
            before=effective_before,
            after=effective_date,
            applies_from=effective_date,
            reason=application.effective_date_reason,
            by=by,
        )
    return application
