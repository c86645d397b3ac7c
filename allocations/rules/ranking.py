"""Ranking a shortlist in policy order, and explaining every place in plain English."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter
from typing import Protocol, cast

from allocations.rules.dates import date_in_words
from allocations.rules.scoring import points_words


class TieBreaker(StrEnum):
    # Set per advert, never listed in a policy's tie-breakers: they come before all of them.
    ADAPTED_HOME = "adapted_home"  # needs the adapted home's adaptations first
    LETTINGS_PLAN = "lettings_plan"  # meets the advert's local lettings plan's priority first
    LOCAL_CONNECTION = "local_connection"  # tier 1 (own parish), 2 (adjacent), 3 (rest of county)
    BAND = "band"  # lower band number first
    POINTS = "points"  # more points first
    EFFECTIVE_DATE = "effective_date"  # earlier first
    REGISTRATION_DATE = "registration_date"  # earlier first


ADVERT_RULES = (TieBreaker.ADAPTED_HOME, TieBreaker.LETTINGS_PLAN)

LOCAL_CONNECTION_TIERS = {1: "own parish", 2: "adjacent parish", 3: "elsewhere in the county"}

_RULE_WORDS = {
    TieBreaker.ADAPTED_HOME: "need for the home's adaptations",
    TieBreaker.LETTINGS_PLAN: "the local lettings plan's priority",
    TieBreaker.LOCAL_CONNECTION: "local connection",
    TieBreaker.BAND: "band",
    TieBreaker.POINTS: "points",
    TieBreaker.EFFECTIVE_DATE: "effective date",
    TieBreaker.REGISTRATION_DATE: "registration date",
}


@dataclass(frozen=True)
class Candidate:
    application_id: int
    label: str  # how explanations name them: "Application 1042"
    band: int | None = None
    points: int | None = None
    local_connection_tier: int | None = None  # None = no connection, ranks after every tier
    effective_date: date | None = None
    registration_date: date | None = None
    # Per advert (None where the advert has no such rule): see TieBreaker.ADAPTED_HOME and
    # TieBreaker.LETTINGS_PLAN.
    needs_adaptations: bool | None = None
    plan_priority: bool | None = None


class Rankable(Protocol):
    """What ranking and its explanations read: a Candidate, or a row with the same names
    (selectors.RankingRow, so freezing explains its rows without copying each)."""

    @property
    def application_id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def band(self) -> int | None: ...
    @property
    def points(self) -> int | None: ...
    @property
    def local_connection_tier(self) -> int | None: ...
    @property
    def effective_date(self) -> date | None: ...
    @property
    def registration_date(self) -> date | None: ...
    @property
    def needs_adaptations(self) -> bool | None: ...
    @property
    def plan_priority(self) -> bool | None: ...


@dataclass(frozen=True)
class Ranked:
    position: int  # 1-based
    candidate: Candidate
    explanation: str  # why it is below the one above; a summary of its priority for position 1


def rank_key(candidate: Rankable, order: Sequence[TieBreaker]) -> tuple[int, ...]:
    """A sort key: smaller ranks higher.

    Each rule contributes (missing?, value), so a missing value ranks after every present one
    and keys never compare None with a number. The key always ends with the application id, so
    no two applications tie: the ranking is a total order and the same on every run (an
    unexplained tie is the kind of decision an ombudsman finds against).
    """
    return _key(candidate, _tie_breakers(order))


def _key(candidate: Rankable, order: list[TieBreaker]) -> tuple[int, ...]:
    return _key_of(candidate, [_VALUE_OF[rule] for rule in order])


def _key_of(candidate: Rankable, values: list[Callable[[Rankable], int | None]]) -> tuple[int, ...]:
    key: list[int] = []
    for value_of in values:
        value = value_of(candidate)
        key += (0, value) if value is not None else (1, 0)
    key.append(candidate.application_id)
    return tuple(key)


def rank_order(candidates: Iterable[Candidate], order: Sequence[TieBreaker]) -> list[Candidate]:
    """The candidates in policy order, without the explanations (see `rank`)."""
    order = _tie_breakers(order)
    pool = list(candidates)
    if len({candidate.application_id for candidate in pool}) != len(pool):
        seen: set[int] = set()
        for candidate in pool:
            if candidate.application_id in seen:
                raise ValueError(f"Application id {candidate.application_id} appears twice")
            seen.add(candidate.application_id)
    return sorted(pool, key=lambda candidate: _key(candidate, order))


def rank(candidates: Iterable[Candidate], order: Sequence[TieBreaker]) -> list[Ranked]:
    """The shortlist in policy order, each place with the reason it is there."""
    order = _tie_breakers(order)
    # The order is checked once here, so the explanations need not check it again.
    ordered = rank_order(candidates, order)
    ranked: list[Ranked] = []
    for index, candidate in enumerate(ordered):
        if index == 0:
            explanation = _highest_priority(candidate, order)
        else:
            explanation = _explain_ordered(ordered[index - 1], candidate, order)
        ranked.append(Ranked(position=index + 1, candidate=candidate, explanation=explanation))
    return ranked


def explanations(ordered: Sequence[Rankable], order: Sequence[TieBreaker]) -> list[str]:
    """The reason for each place of a list already in policy order (ranked elsewhere, e.g. by
    the database); raises ValueError if any pair is out of the policy's order.

    Freezing's hot path: the same words as `explain`; each pair's deciding rule is where their
    rank keys first differ, and the words of the rules they are equal on are made once for each
    set of equal values (a shortlist repeats its bands and points)."""
    order = _tie_breakers(order)
    values = [_VALUE_OF[rule] for rule in order]
    keys = [_key_of(candidate, values) for candidate in ordered]
    if not ordered:
        return []
    texts = [_highest_priority(ordered[0], order)]
    last = 2 * len(order)  # each rule is two places of the key, (missing?, value); then the id
    differ = [_DIFFERENCE[rule] for rule in order]
    equals: dict[tuple[int, ...], str] = {}  # "Equal …; ", by the equal rules' key places

    labels = [candidate.label for candidate in ordered]
    above, key_above, label_above = ordered[0], keys[0], labels[0]
    for below, key_below, label_below in zip(ordered[1:], keys[1:], labels[1:], strict=True):
        place = 0  # where the keys first differ: the rule that decides
        while place < last and key_above[place] == key_below[place]:
            place += 1
        if key_above[place] >= key_below[place]:
            raise ValueError(f"{label_above} does not rank above {label_below} under this policy")
        if place == last:
            texts.append(_explain_decided(above, below, order, None))
        else:
            rule_index = place // 2
            if key_below[2 * rule_index]:  # below has no value for the deciding rule
                difference = _difference(above, below, order[rule_index], True)
            else:
                difference = differ[rule_index](above, below)
            if rule_index:
                equal_places = key_above[: 2 * rule_index]
                prefix = equals.get(equal_places)
                if prefix is None:
                    prefix = equals[equal_places] = (
                        f"Equal {_equal_words(above, order[:rule_index])}; "
                    )
            else:
                prefix = ""
            texts.append(f"{prefix}{label_above} is above {label_below} because {difference}.")
        above, key_above, label_above = below, key_below, label_below
    return texts


def _deciding(
    above: tuple[int, ...], below: tuple[int, ...], order: list[TieBreaker]
) -> TieBreaker | None:
    """The first rule on which two rank keys differ (each rule is two places of the key);
    None when only the application number, the key's last place, separates them."""
    for place, (mine, theirs) in enumerate(zip(above, below, strict=True)):
        if mine != theirs:
            return order[place // 2] if place < 2 * len(order) else None
    return None


def deciding_tie_breaker(
    above: Candidate, below: Candidate, order: Sequence[TieBreaker]
) -> TieBreaker | None:
    """The first rule of the policy on which the two differ; None when only the application
    number separates them."""
    for rule in _tie_breakers(order):
        if _rule_value(above, rule) != _rule_value(below, rule):
            return rule
    return None


def explain(above: Candidate, below: Candidate, order: Sequence[TieBreaker]) -> str:
    """Why one application ranks above another, naming the rule that separates them and the
    rules on which they are equal before it."""
    order = _tie_breakers(order)
    if rank_key(above, order) >= rank_key(below, order):
        raise ValueError(f"{above.label} does not rank above {below.label} under this policy")
    return _explain_ordered(above, below, order)


def _explain_ordered(above: Candidate, below: Candidate, order: list[TieBreaker]) -> str:
    return _explain_decided(above, below, order, deciding_tie_breaker(above, below, order))


def _explain_decided(
    above: Rankable, below: Rankable, order: list[TieBreaker], deciding: TieBreaker | None
) -> str:
    if deciding is None:
        return (
            f"Equal on every rule of the policy; {above.label} is above {below.label} "
            "because it was received first (lower application number)."
        )
    equal_rules = order[: order.index(deciding)]
    because = f"{above.label} is above {below.label} because {_difference(above, below, deciding)}."
    if not equal_rules:
        return because
    return f"Equal {_equal_words(above, equal_rules)}; {because}"


def _equal_words(candidate: Rankable, rules: Sequence[TieBreaker]) -> str:
    """'points (50) and effective date (1 March 2024)': the rules on which a pair is equal."""
    return _join_words([f"{_RULE_WORDS[rule]} ({_equal_value(candidate, rule)})" for rule in rules])


def _tie_breakers(order: Sequence[TieBreaker | str]) -> list[TieBreaker]:
    if all(type(rule) is TieBreaker for rule in order):
        # Already checked: skip the Enum lookups on the hot path.
        return cast("list[TieBreaker]", list(order))
    return [TieBreaker(rule) for rule in order]


def _rule_value(candidate: Rankable, rule: TieBreaker) -> int | None:
    """The candidate's value for a rule, oriented so that smaller ranks higher."""
    return _VALUE_OF[rule](candidate)


def _flag_value(flag: bool | None) -> int | None:
    return None if flag is None else int(not flag)


# Each rule's value, oriented so that smaller ranks higher (None: missing, ranks last).
_VALUE_OF: dict[TieBreaker, Callable[[Rankable], int | None]] = {
    TieBreaker.ADAPTED_HOME: lambda candidate: _flag_value(candidate.needs_adaptations),
    TieBreaker.LETTINGS_PLAN: lambda candidate: _flag_value(candidate.plan_priority),
    TieBreaker.LOCAL_CONNECTION: lambda candidate: candidate.local_connection_tier,
    TieBreaker.BAND: lambda candidate: candidate.band,
    TieBreaker.POINTS: lambda candidate: None if candidate.points is None else -candidate.points,
    TieBreaker.EFFECTIVE_DATE: lambda candidate: (
        None if candidate.effective_date is None else candidate.effective_date.toordinal()
    ),
    TieBreaker.REGISTRATION_DATE: lambda candidate: (
        None if candidate.registration_date is None else candidate.registration_date.toordinal()
    ),
}


def _tier_words(tier: int | None) -> str:
    if tier is None:
        return "no local connection"
    return LOCAL_CONNECTION_TIERS.get(tier, f"connection tier {tier}")


def _missing_words(rule: TieBreaker) -> str:
    if rule is TieBreaker.LOCAL_CONNECTION:
        return "has no local connection"
    return f"has no {_RULE_WORDS[rule]} recorded"


def _flag_words(candidate: Rankable, rule: TieBreaker) -> str:
    if rule is TieBreaker.ADAPTED_HOME:
        return "needs them" if candidate.needs_adaptations else "does not need them"
    return "meets it" if candidate.plan_priority else "does not meet it"


def _equal_value(candidate: Rankable, rule: TieBreaker) -> str:
    if rule in ADVERT_RULES:
        return _flag_words(candidate, rule)
    if rule is TieBreaker.LOCAL_CONNECTION:
        return _tier_words(candidate.local_connection_tier)
    if rule is TieBreaker.BAND:
        return "none recorded" if candidate.band is None else str(candidate.band)
    if rule is TieBreaker.POINTS:
        return "none recorded" if candidate.points is None else str(candidate.points)
    day = _date_for(candidate, rule)
    return "none recorded" if day is None else date_in_words(day)


def _date_for(candidate: Rankable, rule: TieBreaker) -> date | None:
    if rule is TieBreaker.EFFECTIVE_DATE:
        return candidate.effective_date
    return candidate.registration_date


def _difference(
    above: Rankable, below: Rankable, rule: TieBreaker, below_missing: bool | None = None
) -> str:
    """Why `above` wins on `rule`. `below_missing`: whether `below` lacks the rule's value, if
    the caller knows it already (from the rank keys)."""
    if below_missing is None:
        below_missing = _rule_value(below, rule) is None
    # The one above always has the value, since a missing value ranks last.
    if below_missing:
        return f"{below.label} {_missing_words(rule)}"
    return _DIFFERENCE[rule](above, below)


def _earlier(rule: TieBreaker) -> Callable[[Rankable, Rankable], str]:
    name, day_of = _RULE_WORDS[rule], attrgetter(rule.value)  # the rule is the field's name

    def earlier(above: Rankable, below: Rankable) -> str:
        # Both have the date (a missing one is said by `_difference`).
        earlier_day, later_day = date_in_words(day_of(above)), date_in_words(day_of(below))
        return f"its {name}, {earlier_day}, is earlier than {later_day}"

    return earlier


# Why the one above wins on a rule, when both have its value.
_DIFFERENCE: dict[TieBreaker, Callable[[Rankable, Rankable], str]] = {
    TieBreaker.ADAPTED_HOME: lambda above, below: (
        f"it needs this adapted home's adaptations and {below.label} does not"
    ),
    TieBreaker.LETTINGS_PLAN: lambda above, below: (
        f"it meets the local lettings plan's priority and {below.label} does not"
    ),
    TieBreaker.LOCAL_CONNECTION: lambda above, below: (
        f"its local connection, {_tier_words(above.local_connection_tier)}, comes before "
        f"{_tier_words(below.local_connection_tier)}"
    ),
    TieBreaker.BAND: lambda above, below: f"band {above.band} beats band {below.band}",
    TieBreaker.POINTS: lambda above, below: (
        f"it has more points ({above.points} against {below.points})"
    ),
    TieBreaker.EFFECTIVE_DATE: _earlier(TieBreaker.EFFECTIVE_DATE),
    TieBreaker.REGISTRATION_DATE: _earlier(TieBreaker.REGISTRATION_DATE),
}


def _highest_priority(candidate: Rankable, order: Sequence[TieBreaker]) -> str:
    parts: list[str] = []
    for rule in order:
        if _rule_value(candidate, rule) is None:
            parts.append(_missing_words(rule).removeprefix("has "))
        elif rule is TieBreaker.ADAPTED_HOME:
            parts.append(f"{_flag_words(candidate, rule).replace('them', 'the adaptations')}")
        elif rule is TieBreaker.LETTINGS_PLAN:
            parts.append(f"{_flag_words(candidate, rule).replace('it', 'the lettings plan')}")
        elif rule is TieBreaker.LOCAL_CONNECTION:
            parts.append(_tier_words(candidate.local_connection_tier))
        elif rule is TieBreaker.BAND:
            parts.append(f"band {candidate.band}")
        elif rule is TieBreaker.POINTS:
            parts.append(points_words(candidate.points))
        else:
            parts.append(f"{_RULE_WORDS[rule]} {_equal_value(candidate, rule)}")
    if not parts:
        parts.append("received first (lowest application number)")
    return f"Highest priority: {', '.join(parts)}"


def _join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
