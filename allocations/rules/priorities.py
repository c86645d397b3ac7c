"""Who a home goes to first, pure: an adapted home to the households who need its adaptations
(the policy's "adapted homes first"), and a local lettings plan's criteria — required to bid,
or a priority at the close. Each answer comes with its reason in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from allocations.rules.lettings import GENERAL_NEEDS

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
class PlanCriteria:
    """A local lettings plan's criteria, each "" (not used), "required" or "priority"."""

    name: str
    local_connection: str = ""
    work_or_volunteering: str = ""
    min_age: int | None = None
    min_age_use: str = ""

    def uses(self, use: str) -> list[str]:
        found = []
        if self.local_connection == use:
            found.append("local_connection")
        if self.work_or_volunteering == use:
            found.append("work_or_volunteering")
        if self.min_age_use == use and self.min_age:
            found.append("min_age")
        return found

    @property
    def has_priority(self) -> bool:
        return bool(self.uses(PRIORITY))

    def criterion_words(self, criterion: str, parish: str = "") -> str:
        if criterion == "local_connection":
            return f"a local connection to {parish or 'the parish'}"
        if criterion == "work_or_volunteering":
            return "someone in the household in work or volunteering"
        return f"a lead applicant aged {self.min_age} or over"

    def priority_words(self, parish: str = "") -> str:
        return " and ".join(self.criterion_words(c, parish) for c in self.uses(PRIORITY))


@dataclass(frozen=True)
class PlanFacts:
    """What a plan reads about a household, for one home."""

    own_parish: bool  # a qualifying connection to the advert's parish (tier 1)
    in_work_or_volunteering: bool
    lead_age: int | None


def _meets(plan: PlanCriteria, criterion: str, facts: PlanFacts) -> bool:
    if criterion == "local_connection":
        return facts.own_parish
    if criterion == "work_or_volunteering":
        return facts.in_work_or_volunteering
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
        else:
            age = facts.lead_age if facts.lead_age is not None else "of unknown age"
            why = f"it is for lead applicants aged {plan.min_age} or over; yours is {age}"
        return f"This home is let under the {plan.name} local lettings plan: {why}."
    return ""


def plan_priority(plan: PlanCriteria, facts: PlanFacts) -> bool:
    """Whether the household meets every priority criterion of the plan."""
    return all(_meets(plan, criterion, facts) for criterion in plan.uses(PRIORITY))


def plan_priority_reason(plan: PlanCriteria, meets: bool, parish: str = "") -> str:
    words = plan.priority_words(parish)
    if meets:
        return f"Meets the {plan.name} local lettings plan's priority ({words})"
    return f"Does not meet the {plan.name} local lettings plan's priority ({words})"
