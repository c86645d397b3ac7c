"""Ranking a shortlist in policy order, and explaining every place in plain English."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter
from typing import Any, Protocol, cast

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
    (selectors.RankingRow, so freezing explains its rows without copying each). A row's dates
    are ISO text ("2024-03-01"), read as the date it names: ISO dates of a list compare as
    their dates do."""

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
    def effective_date(self) -> date | str | None: ...
    @property
    def registration_date(self) -> date | str | None: ...
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
    key: list[int] = []
    for rule in order:
        value = _VALUE_OF[rule](candidate)
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

    Freezing's hot path: the same words as `explain`, with less work for each pair. Each row's
    values for the rules are read once, as they are (no rank key is built); a pair's deciding
    rule is the first on which they differ, and only that rule's values are compared for order
    and put into words. A row's value is put into words once when the same rule decides the
    pairs on both sides of it; the words of the rules a pair is equal on are made once for each
    set of equal values (a shortlist repeats its bands and points). Each sentence is made in one
    step from the rule's words (`_SENTENCES`)."""
    order = _tie_breakers(order)
    if not ordered:
        return []
    count = len(order)
    # Each row's values for the rules, then its application id: one tuple a row.
    values_of = attrgetter(*[_FIELD[rule] for rule in order], "application_id")
    values = list(map(values_of, ordered)) if count else [(row.application_id,) for row in ordered]
    labels = list(map(_LABEL, ordered))
    higher_first = [rule in _HIGHER_FIRST for rule in order]
    words_of = [_VALUE_WORDS[rule] for rule in order]
    sentences = [_SENTENCES[rule] for rule in order]
    equals: dict[tuple[object, ...], str] = {}  # "Equal …; ", by the equal rules' values
    texts = [_highest_priority(ordered[0], order)]
    above, label_above = values[0], labels[0]
    # The rule that decided the pair above (-1: none yet), that pair's "Equal …; " and the
    # words of its lower row's value of the rule (this pair's upper row).
    decided, prefix, above_words = -1, "", ""
    for index in range(1, len(values)):
        below, label_below = values[index], labels[index]
        place = 0  # the first rule on which they differ: the one that decides
        while place < count and above[place] == below[place]:
            place += 1
        mine, theirs = above[place], below[place]
        if place == count:  # equal on every rule: the application id decides
            if mine >= theirs:
                raise _out_of_order(label_above, label_below)
            texts.append(
                f"Equal on every rule of the policy; {label_above} is above {label_below} "
                "because it was received first (lower application number)."
            )
        else:
            # A missing value ranks last: only the one below may miss it.
            if theirs is not None and (
                mine is None or (mine < theirs if higher_first[place] else mine > theirs)
            ):
                raise _out_of_order(label_above, label_below)
            if place != decided:
                # Equal on the same rules as the pair above: the same values, the same words.
                if place:
                    equal = above[:place]
                    prefix = equals.get(equal) or equals.setdefault(
                        equal, f"Equal {_equal_words(ordered[index - 1], order[:place])}; "
                    )
                else:
                    prefix = ""
            if theirs is None:
                texts.append(
                    f"{prefix}{label_above} is above {label_below} because {label_below} "
                    f"{_missing_words(order[place])}."
                )
            else:
                # Decided by the same rule as the pair above: `mine` is that pair's `theirs`.
                mine_words = above_words if place == decided else words_of[place](mine)
                above_words = words_of[place](theirs)
                texts.append(
                    sentences[place](prefix, label_above, label_below, mine_words, above_words)
                )
        decided = place
        above, label_above = below, label_below
    return texts


def _out_of_order(above: str, below: str) -> ValueError:
    return ValueError(f"{above} does not rank above {below} under this policy")


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
        raise _out_of_order(above.label, below.label)
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
    prefix = f"Equal {_equal_words(above, equal_rules)}; " if equal_rules else ""
    return _sentence(prefix, above, below, deciding)


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


def _day_value(day: date | str | None) -> int | None:
    """A date's place in time, from the date or its ISO text."""
    if day is None:
        return None
    return (date.fromisoformat(day) if isinstance(day, str) else day).toordinal()


# Each rule's value, oriented so that smaller ranks higher (None: missing, ranks last).
_VALUE_OF: dict[TieBreaker, Callable[[Rankable], int | None]] = {
    TieBreaker.ADAPTED_HOME: lambda candidate: _flag_value(candidate.needs_adaptations),
    TieBreaker.LETTINGS_PLAN: lambda candidate: _flag_value(candidate.plan_priority),
    TieBreaker.LOCAL_CONNECTION: lambda candidate: candidate.local_connection_tier,
    TieBreaker.BAND: lambda candidate: candidate.band,
    TieBreaker.POINTS: lambda candidate: None if candidate.points is None else -candidate.points,
    TieBreaker.EFFECTIVE_DATE: lambda candidate: _day_value(candidate.effective_date),
    TieBreaker.REGISTRATION_DATE: lambda candidate: _day_value(candidate.registration_date),
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


def _date_for(candidate: Rankable, rule: TieBreaker) -> date | str | None:
    if rule is TieBreaker.EFFECTIVE_DATE:
        return candidate.effective_date
    return candidate.registration_date


def _sentence(prefix: str, above: Rankable, below: Rankable, rule: TieBreaker) -> str:
    """Why `above` wins on `rule`, after the `prefix` of the rules they are equal on (the words
    `explanations` makes from the values alone)."""
    # The one above always has the value, since a missing value ranks last.
    if _rule_value(below, rule) is None:
        missing = _missing_words(rule)
        return f"{prefix}{above.label} is above {below.label} because {below.label} {missing}."
    field, words = _FIELD[rule], _VALUE_WORDS[rule]
    return _SENTENCES[rule](
        prefix, above.label, below.label, words(getattr(above, field)), words(getattr(below, field))
    )


# The field each rule reads (two rows are equal on a rule when these values are: each rule's
# `_VALUE_OF` tells apart every value), and the rules on which the larger value ranks higher
# (a flag's True, more points), as `_VALUE_OF` orients them; on the others the smaller does.
_FIELD = {
    TieBreaker.ADAPTED_HOME: "needs_adaptations",
    TieBreaker.LETTINGS_PLAN: "plan_priority",
    TieBreaker.LOCAL_CONNECTION: "local_connection_tier",
    TieBreaker.BAND: "band",
    TieBreaker.POINTS: "points",
    TieBreaker.EFFECTIVE_DATE: "effective_date",
    TieBreaker.REGISTRATION_DATE: "registration_date",
}
_HIGHER_FIRST = frozenset({TieBreaker.ADAPTED_HOME, TieBreaker.LETTINGS_PLAN, TieBreaker.POINTS})
_LABEL = attrgetter("label")

# A rule's value in the words `_SENTENCES` puts it in (a flag's are not used).
_VALUE_WORDS: dict[TieBreaker, Callable[[Any], str]] = {
    TieBreaker.ADAPTED_HOME: str,
    TieBreaker.LETTINGS_PLAN: str,
    TieBreaker.LOCAL_CONNECTION: _tier_words,
    TieBreaker.BAND: str,
    TieBreaker.POINTS: str,
    TieBreaker.EFFECTIVE_DATE: date_in_words,
    TieBreaker.REGISTRATION_DATE: date_in_words,
}


# A pair's sentence, from: the "Equal …; " of the rules they are equal on ("" for none), the
# label of the one above, the label of the one below, and their values in words.
_Sentence = Callable[[str, str, str, str, str], str]


def _earlier(rule: TieBreaker) -> _Sentence:
    name = _RULE_WORDS[rule]
    return lambda prefix, above, below, mine, theirs: (
        f"{prefix}{above} is above {below} because its {name}, {mine}, is earlier than {theirs}."
    )


# Why the one above wins on a rule when both have its value, as the whole sentence (made in
# one step: freezing makes one for every line of a shortlist).
_SENTENCES: dict[TieBreaker, _Sentence] = {
    TieBreaker.ADAPTED_HOME: lambda prefix, above, below, mine, theirs: (
        f"{prefix}{above} is above {below} because it needs this adapted home's adaptations "
        f"and {below} does not."
    ),
    TieBreaker.LETTINGS_PLAN: lambda prefix, above, below, mine, theirs: (
        f"{prefix}{above} is above {below} because it meets the local lettings plan's priority "
        f"and {below} does not."
    ),
    TieBreaker.LOCAL_CONNECTION: lambda prefix, above, below, mine, theirs: (
        f"{prefix}{above} is above {below} because its local connection, {mine}, comes before "
        f"{theirs}."
    ),
    TieBreaker.BAND: lambda prefix, above, below, mine, theirs: (
        f"{prefix}{above} is above {below} because band {mine} beats band {theirs}."
    ),
    TieBreaker.POINTS: lambda prefix, above, below, mine, theirs: (
        f"{prefix}{above} is above {below} because it has more points ({mine} against {theirs})."
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


def priority_meaning(*, banded: bool, lowest_band: int | None, tie_breakers: Sequence[Any]) -> str:
    """What a band (or points) means, for the household's letter: the range, and how the
    policy puts the bids for each home in order (s.166A(9)(b): the facts of their case)."""
    order = ", then ".join(_RULE_WORDS[TieBreaker(rule)] for rule in tie_breakers)
    ranked = f"For each home advertised, the bids are put in order by {order}."
    if banded and lowest_band is not None:
        return f"Band 1 is the highest priority and band {lowest_band} the lowest. {ranked}"
    return f"The more points a household has, the higher its priority. {ranked}"
