"""Bedroom need under the policy's bedroom standard."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from allocations.rules.dates import age_on, date_in_words, is_whole_number


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
            if not is_whole_number(value) or value < 0:
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
    couple_from: date | None = None  # the couple share a room from this day (None: already)


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
    couples = _couples(people, on=on)
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


def _couples(people: Sequence[Occupant], *, on: date) -> list[tuple[str, str]]:
    """Couples in household order. A link recorded on either partner is enough; a partner who
    is not in the household (separated, or living elsewhere) leaves the person single, and so
    does a couple whose start (`couple_from`, on either partner) is after `on`."""
    keys = {person.key for person in people}
    starts = {person.key: person.couple_from for person in people}
    partner: dict[str, str] = {}
    for person in people:
        if person.partner_key is None or person.partner_key not in keys:
            continue
        begins = [d for d in (starts[person.key], starts[person.partner_key]) if d is not None]
        if begins and max(begins) > on:
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
