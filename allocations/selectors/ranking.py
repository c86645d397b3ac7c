"""Ranking a vacancy's bids under a policy, and replaying a frozen shortlist.

The ranking SQL is the engine's hot path; freezing (services.lettings) ranks in the
database, replay ranks again in Python from the recorded values, so each checks the other."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from psycopg.types.string import TextLoader

from allocations import rules
from allocations.models import (
    Application,
    Bid,
    Offer,
    PolicyVersion,
    Vacancy,
)
from allocations.selectors import priorities
from residents.models import Person


class RankingRow(NamedTuple):
    """One bid's ranking values, as the ranking SQL selects them (in this order).

    Its dates are ISO text ("2024-03-01"), as the database sends them (`_ranked_rows`): a
    snapshot keeps them as they are, and the rules read ISO text as the date it names."""

    application_id: int
    reference: str
    status: str
    band: int | None
    points: int | None
    local_connection_tier: int | None
    effective_date: str
    registration_date: str
    bedroom_need: int | None
    needs_accessible_home: bool
    household_size: int | None
    lead_date_of_birth: str | None
    access_category: str = ""
    needs_adaptations: bool | None = None  # None: the advert has no adapted-home rule
    plan_priority: bool | None = None  # None: the advert has no lettings plan priority
    on_hold_reason: str = ""  # why the application is on hold ("" when it is not)
    offer_held: str = ""  # "<status> <vacancy reference>" of an open or accepted offer held

    @property
    def label(self) -> str:
        """How explanations name it: a row reads as a `rules.Rankable`, so freezing explains
        the rows it has just ranked without making a Candidate of each."""
        return f"Application {self.reference}"


def row_snapshot(row: RankingRow, on: date) -> dict[str, Any]:
    """What an application is ranked on, as plain JSON: kept with the frozen shortlist."""
    return row_snapshots((row,), on)[0]


def row_snapshots(rows: Iterable[RankingRow], on: date) -> list[dict[str, Any]]:
    """`row_snapshot` of each row: freezing's hot path, one snapshot per bid, so each is built
    straight from the row's unpacked values with no call per row or per field. The dates are
    the row's ISO text as it is; the lead's age is `rules.age_on` worked out inline from the
    ISO date of birth, its "-MM-DD" compared as text (a test holds them together)."""
    on_year, on_day = on.year, on.isoformat()[4:]
    return [
        {
            "application_id": application_id,
            "label": f"Application {reference}",
            "status": status,
            "band": band,
            "points": points,
            "local_connection_tier": tier,
            "effective_date": effective_date,
            "registration_date": registration_date,
            "household_size": household_size or 0,
            "bedroom_need": bedroom_need,
            "lead_age": (
                on_year - int(lead_born[:4]) - (on_day < lead_born[4:]) if lead_born else None
            ),
            "needs_accessible_home": needs_accessible_home,
            "access_category": access_category,
            "needs_adaptations": needs_adaptations,
            "plan_priority": plan_priority,
            "on_hold_reason": on_hold_reason,
            "offer_held": offer_held,
            "eligibility_rules": ELIGIBILITY_RULES,
        }
        for (
            application_id,
            reference,
            status,
            band,
            points,
            tier,
            effective_date,
            registration_date,
            bedroom_need,
            needs_accessible_home,
            household_size,
            lead_born,
            access_category,
            needs_adaptations,
            plan_priority,
            on_hold_reason,
            offer_held,
        ) in rows
    ]


# The close's eligibility rules as placing a bid judges it (on hold, an offer held, the
# advert's access categories, an accessible home by the access category): a snapshot frozen
# before them says nothing of them, so its replay judges it by the rules it was frozen under.
ELIGIBILITY_RULES = 2


def ineligibility(vacancy: Vacancy, snapshot: dict[str, Any]) -> str:
    """Why a bid cannot be ranked for this vacancy, in plain words ("" if it can)."""
    current = snapshot.get("eligibility_rules") == ELIGIBILITY_RULES
    return _ineligibility(
        vacancy,
        status=snapshot["status"],
        size=snapshot["household_size"],
        need=snapshot["bedroom_need"],
        lead_age=snapshot["lead_age"],
        needs_accessible_home=snapshot["needs_accessible_home"],
        local_connection=snapshot["local_connection_tier"],
        access_category=snapshot.get("access_category", "") if current else None,
        on_hold=snapshot.get("on_hold_reason", "") if current else "",
        offer_held=snapshot.get("offer_held", "") if current else "",
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
    access_category: str | None = None,
    on_hold: str = "",
    offer_held: str = "",
) -> str:
    """`access_category` None: a snapshot frozen before the close judged access categories
    (`ELIGIBILITY_RULES`), judged as it was then (an accessible home by
    `needs_accessible_home`)."""
    if status != Application.Status.ACTIVE:
        return f"The application was {Application.Status(status).label.lower()} at closing."
    if on_hold:
        return f"The application was on hold at closing: {on_hold}"
    if offer_held:
        offer_status, _, home = offer_held.partition(" ")
        return f"Held an offer ({offer_status}) of {home} at closing."
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
    if access_category is None:
        if vacancy.requires_accessible and not needs_accessible_home:
            return "This accessible home is kept for households that need one."
    else:
        if vacancy.access_categories and access_category not in vacancy.access_categories:
            suits = ", ".join(code.upper() for code in vacancy.access_categories)
            had = (
                f"needed category {access_category.upper()}"
                if access_category
                else "had no access needs assessed"
            )
            return f"This home suits access categories {suits}; the household {had} at closing."
        refusal = rules.accessible_home_refusal(
            requires_accessible=vacancy.requires_accessible,
            access_categories=vacancy.access_categories,
            access_category=access_category,
        )
        if refusal:
            return refusal.replace("your household's", "the household's")
    if vacancy.local_connection_required:
        if per_home(vacancy):
            # The tier for this home (3 when no connection counts): local is 1 or 2.
            if local_connection is None or local_connection > rules.LOCAL_TIER:
                return (
                    f"Only for households with a local connection to {vacancy.parish} or a "
                    "parish next to it; none counted at the close."
                )
        elif not local_connection:
            return "This vacancy is only for households with a local connection."
    return ""


def _only_status(vacancy: Vacancy) -> bool:
    """Whether `_ineligibility` checks only the application's status for this vacancy: it has
    none of the size, bedroom, age, access, accessibility or local connection rules (keep in
    step)."""
    return not (
        vacancy.access_categories
        or vacancy.min_household_size
        or vacancy.max_household_size
        or vacancy.min_bedroom_need
        or vacancy.max_bedroom_need
        or vacancy.min_age
        or vacancy.requires_accessible
        or vacancy.local_connection_required
    )


def _row_ineligibility(vacancy: Vacancy, row: RankingRow, on: date) -> str:
    """The same check straight on a database row (the ranking hot path)."""
    lead_born = row.lead_date_of_birth
    return _ineligibility(
        vacancy,
        status=row.status,
        size=row.household_size or 0,
        need=row.bedroom_need,
        lead_age=(
            rules.age_on(date.fromisoformat(lead_born), on)
            if vacancy.min_age and lead_born
            else None
        ),
        needs_accessible_home=row.needs_accessible_home,
        local_connection=row.local_connection_tier,
        access_category=row.access_category,
        on_hold=row.on_hold_reason,
        offer_held=row.offer_held,
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
        needs_adaptations=snapshot.get("needs_adaptations"),
        plan_priority=snapshot.get("plan_priority"),
    )


def row_candidate(row: RankingRow) -> rules.Candidate:
    """The same Candidate as `snapshot_candidate(row_snapshot(row, ...))`, straight from the
    database row. Freezing hands its rows to `rules.explanations` as they are (a row reads as
    a `rules.Rankable`); tests hold a row, its Candidate and its snapshot's Candidate to the
    same words."""
    return rules.Candidate(
        application_id=row.application_id,
        label=f"Application {row.reference}",
        band=row.band,
        points=row.points,
        local_connection_tier=row.local_connection_tier,
        effective_date=_day(row.effective_date),
        registration_date=_day(row.registration_date),
        needs_adaptations=row.needs_adaptations,
        plan_priority=row.plan_priority,
    )


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def tie_breakers(policy: PolicyVersion) -> list[rules.TieBreaker]:
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
    vacancy: Vacancy,
    *,
    on: date,
    order: list[rules.TieBreaker] | None = None,
    policy: PolicyVersion | None = None,
) -> list[dict[str, Any]]:
    """The values every live bid would be ranked on now: one query, however many bids."""
    return row_snapshots(_ranked_rows(vacancy, order or [], policy), on)


@functools.cache
def _ranking_sql(
    order: tuple[rules.TieBreaker, ...], per_home: bool = False, plan: tuple[str, ...] = ()
) -> str:
    """The bids' ranking values in the policy's order, as one SQL statement (cached per order).

    Written out rather than built by the ORM on every call: building and compiling the
    equivalent queryset costs as much as running it, and this is the engine's hot path.
    Its columns are RankingRow's fields, in order; the ORDER BY is the same as rules.rank_key's.
    `per_home`: the local connection is the household's tier for this advert's parish
    (`connection_tier_sql`), not the one recorded on the application. The advert's own rules
    (`priorities.ranking_order`) come first when they are in `order`: adapted homes to those
    who need them (`%(needs_home)s`), then the lettings plan's `plan` priority criteria.
    """
    columns = {
        rules.TieBreaker.ADAPTED_HOME: "needs_adaptations DESC NULLS LAST",
        rules.TieBreaker.LETTINGS_PLAN: "plan_priority DESC NULLS LAST",
        rules.TieBreaker.LOCAL_CONNECTION: "local_connection_tier ASC NULLS LAST",
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
    tier = connection_tier_sql() if per_home else "a.local_connection"
    adapted = (
        "COALESCE(a.access_category = ANY(%(needs_home)s), FALSE)"
        if rules.TieBreaker.ADAPTED_HOME in order
        else "NULL::boolean"
    )
    priority = (
        priorities.plan_sql(plan, tier)
        if rules.TieBreaker.LETTINGS_PLAN in order
        else "NULL::boolean"
    )
    return (
        "SELECT b.application_id, a.reference, a.status, a.band, a.points, "  # noqa: S608
        f"{tier} AS local_connection_tier, a.effective_date, a.registration_date, "
        "a.bedroom_need, a.needs_accessible_home, "
        f"(SELECT count(*) FROM {person} p WHERE p.household_id = a.household_id), "
        f"(SELECT p.date_of_birth FROM {person} p WHERE p.household_id = a.household_id "
        "AND p.relationship = %(lead)s LIMIT 1), "
        f"a.access_category, {adapted} AS needs_adaptations, {priority} AS plan_priority, "
        f"a.on_hold_reason, {offer_held_sql('%(vacancy)s')} "
        f"FROM {bid} b JOIN {application} a ON a.id = b.application_id "
        "WHERE b.vacancy_id = %(vacancy)s AND NOT b.withdrawn ORDER BY "
        + ", ".join([columns[rule] for rule in order] + ["a.id"])
    )


def offer_held_sql(vacancy: str) -> str:
    """The open or accepted offer of another home than `vacancy` (an SQL expression: a
    parameter, or a column such as "b.vacancy_id") that the application `a` holds, in SQL:
    "<status> <vacancy reference>", or '' when it holds none (`RankingRow.offer_held`).
    Parameters: `KEPT_AT_CLOSE_PARAMS`."""
    return (
        "COALESCE((SELECT o.status || ' ' || v.reference "  # noqa: S608
        f"FROM {Offer._meta.db_table} o JOIN {Vacancy._meta.db_table} v ON v.id = o.vacancy_id "
        "WHERE o.application_id = a.id AND o.status IN (%(offer_open)s, %(offer_accepted)s) "
        f"AND o.vacancy_id <> {vacancy} ORDER BY o.id LIMIT 1), '')"
    )


def kept_at_close_sql(vacancy: str) -> str:
    """The close's checks that do not depend on the home, in SQL (the application `a`, bidding
    for `vacancy`): active, not on hold, holding no offer of another home. The one definition
    of which rivals the close keeps; `_ineligibility`'s first three checks read the same
    columns (`RankingRow.status`, `.on_hold_reason`, `.offer_held`, the last from
    `offer_held_sql`), and the live position (selectors.bids) counts only rivals this keeps.
    Parameters: `KEPT_AT_CLOSE_PARAMS`."""
    return f"(a.status = %(active)s AND a.on_hold_reason = '' AND {offer_held_sql(vacancy)} = '')"


KEPT_AT_CLOSE_PARAMS: dict[str, Any] = {
    "active": Application.Status.ACTIVE.value,
    "offer_open": Offer.Status.OPEN.value,
    "offer_accepted": Offer.Status.ACCEPTED.value,
}


def kept_at_close(row: RankingRow) -> bool:
    """`kept_at_close_sql` on a row the close has read (the columns it computes)."""
    return row.status == Application.Status.ACTIVE and not row.on_hold_reason and not row.offer_held


def connection_tier_sql(parish: str = "%(parish)s", adjacent: str = "%(adjacent)s") -> str:
    """A household's tier for one home, in SQL (`a` the application): 1 when exempt or with a
    qualifying connection to the home's parish, 2 to a parish next to it, otherwise 3. The
    same rule as `rules.connection_tier`, which gives the reason; parameters from
    `connection_tier_params`."""
    from allocations.models import HouseholdConnection

    table = HouseholdConnection._meta.db_table
    return (
        "CASE WHEN a.connection_exempt_group <> '' THEN 1 ELSE COALESCE("  # noqa: S608
        f"(SELECT MIN(CASE WHEN lower(c.parish) = {parish} THEN 1 ELSE 2 END) "
        f"FROM {table} c WHERE c.household_id = a.household_id "
        "AND (c.ended_on IS NULL OR c.ended_on >= %(on)s) "
        f"AND (lower(c.parish) = {parish} OR lower(c.parish) = ANY({adjacent})) "
        "AND ((c.kind = 'residence' AND c.since <= %(residence_cut)s) "
        "OR (c.kind = 'family' AND c.since <= %(family_cut)s) "
        "OR (c.kind = 'work' AND %(work)s))), 3) END"
    )


def connection_tier_params(parish: str, policy: PolicyVersion, on: date) -> dict[str, Any]:
    """The parameters of `connection_tier_sql` for a home in `parish`, on a day."""
    connection = policy.policy.lettings.local_connection
    return {
        "parish": parish.strip().lower(),
        "adjacent": sorted(connection.adjacent_to(parish)),
        "on": on,
        "residence_cut": rules.months_before(on, connection.residence_months),
        "family_cut": rules.months_before(on, 12 * connection.family_years),
        "work": connection.work,
    }


def per_home(vacancy: Vacancy) -> bool:
    """Choice-based lettings adverts with a parish rank by the tier for that home."""
    return bool(vacancy.cycle_id and vacancy.parish)


def ranking_sql_params(vacancy: Vacancy) -> dict[str, Any]:
    """The parameters every `_ranking_sql` statement reads for an advert (its own rules',
    and the connection tier's, are added to them)."""
    return {
        "lead": Person.Relationship.LEAD.value,
        "vacancy": vacancy.pk,
        **KEPT_AT_CLOSE_PARAMS,
    }


def _ranked_rows(
    vacancy: Vacancy, order: list[rules.TieBreaker], policy: PolicyVersion | None = None
) -> list[RankingRow]:
    params: dict[str, Any] = ranking_sql_params(vacancy)
    home = per_home(vacancy) and policy is not None
    plan: tuple[str, ...] = ()
    # The parameters of the advert's own rules, worked out only when the statement reads them.
    if policy is not None and (
        rules.TieBreaker.ADAPTED_HOME in order or rules.TieBreaker.LETTINGS_PLAN in order
    ):
        params |= priorities.priority_params(vacancy, policy)
        if rules.TieBreaker.LETTINGS_PLAN in order:
            plan = priorities.plan_priority_uses(vacancy)
    if home:
        assert policy is not None
        params |= connection_tier_params(vacancy.parish, policy, vacancy.closes_on)
    with connection.cursor() as cursor:
        iso = _dates_as_text(cursor)
        cursor.execute(_ranking_sql(tuple(order), home, plan), params)
        rows = cursor.fetchall()
    if not iso:
        rows = [_iso_dates(row) for row in rows]
    return cast("list[RankingRow]", list(map(_ranking_row, rows)))


# A RankingRow from a row's values: what RankingRow._make does, without its Python call and
# length check for each of a shortlist's rows (the ranking SQL's columns are its fields).
_ranking_row = functools.partial(tuple.__new__, RankingRow)


def _dates_as_text(cursor: Any) -> bool:
    """Have the cursor hand dates over as the text the server sends when that is ISO (the
    DateStyle PostgreSQL is set up with unless changed; False otherwise): a snapshot keeps a
    row's dates as ISO text and the rules read that text as the date, so parsing each date
    only to write it back out would be wasted. The same SQL, so the same work in the database.
    (Only dates of the years 1 to 9999 are ISO text of this form; the application cannot
    save any other, as Python's dates cannot hold them.)"""
    if not (cursor.connection.info.parameter_status("DateStyle") or "").startswith("ISO"):
        return False
    cursor.adapters.register_loader("date", TextLoader)
    return True


def _iso_dates(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row read with its dates as dates (a server whose dates are not ISO text), as
    RankingRow has them: ISO text."""
    effective, registered, born = row[6], row[7], row[11]
    return (
        *row[:6],
        effective.isoformat(),
        registered.isoformat(),
        *row[8:11],
        born.isoformat() if born else None,
        *row[12:],
    )


def shortlist_rank(
    vacancy: Vacancy, *, policy: PolicyVersion
) -> tuple[list[RankingRow], list[tuple[RankingRow, str]]]:
    """The eligible bids' rows in the policy's order, and the ineligible ones with the reason.

    Rows, not snapshots: freezing turns only what it keeps into JSON (`row_snapshots`)."""
    rows = _ranked_rows(vacancy, priorities.ranking_order(vacancy, policy), policy)
    return _judged(vacancy, rows, vacancy.closes_on)


def _judged(
    vacancy: Vacancy, rows: list[RankingRow], on: date
) -> tuple[list[RankingRow], list[tuple[RankingRow, str]]]:
    """The rows that pass `_ineligibility`, in their order, and the others with the reason."""
    if _only_status(vacancy):
        # The checks `_ineligibility` would make: an active application, not on hold and
        # holding no offer, passes them.
        ranked = [row for row in rows if kept_at_close(row)]
        if len(ranked) == len(rows):
            return ranked, []
        passed = {id(row) for row in ranked}
        return ranked, [
            (row, _row_ineligibility(vacancy, row, on)) for row in rows if id(row) not in passed
        ]
    ranked, ineligible = [], []
    for row in rows:
        reason = _row_ineligibility(vacancy, row, on)
        if reason:
            ineligible.append((row, reason))
        else:
            ranked.append(row)
    return ranked, ineligible


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
    vacancy = Vacancy.objects.select_related("policy_version", "unit", "local_lettings_plan").get(
        pk=vacancy.pk
    )
    policy = vacancy.policy_version
    if vacancy.frozen_at is None or policy is None:
        raise ValidationError("Only a frozen shortlist can be replayed.")
    # A direct let's entry was put on the shortlist by a team leader's approval, not ranked.
    entries = [e for e in vacancy.shortlist.all() if not e.snapshot.get("direct_let")]
    order = priorities.frozen_order([e.snapshot for e in entries], policy)
    frozen = {e.application_id: e.position for e in entries}
    eligible_snapshots = [e.snapshot for e in entries if not ineligibility(vacancy, e.snapshot)]
    replayed = {
        r.candidate.application_id: r.position
        for r in rules.rank([snapshot_candidate(s) for s in eligible_snapshots], order)
    }
    current_order = priorities.ranking_order(vacancy, policy)
    current_snapshots = shortlist_snapshots(
        vacancy, on=vacancy.closes_on, order=current_order, policy=policy
    )
    current = {
        r.candidate.application_id: r.position
        for r in rules.rank(
            [snapshot_candidate(s) for s in current_snapshots if not ineligibility(vacancy, s)],
            current_order,
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
