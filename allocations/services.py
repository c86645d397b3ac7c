"""Every write of the allocation engine: validated, atomic, recorded with who and why."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from allocations import documents, rules
from allocations.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationValidation,
    Assessment,
    Bid,
    EvidenceDocument,
    Letter,
    PolicyVersion,
    Scheme,
    ShortlistEntry,
    Vacancy,
)
from config.history import system_user
from residents.models import Household, Person
from sites.models import Unit


def _save(instance, *, by: AbstractBaseUser, reason: str = "") -> None:
    instance._history_user = by
    instance._change_reason = reason
    instance.full_clean()
    instance.save()


def _reason_required(reason: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError("Give a reason for the change.")
    return reason.strip()


def _next_reference(prefix: str, sequence: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (number,) = cursor.fetchone()
    return f"{prefix}-{number:06d}"


# --- Policies --------------------------------------------------------------------------------


def policy_in_force(*, scheme: str, on: date) -> PolicyVersion:
    version = (
        PolicyVersion.objects.filter(scheme=scheme, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise ValidationError(
            f"No {Scheme(scheme).label.lower()} policy was in force on {on:%d/%m/%Y}."
        )
    return version


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
    problems = rules.policy_validate(policy_rules)
    if problems:
        raise ValidationError(problems)
    if policy_rules.get("scheme") != scheme:
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
            f"({latest['effective_from']:%d/%m/%Y})."
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
) -> Application:
    if registration_date > timezone.localdate():
        raise ValidationError(
            {"registration_date": "The registration date cannot be in the future"}
        )
    if household.applications.filter(scheme=scheme, status__in=_OPEN_STATUSES).exists():
        raise ValidationError(
            "This household already has an open application for this scheme: "
            "update that one instead."
        )
    application = Application(
        reference=_next_reference(scheme.upper(), "allocations_application_reference"),
        household=household,
        scheme=scheme,
        kind=kind,
        registration_date=registration_date,
        effective_date=effective_date or registration_date,
        consent_to_enquiries=consent_to_enquiries,
        needs_accessible_home=needs_accessible_home,
    )
    _save(application, by=by, reason="Application recorded")
    return application


_OPEN_STATUSES = [
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.INVALID,
    Application.Status.ACTIVE,
    Application.Status.SUSPENDED,
]


def _transition(application: Application, to: str, *, by, reason: str) -> Application:
    if to not in APPLICATION_TRANSITIONS[application.status]:
        raise ValidationError(
            f"An application that is {application.get_status_display().lower()} cannot become "
            f"{Application.Status(to).label.lower()}."
        )
    application.status = to
    application.status_reason = reason
    _save(application, by=by, reason=reason)
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("household").get(pk=application.pk)
    )


@transaction.atomic
def application_transition(
    *, application: Application, to: str, reason: str, by: AbstractBaseUser
) -> Application:
    """Move an application through its lifecycle (withdraw, suspend, lapse, reinstate...)."""
    return _transition(_locked(application), to, by=by, reason=_reason_required(reason))


@transaction.atomic
def application_submit(*, application: Application, by: AbstractBaseUser) -> Application:
    return _transition(
        _locked(application), Application.Status.SUBMITTED, by=by, reason="Submitted"
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
    application = _locked(application)
    policy = policy_in_force(scheme=application.scheme, on=on or timezone.localdate())
    items = [("eligibility", item) for item in policy.rules["eligibility"]] + [
        ("exclusion", item) for item in policy.rules["exclusions"]
    ]
    missing = [item["label"] for _, item in items if item["code"] not in answers]
    if missing:
        raise ValidationError([f"Answer: {label}" for label in missing])
    recorded, reasons = [], []
    for part, item in items:
        answer = answers[item["code"]]
        met = bool(answer.get("met"))
        recorded.append(
            {
                "code": item["code"],
                "label": item["label"],
                "part": part,
                "met": met,
                "note": answer.get("note", ""),
            }
        )
        if part == "eligibility" and not met:
            reasons.append(f"Not met: {item['label']}")
        if part == "exclusion" and met:
            reasons.append(f"Excluded: {item['label']}")
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
    _save(validation, by=by, reason="Validated")
    if outcome == ApplicationValidation.Outcome.VALID:
        _transition(
            application, Application.Status.ACTIVE, by=by, reason="Validated under " + str(policy)
        )
    else:
        _transition(application, Application.Status.INVALID, by=by, reason="; ".join(reasons))
        # The household is told why, in a letter suited to its communication needs.
        letter_request(
            application=application,
            kind=Letter.Kind.INVALID,
            context=documents.letter_context(application, reasons=reasons, policy=policy),
            by=by,
        )
    return validation


def letter_request(
    *, application: Application, kind: str, context: dict[str, Any], by: AbstractBaseUser
) -> Letter:
    """Record that a letter is due and have a worker draw it once the decision is committed."""
    from allocations.tasks import letter_render as letter_render_task

    letter = Letter(application=application, kind=kind, context=context, requested_by=by)
    _save(letter, by=by, reason="Letter requested")
    transaction.on_commit(lambda: letter_render_task.delay(letter_id=letter.pk))
    return letter


def letter_render(*, letter_id: int) -> str:
    """Draw a letter's PDF and mark it ready, in one step; a second run finds it ready.

    The PDF is drawn outside any transaction (it can take seconds), then the row is locked and
    the file and status written together, so a crash leaves the letter requested, never half
    written, and a retry draws it again.
    """
    letter = Letter.objects.get(pk=letter_id)
    if letter.status == Letter.Status.READY:
        return "already ready"
    pdf = documents.letter_pdf(letter)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status == Letter.Status.READY:
            return "already ready"
        letter.file.save(f"letter-{letter.pk}.pdf", ContentFile(pdf), save=False)
        letter.status = Letter.Status.READY
        letter.ready_at = timezone.now()
        letter.failure = ""
        letter._history_user = system_user()
        letter._change_reason = "Letter drawn"
        letter.save()
    return "ready"


@transaction.atomic
def letter_failed(*, letter_id: int, failure: str) -> None:
    letter = Letter.objects.select_for_update().get(pk=letter_id)
    if letter.status == Letter.Status.READY:
        return
    letter.status = Letter.Status.FAILED
    letter.failure = failure[:1000]
    letter._history_user = system_user()
    letter._change_reason = "Letter could not be drawn"
    letter.save()


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


def _due_date(household: Household) -> date | None:
    dates = [
        person.pregnancy_due_date
        for person in household.people.all()
        if getattr(person, "pregnancy_due_date", None)
    ]
    return min(dates) if dates else None


def bedroom_need_for(household: Household, *, policy: PolicyVersion, on: date) -> rules.BedroomNeed:
    standard = rules.BedroomStandard.from_dict(policy.rules["bedroom_standard"])
    occupants = rules.occupants_with_pregnancy(
        household_occupants(household), due_date=_due_date(household), on=on, standard=standard
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
    application = _locked(application)
    if application.status not in {Application.Status.ACTIVE, Application.Status.SUBMITTED}:
        raise ValidationError(
            f"Only submitted or active applications can be assessed; this one is "
            f"{application.get_status_display().lower()}."
        )
    on = on or timezone.localdate()
    policy = policy_in_force(scheme=application.scheme, on=on)
    policy_criteria = [rules.Criterion.from_dict(item) for item in policy.rules["criteria"]]
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
            scheme=rules.PriorityScheme(policy.rules["priority_scheme"]),
            lowest_band=policy.rules.get("lowest_band"),
        )
    except ValueError as error:
        raise ValidationError(str(error)) from error
    need = bedroom_need_for(application.household, policy=policy, on=on)
    for previous in application.assessments.filter(is_current=True):
        previous.is_current = False
        _save(previous, by=by, reason="Superseded by a new assessment")
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
    _save(assessment, by=by, reason="Assessed")
    application.points = result.points
    application.band = result.band
    application.bedroom_need = need.bedrooms
    if local_connection is not None:
        application.local_connection = local_connection or None
    _save(application, by=by, reason=f"Assessed under {policy}")
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
    if assessment.override_status == Assessment.Override.PENDING:
        raise ValidationError("An override is already awaiting a team leader.")
    if band is None and points is None:
        raise ValidationError("Give the band or points the assessment should have.")
    assessment.override_status = Assessment.Override.PENDING
    assessment.override_band = band
    assessment.override_points = points
    assessment.override_reason = _reason_required(reason)
    assessment.override_decided_by = None
    assessment.override_decision_note = ""
    _save(assessment, by=by, reason=f"Override requested: {assessment.override_reason}")
    return assessment


@transaction.atomic
def assessment_override_decide(
    *, assessment: Assessment, approve: bool, note: str, by: AbstractBaseUser
) -> Assessment:
    """A team leader approves or rejects an override; nobody decides their own request."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.override_status != Assessment.Override.PENDING:
        raise ValidationError("There is no override awaiting a decision.")
    requester = assessment.history.filter(override_status=Assessment.Override.PENDING).latest()
    if requester.history_user_id == by.pk:
        raise ValidationError("You asked for this override, so someone else must decide it.")
    if not by.has_perm("allocations.approve_override"):
        raise ValidationError("Only a team leader can decide an override.")
    note = _reason_required(note)
    assessment.override_status = (
        Assessment.Override.APPROVED if approve else Assessment.Override.REJECTED
    )
    assessment.override_decided_by = by
    assessment.override_decision_note = note
    _save(assessment, by=by, reason=f"Override {'approved' if approve else 'rejected'}: {note}")
    if approve:
        application = _locked(assessment.application)
        if assessment.override_band is not None:
            application.band = assessment.override_band
        if assessment.override_points is not None:
            application.points = assessment.override_points
        _save(application, by=by, reason=f"Override approved: {assessment.override_reason}")
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
    reason = _reason_required(reason)
    application = _locked(application)
    if registration_date:
        application.registration_date = registration_date
    if effective_date:
        application.effective_date = effective_date
    if application.effective_date < application.registration_date:
        raise ValidationError(
            {"effective_date": "The effective date cannot be before the registration date"}
        )
    _save(application, by=by, reason=reason)
    return application


# --- Vacancies, bids and shortlists ----------------------------------------------------------


VACANCY_FIELDS = {
    "advert_text",
    "opens_on",
    "closes_on",
    "min_household_size",
    "max_household_size",
    "min_bedroom_need",
    "max_bedroom_need",
    "min_age",
    "requires_accessible",
    "local_connection_required",
}


@transaction.atomic
def vacancy_create(*, unit: Unit, scheme: str, by: AbstractBaseUser, **fields: Any) -> Vacancy:
    unknown = set(fields) - VACANCY_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != Unit.Status.VOID:
        raise ValidationError(f"{unit} is not void, so it cannot be advertised.")
    if unit.vacancies.exclude(status__in=[Vacancy.Status.LET, Vacancy.Status.WITHDRAWN]).exists():
        raise ValidationError(f"{unit} already has an open vacancy.")
    vacancy = Vacancy(
        reference=_next_reference("V", "allocations_vacancy_reference"),
        unit=unit,
        scheme=scheme,
        **fields,
    )
    _save(vacancy, by=by, reason="Vacancy created")
    return vacancy


@transaction.atomic
def vacancy_advertise(*, vacancy: Vacancy, by: AbstractBaseUser) -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.DRAFT:
        raise ValidationError("Only a draft vacancy can be advertised.")
    vacancy.status = Vacancy.Status.ADVERTISED
    _save(vacancy, by=by, reason="Advertised")
    return vacancy


@transaction.atomic
def bid_place(
    *, vacancy: Vacancy, application: Application, by: AbstractBaseUser, on: date | None = None
) -> Bid:
    """Put an application on a vacancy's shortlist (an expression of interest)."""
    on = on or timezone.localdate()
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    # Judge the application as it is now, not as the caller last read it.
    application = Application.objects.get(pk=application.pk)
    if vacancy.status != Vacancy.Status.ADVERTISED:
        raise ValidationError("This vacancy is not taking expressions of interest.")
    if not vacancy.opens_on <= on <= vacancy.closes_on:
        raise ValidationError(
            f"Expressions of interest are taken from {vacancy.opens_on:%d/%m/%Y} "
            f"to {vacancy.closes_on:%d/%m/%Y}."
        )
    if application.scheme != vacancy.scheme:
        raise ValidationError("The application is for a different scheme from the vacancy.")
    if application.status != Application.Status.ACTIVE:
        raise ValidationError(
            f"{application} is {application.get_status_display().lower()}, not active."
        )
    if vacancy.bids.filter(application=application).exists():
        raise ValidationError(f"{application} is already on this shortlist.")
    bid = Bid(vacancy=vacancy, application=application, placed_by=by)
    _save(bid, by=by, reason="Expression of interest")
    return bid


_SNAPSHOT_COLUMNS = (
    "application_id",
    "reference",
    "status",
    "band",
    "points",
    "local_connection",
    "effective_date",
    "registration_date",
    "bedroom_need",
    "needs_accessible_home",
    "household_size",
    "lead_date_of_birth",
)


def _snapshot(row: tuple, on: date) -> dict[str, Any]:
    """What an application is ranked on, as plain JSON: kept with the frozen shortlist."""
    (
        application_id,
        reference,
        status,
        band,
        points,
        local_connection,
        effective_date,
        registration_date,
        bedroom_need,
        needs_accessible_home,
        household_size,
        lead_born,
    ) = row
    return {
        "application_id": application_id,
        "label": f"Application {reference}",
        "status": status,
        "band": band,
        "points": points,
        "local_connection_tier": local_connection,
        "effective_date": effective_date.isoformat(),
        "registration_date": registration_date.isoformat(),
        "household_size": household_size or 0,
        "bedroom_need": bedroom_need,
        "lead_age": rules.age_on(lead_born, on) if lead_born else None,
        "needs_accessible_home": needs_accessible_home,
    }


def ineligibility(vacancy: Vacancy, snapshot: dict[str, Any]) -> str:
    """Why a bid cannot be ranked for this vacancy, in plain words ("" if it can)."""
    return _ineligibility(
        vacancy,
        status=snapshot["status"],
        size=snapshot["household_size"],
        need=snapshot["bedroom_need"],
        lead_age=snapshot["lead_age"],
        needs_accessible_home=snapshot["needs_accessible_home"],
        local_connection=snapshot["local_connection_tier"],
    )


def _ineligibility(
    vacancy: Vacancy,
    *,
    status: str,
    size: int,
    need: int | None,
    lead_age: int | None,
    needs_accessible_home: bool,
    local_connection: int | None,
) -> str:
    if status != Application.Status.ACTIVE:
        return f"The application was {Application.Status(status).label.lower()} at closing."
    smallest, largest = vacancy.min_household_size, vacancy.max_household_size
    if smallest and size < smallest:
        return f"Household of {size} is smaller than the {smallest} this unit is for."
    if largest and size > largest:
        return f"Household of {size} is larger than the {largest} this unit is for."
    fewest, most = vacancy.min_bedroom_need, vacancy.max_bedroom_need
    if (fewest or most) and need is None:
        return "No bedroom need has been assessed."
    if fewest and need < fewest:
        return f"Needs {need} bedroom(s); this unit is for a need of {fewest} or more."
    if most and need > most:
        return f"Needs {need} bedroom(s); this unit suits a need of {most} at most."
    if vacancy.min_age and (lead_age or 0) < vacancy.min_age:
        return f"The lead applicant is under {vacancy.min_age}."
    if vacancy.requires_accessible and not needs_accessible_home:
        return "This accessible home is kept for households that need one."
    if vacancy.local_connection_required and not local_connection:
        return "This vacancy is only for households with a local connection."
    return ""


def _row_ineligibility(vacancy: Vacancy, row: tuple, on: date) -> str:
    """The same check straight on a database row (the ranking hot path)."""
    lead_born = row[11]
    return _ineligibility(
        vacancy,
        status=row[2],
        size=row[10] or 0,
        need=row[8],
        lead_age=rules.age_on(lead_born, on) if vacancy.min_age and lead_born else None,
        needs_accessible_home=row[9],
        local_connection=row[5],
    )


def _candidate(snapshot: dict[str, Any]) -> rules.Candidate:
    return rules.Candidate(
        application_id=snapshot["application_id"],
        label=snapshot["label"],
        band=snapshot["band"],
        points=snapshot["points"],
        local_connection_tier=snapshot["local_connection_tier"],
        effective_date=_day(snapshot["effective_date"]),
        registration_date=_day(snapshot["registration_date"]),
    )


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _tie_breakers(policy: PolicyVersion) -> list[rules.TieBreaker]:
    return [rules.TieBreaker(value) for value in policy.rules["tie_breakers"]]


# A policy's ranking order as SQL: the same order rules.rank_key gives (missing values last,
# the application id last of all). Freezing ranks in the database; replay ranks again in
# Python from the recorded values, so each checks the other on every replay.
_ORDER_BY = {
    rules.TieBreaker.LOCAL_CONNECTION: F("application__local_connection").asc(nulls_last=True),
    rules.TieBreaker.BAND: F("application__band").asc(nulls_last=True),
    rules.TieBreaker.POINTS: F("application__points").desc(nulls_last=True),
    rules.TieBreaker.EFFECTIVE_DATE: F("application__effective_date").asc(nulls_last=True),
    rules.TieBreaker.REGISTRATION_DATE: F("application__registration_date").asc(nulls_last=True),
}


def shortlist_snapshots(
    vacancy: Vacancy, *, on: date, order: list[rules.TieBreaker] | None = None
) -> list[dict[str, Any]]:
    """The values every live bid would be ranked on now: one query, however many bids."""
    return [_snapshot(row, on) for row in _ranked_rows(vacancy, order or [])]


@functools.cache
def _ranking_sql(order: tuple[rules.TieBreaker, ...]) -> str:
    """The bids' ranking values in the policy's order, as one SQL statement (cached per order).

    Written out rather than built by the ORM on every call: building and compiling the
    equivalent queryset costs as much as running it, and this is the engine's hot path.
    Columns are those of _SNAPSHOT_COLUMNS; the ORDER BY is the same as rules.rank_key's.
    """
    columns = {
        rules.TieBreaker.LOCAL_CONNECTION: "a.local_connection ASC NULLS LAST",
        rules.TieBreaker.BAND: "a.band ASC NULLS LAST",
        rules.TieBreaker.POINTS: "a.points DESC NULLS LAST",
        rules.TieBreaker.EFFECTIVE_DATE: "a.effective_date ASC NULLS LAST",
        rules.TieBreaker.REGISTRATION_DATE: "a.registration_date ASC NULLS LAST",
    }
    bid, application, person = (
        Bid._meta.db_table,
        Application._meta.db_table,
        Person._meta.db_table,
    )
    return (
        "SELECT b.application_id, a.reference, a.status, a.band, a.points, "  # noqa: S608
        "a.local_connection, a.effective_date, a.registration_date, a.bedroom_need, "
        "a.needs_accessible_home, "
        f"(SELECT count(*) FROM {person} p WHERE p.household_id = a.household_id), "
        f"(SELECT p.date_of_birth FROM {person} p WHERE p.household_id = a.household_id "
        "AND p.relationship = %s LIMIT 1) "
        f"FROM {bid} b JOIN {application} a ON a.id = b.application_id "
        "WHERE b.vacancy_id = %s AND NOT b.withdrawn ORDER BY "
        + ", ".join([columns[rule] for rule in order] + ["a.id"])
    )


def _ranked_rows(vacancy: Vacancy, order: list[rules.TieBreaker]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_ranking_sql(tuple(order)), [Person.Relationship.LEAD.value, vacancy.pk])
        return cursor.fetchall()


def shortlist_rank(
    vacancy: Vacancy, *, policy: PolicyVersion
) -> tuple[list[tuple], list[tuple[tuple, str]]]:
    """The eligible bids' rows in the policy's order, and the ineligible ones with the reason.

    Rows, not snapshots: freezing turns only what it keeps into JSON (`_snapshot`)."""
    on = vacancy.closes_on
    ranked, ineligible = [], []
    for row in _ranked_rows(vacancy, _tie_breakers(policy)):
        reason = _row_ineligibility(vacancy, row, on)
        if reason:
            ineligible.append((row, reason))
        else:
            ranked.append(row)
    return ranked, ineligible


@transaction.atomic
def shortlist_freeze(*, vacancy: Vacancy, by: AbstractBaseUser) -> list[ShortlistEntry]:
    """Close the vacancy and freeze its ranked, explained shortlist under the policy in force
    on the closing date. Two officers freezing at once: the row lock lets only one through."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.frozen_at is not None:
        raise ValidationError("This shortlist is already frozen.")
    if vacancy.status != Vacancy.Status.ADVERTISED:
        raise ValidationError("Only an advertised vacancy can be closed.")
    policy = policy_in_force(scheme=vacancy.scheme, on=vacancy.closes_on)
    rows, ineligible_rows = shortlist_rank(vacancy, policy=policy)
    ranked = [_snapshot(row, vacancy.closes_on) for row in rows]
    ineligible = [(_snapshot(row, vacancy.closes_on), reason) for row, reason in ineligible_rows]
    # The explanations check, pair by pair, that the database's order is the policy's.
    explanations = rules.explanations([_candidate(s) for s in ranked], _tie_breakers(policy))
    entries = [
        ShortlistEntry(
            vacancy=vacancy,
            application_id=snapshot["application_id"],
            position=position,
            eligible=True,
            snapshot=snapshot,
            explanation=explanation,
        )
        for position, (snapshot, explanation) in enumerate(
            zip(ranked, explanations, strict=True), start=1
        )
    ] + [
        ShortlistEntry(
            vacancy=vacancy,
            application_id=snapshot["application_id"],
            eligible=False,
            ineligible_reason=reason,
            snapshot=snapshot,
        )
        for snapshot, reason in ineligible
    ]
    for entry in entries:
        entry.full_clean(validate_unique=False, validate_constraints=False)
    # One insert for the lines and one for their history rows, however long the shortlist.
    bulk_create_with_history(
        entries, ShortlistEntry, default_user=by, default_change_reason="Shortlist frozen"
    )
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.frozen_at = timezone.now()
    vacancy.frozen_by = by
    vacancy.policy_version = policy
    _save(vacancy, by=by, reason=f"Closed; shortlist frozen under {policy}")
    return entries


@dataclass(frozen=True)
class ReplayLine:
    application_id: int
    label: str
    frozen_position: int | None
    replayed_position: int | None
    current_position: int | None


@dataclass(frozen=True)
class Replay:
    same_as_frozen: bool
    changed_by_corrections: bool
    lines: list[ReplayLine]


def shortlist_replay(*, vacancy: Vacancy) -> Replay:
    """Recompute a frozen shortlist from what was recorded and its policy version (it must
    come out the same), and from today's data (what later corrections would have changed)."""
    vacancy = Vacancy.objects.select_related("policy_version").get(pk=vacancy.pk)
    if vacancy.frozen_at is None:
        raise ValidationError("Only a frozen shortlist can be replayed.")
    entries = list(vacancy.shortlist.all())
    order = _tie_breakers(vacancy.policy_version)
    frozen = {e.application_id: e.position for e in entries}
    eligible_snapshots = [e.snapshot for e in entries if not ineligibility(vacancy, e.snapshot)]
    replayed = {
        r.candidate.application_id: r.position
        for r in rules.rank([_candidate(s) for s in eligible_snapshots], order)
    }
    current_snapshots = shortlist_snapshots(vacancy, on=vacancy.closes_on)
    current = {
        r.candidate.application_id: r.position
        for r in rules.rank(
            [_candidate(s) for s in current_snapshots if not ineligibility(vacancy, s)], order
        )
    }
    labels = {e.application_id: e.snapshot["label"] for e in entries}
    lines = [
        ReplayLine(
            application_id=app_id,
            label=labels[app_id],
            frozen_position=frozen.get(app_id),
            replayed_position=replayed.get(app_id),
            current_position=current.get(app_id),
        )
        for app_id in sorted(labels, key=lambda a: (frozen.get(a) is None, frozen.get(a) or 0, a))
    ]
    return Replay(
        same_as_frozen=all(line.frozen_position == line.replayed_position for line in lines),
        changed_by_corrections=any(line.frozen_position != line.current_position for line in lines),
        lines=lines,
    )


@transaction.atomic
def shortlist_bypass(*, entry: ShortlistEntry, reason: str, by: AbstractBaseUser) -> ShortlistEntry:
    """Passing over a higher-ranked applicant is always recorded with its reason."""
    entry = ShortlistEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.eligible:
        raise ValidationError("Only a ranked applicant can be bypassed.")
    if entry.bypass_reason:
        raise ValidationError("This applicant has already been bypassed.")
    entry.bypass_reason = _reason_required(reason)
    entry.bypassed_by = by
    _save(entry, by=by, reason=f"Bypassed: {entry.bypass_reason}")
    return entry


@transaction.atomic
def evidence_attach(
    *, application: Application, kind: str, description: str, upload, by: AbstractBaseUser
) -> EvidenceDocument:
    """Keep a document seen as evidence against the application, privately."""
    document = EvidenceDocument(
        application=application,
        kind=kind,
        description=description,
        original_name=upload.name[:200],
        content_type=getattr(upload, "detected_content_type", "application/octet-stream"),
        size=upload.size,
        uploaded_by=by,
    )
    # Stored under a random name: the original name may hold personal data.
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        document.content_type, ""
    )
    document.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    _save(document, by=by, reason="Evidence attached")
    return document
