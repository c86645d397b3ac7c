"""Applications and validation: recording, the lifecycle, validating, evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.lifecycles import APPLICATION
from allocations.models import (
    Application,
    ApplicationValidation,
    EvidenceDocument,
    Letter,
)
from allocations.selectors.policies import policy_in_force
from allocations.services.common import next_reference
from allocations.services.letters import letter_request
from config.kernel.records import reason_required, save
from residents.models import Household

# --- Applications ----------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    household: Household,
    scheme: str,
    kind: str,
    registration_date: date,
    by: AbstractBaseUser,
    effective_date: date | None = None,
    consent_to_enquiries: bool = False,
    needs_accessible_home: bool = False,
    backdate_reason: str = "",
    backdate_evidence=None,
    caravans: int | None = None,
    vehicles: int | None = None,
    pitch_size: str = "",
) -> Application:
    """Record a draft application. Its dates decide priority: a registration or effective
    date before today needs a reason and evidence, like any later change of them."""
    problems = application_create_problems(
        household=household,
        scheme=scheme,
        registration_date=registration_date,
        effective_date=effective_date,
        backdate_reason=backdate_reason,
        backdate_evidence=backdate_evidence,
    )
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    backdated = min(registration_date, effective_date or registration_date) < today
    backdate_reason = (backdate_reason or "").strip()
    application = Application(
        reference=next_reference(scheme.upper(), "allocations_application_reference"),
        household=household,
        scheme=scheme,
        kind=kind,
        registration_date=registration_date,
        effective_date=effective_date or registration_date,
        consent_to_enquiries=consent_to_enquiries,
        needs_accessible_home=needs_accessible_home,
    )
    if scheme == "pitch":
        # A pitch is sized for caravans and vehicles; a bedroom count means nothing there.
        application.caravans = caravans
        application.vehicles = vehicles
        application.pitch_size = pitch_size or ""
    if not backdated:
        save(application, by=by, reason="Application recorded")
        return application
    save(
        application,
        by=by,
        reason=f"Application recorded with dates before today: {reason_required(backdate_reason)}",
    )
    evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.OTHER,
        description=f"Evidence for the backdated registration: {backdate_reason}"[:200],
        upload=backdate_evidence,
        by=by,
    )
    return application


def application_create_problems(
    *,
    household: Household,
    scheme: str | None,
    registration_date: date | None,
    effective_date: date | None = None,
    backdate_reason: str | None = "",
    backdate_evidence=None,
) -> dict[str, str]:
    """Every refusal of `application_create` at once, without writing, so the officer puts
    them all right in one go. A value not known (None: the form refused it) is not checked."""
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if registration_date is not None:
        if registration_date > today:
            problems["registration_date"] = "The registration date cannot be in the future"
        if effective_date is not None and effective_date < registration_date:
            problems["effective_date"] = "The effective date cannot be before the registration date"
        if min(registration_date, effective_date or registration_date) < today:
            if not (backdate_reason or "").strip():
                problems["backdate_reason"] = (
                    "The registration date is before today: enter why it is backdated"
                )
            if backdate_evidence is None:
                problems["backdate_evidence"] = (
                    "The registration date is before today: attach the evidence for it"
                )
    if scheme and household.applications.filter(scheme=scheme, status__in=OPEN_STATUSES).exists():
        problems[NON_FIELD_ERRORS] = (
            "This household already has an open application for this scheme: "
            "update that one instead."
        )
    return problems


OPEN_STATUSES = [
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.INVALID,
    Application.Status.ACTIVE,
    Application.Status.SUSPENDED,
]


def application_move(application: Application, to: str, *, by, reason: str) -> Application:
    if not APPLICATION.can_move(application, to):
        raise ValidationError(
            f"An application that is {application.get_status_display().lower()} cannot become "
            f"{Application.Status(to).label.lower()}."
        )
    APPLICATION.move(application, to)
    application.status_reason = reason
    save(application, by=by, reason=reason)
    return application


def application_locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("household").get(pk=application.pk)
    )


@transaction.atomic
def application_transition(
    *, application: Application, to: str, reason: str, by: AbstractBaseUser
) -> Application:
    """Move an application through its lifecycle (withdraw, suspend, lapse, reinstate...)."""
    return application_move(
        application_locked(application), to, by=by, reason=reason_required(reason)
    )


@transaction.atomic
def application_submit(*, application: Application, by: AbstractBaseUser) -> Application:
    return application_move(
        application_locked(application), Application.Status.SUBMITTED, by=by, reason="Submitted"
    )


@transaction.atomic
def application_validate(
    *,
    application: Application,
    answers: dict[str, dict[str, Any]],
    by: AbstractBaseUser,
    on: date | None = None,
) -> ApplicationValidation:
    """Answer the policy's validation checklist: eligibility met? exclusions apply?

    `answers` maps each checklist code to {"met": bool, "note": str} — for an exclusion,
    "met" means the exclusion applies.
    """
    application = application_locked(application)
    policy = policy_in_force(scheme=application.scheme, on=on or timezone.localdate())
    items = [("eligibility", item) for item in policy.policy.eligibility] + [
        ("exclusion", item) for item in policy.policy.exclusions
    ]
    missing = [item.label for _, item in items if item.code not in answers]
    if missing:
        raise ValidationError([f"Answer: {label}" for label in missing])
    recorded, reasons = [], []
    for part, item in items:
        answer = answers[item.code]
        met = bool(answer.get("met"))
        recorded.append(
            {
                "code": item.code,
                "label": item.label,
                "part": part,
                "met": met,
                "note": answer.get("note", ""),
            }
        )
        if part == "eligibility" and not met:
            reasons.append(f"Not met: {item.label}")
        if part == "exclusion" and met:
            reasons.append(f"Excluded: {item.label}")
    outcome = (
        ApplicationValidation.Outcome.INVALID if reasons else ApplicationValidation.Outcome.VALID
    )
    validation = ApplicationValidation(
        application=application,
        policy_version=policy,
        answers=recorded,
        outcome=outcome,
        reasons=reasons,
        validated_by=by,
    )
    save(validation, by=by, reason="Validated")
    if outcome == ApplicationValidation.Outcome.VALID:
        application_move(
            application, Application.Status.ACTIVE, by=by, reason="Validated under " + str(policy)
        )
    else:
        application_move(application, Application.Status.INVALID, by=by, reason="; ".join(reasons))
        # The household is told why, in a letter suited to its communication needs.
        letter_request(
            application=application,
            kind=Letter.Kind.INVALID,
            context=documents.letter_context(application, reasons=reasons, policy=policy),
            by=by,
        )
    return validation


@transaction.atomic
def evidence_attach(
    *, application: Application, kind: str, description: str, upload, by: AbstractBaseUser
) -> EvidenceDocument:
    """Keep a document seen as evidence against the application, privately."""
    document = EvidenceDocument(
        application=application,
        kind=kind,
        description=description,
        uploaded_by=by,
    )
    document.keep(upload)
    save(document, by=by, reason="Evidence attached")
    return document
