"""Local connection per home: the households' recorded connections, and each frozen line's
tier for an advert's parish with the reason in words (the ranking SQL's rule, explained)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
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


# How `connection_exemption_record` begins the history's reason for an exemption it records
# (the group, then the officer's own words after ": "): how its recording is found again.
EXEMPT_AS = "Exempt from the connection test as "
STILL_EXEMPT_AS = "Still exempt from the connection test as "


@dataclass(frozen=True)
class ConnectionExemption:
    """A household's exemption from the connection test, with who recorded it, when and why
    (from the history row of its latest recording; empty when none is found)."""

    ground: str  # the group, as the lettings policy in force names it
    recorded_at: datetime | None = None
    recorded_by: Any = None
    reason: str = ""  # the officer's own words: the evidence seen


def _officer_words(history_reason: str, label: str) -> str:
    """The officer's words in a recording's reason: "Exempt from the connection test as
    <group>[ (was <group>)]: <words>". The group is tried as the policy names it now first,
    so a ": " within its name does not cut it; else the words follow the first ": "."""
    for prefix in (EXEMPT_AS, STILL_EXEMPT_AS):
        if history_reason.startswith(prefix):
            rest = history_reason.removeprefix(prefix)
            break
    else:
        return history_reason
    if label and rest.startswith(label):
        rest = rest.removeprefix(label)
        if rest.startswith(" (was ") and "): " in rest:
            return rest.split("): ", 1)[1]
    return rest.split(": ", 1)[1] if ": " in rest else ""


def connection_exemption(
    application: Application, *, local: rules.ConnectionRules | None = None
) -> ConnectionExemption | None:
    """The household's exemption from the connection test as its Bids page shows it (None
    when it is not exempt): the group, and who recorded it, when and why — the latest
    recording of that group (a change to the group, or the same group recorded again with
    new evidence), never a later change to the application. One query, however long the
    application's history (and one for the policy in force, unless its `local` connection
    settings are given).

    Sensitive as `connection_exemption_words`: only pages that show the household's
    connections (`allocations.view_bid`) show it."""
    group = application.connection_exempt_group
    if not group:
        return None
    local = local or local_connection_in_force(on=timezone.localdate())
    label = local.exempt_label(group)
    recording = (
        Application.history.filter(id=application.pk, connection_exempt_group=group)
        .filter(
            Q(history_change_reason__startswith=EXEMPT_AS)
            | Q(history_change_reason__startswith=STILL_EXEMPT_AS)
        )
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )
    if recording is None:  # recorded some other way (an import): the group alone
        return ConnectionExemption(ground=label or group)
    return ConnectionExemption(
        ground=label or group,
        recorded_at=recording.history_date,
        recorded_by=recording.history_user,
        reason=_officer_words(recording.history_change_reason or "", label),
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
