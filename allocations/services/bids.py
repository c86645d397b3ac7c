"""Bids: the ONE way a bid is placed — by an officer (phone, in person), by the auto-bidder,
or by the applicant — with the bid limit and eligibility checked when it is placed, and each
refusal saying exactly why; withdrawal before the close; and a household under offer taken
off its other shortlists of the cycle on accepting an offer (and put back on them if that
offer is withdrawn)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.models import Application, Bid, BiddingCycle, Offer, ShortlistEntry, Vacancy
from allocations.selectors.policies import policy_in_force
from allocations.selectors.priorities import applying_plan, plan_facts
from config.kernel.dates import letter_date, page_date, page_moment
from config.kernel.records import save
from residents.models import Person


@dataclass(frozen=True)
class HouseholdFacts:
    """What eligibility for a home reads about a household, now."""

    size: int
    bedroom_need: int | None
    lead_age: int | None
    access_category: str


def household_facts(application: Application) -> HouseholdFacts:
    today = timezone.localdate()
    people = list(application.household.people.values_list("relationship", "date_of_birth"))
    lead_born = next((born for rel, born in people if rel == Person.Relationship.LEAD), None)
    return HouseholdFacts(
        size=len(people),
        bedroom_need=application.bedroom_need,
        lead_age=rules.age_on(lead_born, today) if lead_born else None,
        access_category=application.access_category,
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
        return (
            f"This home is for people aged {vacancy.min_age} or over; the lead applicant is "
            f"{facts.lead_age if facts.lead_age is not None else 'of unknown age'}."
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
    general = facts.access_category in ("", rules.GENERAL_NEEDS)
    if vacancy.requires_accessible and not vacancy.access_categories and general:
        return "This accessible home is kept for households that need one."
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
    if cycle is None:
        on = timezone.localdate(now)
        if not vacancy.opens_on <= on <= vacancy.closes_on:
            return (
                f"Expressions of interest are taken from {page_date(vacancy.opens_on)} "
                f"to {page_date(vacancy.closes_on)}."
            )
    return ""


def _application_refusal(application: Application, vacancy: Vacancy) -> str:
    if application.scheme != vacancy.scheme:
        return "The application is for a different scheme from this home."
    if application.status == Application.Status.SUSPENDED:
        until = application.suspended_until
        return f"You are suspended until {letter_date(until)}." if until else "You are suspended."
    if application.status != Application.Status.ACTIVE:
        return (
            f"{application} is {application.get_status_display().lower()}, not active, so it "
            "cannot bid."
        )
    if application.is_on_hold:  # a renewal not answered: no bids until it is
        return f"{application} cannot bid: {application.bidding_blocked_reason}"
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
        refusal = bid_ineligibility(vacancy, household_facts(application), policy)
        if refusal:
            raise ValidationError(refusal)
    refusal = lettings_plan_refusal(application, vacancy, now)
    if refusal:
        raise ValidationError(refusal)
    bid = existing or Bid(vacancy=vacancy, application=application)
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
    """Withdraw a bid before the close; the slot it used is free again."""
    bid = (
        Bid.objects.select_for_update(of=("self",)).select_related("vacancy__cycle").get(pk=bid.pk)
    )
    if bid.withdrawn:
        raise ValidationError("This bid is already withdrawn.")
    vacancy = bid.vacancy
    closed = vacancy.frozen_at is not None or (
        vacancy.cycle is not None
        and timezone.now().replace(microsecond=0) > vacancy.cycle.closes_at
    )
    if closed:
        raise ValidationError(
            "Bidding for this home has closed: the bid can no longer be withdrawn."
        )
    bid.withdrawn = True
    bid.withdrawn_at = timezone.now()
    bid.withdrawal_reason = reason.strip() or "Withdrawn at the household's request"
    save(bid, by=by, reason=f"Bid withdrawn: {bid.withdrawal_reason}")
    return bid


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
    """An accepted offer withdrawn puts the household back on the shortlists that accepting
    it took it off, and only those (another accepted offer, or something else, may have taken
    it off the rest); returns how many. An offer refused, or withdrawn before a reply, took
    the household off nothing."""
    entries = ShortlistEntry.objects.select_for_update().filter(removed_by_offer=offer)
    count = 0
    for entry in entries:
        entry.removed_reason = ""
        entry.removed_by_offer = None
        save(
            entry,
            by=by,
            reason=f"Back on the shortlist: the accepted offer of {offer.vacancy.reference} "
            "was withdrawn",
        )
        count += 1
    return count


def cycle_bid_count(application: Application, cycle: BiddingCycle) -> int:
    return Bid.objects.filter(cycle=cycle, application=application, withdrawn=False).count()


__all__ = [
    "bid_ineligibility",
    "bid_place",
    "bid_withdraw",
    "cycle_bid_count",
    "household_facts",
    "lettings_plan_refusal",
    "place_bid",
    "shortlists_offer_ended",
    "shortlists_under_offer",
]
