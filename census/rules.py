"""The census's rules, in one place and with no database: what is a difference from the
records, which differences the sites manager must hear about, and the age bands of reports.

Suspected breaches
------------------
`SUSPECTED_BREACH_KINDS` is the policy: a difference of one of these kinds is passed to the
sites manager as a suspected breach of licence as well as being followed up by an officer.

- licence holder not present: the pitch may no longer be the holder's only or main
  residence (Mobile Homes Act 1983, as applied to local-authority sites);
- a new person living on the pitch: someone not named on the licence is an unauthorised
  occupant.

An authorised occupant having moved out is not a breach: the officer updates the licence.
A council can change the list with the CENSUS_SUSPECTED_BREACH_KINDS setting.
"""

from dataclasses import dataclass

from django.conf import settings

HOLDER_ABSENT = "holder_absent"
OCCUPANT_GONE = "occupant_gone"
NEW_OCCUPANT = "new_occupant"

SUSPECTED_BREACH_KINDS = frozenset({HOLDER_ABSENT, NEW_OCCUPANT})

# Age bands for the round's reports (whole years, inclusive).
AGE_BANDS = [
    ("0–4", 0, 4),
    ("5–10", 5, 10),
    ("11–17", 11, 17),
    ("18–24", 18, 24),
    ("25–44", 25, 44),
    ("45–64", 45, 64),
    ("65 and over", 65, 200),
]
AGE_UNKNOWN = "Age not known"


def age_band(age: int | None) -> str:
    if age is None:
        return AGE_UNKNOWN
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return AGE_UNKNOWN


def is_suspected_breach(kind: str) -> bool:
    return kind in getattr(settings, "CENSUS_SUSPECTED_BREACH_KINDS", SUSPECTED_BREACH_KINDS)


@dataclass(frozen=True)
class Found:
    """What a return says, as plain values (census/services.py builds it from the rows)."""

    has_licence: bool
    holder_present: bool | None
    # (licence occupant id, name, finding) for each authorised occupant.
    occupants: tuple[tuple[int, str, str], ...]
    # (new person id, name, approximate age) for each new person found.
    new_people: tuple[tuple[int, str, int | None], ...]


@dataclass(frozen=True)
class Difference:
    kind: str
    description: str
    licence_occupant_id: int | None = None
    new_person_id: int | None = None

    @property
    def suspected_breach(self) -> bool:
        return is_suspected_breach(self.kind)


def differences(found: Found) -> list[Difference]:
    """The differences between what the officers found and the records, in a fixed order."""
    result = []
    if found.has_licence and found.holder_present is False:
        result.append(Difference(HOLDER_ABSENT, "The licence holder was not present"))
    for occupant_id, name, finding in found.occupants:
        if finding == "moved_out":
            result.append(
                Difference(
                    OCCUPANT_GONE,
                    f"{name}, an authorised occupant, has moved out",
                    licence_occupant_id=occupant_id,
                )
            )
    for person_id, name, age in found.new_people:
        age_words = f", about {age}" if age is not None else ", age not known"
        result.append(
            Difference(
                NEW_OCCUPANT,
                f"{name}{age_words}, is living on the pitch and is not on the licence",
                new_person_id=person_id,
            )
        )
    return result


def missing_answers(
    found: Found, *, visited_on, officer, caravans, second_officer=None
) -> dict[str, str]:
    """What must be answered before a return can be submitted (field name → message).

    A census visit is a site visit: two officers always attend together (DOMAIN.md)."""
    errors = {}
    if visited_on is None:
        errors["visited_on"] = "Enter the date of the visit"
    if officer is None:
        errors["officer"] = "Select the officer who visited"
    if second_officer is None:
        errors["second_officer"] = "Select the second officer: two officers visit together"
    elif officer is not None and second_officer == officer:
        errors["second_officer"] = "The second officer must be someone else"
    if caravans is None:
        errors["caravans"] = "Enter the number of caravans (0 if none)"
    if found.has_licence and found.holder_present is None:
        errors["holder_present"] = "Say whether the licence holder was present"
    for occupant_id, name, finding in found.occupants:
        if not finding:
            errors[f"occupant_{occupant_id}"] = f"Say whether {name} still lives here"
    return errors
