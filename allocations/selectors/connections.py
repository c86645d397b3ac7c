"""Local connection per home: the households' recorded connections, and each frozen line's
tier for an advert's parish with the reason in words (the ranking SQL's rule, explained)."""

from __future__ import annotations

from allocations import rules
from allocations.models import (
    Application,
    HouseholdConnection,
    PolicyVersion,
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors.ranking import per_home


def household_connections(household_ids: list[int]) -> dict[int, list[rules.Connection]]:
    """Each household's recorded connections, as the tier rule reads them (one query)."""
    found: dict[int, list[rules.Connection]] = {pk: [] for pk in household_ids}
    for row in HouseholdConnection.objects.filter(household_id__in=household_ids):
        found[row.household_id].append(
            rules.Connection(
                kind=row.kind, parish=row.parish, since=row.since, ended_on=row.ended_on
            )
        )
    return found


def shortlist_tiers_explain(
    *, vacancy: Vacancy, entries: list[ShortlistEntry], policy: PolicyVersion
) -> None:
    """Write each frozen line's tier for this home and why (the same rule the ranking SQL
    used, in words); the lines are then saved by the caller."""
    if not per_home(vacancy):
        return
    rules_ = policy.policy.lettings.local_connection
    applications = {
        a.pk: a
        for a in Application.objects.filter(pk__in=[e.application_id for e in entries]).only(
            "pk", "household_id", "connection_exempt_group"
        )
    }
    connections = household_connections([a.household_id for a in applications.values()])
    for entry in entries:
        application = applications[entry.application_id]
        tier = rules.connection_tier(
            vacancy.parish,
            connections[application.household_id],
            rules_,
            on=vacancy.closes_on,
            exempt_group=application.connection_exempt_group,
        )
        entry.connection_tier = tier.tier
        entry.connection_reason = tier.reason
