"""Reads about bids: a bidder's live position on each advert while the cycle is open (three
queries however many bids), a cycle's adverts and bids, and households to bid for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from allocations import rules
from allocations.models import Application, Bid, BiddingCycle, Scheme, Vacancy
from allocations.selectors import priorities
from allocations.selectors.policies import policy_in_force
from allocations.selectors.ranking import (
    KEPT_AT_CLOSE_PARAMS,
    connection_tier_params,
    connection_tier_sql,
    kept_at_close_sql,
)
from residents.models import Person


@dataclass(frozen=True)
class BidPosition:
    bid: Bid
    position: int
    bids: int
    tier: int | None


_ORDER = {
    rules.TieBreaker.LOCAL_CONNECTION: "tier ASC NULLS LAST",
    rules.TieBreaker.BAND: "band ASC NULLS LAST",
    rules.TieBreaker.POINTS: "points DESC NULLS LAST",
    rules.TieBreaker.EFFECTIVE_DATE: "effective_date ASC NULLS LAST",
    rules.TieBreaker.REGISTRATION_DATE: "registration_date ASC NULLS LAST",
}


def bid_positions(application: Application) -> list[BidPosition]:
    """Where the household stands now on each advert it has bid for in an open cycle: its
    place among the live bids in the policy's order, with its tier for that home. Three
    queries (its bids, the policy, one ranking over all those adverts), however many bids.
    Eligibility for the home is judged when a bid is placed; a rival the close would drop
    whatever the home (no longer active, on hold, or holding an offer of another home) is not
    counted, so the household is not told it is further back than it is."""
    bids = list(
        Bid.objects.filter(
            application=application, withdrawn=False, cycle__isnull=False, cycle__frozen_at=None
        )
        .select_related("vacancy__unit__site", "vacancy__local_lettings_plan", "cycle")
        .order_by("vacancy__reference")
    )
    if not bids:
        return []
    policy = policy_in_force(scheme=Scheme.CBL, on=timezone.localdate())
    today = timezone.localdate()
    params = connection_tier_params("", policy, today)
    params |= {
        "ids": [bid.vacancy_id for bid in bids],
        "parishes": [bid.vacancy.parish.strip().lower() for bid in bids],
        "adjacents": [
            "|".join(
                sorted(policy.policy.lettings.local_connection.adjacent_to(bid.vacancy.parish))
            )
            for bid in bids
        ],
        "application": application.pk,
        **KEPT_AT_CLOSE_PARAMS,
    }
    params |= _advert_rule_params(bids, policy)
    # The advert's own rules first (constant where an advert has none), as at the close.
    order = ", ".join(
        [_ADAPTED_RANK, _PLAN_RANK]
        + [_ORDER[rule] for rule in policy.policy.tie_breakers]
        + ["application_id"]
    )
    tier = connection_tier_sql("h.parish", "string_to_array(h.adjacent, '|')")
    sql = (
        "SELECT vacancy_id, position, bids, tier FROM ("  # noqa: S608
        "SELECT r.*, ROW_NUMBER() OVER (PARTITION BY vacancy_id ORDER BY "
        f"{order}) AS position, COUNT(*) OVER (PARTITION BY vacancy_id) AS bids FROM ("
        "SELECT b.vacancy_id, b.application_id, a.band, a.points, a.effective_date, "
        "a.registration_date, CASE WHEN h.parish = '' THEN a.local_connection ELSE "
        f"{tier} END AS tier, "
        "CASE WHEN h.needs = '' OR a.access_category = ANY(string_to_array(h.needs, '|')) "
        "THEN 0 ELSE 1 END AS adapted_rank, h.plan, h.plan_conn, h.plan_work, "
        "NULLIF(h.plan_born, '')::date AS plan_born, "
        f"{priorities.work_sql()} AS works, {priorities.lead_born_sql()} AS lead_born, "
        "CASE WHEN h.plan_asb = '' THEN TRUE ELSE "
        f"{priorities.asb_on_sql(_ASB_CUT)} IS NULL END AS no_asb, "
        f"h.plan_under AND NOT {priorities.releases_sql()} AS not_releasing, "
        f"h.plan_inwork AND NOT {priorities.in_work_sql()} AS not_in_work "
        f"FROM {Bid._meta.db_table} b "
        f"JOIN {Application._meta.db_table} a ON a.id = b.application_id "
        "JOIN unnest(%(ids)s::int[], %(parishes)s::text[], %(adjacents)s::text[], "
        "%(needs)s::text[], %(plans)s::boolean[], %(plan_conns)s::boolean[], "
        "%(plan_works)s::boolean[], %(plan_borns)s::text[], %(plan_asbs)s::text[], "
        "%(plan_unders)s::boolean[], %(plan_inworks)s::boolean[]) "
        "AS h(vacancy_id, parish, adjacent, needs, plan, plan_conn, plan_work, plan_born, "
        "plan_asb, plan_under, plan_inwork) "
        "ON h.vacancy_id = b.vacancy_id "
        "WHERE NOT b.withdrawn AND (b.application_id = %(application)s OR "
        # Only the rivals the close would keep, by its own definition.
        f"{kept_at_close_sql('b.vacancy_id')}) ) r) ranked "
        "WHERE application_id = %(application)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    return [
        BidPosition(
            bid=bid,
            position=found[bid.vacancy_id][0],
            bids=found[bid.vacancy_id][1],
            tier=found[bid.vacancy_id][2],
        )
        for bid in bids
        if bid.vacancy_id in found
    ]


_ADAPTED_RANK = "adapted_rank"
_ASB_CUT = "NULLIF(h.plan_asb, '')::date"
_PLAN_RANK = (
    "CASE WHEN NOT plan THEN 0 WHEN (NOT plan_conn OR COALESCE(tier = 1, FALSE)) "
    "AND (NOT plan_work OR works) "
    "AND (plan_born IS NULL OR COALESCE(lead_born <= plan_born, FALSE)) "
    "AND no_asb AND NOT COALESCE(not_releasing, TRUE) AND NOT not_in_work THEN 0 ELSE 1 END"
)


def _advert_rule_params(bids: list[Bid], policy) -> dict:
    """Each advert's own rules, in the arrays the live ranking reads (see
    `priorities.ranking_order`): who needs an adapted home, and its plan's priorities (its
    share for working households as it stands now: one query for all the plans that have one)."""
    priorities.plan_share_prime(bid.vacancy for bid in bids)
    needs, plans, conns, works, borns, asbs, unders, inworks = [], [], [], [], [], [], [], []
    today = timezone.localdate()
    for bid in bids:
        vacancy = bid.vacancy
        needs.append("|".join(priorities.adapted_first(vacancy, policy)))
        uses = priorities.plan_priority_uses(vacancy)
        plans.append(bool(uses))
        conns.append("local_connection" in uses)
        works.append("work_or_volunteering" in uses)
        plan = vacancy.local_lettings_plan
        borns.append(
            priorities.born_by(vacancy.closes_on, plan.min_age).isoformat()
            if "min_age" in uses and plan is not None and plan.min_age
            else ""
        )
        asbs.append(
            rules.months_before(vacancy.closes_on, plan.asb_months).isoformat()
            if "no_recent_asb" in uses and plan is not None and plan.asb_months
            else ""
        )
        unders.append("under_occupation" in uses)
        inworks.append("working_share" in uses)
    return {
        "needs": needs,
        "plans": plans,
        "plan_conns": conns,
        "plan_works": works,
        "plan_borns": borns,
        "plan_asbs": asbs,
        "plan_unders": unders,
        "plan_inworks": inworks,
        "work_kinds": list(priorities.WORK_KINDS),
        "plan_on": today,
        "lead": Person.Relationship.LEAD.value,
    } | priorities.conduct_params(today, None)


def cycle_list() -> QuerySet:
    return BiddingCycle.objects.annotate(
        advert_count=Count("adverts", distinct=True),
        bid_count=Count("bids", filter=Q(bids__withdrawn=False), distinct=True),
    ).order_by("-opens_at")


def cycle_adverts(cycle: BiddingCycle, *, withdrawn: bool = True) -> list[Vacancy]:
    """The cycle's adverts with their live bid counts; `withdrawn` False leaves out those
    withdrawn (never let: the let results list no "Not let yet" for them)."""
    adverts = cycle.adverts.all()
    if not withdrawn:
        adverts = adverts.exclude(status=Vacancy.Status.WITHDRAWN)
    return list(
        adverts.select_related("unit__site", "let_result")
        .annotate(bid_count=Count("bids", filter=Q(bids__withdrawn=False)))
        .order_by("area", "reference")
    )


def cycle_current(now=None) -> BiddingCycle | None:
    now = (now or timezone.now()).replace(microsecond=0)
    return (
        BiddingCycle.objects.filter(opens_at__lte=now, closes_at__gte=now, frozen_at=None)
        .order_by("opens_at")
        .first()
    )


def household_search(query: str, *, scheme: str = Scheme.CBL) -> QuerySet:
    """Active applications whose reference, household reference or a person's name matches."""
    query = query.strip()
    applications = Application.objects.filter(
        scheme=scheme, status__in=[Application.Status.ACTIVE, Application.Status.SUSPENDED]
    ).select_related("household")
    if not query:
        return applications.none()
    words = query.split()
    matches = Q(reference__iexact=query) | Q(household__reference__iexact=query)
    name = Q()
    for word in words:
        name &= Q(household__people__first_name__icontains=word) | Q(
            household__people__last_name__icontains=word
        )
    return applications.filter(matches | name).distinct().order_by("reference")[:20]


def lead_names(applications) -> dict[int, str]:
    """Each household's lead applicant's name (one query)."""
    ids = [a.household_id for a in applications]
    return {
        household_id: f"{first} {last}"
        for household_id, first, last in Person.objects.filter(
            household_id__in=ids, relationship=Person.Relationship.LEAD
        ).values_list("household_id", "first_name", "last_name")
    }
