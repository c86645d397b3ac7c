"""Vacancies, bids and shortlists: advertising, bidding, ranking, freezing and replaying."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from allocations import rules
from allocations.models import (
    Application,
    Bid,
    PolicyVersion,
    ShortlistEntry,
    Vacancy,
)
from allocations.services.common import next_reference
from allocations.services.policies import policy_in_force
from config.kernel.records import reason_required, save
from residents.models import Person
from sites.models import Unit

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
        reference=next_reference("V", "allocations_vacancy_reference"),
        unit=unit,
        scheme=scheme,
        **fields,
    )
    save(vacancy, by=by, reason="Vacancy created")
    return vacancy


@transaction.atomic
def vacancy_advertise(*, vacancy: Vacancy, by: AbstractBaseUser) -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.DRAFT:
        raise ValidationError("Only a draft vacancy can be advertised.")
    vacancy.status = Vacancy.Status.ADVERTISED
    save(vacancy, by=by, reason="Advertised")
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
    save(bid, by=by, reason="Expression of interest")
    return bid


class RankingRow(NamedTuple):
    """One bid's ranking values: the columns of the ranking SQL, in its order."""

    application_id: int
    reference: str
    status: str
    band: int | None
    points: int | None
    local_connection: int | None
    effective_date: date
    registration_date: date
    bedroom_need: int | None
    needs_accessible_home: bool
    household_size: int | None
    lead_date_of_birth: date | None


def row_snapshot(row: RankingRow, on: date) -> dict[str, Any]:
    """What an application is ranked on, as plain JSON: kept with the frozen shortlist."""
    lead_born = row.lead_date_of_birth
    return {
        "application_id": row.application_id,
        "label": f"Application {row.reference}",
        "status": row.status,
        "band": row.band,
        "points": row.points,
        "local_connection_tier": row.local_connection,
        "effective_date": row.effective_date.isoformat(),
        "registration_date": row.registration_date.isoformat(),
        "household_size": row.household_size or 0,
        "bedroom_need": row.bedroom_need,
        "lead_age": rules.age_on(lead_born, on) if lead_born else None,
        "needs_accessible_home": row.needs_accessible_home,
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


def _row_ineligibility(vacancy: Vacancy, row: RankingRow, on: date) -> str:
    """The same check straight on a database row (the ranking hot path)."""
    lead_born = row.lead_date_of_birth
    return _ineligibility(
        vacancy,
        status=row.status,
        size=row.household_size or 0,
        need=row.bedroom_need,
        lead_age=rules.age_on(lead_born, on) if vacancy.min_age and lead_born else None,
        needs_accessible_home=row.needs_accessible_home,
        local_connection=row.local_connection,
    )


def snapshot_candidate(snapshot: dict[str, Any]) -> rules.Candidate:
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
    return list(policy.policy.tie_breakers)


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
    return [row_snapshot(row, on) for row in _ranked_rows(vacancy, order or [])]


@functools.cache
def _ranking_sql(order: tuple[rules.TieBreaker, ...]) -> str:
    """The bids' ranking values in the policy's order, as one SQL statement (cached per order).

    Written out rather than built by the ORM on every call: building and compiling the
    equivalent queryset costs as much as running it, and this is the engine's hot path.
    Columns are those of RankingRow; the ORDER BY is the same as rules.rank_key's.
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


def _ranked_rows(vacancy: Vacancy, order: list[rules.TieBreaker]) -> list[RankingRow]:
    with connection.cursor() as cursor:
        cursor.execute(_ranking_sql(tuple(order)), [Person.Relationship.LEAD.value, vacancy.pk])
        return list(map(RankingRow._make, cursor.fetchall()))


def shortlist_rank(
    vacancy: Vacancy, *, policy: PolicyVersion
) -> tuple[list[RankingRow], list[tuple[RankingRow, str]]]:
    """The eligible bids' rows in the policy's order, and the ineligible ones with the reason.

    Rows, not snapshots: freezing turns only what it keeps into JSON (`row_snapshot`)."""
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
    ranked = [row_snapshot(row, vacancy.closes_on) for row in rows]
    ineligible = [(row_snapshot(row, vacancy.closes_on), reason) for row, reason in ineligible_rows]
    # The explanations check, pair by pair, that the database's order is the policy's.
    explanations = rules.explanations(
        [snapshot_candidate(s) for s in ranked], _tie_breakers(policy)
    )
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
    save(vacancy, by=by, reason=f"Closed; shortlist frozen under {policy}")
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
        for r in rules.rank([snapshot_candidate(s) for s in eligible_snapshots], order)
    }
    current_snapshots = shortlist_snapshots(vacancy, on=vacancy.closes_on)
    current = {
        r.candidate.application_id: r.position
        for r in rules.rank(
            [snapshot_candidate(s) for s in current_snapshots if not ineligibility(vacancy, s)],
            order,
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
    entry.bypass_reason = reason_required(reason)
    entry.bypassed_by = by
    save(entry, by=by, reason=f"Bypassed: {entry.bypass_reason}")
    return entry
