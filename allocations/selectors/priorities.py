"""Who an advert goes to first, before the policy's tie-breakers: an adapted home to the
households who need its adaptations (the policy's `adapted_homes_first`), then the bidders who
meet the advert's local lettings plan's priority. The order per advert, its SQL for the
ranking statement, the facts a plan reads about one household, and each frozen line's reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from allocations import rules
from allocations.models import (
    AllocationDecision,
    Application,
    HouseholdConnection,
    LocalLettingsPlan,
    PolicyVersion,
    Vacancy,
)
from residents.models import Breach, Licence, Person

WORK_KINDS = (HouseholdConnection.Kind.WORK.value, HouseholdConnection.Kind.VOLUNTEERING.value)
IN_WORK_KINDS = (HouseholdConnection.Kind.WORK.value,)
# Proven anti-social behaviour: a nuisance breach of the household's licence or tenancy on
# which a notice to remedy was served (a breach closed before any notice was not proven).
ASB_CATEGORY = Breach.Category.NUISANCE.value
ASB_PROVEN = (
    Breach.Status.NOTICE_SERVED.value,
    Breach.Status.REMEDIED.value,
    Breach.Status.ESCALATED.value,
    Breach.Status.CLOSED.value,
)


class FrozenLine(Protocol):
    """A line being frozen, as the explanations read and write it (services.freezing.Line)."""

    application_id: int
    snapshot: dict[str, Any]
    connection_tier: int | None
    connection_reason: str
    priority_reason: str


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


def plan_shares(
    plan_ids: Iterable[int], shares: dict[int, int], *, before: datetime
) -> dict[int, rules.PlanShare]:
    """Where each plan's share for working households stands: its lets so far (allocation
    decisions approved before `before` on its adverts) and how many went to a household with
    someone in work on the day it was approved. One query, however many plans."""
    ids = [pk for pk in plan_ids if shares.get(pk)]
    if not ids:
        return {}
    working = HouseholdConnection.objects.filter(
        household_id=OuterRef("offer__application__household_id"),
        kind__in=IN_WORK_KINDS,
        since__lte=OuterRef("decided_at__date"),
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("decided_at__date")))
    rows = (
        AllocationDecision.objects.filter(
            status=AllocationDecision.Status.APPROVED,
            offer__vacancy__local_lettings_plan_id__in=ids,
            decided_at__lt=before,
        )
        .annotate(works=Exists(working))
        .values("offer__vacancy__local_lettings_plan_id")
        .annotate(lets=Count("pk"), working=Count("pk", filter=Q(works=True)))
    )
    found = {pk: rules.PlanShare(share=shares[pk], lets=0, working=0) for pk in ids}
    for row in rows:
        pk = row["offer__vacancy__local_lettings_plan_id"]
        found[pk] = rules.PlanShare(share=shares[pk], lets=row["lets"], working=row["working"])
    return found


def share_moment(vacancy: Vacancy) -> datetime:
    """The lets a plan's share counts are those approved before the shortlist was frozen (so a
    replay ranks as the close did), or before now while bidding is open."""
    return vacancy.frozen_at or timezone.now()


def plan_share_prime(vacancies: Iterable[Vacancy]) -> None:
    """Work out the share of every advert's plan that has one, in one query, for
    `plan_criteria` to read (the live ranking's adverts)."""
    pending = [
        v
        for v in vacancies
        if "_plan_share" not in v.__dict__ and (plan := applying_plan(v)) and plan.working_share
    ]
    if not pending:
        return
    plans = {v.local_lettings_plan_id: v.local_lettings_plan for v in pending}
    found = plan_shares(
        plans, {pk: p.working_share for pk, p in plans.items()}, before=timezone.now()
    )
    for vacancy in pending:
        vacancy.__dict__["_plan_share"] = found.get(vacancy.local_lettings_plan_id)


def plan_share(vacancy: Vacancy, plan: LocalLettingsPlan) -> rules.PlanShare | None:
    """The advert's plan's share as it stands for this advert (worked out once per advert
    object: the close ranks, explains and checks with the same answer)."""
    if not plan.working_share:
        return None
    if "_plan_share" not in vacancy.__dict__:
        found = plan_shares([plan.pk], {plan.pk: plan.working_share}, before=share_moment(vacancy))
        vacancy.__dict__["_plan_share"] = found.get(plan.pk)
    return vacancy.__dict__["_plan_share"]


def plan_criteria(vacancy: Vacancy) -> rules.PlanCriteria | None:
    plan = applying_plan(vacancy)
    if plan is None:
        return None
    return dataclasses.replace(plan.criteria(), share=plan_share(vacancy, plan))


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


def in_work_sql() -> str:
    """Someone in the household in work on a day (a plan's share for working households)."""
    table = HouseholdConnection._meta.db_table
    return (
        f"EXISTS (SELECT 1 FROM {table} w WHERE w.household_id = a.household_id "  # noqa: S608
        "AND w.kind = ANY(%(in_work_kinds)s) "
        "AND (w.ended_on IS NULL OR w.ended_on >= %(plan_on)s))"
    )


def asb_on_sql(cut: str = "%(asb_cut)s") -> str:
    """The household's latest proven anti-social behaviour after `cut` (NULL if none)."""
    return (
        f"(SELECT MAX(x.observed_on) FROM {Breach._meta.db_table} x "  # noqa: S608
        f"JOIN {Licence._meta.db_table} l ON l.id = x.licence_id "
        "WHERE l.household_id = a.household_id AND x.category = %(asb_category)s "
        "AND x.status = ANY(%(asb_proven)s) AND x.remedy_due_on IS NOT NULL "
        f"AND x.observed_on > {cut} AND x.observed_on <= %(plan_on)s)"
    )


def releases_sql() -> str:
    """A live tenancy of a home with more bedrooms than the household needs."""
    from sites.models import Unit

    return (
        f"EXISTS (SELECT 1 FROM {Licence._meta.db_table} l "  # noqa: S608
        f"JOIN {Unit._meta.db_table} u ON u.id = l.unit_id "
        "WHERE l.household_id = a.household_id AND l.status = %(live)s "
        "AND u.bedrooms > a.bedroom_need)"
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
        elif criterion == "no_recent_asb":
            parts.append(f"({asb_on_sql()} IS NULL)")
        elif criterion == "under_occupation":
            parts.append(releases_sql())
        elif criterion == "working_share":
            parts.append(in_work_sql())
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
    } | conduct_params(on, criteria.asb_months if criteria else None)


def conduct_params(on: date, asb_months: int | None) -> dict[str, Any]:
    """The parameters of `in_work_sql`, `asb_on_sql` and `releases_sql` (`plan_on` aside)."""
    return {
        "in_work_kinds": list(IN_WORK_KINDS),
        "asb_category": ASB_CATEGORY,
        "asb_proven": list(ASB_PROVEN),
        "asb_cut": rules.months_before(on, asb_months or 0),
        "live": Licence.Status.LIVE.value,
    }


def latest_asb(household_ids: list[int], *, on: date) -> dict[int, date]:
    """Each household's latest proven anti-social behaviour on or before `on` (one query)."""
    rows = (
        Breach.objects.filter(
            licence__household_id__in=household_ids,
            category=ASB_CATEGORY,
            status__in=ASB_PROVEN,
            remedy_due_on__isnull=False,
            observed_on__lte=on,
        )
        .values("licence__household_id")
        .annotate(latest=Max("observed_on"))
    )
    return {row["licence__household_id"]: row["latest"] for row in rows}


def releases(applications: list[Application]) -> dict[int, tuple[int, int]]:
    """Each application whose household has a live tenancy of a home with more bedrooms than
    it needs: (the home's bedrooms, the need). One query."""
    needs = {a.household_id: a for a in applications if a.bedroom_need is not None}
    found: dict[int, tuple[int, int]] = {}
    for household_id, bedrooms in Licence.objects.filter(
        household_id__in=list(needs), status=Licence.Status.LIVE, unit__bedrooms__isnull=False
    ).values_list("household_id", "unit__bedrooms"):
        application = needs[household_id]
        if bedrooms > application.bedroom_need:
            found[application.pk] = (bedrooms, application.bedroom_need)
    return found


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
    kinds = set(
        HouseholdConnection.objects.filter(
            household_id=application.household_id, kind__in=WORK_KINDS
        )
        .exclude(ended_on__lt=on)
        .values_list("kind", flat=True)
    )
    return rules.PlanFacts(
        own_parish=bool(vacancy.parish) and tier.tier == 1,
        in_work_or_volunteering=bool(kinds),
        lead_age=rules.age_on(lead.date_of_birth, on) if lead else None,
        on=on,
        asb_on=latest_asb([application.household_id], on=on).get(application.household_id),
        releases=releases([application]).get(application.pk),
        in_work=bool(kinds & set(IN_WORK_KINDS)),
    )


def shortlist_priorities_explain(
    *, vacancy: Vacancy, entries: Sequence[FrozenLine], policy: PolicyVersion
) -> None:
    """Write each frozen line's priority for this home and why (the advert's own rules, from
    the values it was ranked on); the lines are then saved by the caller."""
    home = home_category(vacancy)
    criteria = plan_criteria(vacancy)
    facts: dict[int, rules.PlanFacts] = {}
    if criteria is not None and criteria.has_priority:
        facts = _line_facts(vacancy, entries, criteria)
    for entry in entries:
        reasons = []
        needs = entry.snapshot.get("needs_adaptations")
        if needs is not None:
            category = entry.snapshot.get("access_category", "")
            reasons.append(rules.adaptations_words(category, home, needs))
        meets = entry.snapshot.get("plan_priority")
        if meets is not None and criteria is not None:
            reasons.append(
                rules.plan_priority_reason(
                    criteria, meets, vacancy.parish, facts.get(entry.application_id)
                )
            )
        elif criteria is not None and criteria.share is not None:
            reasons.append(
                f"The {criteria.name} local lettings plan's share for working households does "
                f"not change the order ({criteria.share.words()})"
            )
        entry.priority_reason = "; ".join(reasons)


def _line_facts(
    vacancy: Vacancy, entries: Sequence[FrozenLine], criteria: rules.PlanCriteria
) -> dict[int, rules.PlanFacts]:
    """What the plan's priority read about each frozen line's household, for its reason: the
    values it was ranked on and, one query each only for the criteria that need them, the
    latest proven anti-social behaviour, the home a tenant would release and who works."""
    uses = criteria.uses("priority")
    on = vacancy.closes_on
    applications = {
        a.pk: a
        for a in Application.objects.filter(pk__in=[e.application_id for e in entries]).only(
            "pk", "household_id", "bedroom_need"
        )
    }
    asb = (
        latest_asb([a.household_id for a in applications.values()], on=on)
        if "no_recent_asb" in uses
        else {}
    )
    released = releases(list(applications.values())) if "under_occupation" in uses else {}
    kinds: dict[int, set[str]] = {a.household_id: set() for a in applications.values()}
    if {"work_or_volunteering", "working_share"} & set(uses):
        for household_id, kind in (
            HouseholdConnection.objects.filter(household_id__in=list(kinds), kind__in=WORK_KINDS)
            .exclude(ended_on__lt=on)
            .values_list("household_id", "kind")
        ):
            kinds[household_id].add(kind)
    facts = {}
    for entry in entries:
        application = applications[entry.application_id]
        tier = entry.connection_tier or entry.snapshot.get("local_connection_tier")
        household_kinds = kinds[application.household_id]
        facts[entry.application_id] = rules.PlanFacts(
            own_parish=tier == 1,
            in_work_or_volunteering=bool(household_kinds),
            lead_age=entry.snapshot.get("lead_age"),
            on=on,
            asb_on=asb.get(application.household_id),
            releases=released.get(application.pk),
            in_work=bool(household_kinds & set(IN_WORK_KINDS)),
        )
    return facts
