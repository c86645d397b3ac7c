"""When a household's bedroom need will next change under the policy's standard.

A child turning the standard's sharing age (10), its own-room age (16 under the size criteria)
or its adult age (21), a couple's start (from then they share a room), and, where the policy
does not count a pregnancy until the birth, the expected baby's due date: each is a day the
need may change. Ombudsman cases show the harm of finding out afterwards, so the engine looks
ahead (the nightly alert) and says why in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from allocations.rules.bedrooms import (
    EXPECTED_CHILD_KEY,
    BedroomStandard,
    Occupant,
    Sex,
    bedroom_need,
    occupants_with_pregnancy,
)
from allocations.rules.dates import date_in_words


@dataclass(frozen=True)
class NeedChange:
    """The bedroom need changes on `on`: from `before` to `after`, because of `reasons`."""

    on: date
    before: int
    after: int
    reasons: tuple[str, ...]
    expected_child: bool  # the change comes from a pregnancy (health data: say so carefully)


def birthday(date_of_birth: date, years: int) -> date:
    """The day someone attains an age: 1 March for a 29 February birth in a common year."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def threshold_ages(standard: BedroomStandard) -> tuple[int, ...]:
    """The ages at which a person moves from one group of the standard to the next."""
    return tuple(
        sorted(
            {standard.any_sex_share_under, standard.same_sex_share_until + 1, standard.adult_age}
        )
    )


def need_on(
    occupants: Sequence[Occupant], *, due_date: date | None, standard: BedroomStandard, on: date
) -> int:
    """The need on a day: a pregnancy counted where the policy counts it; where it does not,
    the expected child counted from its due date (as if born that day)."""
    people = list(occupants)
    if standard.count_pregnancy:
        people = occupants_with_pregnancy(people, due_date=due_date, on=on, standard=standard)
    elif due_date is not None and due_date <= on:
        people.append(Occupant(key=EXPECTED_CHILD_KEY, date_of_birth=due_date, sex=Sex.UNKNOWN))
    return bedroom_need(people, on=on, standard=standard).bedrooms


def need_changes(
    occupants: Sequence[Occupant],
    *,
    due_date: date | None,
    standard: BedroomStandard,
    after: date,
    until: date,
) -> list[NeedChange]:
    """Every change of need on a day in (after, until], earliest first, each with its reasons."""
    events: dict[date, list[tuple[str, bool]]] = {}
    for person in occupants:
        if person.date_of_birth is None:
            continue
        for years in threshold_ages(standard):
            day = birthday(person.date_of_birth, years)
            if after < day <= until:
                events.setdefault(day, []).append((f"{person.key} turns {years}", False))
    for person in occupants:
        if (
            person.couple_from is not None
            and person.partner_key
            and after < person.couple_from <= until
        ):
            events.setdefault(person.couple_from, []).append(
                (f"{person.key} and {person.partner_key} start living as a couple", False)
            )
    if due_date is not None and not standard.count_pregnancy and after < due_date <= until:
        events.setdefault(due_date, []).append(("the expected child's due date", True))
    changes: list[NeedChange] = []
    for day in sorted(events):
        before = need_on(occupants, due_date=due_date, standard=standard, on=day - timedelta(1))
        now = need_on(occupants, due_date=due_date, standard=standard, on=day)
        if before != now:
            changes.append(
                NeedChange(
                    on=day,
                    before=before,
                    after=now,
                    reasons=tuple(f"{words} on {date_in_words(day)}" for words, _ in events[day]),
                    expected_child=any(pregnancy for _, pregnancy in events[day]),
                )
            )
    return changes


def pitch_size_for(caravans: int) -> str:
    """The pitch size a number of caravans needs (the sizes of allocations.PitchSize)."""
    return "small" if caravans <= 1 else "medium" if caravans == 2 else "large"


def pitch_need_changes(
    occupants: Sequence[Occupant],
    *,
    caravans: int | None,
    own_caravan_age: int | None,
    after: date,
    until: date,
) -> list[NeedChange]:
    """Every day in (after, until] on which a young person of the household reaches the
    policy's age for a caravan of their own, earliest first: the pitch need may grow by a
    caravan from then (`before`/`after` count caravans). Whether they will bring one is the
    household's to say, so the change is for the officer to reassess, never applied by itself.
    Nothing to forecast when the policy has no such age or the caravans were never assessed."""
    if own_caravan_age is None or caravans is None:
        return []
    days: dict[date, list[str]] = {}
    for person in occupants:
        if person.date_of_birth is None:
            continue
        day = birthday(person.date_of_birth, own_caravan_age)
        if after < day <= until:
            days.setdefault(day, []).append(
                f"{person.key} turns {own_caravan_age} on {date_in_words(day)} "
                "and may need a caravan of their own"
            )
    changes: list[NeedChange] = []
    count = caravans
    for day in sorted(days):
        grown = count + len(days[day])
        changes.append(
            NeedChange(
                on=day, before=count, after=grown, reasons=tuple(days[day]), expected_child=False
            )
        )
        count = grown
    return changes
