"""Local connection per home: the households' recorded connections, and each frozen line's
tier for an advert's parish with the reason in words (the ranking SQL's rule, explained)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from allocations import rules
from allocations.models import (
    Application,
    HouseholdConnection,
    PolicyVersion,
    Vacancy,
)
from allocations.selectors.policies import local_connection_in_force
from allocations.selectors.priorities import FrozenLine
from allocations.selectors.ranking import per_home


def household_connections(household_ids: list[int]) -> dict[int, list[rules.Connection]]:
    """Each household's recorded connections, as the tier rule reads them (one query)."""
    found: dict[int, list[rules.Connection]] = {pk: [] for pk in household_ids}
    rows = HouseholdConnection.objects.filter(household_id__in=household_ids).values_list(
        "household_id", "kind", "parish", "since", "ended_on"
    )  # plain rows: a cycle's close reads thousands, and needs no model objects
    for household_id, kind, parish, since, ended_on in rows:
        found[household_id].append(
            rules.Connection(kind=kind, parish=parish, since=since, ended_on=ended_on)
        )
    return found


def lines_tiers_explain(
    groups: Sequence[tuple[Vacancy, PolicyVersion, Sequence[FrozenLine]]],
) -> None:
    """Write each frozen line's tier for its home and why (the same rule the ranking SQL
    used, in words), for every advert being frozen together: two queries however many; the
    lines are then saved by the caller."""
    wanted = [(v, p, lines) for v, p, lines in groups if per_home(v) and lines]
    if not wanted:
        return
    # application id → (household id, exempt group): plain rows, thousands at a cycle's close
    applications = {
        pk: (household_id, exempt_group)
        for pk, household_id, exempt_group in Application.objects.filter(
            pk__in={line.application_id for _, _, lines in wanted for line in lines}
        ).values_list("pk", "household_id", "connection_exempt_group")
    }
    connections = household_connections(sorted({h for h, _ in applications.values()}))
    for vacancy, policy, lines in wanted:
        rules_ = policy.policy.lettings.local_connection
        for line in lines:
            household_id, exempt_group = applications[line.application_id]
            tier = rules.connection_tier(
                vacancy.parish,
                connections[household_id],
                rules_,
                on=vacancy.closes_on,
                exempt_group=exempt_group,
            )
            line.connection_tier = tier.tier
            line.connection_reason = tier.reason


@dataclass(frozen=True)
class ConnectionExemption:
    """A household's exemption from the connection test, with who recorded it, when and why
    (none of them for an exemption recorded before the application kept them: its History
    page has them)."""

    ground: str  # the group, as the lettings policy in force names it
    recorded_at: datetime | None = None
    recorded_by: Any = None
    reason: str = ""  # the officer's own words: the evidence seen


def connection_exemption(
    application: Application, *, local: rules.ConnectionRules | None = None
) -> ConnectionExemption | None:
    """The household's exemption from the connection test as its Bids page shows it (None
    when it is not exempt): the group, and who recorded it, when and why, as the application
    keeps them (`connection_exemption_record`). No query when the application was read with
    `connection_exempt_recorded_by` (and none for the policy in force when its `local`
    connection settings are given).

    Sensitive as `connection_exemption_words`: only pages that show the household's
    connections (`allocations.view_bid`) show it."""
    group = application.connection_exempt_group
    if not group:
        return None
    local = local or local_connection_in_force(on=timezone.localdate())
    return ConnectionExemption(
        ground=local.exempt_label(group) or group,
        recorded_at=application.connection_exempt_recorded_at,
        recorded_by=application.connection_exempt_recorded_by,
        reason=application.connection_exempt_reason,
    )


def connection_exemption_words(application: Application) -> str:
    """The household's exemption from the connection test as the page that records it says
    it ("" when it is not exempt), the group named as the lettings policy in force today
    names it.

    Some groups are sensitive (people fleeing violence): only pages that show the household's
    connections (`allocations.view_bid`) show it."""
    group = application.connection_exempt_group
    if not group:
        return ""
    label = local_connection_in_force(on=timezone.localdate()).exempt_label(group)
    return f"{label or group} — tier 1 for every home"
