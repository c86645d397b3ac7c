"""CORE's derived values, computed as CORE computes them (pure: no database).

Each function names the CORE file it follows (repository and commit in year2026.py).
"""

from dataclasses import dataclass
from datetime import date


def collection_year_of(day: date) -> int:
    """The CORE collection year a date falls in: 1 April to 31 March, named by its first year
    (app/helpers/collection_time_helper.rb#collection_start_year_for_date)."""
    return day.year if (day.month, day.day) >= (4, 1) else day.year - 1


def collection_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of the collection year `year` (2026 = 1 April 2026 - 31 March 2027)."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def days_vacant(*, tenancy_start: date, void_date: date | None, major_repairs: date | None):
    """Days from the void date, or from the major repairs date when there was one, to the
    tenancy start (derived_variables/lettings_log_variables.rb#property_vacant_days)."""
    if major_repairs is not None:
        return (tenancy_start - major_repairs).days
    if void_date is not None:
        return (tenancy_start - void_date).days
    return None


def age_on(born: date, on: date) -> int:
    """Whole years of age on a date (a birthday on 29 February counts from 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def waiting_band(*, registered: date | None, tenancy_start: date) -> int:
    """The questions/waityear.rb answer (2025 or later) from the registration date: how long
    the household had been on the register when the tenancy started; 13 when not on it."""
    if registered is None:
        return 13
    years = age_on(registered, tenancy_start)
    if years < 1:
        return 2
    if years < 5:
        return {1: 7, 2: 8, 3: 9, 4: 10}[years]
    return 11 if years < 10 else 12


@dataclass(frozen=True)
class Member:
    age: int
    partner: bool  # the lead tenant's partner (relat "P")


def household_type(members: list[Member]) -> int:
    """CORE's household type (hhtype), derived_variables/lettings_log_variables.rb
    #household_type with #get_totelder, #get_totchild (2025 or later: ages under 16) and
    #get_totadult; `members[0]` is the lead tenant.

    1 one elder; 2 two adults including elders; 3 one adult; 4 two adults; 5 one adult with
    children; 6 two adults with children; 9 any other household."""
    elders = sum(1 for m in members if m.age >= 60)
    children = sum(1 for m in members if m.age < 16)
    lead, others = members[0], members[1:]
    adults = (1 if 16 <= lead.age < 60 else 0) + sum(
        1 for m in others if (16 <= m.age < 18 and m.partner) or 18 <= m.age < 60
    )
    if elders == 1 and adults == 0 and children == 0:
        return 1
    if elders + adults == 2 and elders >= 1:
        return 2
    if elders == 0 and adults == 1 and children == 0:
        return 3
    if elders == 0 and adults == 2 and children == 0:
        return 4
    if elders == 0 and adults == 1 and children >= 1:
        return 5
    if elders == 0 and adults >= 2 and children >= 1:
        return 6
    return 9


def letting_type(*, rent_type: int, needs_type: int, private_provider: bool) -> int | None:
    """CORE's letting type (lettype), app/models/lettings_log.rb#get_lettype with
    RENT_TYPE_MAPPING (derived_variables/lettings_log_variables.rb), from the upload's rent
    type (1-7) and needs type (1 general needs, 2 supported housing)."""
    # Upload rent type -> social (1), affordable (2), intermediate (3), specified (4).
    group = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4}.get(rent_type)
    if group is None or needs_type not in (1, 2):
        return None
    # For each group: (PRP general, PRP supported, LA general, LA supported).
    table = {1: (1, 2, 3, 4), 2: (5, 6, 7, 8), 3: (9, 10, 11, 12), 4: (13, 14, 15, 16)}
    prp_general, prp_supported, la_general, la_supported = table[group]
    if private_provider:
        return prp_general if needs_type == 1 else prp_supported
    return la_general if needs_type == 1 else la_supported


def postcode_parts(postcode: str) -> tuple[str, str]:
    """A postcode split as the upload wants it: outward code (field 23) and inward (24)."""
    compact = "".join(postcode.split()).upper()
    if len(compact) < 5:
        return compact, ""
    return compact[:-3], compact[-3:]
