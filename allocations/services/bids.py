"""Bids: the ONE way a bid is placed — by an officer (phone, in person), by the auto-bidder,
or by the applicant — with the bid limit and eligibility checked when it is placed, and each
refusal saying exactly why; withdrawal before the close; and a household under offer taken
off its other shortlists of the cycle on accepting an offer (and put back on them if that
offer is withdrawn)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.models import (
    Application,
    Bid,
    BiddingCycle,
    Offer,
    Scheme,
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors.applications import live_offer
from allocations.selectors.connections import household_connections
from allocations.selectors.policies import policy_in_force
from allocations.selectors.priorities import applying_plan, plan_facts
from allocations.selectors.ranking import per_home
from config.kernel.dates import letter_date, page_date, page_moment
from config.kernel.records import save
from residents.models import Person


@dataclass(frozen=True)
class HouseholdFacts:
    """What eligibility for a home reads about a household, as it will stand at the close."""

    size: int
    bedroom_need: int | None
    lead_age: int | None
    access_category: str
    lead_name: str = ""
    on: date | None = None  # the day the lead's age is taken (the close's)
    connection_tier: int | None = None  # for the home's parish; None: not worked out


def household_facts(
    application: Application, *, on: date | None = None, vacancy: Vacancy | None = None
) -> HouseholdFacts:
    """The household's facts on `on` (default today): the day the cycle closes, for a bid,
    as the close judges its shortlist. With a choice-based lettings `vacancy` that has a
    parish, its tier for that home too (`rules.connection_tier`, the close's rule)."""
    on = on or timezone.localdate()
    people = list(
        application.household.people.values_list(
            "relationship", "date_of_birth", "first_name", "last_name"
        )
    )
    lead = next((p for p in people if p[0] == Person.Relationship.LEAD), None)
    lead_born = lead[1] if lead else None
    tier = None
    if vacancy is not None and per_home(vacancy):
        policy = policy_in_force(scheme=vacancy.scheme, on=vacancy.closes_on)
        tier = rules.connection_tier(
            vacancy.parish,
            household_connections([application.household_id])[application.household_id],
            policy.policy.lettings.local_connection,
            on=vacancy.closes_on,
            exempt_group=application.connection_exempt_group,
        ).tier
    return HouseholdFacts(
        size=len(people),
        bedroom_need=application.bedroom_need,
        lead_age=rules.age_on(lead_born, on) if lead_born else None,
        access_category=application.access_category,
        lead_name=f"{lead[2]} {lead[3]}".strip() if lead else "",
        on=on,
        connection_tier=tier,
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def bid_ineligibility(vacancy: Vacancy, facts: HouseholdFacts, policy=None) -> str:
    """Why this household cannot bid for this home, said to the household ("" if it can)."""
    fewest, most = vacancy.min_bedroom_need, vacancy.max_bedroom_need
    if (fewest or most) and facts.bedroom_need is None:
        return "Your bedroom need has not been assessed yet, so you cannot bid for this home."
    if fewest and facts.bedroom_need is not None and facts.bedroom_need < fewest:
        return (
            f"This home needs a household that needs {_plural(fewest, 'bedroom')}; "
            f"your household needs {facts.bedroom_need}."
        )
    if most and facts.bedroom_need is not None and facts.bedroom_need > most:
        return (
            f"This home needs {_plural(most, 'bedroom')}; your household needs "
            f"{facts.bedroom_need}."
        )
    smallest, largest = vacancy.min_household_size, vacancy.max_household_size
    if smallest and facts.size < smallest:
        return f"This home is for households of {smallest} or more; yours is {facts.size}."
    if largest and facts.size > largest:
        return f"This home is for households of {largest} or fewer; yours is {facts.size}."
    if vacancy.min_age and (facts.lead_age or 0) < vacancy.min_age:
        lead = (
            f"the lead applicant, {facts.lead_name}," if facts.lead_name else "the lead applicant"
        )
        if facts.lead_age is None:
            return (
                f"This home is for people aged {vacancy.min_age} or over; {lead} has no date "
                "of birth recorded."
            )
        by = f" by the close on {letter_date(facts.on)}" if facts.on else ""
        return (
            f"This home is for people aged {vacancy.min_age} or over; {lead} will not be "
            f"{vacancy.min_age}{by} ({facts.lead_age} then)."
        )
    if vacancy.access_categories:
        suits = ", ".join(code.upper() for code in vacancy.access_categories)
        if not facts.access_category:
            return (
                f"This home suits access categories {suits}; your household's access needs "
                "have not been assessed."
            )
        if facts.access_category not in vacancy.access_categories:
            words = (
                policy.policy.lettings.access_words(facts.access_category)
                if policy
                else facts.access_category.upper()
            )
            return (
                f"This home suits access categories {suits}; your household needs category {words}."
            )
    refusal = rules.accessible_home_refusal(
        requires_accessible=vacancy.requires_accessible,
        access_categories=vacancy.access_categories,
        access_category=facts.access_category,
    )
    if refusal:
        return refusal
    if (
        vacancy.local_connection_required
        and facts.connection_tier is not None
        and facts.connection_tier > rules.LOCAL_TIER
    ):
        who = f"{facts.lead_name}'s household" if facts.lead_name else "your household"
        return (
            f"This home is only for households with a local connection to {vacancy.parish} "
            f"or a parish next to it; {who} has none recorded."
        )
    return ""


def lettings_plan_refusal(application: Application, vacancy: Vacancy, now) -> str:
    """Why the advert's local lettings plan refuses this household's bid ("" if it does not):
    only the plan's required criteria refuse; its priorities rank at the close. A draft or
    out-of-date plan does not apply."""
    plan = applying_plan(vacancy)
    if plan is None or not plan.criteria().uses("required"):
        return ""
    on = timezone.localdate(now)
    policy = policy_in_force(scheme=vacancy.scheme, on=on)
    facts = plan_facts(application, vacancy, policy, on=on)
    return rules.plan_refusal(plan.criteria(), facts, vacancy.parish)


def _window_refusal(vacancy: Vacancy, now) -> str:
    if vacancy.status == Vacancy.Status.WITHDRAWN:
        return "This advert has been withdrawn, so it is not taking bids."
    cycle = vacancy.cycle
    if cycle is not None:
        moment = now.replace(microsecond=0)
        if moment < cycle.opens_at:
            return f"Bidding for this home opens at {page_moment(cycle.opens_at)} (UK time)."
        if moment > cycle.closes_at or cycle.frozen_at:
            return f"Bidding for this home closed at {page_moment(cycle.closes_at)} (UK time)."
    if vacancy.status != Vacancy.Status.ADVERTISED:
        return "This home is not taking bids."
    if cycle is None and vacancy.scheme == Scheme.CBL:
        # Choice-based lettings take bids only in a cycle (its week, its bid limit, its
        # close); an advert left 'Advertised' with no cycle, from before that rule, takes none.
        return (
            f"{vacancy.reference} is not advertised in a bidding cycle, so it is not taking "
            "bids: the lettings team publishes it into a cycle first."
        )
    if cycle is None:
        on = timezone.localdate(now)
        if not vacancy.opens_on <= on <= vacancy.closes_on:
            return (
                f"Expressions of interest are taken from {page_date(vacancy.opens_on)} "
                f"to {page_date(vacancy.closes_on)}."
            )
    return ""


def _application_refusal(application: Application, vacancy: Vacancy) -> str:
    """Why the household's application cannot bid now, said to the household as every other
    refusal here is ("" if it can): the officer placing a bid reads it out, beside the
    household's name, and an application reference means nothing to the household."""
    if application.scheme != vacancy.scheme:
        return "Your application is for a different scheme from this home."
    if application.status == Application.Status.SUSPENDED:
        until = application.suspended_until
        return f"You are suspended until {letter_date(until)}." if until else "You are suspended."
    if blocked := application.bidding_blocked_reason:  # not active, or a renewal not answered
        return blocked
    held = live_offer(application)  # a household under offer is housed unless it ends
    if held is not None:
        home = f"{held.vacancy.unit} (vacancy {held.vacancy.reference})"
        if held.status == Offer.Status.OPEN:
            return (
                f"You cannot bid while you have an open offer of {home} waiting for your "
                "reply; you may bid again if you refuse that offer."
            )
        return (
            f"You cannot bid: you have accepted an offer of {home}; you may bid again only if "
            "that offer is withdrawn."
        )
    return ""


@transaction.atomic
def place_bid(
    *,
    application: Application,
    advert: Vacancy,
    channel: str,
    by: AbstractBaseUser,
    match_reason: str = "",
) -> Bid:
    """Place a bid on an advert: the one service every channel uses.

    The application row is locked first, so two bids for the same household's last slot
    are judged one after the other (exactly one gets it); then the advert row, so a bid and
    the close never cross. Every check is made before anything is written: a refused bid
    writes nothing."""
    if channel not in Bid.Channel.values:
        raise ValidationError(f"Unknown bidding channel {channel!r}.")
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("household")
        .get(pk=application.pk)
    )
    vacancy = (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("cycle", "local_lettings_plan")
        .get(pk=advert.pk)
    )
    now = timezone.now()
    refusal = _window_refusal(vacancy, now) or _application_refusal(application, vacancy)
    if refusal:
        raise ValidationError(refusal)
    existing = Bid.objects.filter(vacancy=vacancy, application=application).first()
    if existing is not None and not existing.withdrawn:
        raise ValidationError("You have already bid for this home.")
    if vacancy.cycle_id:
        policy = policy_in_force(scheme=vacancy.scheme, on=timezone.localdate(now))
        limit = policy.policy.lettings.bid_limit
        placed = Bid.objects.filter(
            cycle_id=vacancy.cycle_id, application=application, withdrawn=False
        ).count()
        if placed >= limit:
            raise ValidationError(
                f"You have already placed {_plural(placed, 'bid')} this week; the limit is "
                f"{limit}. Withdraw one to bid for this home."
            )
        # Choice-based lettings judge eligibility when the bid is placed; a pitch vacancy's
        # expressions of interest are judged when its shortlist is frozen.
        # Judged as the close will judge it: on its closing day, for this home's parish.
        facts = household_facts(application, on=vacancy.closes_on, vacancy=vacancy)
        refusal = bid_ineligibility(vacancy, facts, policy)
        if refusal:
            raise ValidationError(refusal)
    refusal = lettings_plan_refusal(application, vacancy, now)
    if refusal:
        raise ValidationError(refusal)
    bid = existing or Bid(vacancy=vacancy, application=application)
    # A withdrawn bid placed again is a new bid: placed now, by this channel and person (its
    # history keeps the first one).
    bid.placed_at = now
    bid.withdrawn = False
    bid.withdrawn_at = None
    bid.withdrawal_reason = ""
    bid.placed_by = by
    bid.channel = channel
    bid.cycle_id = vacancy.cycle_id
    bid.match_reason = match_reason
    label = Bid.Channel(channel).label
    save(bid, by=by, reason=f"Bid placed ({label[0].lower()}{label[1:]})")
    return bid


@transaction.atomic
def bid_withdraw(*, bid: Bid, by: AbstractBaseUser, reason: str = "") -> Bid:
    """Withdraw a bid before the close; the slot it used is free again.

    The advert's row is locked first, as placing a bid and the cycle's close lock it, so a
    withdrawal and the close are judged one after the other: once the close has read the
    bids, the withdrawal waits for it and is then refused (the cycle is frozen)."""
    vacancy = Vacancy.objects.select_for_update().get(
        pk=Bid.objects.values("vacancy_id").get(pk=bid.pk)["vacancy_id"]
    )
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    if bid.withdrawn:
        raise ValidationError("This bid is already withdrawn.")
    # Read once the advert is locked: as the close that went first left it.
    cycle = BiddingCycle.objects.filter(pk=vacancy.cycle_id).first()
    closed = vacancy.frozen_at is not None or (
        cycle is not None
        and (cycle.frozen_at is not None or timezone.now().replace(microsecond=0) > cycle.closes_at)
    )
    if closed:
        raise ValidationError(
            "Bidding for this home has closed: the bid can no longer be withdrawn."
        )
    return _withdrawn(bid, by=by, reason=reason.strip() or "Withdrawn at the household's request")


def _withdrawn(bid: Bid, *, by: AbstractBaseUser, reason: str) -> Bid:
    """Mark a locked, live bid withdrawn, with the reason; its history says who and why."""
    bid.withdrawn = True
    bid.withdrawn_at = timezone.now()
    bid.withdrawal_reason = reason
    save(bid, by=by, reason=f"Bid withdrawn: {reason}")
    return bid


def bids_withdraw_with_advert(
    *, vacancy: Vacancy, reason: str, by: AbstractBaseUser, heading: str = "Advert withdrawn"
) -> int:
    """An advert withdrawn, or let outside the cycle while bidding is open (its row locked by
    the caller), takes its live bids with it, each withdrawn with `heading` and the reason, so
    none keeps using one of the household's bids for the week; returns how many."""
    bids = Bid.objects.select_for_update(of=("self",)).filter(vacancy=vacancy, withdrawn=False)
    count = 0
    for bid in bids.order_by("pk"):
        _withdrawn(bid, by=by, reason=f"{heading}: {reason}")
        count += 1
    return count


def bid_place(*, vacancy: Vacancy, application: Application, by: AbstractBaseUser, **_) -> Bid:
    """Older callers' name: an officer's bid by phone, through `place_bid`."""
    return place_bid(application=application, advert=vacancy, channel=Bid.Channel.PHONE, by=by)


# --- A household under offer ------------------------------------------------------------


def shortlists_under_offer(
    *,
    application: Application,
    vacancy: Vacancy,
    by: AbstractBaseUser,
    offer: Offer | None = None,
) -> int:
    """Accepting an offer takes the household off its other shortlists of the same cycle,
    each with the reason and the offer that took it off (`offer`; None for a provider's let
    on nomination, which is final); returns how many."""
    if vacancy.cycle_id is None:
        return 0
    entries = (
        ShortlistEntry.objects.select_for_update()
        .filter(application=application, vacancy__cycle_id=vacancy.cycle_id, removed_reason="")
        .exclude(vacancy=vacancy)
    )
    count = 0
    for entry in entries:
        entry.removed_reason = f"Accepted an offer of {vacancy.reference} in the same cycle"
        entry.removed_by_offer = offer
        save(entry, by=by, reason=entry.removed_reason)
        count += 1
    return count


def shortlists_offer_ended(*, offer: Offer, by: AbstractBaseUser) -> int:
    """An offer refused or withdrawn puts the household back on the shortlists it took the
    household off, and only those (another accepted offer, or something else, may have taken
    it off the rest); returns how many. Accepting takes a household off its other shortlists
    of the cycle; an open or accepted offer takes it off a registered provider's shortlist
    when its home is nominated (`nomination_next`)."""
    entries = ShortlistEntry.objects.select_for_update().filter(removed_by_offer=offer)
    count = 0
    if offer.status == Offer.Status.REFUSED:
        ended = f"the offer of {offer.vacancy.reference} was refused"
    else:  # withdrawn: after the household accepted it (a reply recorded), or before
        accepted = "accepted " if offer.responded_on else ""
        ended = f"the {accepted}offer of {offer.vacancy.reference} was withdrawn"
    for entry in entries:
        entry.removed_reason = ""
        entry.removed_by_offer = None
        save(
            entry,
            by=by,
            reason=f"Back on the shortlist: {ended}",
        )
        count += 1
    return count


def cycle_bid_count(application: Application, cycle: BiddingCycle) -> int:
    return Bid.objects.filter(cycle=cycle, application=application, withdrawn=False).count()


__all__ = [
    "bid_ineligibility",
    "bid_place",
    "bid_withdraw",
    "bids_withdraw_with_advert",
    "cycle_bid_count",
    "household_facts",
    "lettings_plan_refusal",
    "place_bid",
    "shortlists_offer_ended",
    "shortlists_under_offer",
]
