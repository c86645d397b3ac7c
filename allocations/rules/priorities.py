"""Who a home goes to first, pure: an adapted home to the households who need its adaptations
(the policy's "adapted homes first"), and a local lettings plan's criteria — required to bid,
or a priority at the close. Each answer comes with its reason in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from allocations.rules.dates import date_in_words
from allocations.rules.lettings import GENERAL_NEEDS, months_before

REQUIRED = "required"
PRIORITY = "priority"


def needing_codes(home_category: str, categories: Sequence[Mapping[str, str]]) -> list[str]:
    """The household categories that need an adapted home's adaptations: its own and every
    category that needs more (the policy's list runs from most adapted, A, to general needs).
    Empty for a general-needs home or one with no category."""
    codes = [c["code"] for c in categories]
    if not home_category or home_category == GENERAL_NEEDS or home_category not in codes:
        return []
    return [code for code in codes[: codes.index(home_category) + 1] if code != GENERAL_NEEDS]


def needs_adaptations(
    household_category: str, home_category: str, categories: Sequence[Mapping[str, str]]
) -> bool:
    return bool(household_category) and household_category in needing_codes(
        home_category, categories
    )


def adaptations_words(household_category: str, home_category: str, needs: bool) -> str:
    household = household_category.upper() or "not assessed"
    if needs:
        return (
            f"Needs this adapted home (household category {household}, home category "
            f"{home_category.upper()}): adapted homes go first to households who need them"
        )
    return (
        f"Does not need this home's adaptations (household category {household}, home "
        f"category {home_category.upper()}): ranked after the households who do"
    )


@dataclass(frozen=True)
class PlanShare:
    """A plan's share for working households, as it stands: its lets so far and how many of
    them went to households in work."""

    share: int  # per cent
    lets: int
    working: int

    @property
    def below(self) -> bool:
        # No lets yet counts as short: the first let goes to a household in work.
        return self.lets == 0 or self.working * 100 < self.share * self.lets

    def words(self) -> str:
        if self.lets == 0:
            return f"plan share: no lets so far under the plan, below {self.share}%"
        status = "below" if self.below else "meeting"
        return (
            f"plan share: {self.working} of {self.lets} let{'' if self.lets == 1 else 's'} so "
            f"far to working households, {status} {self.share}%"
        )


@dataclass(frozen=True)
class PlanCriteria:
    """A local lettings plan's criteria, each "" (not used), "required" or "priority"; and its
    share for working households with where it stands (`share`, set for a close or a live
    ranking: while below, "working_share" is one of its priorities)."""

    name: str
    local_connection: str = ""
    work_or_volunteering: str = ""
    min_age: int | None = None
    min_age_use: str = ""
    no_recent_asb: str = ""
    asb_months: int | None = None
    under_occupation: str = ""
    working_share: int | None = None
    share: PlanShare | None = None

    def uses(self, use: str) -> list[str]:
        found = []
        if self.local_connection == use:
            found.append("local_connection")
        if self.work_or_volunteering == use:
            found.append("work_or_volunteering")
        if self.min_age_use == use and self.min_age:
            found.append("min_age")
        if self.no_recent_asb == use and self.asb_months:
            found.append("no_recent_asb")
        if self.under_occupation == use:
            found.append("under_occupation")
        if use == PRIORITY and self.working_share and self.share is not None and self.share.below:
            found.append("working_share")
        return found

    @property
    def has_priority(self) -> bool:
        return bool(self.uses(PRIORITY))

    def criterion_words(self, criterion: str, parish: str = "") -> str:
        if criterion == "local_connection":
            return f"a local connection to {parish or 'the parish'}"
        if criterion == "work_or_volunteering":
            return "someone in the household in work or volunteering"
        if criterion == "no_recent_asb":
            return (
                "no one in the household with a proven anti-social behaviour record in the "
                f"last {self.asb_months} months"
            )
        if criterion == "under_occupation":
            return "a tenant releasing a home with more bedrooms than they need"
        if criterion == "working_share":
            share = f"; {self.share.words()}" if self.share is not None else ""
            return f"someone in the household in work{share}"
        return f"a lead applicant aged {self.min_age} or over"

    def priority_words(self, parish: str = "") -> str:
        return " and ".join(self.criterion_words(c, parish) for c in self.uses(PRIORITY))

    def lines(self, parish: str = "") -> list[str]:
        """Each criterion in plain words with how it is used, for pages."""
        labels = {REQUIRED: "Required to bid", PRIORITY: "Ranks first at the close"}
        found = [
            f"{labels[use]}: {self.criterion_words(criterion, parish)}"
            for use in (REQUIRED, PRIORITY)
            for criterion in self.uses(use)
            if criterion != "working_share"
        ]
        if self.working_share:
            found.append(
                f"A share for working households: at least {self.working_share}% of the lets "
                "under the plan go to households with someone in work; while the lets so far "
                "fall short, those households rank first at the close"
            )
        return found


@dataclass(frozen=True)
class PlanFacts:
    """What a plan reads about a household, for one home, on a day."""

    own_parish: bool  # a qualifying connection to the advert's parish (tier 1)
    in_work_or_volunteering: bool
    lead_age: int | None
    on: date | None = None
    # The latest proven anti-social behaviour record (None: none recorded).
    asb_on: date | None = None
    # A live tenancy of a home with more bedrooms than the household needs: (bedrooms, need).
    releases: tuple[int, int] | None = None
    in_work: bool = False


def asb_within(plan: PlanCriteria, facts: PlanFacts) -> bool:
    """Whether the household's latest proven anti-social behaviour is within the plan's months
    of the day judged (after the day that many months before it)."""
    if facts.asb_on is None or facts.on is None or not plan.asb_months:
        return False
    return facts.asb_on > months_before(facts.on, plan.asb_months)


def asb_words(plan: PlanCriteria, facts: PlanFacts) -> str:
    return (
        f"a breach for anti-social behaviour on {date_in_words(facts.asb_on)} is within "
        f"{plan.asb_months} months"
        if facts.asb_on is not None
        else ""
    )


def _meets(plan: PlanCriteria, criterion: str, facts: PlanFacts) -> bool:
    if criterion == "local_connection":
        return facts.own_parish
    if criterion == "work_or_volunteering":
        return facts.in_work_or_volunteering
    if criterion == "no_recent_asb":
        return not asb_within(plan, facts)
    if criterion == "under_occupation":
        return facts.releases is not None
    if criterion == "working_share":
        return facts.in_work
    return facts.lead_age is not None and facts.lead_age >= (plan.min_age or 0)


def plan_refusal(plan: PlanCriteria, facts: PlanFacts, parish: str = "") -> str:
    """Why a household may not bid under the plan ("" if it may), said to the household."""
    for criterion in plan.uses(REQUIRED):
        if _meets(plan, criterion, facts):
            continue
        if criterion == "local_connection":
            why = (
                f"it is for households with a local connection to {parish or 'the parish'}; "
                "yours has none recorded"
            )
        elif criterion == "work_or_volunteering":
            why = (
                "it is for households where someone is in work or volunteering; none is "
                "recorded for yours"
            )
        elif criterion == "no_recent_asb":
            why = (
                "it is for households where no one has a proven anti-social behaviour record "
                f"in the last {plan.asb_months} months; {asb_words(plan, facts)}"
            )
        elif criterion == "under_occupation":
            why = (
                "it is for tenants moving from a home with more bedrooms than they need; yours "
                "is not recorded as a tenancy of a larger home"
            )
        else:
            age = facts.lead_age if facts.lead_age is not None else "of unknown age"
            why = f"it is for lead applicants aged {plan.min_age} or over; yours is {age}"
        return f"This home is let under the {plan.name} local lettings plan: {why}."
    return ""


def plan_priority(plan: PlanCriteria, facts: PlanFacts) -> bool:
    """Whether the household meets every priority criterion of the plan."""
    return all(_meets(plan, criterion, facts) for criterion in plan.uses(PRIORITY))


def plan_priority_reason(
    plan: PlanCriteria, meets: bool, parish: str = "", facts: PlanFacts | None = None
) -> str:
    """The frozen line's reason; with the household's facts, what it fell short on."""
    words = plan.priority_words(parish)
    if meets:
        return f"Meets the {plan.name} local lettings plan's priority ({words})"
    reason = f"Does not meet the {plan.name} local lettings plan's priority ({words})"
    if facts is not None:
        short = [
            _short_words(plan, criterion, facts, parish)
            for criterion in plan.uses(PRIORITY)
            if not _meets(plan, criterion, facts)
        ]
        if short:
            reason += ": " + "; ".join(short)
    return reason


def _short_words(plan: PlanCriteria, criterion: str, facts: PlanFacts, parish: str) -> str:
    if criterion == "no_recent_asb":
        return asb_words(plan, facts)
    if criterion == "under_occupation":
        return "not recorded as a tenant of a home larger than they need"
    if criterion == "working_share":
        return "no one recorded in work"
    if criterion == "local_connection":
        return f"no qualifying connection to {parish or 'the parish'}"
    if criterion == "work_or_volunteering":
        return "no one recorded in work or volunteering"
    return "the lead applicant is under the minimum age"
