"""The allocation engine's pure rules: bedroom need, scoring, ranking and the default policies.

Nothing here touches the database, so every rule can be tested exhaustively and every answer
carries its reasons in plain English: an applicant, an officer or an ombudsman must be able to
see why a household needs so many bedrooms and why one application ranks above another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeGuard, cast

# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_in_words(day: date) -> str:
    """'1 March 2024': the form letters use. Built by hand, not strftime("%-d"), which is
    platform-specific (it fails on Windows) and locale-dependent."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a day.

    Someone born on 29 February is a year older on 1 March in a common year, not on
    28 February: in England and Wales a person attains an age at the start of the
    anniversary of their birth, and a common year has no 29 February to be the anniversary.
    """
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)


def _is_int(value: Any) -> TypeGuard[int]:
    # bool is a subclass of int; True is not a number of years.
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------------------------
# 1. Bedroom need
# --------------------------------------------------------------------------------------------


class Sex(StrEnum):
    """Sex as recorded for bedroom need; an expected baby's is unknown until birth."""

    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class BedroomStandard:
    """The policy's bedroom-standard variant, stored as data in the policy.

    Councils use local variants (DOMAIN: "keep the rule in the policy"), so every age limit
    is a field rather than a constant in the code.
    """

    name: str
    adult_age: int = 21  # each person this age or over gets a room (unless in a couple)
    same_sex_share_until: int = 20  # two same-sex people aged any_sex_share_under..this share
    any_sex_share_under: int = 10  # two children under this age share regardless of sex
    count_pregnancy: bool = True  # an evidenced pregnancy counts as an expected child

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("A bedroom standard needs a name")
        for field_name in ("adult_age", "same_sex_share_until", "any_sex_share_under"):
            value = getattr(self, field_name)
            if not _is_int(value) or value < 0:
                raise ValueError(f"Bedroom standard {field_name} must be a whole number of years")
        if not isinstance(self.count_pregnancy, bool):
            raise ValueError("Bedroom standard count_pregnancy must be true or false")
        # The three age groups (children, same-sex sharers, adults) must follow one another:
        # an overlap would put one person in two groups.
        if self.any_sex_share_under > self.same_sex_share_until + 1:
            raise ValueError(
                "Bedroom standard any_sex_share_under must not be above same_sex_share_until + 1"
            )
        if self.same_sex_share_until >= self.adult_age:
            raise ValueError("Bedroom standard same_sex_share_until must be below adult_age")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BedroomStandard:
        unknown = sorted(set(data) - _BEDROOM_STANDARD_FIELDS)
        if unknown:
            raise ValueError(f"Unknown bedroom standard setting: {', '.join(unknown)}")
        if "name" not in data:
            raise ValueError("A bedroom standard needs a name")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "adult_age": self.adult_age,
            "same_sex_share_until": self.same_sex_share_until,
            "any_sex_share_under": self.any_sex_share_under,
            "count_pregnancy": self.count_pregnancy,
        }


_BEDROOM_STANDARD_FIELDS = frozenset(
    {"name", "adult_age", "same_sex_share_until", "any_sex_share_under", "count_pregnancy"}
)

# The "bedroom standard" of the English Housing Survey (from the 1960s Social Survey), the
# measure DOMAIN.md describes: a room for each couple, each other person 21 or over, each pair
# of same-sex 10-20-year-olds, each pair of children under 10; an unpaired 10-20-year-old
# shares with a same-sex child under 10 if possible.
STANDARD_BEDROOM = BedroomStandard("bedroom standard")

# The social sector size criteria ("under-occupancy charge"), Housing Benefit Regulations 2006
# reg. B13 as inserted in 2012: a room for each couple, each other person 16 or over, two
# children of the same sex under 16, two children under 10. Not modelled here: B13's extra
# rooms for a disabled child who cannot share, an overnight carer, or approved foster carers.
SIZE_CRITERIA = BedroomStandard(
    "social sector size criteria", adult_age=16, same_sex_share_until=15, any_sex_share_under=10
)

EXPECTED_CHILD_KEY = "expected child"

# A pregnancy lasts about 40 weeks; a due date further ahead than this is a typing error
# (often the wrong year), and counting it would give a bedroom the household does not need.
LONGEST_PREGNANCY = timedelta(weeks=42)


@dataclass(frozen=True)
class Occupant:
    key: str  # opaque id, used in explanations
    date_of_birth: date | None  # None for an expected baby
    sex: str  # "female" | "male" | "unknown" (expected baby)
    partner_key: str | None = None  # the occupant this one is a couple with (either direction)


@dataclass(frozen=True)
class BedroomNeed:
    bedrooms: int
    rooms: tuple[tuple[str, ...], ...]  # occupant keys per room
    reasons: tuple[str, ...]  # plain English, one per room


def occupants_with_pregnancy(
    occupants: Iterable[Occupant],
    *,
    due_date: date | None,
    on: date,
    standard: BedroomStandard,
) -> list[Occupant]:
    """The household with an expected child added when the policy counts an evidenced
    pregnancy (e.g. a MATB1 form with a due date).

    The expected child is under 10 and of unknown sex, so it shares only with another child
    under 10. A due date already passed still counts: until the birth is recorded the household
    must not lose the room (DOMAIN: need changes "on a birth").
    """
    household = list(occupants)
    if due_date is None or not standard.count_pregnancy:
        return household
    if due_date > on + LONGEST_PREGNANCY:
        raise ValueError(
            f"A due date of {date_in_words(due_date)} is more than 42 weeks after "
            f"{date_in_words(on)}; check the pregnancy evidence"
        )
    if any(person.key == EXPECTED_CHILD_KEY for person in household):
        raise ValueError("The household already has an expected child")
    household.append(Occupant(key=EXPECTED_CHILD_KEY, date_of_birth=None, sex=Sex.UNKNOWN))
    return household


def bedroom_need(
    occupants: Sequence[Occupant], *, on: date, standard: BedroomStandard
) -> BedroomNeed:
    """How many bedrooms a household needs on a day, under the policy's bedroom standard.

    Room count is the minimum the standard allows. Same-sex 10-20-year-olds pair first; children
    under 10 pair with one another; an unpaired 10-20-year-old shares with a same-sex child under
    10 where that saves a room (pairing teenagers together never costs a room, and a teenager
    takes a child only when the children are an odd number, or when two teenagers of different
    sexes can each take one).
    """
    people = list(occupants)
    if not people:
        raise ValueError("A household needs at least one person")
    _check_household(people, on)
    position = {person.key: index for index, person in enumerate(people)}

    def age(person: Occupant) -> int:
        # An expected child is counted from birth, so it is treated as aged 0.
        return 0 if person.date_of_birth is None else age_on(person.date_of_birth, on)

    def oldest_first(group: Iterable[Occupant]) -> list[Occupant]:
        return sorted(
            group,
            key=lambda person: (
                person.date_of_birth is None,
                person.date_of_birth or date.min,
                position[person.key],
            ),
        )

    adult_words = f"aged {standard.adult_age} or over"
    child_words = f"under {standard.any_sex_share_under}"
    young_words = f"aged {standard.any_sex_share_under} to {standard.same_sex_share_until}"

    rooms: list[tuple[tuple[str, ...], str]] = []
    couples = _couples(people)
    in_couple = {key for couple in couples for key in couple}
    for first, second in couples:
        rooms.append(((first, second), f"couple ({first} and {second})"))

    adults: list[Occupant] = []
    young: dict[str, list[Occupant]] = {Sex.FEMALE: [], Sex.MALE: [], Sex.UNKNOWN: []}
    children: list[Occupant] = []
    own_room: list[Occupant] = []
    for person in people:
        if person.key in in_couple:
            continue
        years = age(person)
        if years >= standard.adult_age:
            adults.append(person)
        elif years < standard.any_sex_share_under:
            children.append(person)
        elif years <= standard.same_sex_share_until:
            young[person.sex].append(person)
        else:
            # A gap between same_sex_share_until and adult_age in a local variant: no sharing
            # rule covers these ages, so the person is not assumed to share.
            own_room.append(person)

    for person in adults:
        rooms.append(((person.key,), f"{adult_words} ({person.key})"))

    unpaired_young: list[Occupant] = []
    for sex in (Sex.FEMALE, Sex.MALE):
        group = oldest_first(young[sex])
        for index in range(0, len(group) - 1, 2):
            first, second = group[index].key, group[index + 1].key
            rooms.append(((first, second), f"same-sex pair {young_words} ({first} and {second})"))
        if len(group) % 2:
            unpaired_young.append(group[-1])

    # Which unpaired 10-20-year-olds take a same-sex child: only where it saves a room.
    children = oldest_first(children)
    can_share = [
        person
        for person in oldest_first(unpaired_young)
        if any(child.sex == person.sex for child in children)
    ]
    # With an odd number of children one is left over, so one teenager taking a child saves a
    # room; with an even number it saves a room only if both (one of each sex) take one.
    sharing = can_share[:1] if len(children) % 2 else can_share[: len(can_share) // 2 * 2]
    shared_with: list[tuple[Occupant, Occupant]] = []
    for person in sharing:
        child = next(child for child in children if child.sex == person.sex)
        children.remove(child)
        shared_with.append((person, child))

    for index in range(0, len(children) - 1, 2):
        first, second = children[index].key, children[index + 1].key
        rooms.append(((first, second), f"two children {child_words} ({first} and {second})"))
    for person, child in shared_with:
        rooms.append(
            (
                (person.key, child.key),
                f"{young_words} sharing with a same-sex child {child_words} "
                f"({person.key} and {child.key})",
            )
        )

    for person in unpaired_young:
        if person in sharing:
            continue
        rooms.append(
            (
                (person.key,),
                f"{young_words} with no same-sex person left to share with ({person.key})",
            )
        )
    for person in oldest_first(young[Sex.UNKNOWN]):
        rooms.append(
            (
                (person.key,),
                f"{young_words} with sex not recorded, so not assumed to share ({person.key})",
            )
        )
    if len(children) % 2:
        person = children[-1]
        rooms.append(
            ((person.key,), f"child {child_words} with no one to share with ({person.key})")
        )
    for person in own_room:
        rooms.append(
            (
                (person.key,),
                f"aged {age(person)}, an age this standard gives a room of their own "
                f"({person.key})",
            )
        )

    return BedroomNeed(
        bedrooms=len(rooms),
        rooms=tuple(keys for keys, _ in rooms),
        reasons=tuple(f"Room {number}: {why}" for number, (_, why) in enumerate(rooms, start=1)),
    )


def _check_household(people: Sequence[Occupant], on: date) -> None:
    seen: set[str] = set()
    for person in people:
        if person.key in seen:
            raise ValueError(f"{person.key} appears twice in the household")
        seen.add(person.key)
        if person.sex not in set(Sex):
            raise ValueError(
                f"{person.key} has sex {person.sex!r}; expected 'female', 'male' or 'unknown'"
            )
        if person.date_of_birth is not None and person.date_of_birth > on:
            raise ValueError(
                f"{person.key} was born on {date_in_words(person.date_of_birth)}, "
                f"after {date_in_words(on)}"
            )
        if person.partner_key == person.key:
            raise ValueError(f"{person.key} is recorded as their own partner")


def _couples(people: Sequence[Occupant]) -> list[tuple[str, str]]:
    """Couples in household order. A link recorded on either partner is enough; a partner who
    is not in the household (separated, or living elsewhere) leaves the person single."""
    keys = {person.key for person in people}
    partner: dict[str, str] = {}
    for person in people:
        if person.partner_key is None or person.partner_key not in keys:
            continue
        for one, other in ((person.key, person.partner_key), (person.partner_key, person.key)):
            if partner.setdefault(one, other) != other:
                raise ValueError(
                    f"{one} is recorded as a couple with both {partner[one]} and {other}"
                )
    couples: list[tuple[str, str]] = []
    placed: set[str] = set()
    for person in people:
        if person.key in partner and person.key not in placed:
            couples.append((person.key, partner[person.key]))
            placed.update(couples[-1])
    return couples


# --------------------------------------------------------------------------------------------
# 2. Scoring
# --------------------------------------------------------------------------------------------


class PriorityScheme(StrEnum):
    POINTS = "points"
    BANDS = "bands"


@dataclass(frozen=True)
class Criterion:
    code: str  # "no_fixed_abode"
    label: str  # "No fixed abode or insecure tenure"
    points: int | None  # for points schemes
    band: int | None  # for band schemes (1 is the highest priority)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Criterion:
        return cls(
            code=data["code"], label=data["label"], points=data.get("points"), band=data.get("band")
        )

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "points": self.points, "band": self.band}


@dataclass(frozen=True)
class Score:
    points: int | None
    band: int | None
    reasons: tuple[str, ...]


def score(
    met: Iterable[str],
    *,
    criteria: Sequence[Criterion],
    scheme: PriorityScheme,
    lowest_band: int | None,
) -> Score:
    """Score the criteria an application meets under a policy.

    Points schemes add the points of every criterion met. Band schemes place the application
    in the best band it qualifies for; meeting none puts it in the lowest band, which every
    eligible household is in (Wiltshire: the register has no "no band"). Reasons list every
    criterion met in the policy's order, so a letter can show the whole assessment.
    """
    scheme = PriorityScheme(scheme)
    by_code: dict[str, Criterion] = {}
    for criterion in criteria:
        if criterion.code in by_code:
            raise ValueError(f"The policy lists criterion {criterion.code!r} twice")
        by_code[criterion.code] = criterion
    met_codes = set()
    for code in met:
        if code not in by_code:
            raise ValueError(f"Unknown criterion {code!r}: it is not in this policy")
        met_codes.add(code)
    met_criteria = [criterion for criterion in criteria if criterion.code in met_codes]

    if scheme is PriorityScheme.POINTS:
        for criterion in met_criteria:
            if criterion.points is None:
                raise ValueError(f"Criterion {criterion.code!r} has no points in this policy")
        reasons = [
            f"{criterion.label}: {_points_words(criterion.points)}" for criterion in met_criteria
        ]
        total = sum(criterion.points or 0 for criterion in met_criteria)
        if not reasons:
            reasons = ["No priority criteria met: 0 points"]
        return Score(points=total, band=None, reasons=tuple(reasons))

    if lowest_band is None:
        raise ValueError("A band scheme needs a lowest band")
    for criterion in met_criteria:
        if criterion.band is None:
            raise ValueError(f"Criterion {criterion.code!r} has no band in this policy")
    if not met_criteria:
        return Score(
            points=None,
            band=lowest_band,
            reasons=(f"No priority criteria met: band {lowest_band}",),
        )
    reasons = [f"Band {criterion.band}: {criterion.label}" for criterion in met_criteria]
    best = min(criterion.band for criterion in met_criteria if criterion.band is not None)
    return Score(points=None, band=best, reasons=tuple(reasons))


def _points_words(points: int | None) -> str:
    return "1 point" if points == 1 else f"{points} points"


# --------------------------------------------------------------------------------------------
# 3. Ranking and explanations
# --------------------------------------------------------------------------------------------


class TieBreaker(StrEnum):
    LOCAL_CONNECTION = "local_connection"  # tier 1 (own parish), 2 (adjacent), 3 (rest of county)
    BAND = "band"  # lower band number first
    POINTS = "points"  # more points first
    EFFECTIVE_DATE = "effective_date"  # earlier first
    REGISTRATION_DATE = "registration_date"  # earlier first


LOCAL_CONNECTION_TIERS = {1: "own parish", 2: "adjacent parish", 3: "elsewhere in the county"}

_RULE_WORDS = {
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


@dataclass(frozen=True)
class Ranked:
    position: int  # 1-based
    candidate: Candidate
    explanation: str  # why it is below the one above; a summary of its priority for position 1


def rank_key(candidate: Candidate, order: Sequence[TieBreaker]) -> tuple[int, ...]:
    """A sort key: smaller ranks higher.

    Each rule contributes (missing?, value), so a missing value ranks after every present one
    and keys never compare None with a number. The key always ends with the application id, so
    no two applications tie: the ranking is a total order and the same on every run (an
    unexplained tie is the kind of decision an ombudsman finds against).
    """
    return _key(candidate, _tie_breakers(order))


def _key(candidate: Candidate, order: list[TieBreaker]) -> tuple[int, ...]:
    key: list[int] = []
    for rule in order:
        value = _rule_value(candidate, rule)
        key.extend((0, value) if value is not None else (1, 0))
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


def explanations(ordered: Sequence[Candidate], order: Sequence[TieBreaker]) -> list[str]:
    """The reason for each place of a list already in policy order (ranked elsewhere, e.g. by
    the database); raises ValueError if any pair is out of the policy's order."""
    order = _tie_breakers(order)
    keys = [_key(candidate, order) for candidate in ordered]
    for index in range(1, len(ordered)):
        if keys[index - 1] >= keys[index]:
            raise ValueError(
                f"{ordered[index - 1].label} does not rank above {ordered[index].label} "
                "under this policy"
            )
    return [
        _highest_priority(candidate, order)
        if index == 0
        else _explain_ordered(ordered[index - 1], candidate, order)
        for index, candidate in enumerate(ordered)
    ]


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
    deciding = deciding_tie_breaker(above, below, order)
    if deciding is None:
        return (
            f"Equal on every rule of the policy; {above.label} is above {below.label} "
            "because it was received first (lower application number)."
        )
    equal_rules = order[: order.index(deciding)]
    because = f"{above.label} is above {below.label} because {_difference(above, below, deciding)}."
    if not equal_rules:
        return because
    equal = _join_words(
        [f"{_RULE_WORDS[rule]} ({_equal_value(above, rule)})" for rule in equal_rules]
    )
    return f"Equal {equal}; {because}"


def _tie_breakers(order: Sequence[TieBreaker | str]) -> list[TieBreaker]:
    if all(type(rule) is TieBreaker for rule in order):
        # already checked: skip the Enum lookups on the hot path
        return cast("list[TieBreaker]", list(order))
    return [TieBreaker(rule) for rule in order]


def _rule_value(candidate: Candidate, rule: TieBreaker) -> int | None:
    """The candidate's value for a rule, oriented so that smaller ranks higher."""
    if rule is TieBreaker.LOCAL_CONNECTION:
        return candidate.local_connection_tier
    if rule is TieBreaker.BAND:
        return candidate.band
    if rule is TieBreaker.POINTS:
        return None if candidate.points is None else -candidate.points
    if rule is TieBreaker.EFFECTIVE_DATE:
        day = candidate.effective_date
        return None if day is None else day.toordinal()
    day = candidate.registration_date
    return None if day is None else day.toordinal()


def _tier_words(tier: int | None) -> str:
    if tier is None:
        return "no local connection"
    return LOCAL_CONNECTION_TIERS.get(tier, f"connection tier {tier}")


def _missing_words(rule: TieBreaker) -> str:
    if rule is TieBreaker.LOCAL_CONNECTION:
        return "has no local connection"
    return f"has no {_RULE_WORDS[rule]} recorded"


def _equal_value(candidate: Candidate, rule: TieBreaker) -> str:
    if rule is TieBreaker.LOCAL_CONNECTION:
        return _tier_words(candidate.local_connection_tier)
    if rule is TieBreaker.BAND:
        return "none recorded" if candidate.band is None else str(candidate.band)
    if rule is TieBreaker.POINTS:
        return "none recorded" if candidate.points is None else str(candidate.points)
    day = _date_for(candidate, rule)
    return "none recorded" if day is None else date_in_words(day)


def _date_for(candidate: Candidate, rule: TieBreaker) -> date | None:
    if rule is TieBreaker.EFFECTIVE_DATE:
        return candidate.effective_date
    return candidate.registration_date


def _difference(above: Candidate, below: Candidate, rule: TieBreaker) -> str:
    # The one above always has the value, since a missing value ranks last.
    if _rule_value(below, rule) is None:
        return f"{below.label} {_missing_words(rule)}"
    if rule is TieBreaker.LOCAL_CONNECTION:
        return (
            f"its local connection, {_tier_words(above.local_connection_tier)}, comes before "
            f"{_tier_words(below.local_connection_tier)}"
        )
    if rule is TieBreaker.BAND:
        return f"band {above.band} beats band {below.band}"
    if rule is TieBreaker.POINTS:
        return f"it has more points ({above.points} against {below.points})"
    return (
        f"its {_RULE_WORDS[rule]}, {_equal_value(above, rule)}, is earlier than "
        f"{_equal_value(below, rule)}"
    )


def _highest_priority(candidate: Candidate, order: Sequence[TieBreaker]) -> str:
    parts: list[str] = []
    for rule in order:
        if _rule_value(candidate, rule) is None:
            parts.append(_missing_words(rule).removeprefix("has "))
        elif rule is TieBreaker.LOCAL_CONNECTION:
            parts.append(_tier_words(candidate.local_connection_tier))
        elif rule is TieBreaker.BAND:
            parts.append(f"band {candidate.band}")
        elif rule is TieBreaker.POINTS:
            parts.append(_points_words(candidate.points))
        else:
            parts.append(f"{_RULE_WORDS[rule]} {_equal_value(candidate, rule)}")
    if not parts:
        parts.append("received first (lowest application number)")
    return f"Highest priority: {', '.join(parts)}"


def _join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


# --------------------------------------------------------------------------------------------
# 4. Default policies, as data
# --------------------------------------------------------------------------------------------

# Illustrative points in the style of Kent's 2012 pitch allocation policy (a needs assessment
# scored with points). The council sets the real values when it publishes its policy; these
# only need to be realistic and ordered by need: having nowhere lawful to stay comes first.
_PITCH_CRITERIA = (
    Criterion("roadside", "Roadside or with no authorised place to stay", points=100, band=None),
    Criterion("pitch_overcrowding", "Overcrowding on the current pitch", points=50, band=None),
    Criterion(
        "medical_stable_base",
        "Medical need or disability requiring a stable base",
        points=50,
        band=None,
    ),
    Criterion("insecure_site", "Living on a site without security of tenure", points=40, band=None),
    Criterion(
        "children_education", "Children's education needs a settled base", points=30, band=None
    ),
    Criterion("family_support", "Giving or receiving family support nearby", points=20, band=None),
    Criterion("local_connection", "Local connection to the area", points=20, band=None),
)

# Homes4Wiltshire's bands, as DOMAIN.md lists them.
_CBL_CRITERIA = (
    Criterion("statutory_requirement", "Statutory requirement", points=None, band=1),
    Criterion("priority_move_on", "Priority move-on", points=None, band=1),
    Criterion("urgent_medical_welfare", "Urgent medical or welfare need", points=None, band=1),
    Criterion("care_leaver", "Care leaver aged up to 25", points=None, band=1),
    Criterion(
        "social_tenant_under_occupying", "Social tenant under-occupying", points=None, band=1
    ),
    Criterion("under_occupying_hardship", "Under-occupying with hardship", points=None, band=2),
    Criterion("social_care_priority", "Social-care priority", points=None, band=2),
    Criterion("no_fixed_abode", "No fixed abode or insecure tenure", points=None, band=3),
    Criterion(
        "temporary_or_supported",
        "Temporary or supported accommodation",
        points=None,
        band=3,
    ),
    Criterion("serious_overcrowding", "Serious overcrowding", points=None, band=3),
    Criterion("medical_welfare", "Medical or welfare need", points=None, band=3),
    Criterion(
        "lacking_or_sharing_facilities", "Lacking or sharing facilities", points=None, band=4
    ),
)

# Renewal letters: a reminder before the renewal date; no reply 28 days after the last letter
# puts the application on hold; 60 days after that it is closed (DOMAIN: "Renewals").
_RENEWAL = {"reminder_days_before": 28, "hold_after_days": 28, "close_after_days": 60}

# Checks that must be back before an offer (partner kinds), unless a team leader records an
# exception. Versions published before these settings existed use these defaults.
_PITCH_REQUIRED_CHECKS = ("police", "previous_landlord")
_CBL_REQUIRED_CHECKS = ("previous_landlord",)

# What the officer answers, clause by clause, when proposing an allocation for approval.
_COMMON_DECISION_CHECKLIST = (
    {
        "code": "shortlist_order",
        "label": "The offer followed the shortlist order, or every bypass has a recorded reason",
    },
    {
        "code": "still_eligible",
        "label": "The household was still eligible, with the circumstances it was ranked on",
    },
    {
        "code": "checks_returned",
        "label": "The required checks are back, or a team leader recorded an exception",
    },
    {"code": "interview_held", "label": "The household was interviewed and the outcome recorded"},
)
_PITCH_DECISION_CHECKLIST = (
    *_COMMON_DECISION_CHECKLIST,
    {
        "code": "site_visit_held",
        "label": "A site familiarisation visit was held with two officers",
    },
    {
        "code": "pitch_suits_household",
        "label": "The pitch suits the household: caravans, access and amenity block",
    },
)
_CBL_DECISION_CHECKLIST = (
    *_COMMON_DECISION_CHECKLIST,
    {
        "code": "home_suits_household",
        "label": "The home suits the household: bedroom need and accessibility",
    },
)
PARTNER_KINDS = (
    "police",
    "previous_landlord",
    "other_council",
    "social_care",
    "probation",
    "other",
)


def required_checks(policy_rules: Mapping[str, Any]) -> list[str]:
    """Partner kinds whose checks must be back before an offer under this policy."""
    if "required_checks" in policy_rules:
        return list(policy_rules["required_checks"])
    pitch = policy_rules.get("scheme") == "pitch"
    return list(_PITCH_REQUIRED_CHECKS if pitch else _CBL_REQUIRED_CHECKS)


def decision_checklist(policy_rules: Mapping[str, Any]) -> list[dict[str, str]]:
    """The clauses an officer answers when proposing an allocation under this policy."""
    if "decision_checklist" in policy_rules:
        return [dict(clause) for clause in policy_rules["decision_checklist"]]
    pitch = policy_rules.get("scheme") == "pitch"
    return [dict(c) for c in (_PITCH_DECISION_CHECKLIST if pitch else _CBL_DECISION_CHECKLIST)]


DEFAULT_PITCH_POLICY: dict[str, Any] = {
    "name": "Gypsy and Traveller Pitch Allocation Policy",
    "scheme": "pitch",
    "priority_scheme": PriorityScheme.POINTS.value,
    "lowest_band": None,
    "criteria": [criterion.to_dict() for criterion in _PITCH_CRITERIA],
    # Points, then the earliest effective (priority) date, then the earliest registration.
    "tie_breakers": [
        TieBreaker.POINTS.value,
        TieBreaker.EFFECTIVE_DATE.value,
        TieBreaker.REGISTRATION_DATE.value,
    ],
    "bedroom_standard": STANDARD_BEDROOM.to_dict(),
    "eligibility": [
        {"code": "aged_18_or_over", "label": "Aged 18 or over"},
        {
            "code": "gypsy_or_traveller_status",
            "label": "Gypsy or Traveller status (ethnicity, or the Housing Act 2004 s.225 "
            "definition)",
        },
        {
            "code": "consent_to_enquiries",
            "label": "Consent to enquiries of the police and other councils",
        },
        {"code": "two_references", "label": "Two checkable references, not from family"},
    ],
    "exclusions": [
        {
            "code": "violence_court_order",
            "label": "A court order for violence in the last 3 years",
        },
        {"code": "threats_to_staff", "label": "Threats or violence towards staff"},
        {
            "code": "former_pitch_arrears",
            "label": "Arrears on a former council pitch with no repayment agreement kept to",
        },
    ],
    # Pitches are scarce: a refused suitable pitch delays someone else. The council sets the
    # limit; this mirrors the Wiltshire lettings rule so both schemes treat refusals alike.
    "refusal_limit": {"count": 2, "suspension_months": 12},
    # Pitch applications lapse after 12 months unless renewed.
    "lapse_months": 12,
    "renewal": dict(_RENEWAL),
    # A deposit of two weeks' pitch fee.
    "deposit_weeks": 2,
    # An applicant may ask for a review within 28 days of a decision.
    "review_days": 28,
    "required_checks": list(_PITCH_REQUIRED_CHECKS),
    "decision_checklist": [dict(clause) for clause in _PITCH_DECISION_CHECKLIST],
}

DEFAULT_CBL_POLICY: dict[str, Any] = {
    "name": "Choice-based lettings allocation policy",
    "scheme": "cbl",
    "priority_scheme": PriorityScheme.BANDS.value,
    "lowest_band": 4,
    "criteria": [criterion.to_dict() for criterion in _CBL_CRITERIA],
    # Wiltshire puts local (parish) connection before band: own parish, then adjacent
    # parishes, then the rest of the county; band then date within each.
    "tie_breakers": [
        TieBreaker.LOCAL_CONNECTION.value,
        TieBreaker.BAND.value,
        TieBreaker.EFFECTIVE_DATE.value,
        TieBreaker.REGISTRATION_DATE.value,
    ],
    "bedroom_standard": STANDARD_BEDROOM.to_dict(),
    "eligibility": [
        {
            "code": "eligible_person",
            "label": "Eligible for an allocation (Housing Act 1996 s.160ZA: immigration status)",
        },
        {"code": "qualifying_person", "label": "Qualifies under the council's allocation scheme"},
        {
            "code": "consent_to_enquiries",
            "label": "Consent to enquiries of landlords, the police and other councils",
        },
    ],
    "exclusions": [
        {
            "code": "unacceptable_behaviour",
            "label": "Behaviour serious enough to make them unsuitable to be a tenant",
        },
        {"code": "threats_to_staff", "label": "Threats or violence towards staff"},
    ],
    # Homes4Wiltshire: two refused suitable offers lead to a 12-month suspension.
    "refusal_limit": {"count": 2, "suspension_months": 12},
    # The register is renewed yearly.
    "lapse_months": 12,
    "renewal": dict(_RENEWAL),
    "deposit_weeks": 0,
    "review_days": 28,
    "required_checks": list(_CBL_REQUIRED_CHECKS),
    "decision_checklist": [dict(clause) for clause in _CBL_DECISION_CHECKLIST],
}

POLICY_KEYS = (
    "name",
    "scheme",
    "priority_scheme",
    "lowest_band",
    "criteria",
    "tie_breakers",
    "bedroom_standard",
    "eligibility",
    "exclusions",
    "refusal_limit",
    "lapse_months",
    "renewal",
    "deposit_weeks",
    "review_days",
)

# Added after version 1 was published: a version without them uses the defaults above.
OPTIONAL_POLICY_KEYS = ("required_checks", "decision_checklist")

POLICY_SCHEMES = ("pitch", "cbl")


def policy_validate(data: Mapping[str, Any]) -> list[str]:
    """Everything wrong with a policy, in plain English; an empty list means it can be used.

    Checked before a policy version is saved, so a typing slip in an administrator's edit
    cannot silently change how applications are scored or ranked.
    """
    problems: list[str] = []
    problems += _json_problems(data, "the policy")
    missing = [key for key in POLICY_KEYS if key not in data]
    problems += [f"The policy is missing {key!r}" for key in missing]
    problems += [
        f"Unknown policy setting {key!r}"
        for key in data
        if key not in POLICY_KEYS and key not in OPTIONAL_POLICY_KEYS
    ]

    name = data.get("name")
    if "name" in data and (not isinstance(name, str) or not name.strip()):
        problems.append("The policy needs a name")
    if "scheme" in data and data["scheme"] not in POLICY_SCHEMES:
        problems.append(f"Unknown scheme {data['scheme']!r}: use 'pitch' or 'cbl'")

    priority_scheme: PriorityScheme | None = None
    if "priority_scheme" in data:
        try:
            priority_scheme = PriorityScheme(data["priority_scheme"])
        except ValueError:
            problems.append(
                f"Unknown priority scheme {data['priority_scheme']!r}: use 'points' or 'bands'"
            )

    lowest_band = data.get("lowest_band")
    if priority_scheme is PriorityScheme.BANDS and (not _is_int(lowest_band) or lowest_band < 1):
        problems.append("A band scheme needs a lowest band of 1 or more")
    if priority_scheme is PriorityScheme.POINTS and lowest_band is not None:
        problems.append("A points scheme has no lowest band; leave it empty")

    if "criteria" in data:
        problems += _criteria_problems(data["criteria"], priority_scheme, lowest_band)
    if "tie_breakers" in data:
        problems += _tie_breaker_problems(data["tie_breakers"], priority_scheme)
    if "bedroom_standard" in data:
        try:
            if not isinstance(data["bedroom_standard"], Mapping):
                raise ValueError("The bedroom standard must be a set of named settings")
            BedroomStandard.from_dict(data["bedroom_standard"])
        except (TypeError, ValueError) as error:
            problems.append(str(error))
    for key, title in (("eligibility", "Eligibility check"), ("exclusions", "Exclusion")):
        if key in data:
            problems += _checklist_problems(data[key], title)

    refusal_limit = data.get("refusal_limit")
    if "refusal_limit" in data and not (
        isinstance(refusal_limit, Mapping)
        and set(refusal_limit) == {"count", "suspension_months"}
        and _is_int(refusal_limit["count"])
        and refusal_limit["count"] >= 1
        and _is_int(refusal_limit["suspension_months"])
        and refusal_limit["suspension_months"] >= 0
    ):
        problems.append(
            "The refusal limit needs a count of 1 or more and a suspension in whole months"
        )
    renewal = data.get("renewal")
    renewal_keys = {"reminder_days_before", "hold_after_days", "close_after_days"}
    if "renewal" in data and not (
        isinstance(renewal, Mapping)
        and set(renewal) == renewal_keys
        and all(_is_int(renewal[key]) and renewal[key] >= 0 for key in renewal_keys)
    ):
        problems.append(
            "Renewal needs reminder_days_before, hold_after_days and close_after_days "
            "as whole numbers of days"
        )
    for key, words, least in (
        ("lapse_months", "Applications must lapse after a whole number of months", 1),
        ("deposit_weeks", "The deposit must be a whole number of weeks", 0),
        ("review_days", "The review period must be a whole number of days", 1),
    ):
        if key in data and (not _is_int(data[key]) or data[key] < least):
            problems.append(f"{words} ({least} or more)")
    checks = data.get("required_checks")
    if "required_checks" in data and not (
        isinstance(checks, list) and all(kind in PARTNER_KINDS for kind in checks)
    ):
        problems.append(
            "Required checks must be a list of partner types: " + ", ".join(PARTNER_KINDS)
        )
    if "decision_checklist" in data:
        problems += _checklist_problems(data["decision_checklist"], "Decision checklist clause")
    return problems


def _criteria_problems(
    criteria: Any, priority_scheme: PriorityScheme | None, lowest_band: Any
) -> list[str]:
    if not isinstance(criteria, list):
        return ["The criteria must be a list"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(criteria, start=1):
        if not isinstance(item, Mapping) or set(item) != {"code", "label", "points", "band"}:
            problems.append(f"Criterion {index} needs exactly code, label, points and band")
            continue
        code = item["code"]
        if not isinstance(code, str) or not code:
            problems.append(f"Criterion {index} needs a code")
            continue
        if code in seen:
            problems.append(f"Criterion {code!r} is listed twice")
        seen.add(code)
        if not isinstance(item["label"], str) or not item["label"].strip():
            problems.append(f"Criterion {code!r} needs a label")
        if priority_scheme is PriorityScheme.POINTS and not _is_int(item["points"]):
            problems.append(f"Criterion {code!r} has no points in a points scheme")
        if priority_scheme is PriorityScheme.BANDS:
            band = item["band"]
            if not _is_int(band):
                problems.append(f"Criterion {code!r} has no band in a band scheme")
            elif _is_int(lowest_band) and not 1 <= band <= lowest_band:
                problems.append(
                    f"Criterion {code!r} is in band {band}, outside bands 1 to {lowest_band}"
                )
    return problems


def _tie_breaker_problems(tie_breakers: Any, priority_scheme: PriorityScheme | None) -> list[str]:
    if not isinstance(tie_breakers, list):
        return ["The tie-breakers must be a list"]
    if not tie_breakers:
        return ["The policy has no tie-breakers: applications would rank by number alone"]
    problems: list[str] = []
    known: list[TieBreaker] = []
    for value in tie_breakers:
        try:
            rule = TieBreaker(value)
        except ValueError:
            problems.append(f"Unknown tie-breaker {value!r}")
            continue
        if rule in known:
            problems.append(f"Tie-breaker {value!r} is listed twice")
        known.append(rule)
    # Ranking on a value the scheme never sets would silently do nothing.
    if priority_scheme is PriorityScheme.POINTS and TieBreaker.BAND in known:
        problems.append("A points scheme cannot rank by band")
    if priority_scheme is PriorityScheme.BANDS and TieBreaker.POINTS in known:
        problems.append("A band scheme cannot rank by points")
    return problems


def _checklist_problems(items: Any, title: str) -> list[str]:
    if not isinstance(items, list):
        return [f"{title}s must be a list"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        if not (
            isinstance(item, Mapping)
            and set(item) == {"code", "label"}
            and isinstance(item["code"], str)
            and item["code"]
            and isinstance(item["label"], str)
            and item["label"].strip()
        ):
            problems.append(f"{title} {index} needs a code and a label")
            continue
        if item["code"] in seen:
            problems.append(f"{title} {item['code']!r} is listed twice")
        seen.add(item["code"])
    return problems


def _json_problems(value: Any, where: str) -> list[str]:
    """Policies are stored as JSON: only text, whole numbers, true/false, lists, named settings
    and empty values; dates go in as ISO text."""
    if value is None or isinstance(value, str | bool | int):
        return []
    if isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in _json_problems(item, f"{where}[{index}]")
        ]
    if isinstance(value, Mapping):
        problems: list[str] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{where} has a setting named {key!r}, which is not text")
            problems += _json_problems(item, f"{where}.{key}")
        return problems
    return [f"{where} holds a {type(value).__name__}, which a stored policy cannot hold"]
