"""Who an advert goes to first, before the policy's tie-breakers: an adapted home to the
households who need its adaptations (the policy's `adapted_homes_first`), then the bidders who
meet the advert's local lettings plan's priority. The order per advert, its SQL for the
ranking statement, the facts a plan reads about one household, and each frozen line's reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from allocations import rules
from allocations.models import (
    Application,
    HouseholdConnection,
    PolicyVersion,
    ShortlistEntry,
    Vacancy,
)
from residents.models import Person

WORK_KINDS = (HouseholdConnection.Kind.WORK.value, HouseholdConnection.Kind.VOLUNTEERING.value)


def home_category(vacancy: Vacancy) -> str:
    return vacancy.unit.accessibility if vacancy.unit_id else ""


def adapted_first(vacancy: Vacancy, policy: PolicyVersion) -> list[str]:
    """The household categories that go first for this advert ([] when the rule does not
    apply: not a cycle's advert, not an adapted home, or the policy turns it off)."""
    lettings = policy.policy.lettings
    if not vacancy.cycle_id or not lettings.adapted_homes_first:
        return []
    return rules.needing_codes(home_category(vacancy), lettings.access_categories)


def applying_plan(vacancy: Vacancy):
    """The advert's local lettings plan if it applies: approved by a team leader and in date
    on the day the advert opens (None for a draft, an ended or a not-yet-started plan)."""
    plan = vacancy.local_lettings_plan if vacancy.local_lettings_plan_id else None
    return plan if plan is not None and plan.applies_on(vacancy.opens_on) else None


def plan_criteria(vacancy: Vacancy) -> rules.PlanCriteria | None:
    plan = applying_plan(vacancy)
    return plan.criteria() if plan is not None else None


def plan_priority_uses(vacancy: Vacancy) -> tuple[str, ...]:
    """The plan's priority criteria for this advert (() when it has none)."""
    criteria = plan_criteria(vacancy)
    return tuple(criteria.uses("priority")) if criteria else ()


def ranking_order(vacancy: Vacancy, policy: PolicyVersion) -> list[rules.TieBreaker]:
    """The advert's ranking order: its own rules first, then the policy's tie-breakers."""
    order: list[rules.TieBreaker] = []
    if adapted_first(vacancy, policy):
        order.append(rules.TieBreaker.ADAPTED_HOME)
    if plan_priority_uses(vacancy):
        order.append(rules.TieBreaker.LETTINGS_PLAN)
    return order + list(policy.policy.tie_breakers)


def frozen_order(snapshots: list[dict[str, Any]], policy: PolicyVersion) -> list[rules.TieBreaker]:
    """The order a frozen shortlist was ranked in, read from what it recorded (the advert's
    rules applied when its lines carry their values)."""
    order: list[rules.TieBreaker] = []
    if any(s.get("needs_adaptations") is not None for s in snapshots):
        order.append(rules.TieBreaker.ADAPTED_HOME)
    if any(s.get("plan_priority") is not None for s in snapshots):
        order.append(rules.TieBreaker.LETTINGS_PLAN)
    return order + list(policy.policy.tie_breakers)


def born_by(on: date, years: int) -> date:
    """The latest birthday of someone `years` old or more on `on`."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return date(on.year - years, 2, 28)


def work_sql() -> str:
    """Someone in the household (`a` the application) in work or volunteering on a day."""
    table = HouseholdConnection._meta.db_table
    return (
        f"EXISTS (SELECT 1 FROM {table} w WHERE w.household_id = a.household_id "  # noqa: S608
        "AND w.kind = ANY(%(work_kinds)s) AND (w.ended_on IS NULL OR w.ended_on >= %(plan_on)s))"
    )


def lead_born_sql() -> str:
    return (
        f"(SELECT p.date_of_birth FROM {Person._meta.db_table} p "  # noqa: S608
        "WHERE p.household_id = a.household_id AND p.relationship = %(lead)s LIMIT 1)"
    )


def plan_sql(uses: tuple[str, ...], tier: str) -> str:
    """Whether a bidder meets every priority criterion (`tier` the home's tier expression)."""
    parts = []
    for criterion in uses:
        if criterion == "local_connection":
            parts.append(f"COALESCE(({tier}) = 1, FALSE)")
        elif criterion == "work_or_volunteering":
            parts.append(work_sql())
        else:
            parts.append(f"COALESCE({lead_born_sql()} <= %(plan_born_by)s, FALSE)")
    return "(" + " AND ".join(parts) + ")" if parts else "NULL::boolean"


def priority_params(vacancy: Vacancy, policy: PolicyVersion) -> dict[str, Any]:
    criteria = plan_criteria(vacancy)
    on = vacancy.closes_on
    return {
        "needs_home": adapted_first(vacancy, policy),
        "work_kinds": list(WORK_KINDS),
        "plan_on": on,
        "plan_born_by": born_by(on, criteria.min_age or 0) if criteria else on,
    }


def plan_facts(application: Application, vacancy: Vacancy, policy: PolicyVersion, *, on: date):
    """What the advert's plan reads about one household, now (for a bid)."""
    from allocations.selectors.connections import household_connections

    connections = household_connections([application.household_id])[application.household_id]
    tier = rules.connection_tier(
        vacancy.parish,
        connections,
        policy.policy.lettings.local_connection,
        on=on,
        exempt_group=application.connection_exempt_group,
    )
    lead = application.household.people.filter(relationship=Person.Relationship.LEAD).first()
    works = HouseholdConnection.objects.filter(
        household_id=application.household_id, kind__in=WORK_KINDS
    ).exclude(ended_on__lt=on)
    return rules.PlanFacts(
        own_parish=bool(vacancy.parish) and tier.tier == 1,
        in_work_or_volunteering=works.exists(),
        lead_age=rules.age_on(lead.date_of_birth, on) if lead else None,
    )


def shortlist_priorities_explain(
    *, vacancy: Vacancy, entries: list[ShortlistEntry], policy: PolicyVersion
) -> None:
    """Write each frozen line's priority for this home and why (the advert's own rules, from
    the values it was ranked on); the lines are then saved by the caller."""
    home = home_category(vacancy)
    criteria = plan_criteria(vacancy)
    for entry in entries:
        reasons = []
        needs = entry.snapshot.get("needs_adaptations")
        if needs is not None:
            category = entry.snapshot.get("access_category", "")
            reasons.append(rules.adaptations_words(category, home, needs))
        meets = entry.snapshot.get("plan_priority")
        if meets is not None and criteria is not None:
            reasons.append(rules.plan_priority_reason(criteria, meets, vacancy.parish))
        entry.priority_reason = "; ".join(reasons)
