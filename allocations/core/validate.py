"""CORE's own rules for the fields we fill, applied before export.

Each rule names where CORE states it (files at the commit in year2026.py). A failure is a
`Problem`: which let, which field, what is wrong and where in this service to put it right.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from allocations.core import derive, sources
from allocations.core import year2026 as core
from allocations.core.countries import COUNTRIES
from allocations.core.sources import Let
from sites.models import Unit

ROW_PARSER = "row_parser.rb"
DATES = "validations/date_validations.rb"


@dataclass(frozen=True)
class Problem:
    let: str  # the let, in words
    url: str  # where to put it right
    field: int
    message: str
    fix: str

    @property
    def question(self) -> str:
        return core.FIELD[self.field].question

    def __str__(self) -> str:
        return f"{self.let} - field {self.field} ({self.question}): {self.message} {self.fix}"


def _fix_places(let: Let) -> dict[str, tuple[str, str]]:
    """Where each kind of missing thing is recorded here: (how to say it, page)."""
    if let.nomination is not None:
        answers_url = reverse("allocations:nomination-core-answers", args=[let.nomination.pk])
    else:
        assert let.decision is not None
        answers_url = reverse("allocations:core-answers", args=[let.decision.pk])
    provider = let.nomination.provider if let.nomination is not None else None
    return {
        "answers": ("Record it in the let's CORE answers.", answers_url),
        "vacancy": (
            f"Record it on vacancy {let.vacancy.reference}.",
            reverse("allocations:vacancy-core", args=[let.vacancy.pk]),
        ),
        "unit": (
            f"Record it on {let.unit} (the unit's page).",
            reverse("sites:unit-edit", args=[let.unit.pk]),
        ),
        "application": (
            f"Record it on application {let.application.reference}.",
            reverse("allocations:application-core", args=[let.application.pk]),
        ),
        "person": (
            "Record it on the person's page.",
            reverse("residents:household-detail", args=[let.application.household_id]),
        ),
        "settings": (
            f"Ask an administrator to record the CORE organisation ID of {provider} (the "
            "registered provider, in the admin)."
            if provider is not None
            else "Ask an administrator to set CORE_ORGANISATION_ID and CORE_LOCAL_AUTHORITY.",
            "",
        ),
        "nomination": (
            f"{provider} confirmed the let without the tenancy's terms: record this let in "
            "CORE's own service.",
            let.nomination.get_absolute_url() if let.nomination is not None else "",
        ),
        "core": ("CORE takes this only through its own service: record this let there.", ""),
        "licence": (
            (
                f"Record it on agreement {let.licence.reference} (a fixed term's length is "
                "from its start and end dates: record the end date)."
            )
            if let.licence is not None
            else "",
            reverse("residents:licence-edit", args=[let.licence.pk])
            if let.licence is not None
            else "",
        ),
    }


# Where each field's value comes from, for the fix (see sources.py and builder.py).
FIELD_SOURCE = {
    1: "settings",
    2: "settings",
    4: "vacancy",
    5: "core",
    6: "core",
    11: "vacancy",
    12: "core",
    16: "answers",
    26: "vacancy",
    28: "unit",
    40: "licence",  # a fixed term's length, from the agreement's dates (sources.tenancy_terms)
    29: "unit",
    30: "unit",
    31: "unit",
    32: "unit",
    33: "unit",
    34: "unit",
    41: "person",  # the lead tenant's age, from the date of birth
    42: "person",
    45: "person",
    # Each other person's age (from the date of birth), partner or not and sex; their working
    # situation and gender identity are in the let's CORE answers.
    **{first + n: "person" for first in core.PERSON_FIRST_FIELD.values() for n in (0, 1, 2)},
    121: "application",
    **dict.fromkeys(range(122, 127), "application"),
    25: "settings",
}


# A provider's let: the tenancy's terms are the provider's, given when it confirmed the let.
NOMINATION_FIELD_SOURCE = {36: "nomination", 37: "nomination", 38: "nomination", 40: "nomination"}


def _required(row: dict, by_provider: bool = False) -> set[int]:
    """The fields CORE needs answered for this row: every question the log is routed to
    (row_parser.rb#validate_nulls: a question not optional and not completed fails; OPTIONAL_
    FIELDS in lettings_log.rb are tenancycode, propcode and chcharge), as the routing of the
    2026 form asks them of a general-needs let by a local authority."""
    needed = {1, 2, 4, 7, 8, 9, 10, 11, 15, 16, 19, 21, 23, 24, 25, 26, 27, 29, 30, 31}
    needed |= {35, 36, 37, 38, 41, 42, 43, 45, 46, 47, 90, 93, 100, 111, 112, 113, 115, 116}
    needed |= {117, 121, 127, 128, 129, 130, 135, 138, 139, 141, 142, 143, 144, 145}
    # row_parser.rb#referral_fields_valid?: a local authority's let answers field 131, a
    # private registered provider's 132, then 133 (132 = 6 or 7) and 134 (133 = 1 or 7).
    if by_provider:
        needed.add(132)
        if row[132] in (6, 7):
            needed.add(133)
        if row[133] in (1, 7):
            needed.add(134)
    else:
        needed.add(131)
    if row[4] == 2:
        needed |= {5, 6}  # row_parser.rb: scheme and location codes for supported housing
    if row[11] == 6:
        needed.add(12)
    if row[16] not in core.FIRST_LET_REASONS:
        needed.add(17)
    if row[26] != 2:
        needed.add(28)  # a bedsit is one bedroom by definition
    if row[38] in core.FIXED_TERM_TENANCIES:
        needed.add(40)
    if row[38] == 3:
        needed.add(39)
    if row[43] == 2:
        needed.add(44)
    for first in core.PERSON_FIRST_FIELD.values():
        if row[first] is not None:
            needed |= {first, first + 1, first + 2, first + 3, first + 5}
            if row[first + 3] == 2:
                needed.add(first + 4)
    if row[90] in core.ARMED_FORCES_YES:
        needed |= {91, 92}
    if row[113] == core.LEAVING_REASON_OTHER:
        needed.add(114)
    if row[117] == 1:
        needed |= {118, 119}
    if row[135] == 1:
        needed |= {136, 137}
    if row[138] in core.RECEIVES_HOUSING_BENEFIT:
        needed.add(146)
    if row[146] == 1:
        needed.add(147)
    return needed


# date_validations.rb (2025 on): a void or major repairs date more than 7,300 days (20 years
# of 365 days, counted in days) before the tenancy start is refused.
CORE_MOST_DAYS_BEFORE_START = 7300


def _rules(row: dict, let: Let, year: int) -> list[tuple[int, str]]:
    """CORE's checks beyond "answered" and "one of the codes"; (field, what is wrong)."""
    failures: list[tuple[int, str]] = []
    start = date(2000 + int(row[10]), row[9], row[8]) if row[10] is not None else None
    first, last = derive.collection_year_bounds(year)
    if start and not first <= start <= last:
        # row_parser.rb#validate_relevant_collection_window
        failures.append(
            (8, f"The tenancy start date is outside the {year}/{year + 1 - 2000} year.")
        )
    if row[10] is not None and not re.fullmatch(r"\d{2}|\d{4}", str(row[10])):
        failures.append((10, "The year must have two or four digits."))  # row_parser.rb
    void = _date(row, 29)
    repairs = _date(row, 32)
    if start and void:
        if void > start:  # date_validations.rb#validate_property_void_date
            failures.append((29, "The void date is after the tenancy start date."))
        if (start - void).days > CORE_MOST_DAYS_BEFORE_START:
            failures.append((29, "The void date is more than 20 years before the tenancy start."))
    if repairs:
        if row[16] in core.FIRST_LET_REASONS:  # date_validations.rb#validate_property_major_repairs
            failures.append((32, "A first let has no major repairs date."))
        if start and repairs > start:
            failures.append((32, "The major repairs date is after the tenancy start date."))
        if start and (start - repairs).days > CORE_MOST_DAYS_BEFORE_START:
            failures.append(
                (32, "The major repairs date is more than 20 years before the tenancy start.")
            )
        if void and repairs < void:
            failures.append((32, "The major repairs date is before the void date."))
    # row_parser.rb: ages are 1-3 digits; questions/age1.rb min 16 max 120, age.rb min 1.
    for number, low in [(41, 16), *((f, 1) for f in core.PERSON_FIRST_FIELD.values())]:
        value = row[number]
        if value is None:
            continue
        if not re.fullmatch(r"\d{1,3}", str(value)) or not low <= int(value) <= 120:
            who = "The lead tenant" if number == 41 else "This person"
            failures.append((number, f"{who} must be aged {low} to 120 at the tenancy start."))
    if row[38] in core.FIXED_TERM_TENANCIES and row[40] is not None:
        # tenancy_validations.rb: a fixed term is 2 to 99 years for a general-needs let at
        # social or affordable rent (#validate_general_needs_fixed_tenancy_length_affordable_
        # social_rent), 1 to 99 otherwise (intermediate rent; supported housing).
        social = row[4] == 1 and row[11] in core.SOCIAL_OR_AFFORDABLE_RENT
        low = 2 if social else 1
        if not low <= int(row[40]) <= 99:
            which = "a general-needs let at social or affordable rent" if social else "this let"
            failures.append(
                (
                    40,
                    f"A fixed-term tenancy for {which} must be between {low} and 99 years "
                    f"long; this one is {row[40]}.",
                )
            )
    if row[28] is not None and not 1 <= int(row[28]) <= 12:  # questions/beds.rb: 1 to 12
        failures.append((28, f"CORE takes 1 to 12 bedrooms; the home has {row[28]}."))
    # The household's size as CORE counts it (row_parser.rb#hhmemb: the lead tenant and each
    # person 2-8 with any detail given).
    household = 1 + sum(
        any(row[n] is not None for n in range(first, first + 6))
        for first in core.PERSON_FIRST_FIELD.values()
    )
    if row[36] == 1 and household == 1:  # tenancy_validations.rb#validate_joint_tenancy
        failures.append(
            (
                36,
                "A joint tenancy needs more than one person, but only one person is in the "
                "household.",
            )
        )
    ticked = [n for n in (94, 95, 96) if row[n] == 1]
    if len(ticked) > 1:  # row_parser.rb#validate_only_one_housing_needs_type
        failures.append((ticked[0], "Only one of a), b) and c) may be given."))
    if row[98] == 1 and any(row[n] == 1 for n in (94, 95, 96, 97)):
        failures.append((98, "'No disabled access needs' is given with a need."))
    if all(row[n] is None for n in range(94, 100)):  # #validate_no_housing_needs_questions_answered
        failures.append((98, "Disabled access needs are not answered."))
    effects = [row[n] for n in range(101, 111)]
    if row[100] != 1 and 1 in effects:  # row_parser.rb#validate_condition_effects
        failures.append((100, "Effects of a condition are given but nobody has one."))
    if row[100] == 1 and all(v is None for v in effects):
        failures.append((101, "How the condition affects them is not answered."))
    grounds = [row[n] for n in range(122, 127)]
    if row[121] == 1 and all(
        v is None for v in grounds
    ):  # #validate_reasonable_preference_homeless
        failures.append((122, "Reasonable preference was given but no reason is recorded."))
    if (
        row[121] == 1 and row[126] == 1 and 1 in grounds[:4]
    ):  # #validate_reasonable_preference_dont_know
        failures.append((126, "'Don't know' is given with a reason for reasonable preference."))
    if row[121] != 1 and 1 in grounds:
        failures.append((121, "Reasons for reasonable preference are given, but not 'yes'."))
    if let.by_provider:  # row_parser.rb#field_referral_register_prp_valid? and the next two
        if row[131] is not None:
            failures.append((131, "A provider's let gives its referral in fields 132-134."))
        if row[132] == 6 and row[133] not in (None, 1, 2, 3, 4):
            failures.append((133, "From a council's register, the referral must be 1 to 4."))
        if row[133] == 1 and row[134] not in (None, *range(1, 11)):
            failures.append((134, "Nominated by a council, the referral must be 1 to 10."))
    else:
        if row[131] is not None and row[131] not in (1, 2, 3, 4):
            # row_parser.rb#field_referral_register_la_valid?
            failures.append((131, "A local authority's referral source must be 1 to 4."))
        if any(row[n] is not None for n in (132, 133, 134)):
            failures.append((132, "The council's own let gives its referral in field 131."))
    internal_transfer = (
        row[131] == core.INTERNAL_TRANSFER
        or (row[132] == 6 and row[133] == 3)
        or (row[132] == 7 and row[133] == 5)
    )
    if internal_transfer and row[115] is not None and row[115] not in core.SOCIAL_TENURES:
        # household_validations.rb#validate_referral (2026 on; lettings_log.rb
        # #is_internal_transfer? and #is_prevten_general_needs?)
        tenure = core.PREVIOUS_TENURE.get(row[115], row[115])
        referral_fields = "fields 132 and 133" if let.by_provider else "field 131"
        failures.append(
            (
                115,
                f"Where the household was before this letting (field 115) is '{tenure}', "
                f"but the source of referral ({referral_fields}) is an internal transfer, which "
                "is for existing social tenants only: one of the two is wrong.",
            )
        )
    charges = [row[n] for n in (142, 143, 144, 145)]
    if any(c is None for c in charges) and any(c is not None for c in charges):
        # row_parser.rb#validate_all_charges_given
        failures.append((142, "All four charges must be given."))
    if row[46] is not None and row[46] not in COUNTRIES:  # row_parser.rb#validate_nationality
        failures.append((46, "Not a nationality CORE knows."))
    return failures


def _date(row: dict, first: int) -> date | None:
    if row[first] is None:
        return None
    return date(2000 + int(row[first + 2]), row[first + 1], row[first])


def log_problems(row: dict, let: Let, year: int) -> list[Problem]:
    places = _fix_places(let)

    def problem(number: int, message: str) -> Problem:
        place = FIELD_SOURCE.get(number, "answers")
        if let.by_provider:
            place = NOMINATION_FIELD_SOURCE.get(number, place)
        fix, url = places[place]
        if place == "answers" and let.answers is None:
            fix = "Record the let's CORE answers."
        return Problem(let=let.label, url=url, field=number, message=message, fix=fix)

    problems = []
    void_reason = sources.void_before(let)[1]
    for number in sorted(_required(row, let.by_provider)):
        if row[number] is not None and row[number] != "":
            continue
        if number == 16 and void_reason == Unit.VoidReason.EVICTION:
            # One void reason, one CORE reason: a court order must say what it was for.
            problems.append(
                problem(
                    16,
                    "The void reason is a court order that does not say "
                    "whether it was for rent arrears, anti-social behaviour or both.",
                )
            )
        else:
            problems.append(problem(number, "Not answered."))
    for number, value in row.items():
        codes = core.FIELD[number].codes
        if value is not None and codes and value not in codes:
            # row_parser.rb#validate_valid_radio_option: an answer that is not one of the
            # question's answer options.
            problems.append(problem(number, f"{value} is not one of CORE's answers."))
    problems += [problem(number, message) for number, message in _rules(row, let, year)]
    return problems
