"""A let's CORE lettings log: the 2026/27 bulk-upload row, field by field.

Field numbers and meanings: year2026.py (from CORE's row_parser.rb); each value as CORE's
own BulkUpload::LettingsLogToCsv#to_2026_row writes it (app/helpers/bulk_upload/
lettings_log_to_csv.rb at the commit in year2026.py): dates as day, month and two-digit year,
postcodes in two parts, commas taken out of addresses.
"""

from decimal import Decimal

from allocations.core import derive, sources
from allocations.core import year2026 as core
from allocations.core.sources import Let
from residents.models import Person

Row = dict[int, str | int | Decimal | None]


def _date_parts(row: Row, first: int, day) -> None:
    if day is not None:
        row[first], row[first + 1], row[first + 2] = day.day, day.month, day.strftime("%y")


def _no_commas(text: str) -> str:
    return text.replace(",", " ").strip()


def _property(row: Row, let: Let) -> None:
    unit, site = let.unit, let.unit.site
    void_date, void_reason, repairs = sources.void_before(let)
    row[14] = unit.reference
    row[16] = sources.VOID_REASON_TO_CORE.get(void_reason) if void_reason else None
    if row[16] is None and let.answers is not None:
        row[16] = let.answers.vacancy_reason
    if row[16] not in core.FIRST_LET_REASONS:
        row[17] = sources.previous_let_type(let)
    row[19] = _no_commas(f"{unit.reference} {site.address_line_1}")
    row[20] = _no_commas(site.address_line_2) or None
    row[21] = _no_commas(site.town)
    row[23], row[24] = derive.postcode_parts(site.postcode)
    row[25] = sources.local_authority()
    row[26] = sources.unit_type(let)
    row[27] = 1 if unit.accessibility == "a" else 2
    # CORE records a bedsit as one bedroom (row_parser.rb#attributes_for_log "beds"; its
    # lettings_log_variables.rb sets beds = 1 for a bedsit, and questions/beds.rb is 1-12).
    row[28] = 1 if row[26] == sources.BEDSIT else unit.bedrooms
    _date_parts(row, 29, void_date)
    _date_parts(row, 32, repairs)
    row[35] = sources.older_peoples_housing(let)


def _age(person: Person, let: Let) -> int:
    # CORE has no age 0: a child under one is answered as 1 (questions/age.rb: min 1, hint
    # "Answer 1 for children aged under 1 year old").
    return max(derive.age_on(person.date_of_birth, sources.tenancy_start(let)), 1)


def _people(row: Row, let: Let) -> None:
    people = let.people[:8]  # CORE holds eight people (lettings_log.rb MAX_PEOPLE_WITH_DETAILS)
    lead = people[0] if people else None
    if lead is None:
        return
    lead_answers = let.person_answers.get(lead.pk)
    row[41] = str(_age(lead, let))
    row[42] = sources.SEX_TO_CORE.get(lead.sex)
    row[45] = sources.ETHNICITY_TO_CORE.get(lead.ethnicity) if lead.ethnicity else None
    if lead_answers is not None:
        row[43] = lead_answers.gender_same_as_sex
        row[44] = lead_answers.gender_description or None
        row[47] = lead_answers.working_situation
    if let.answers is not None:
        row[46] = let.answers.nationality
    for number, person in enumerate(people[1:], start=2):
        first = core.PERSON_FIRST_FIELD[number]
        answers = let.person_answers.get(person.pk)
        age = _age(person, let)
        row[first] = str(age)
        row[first + 1] = 1 if person.relationship == Person.Relationship.PARTNER else 2
        row[first + 2] = sources.SEX_TO_CORE.get(person.sex)
        if answers is not None:
            row[first + 3] = answers.gender_same_as_sex
            row[first + 4] = answers.gender_description or None
            row[first + 5] = answers.working_situation
        if age < 16:
            row[first + 5] = core.CHILD_UNDER_16  # CORE's only answer for a child under 16


def _situation(row: Row, let: Let) -> None:
    answers = let.answers
    application = let.application
    row[93] = 1 if sources.pregnant(let) else 2
    for number in sources.access_need_fields(let):
        row[number] = 1
    row[112] = derive.waiting_band(
        registered=application.registration_date, tenancy_start=sources.tenancy_start(let)
    )
    if let.by_provider:
        # Nominated from the council's housing register to the provider (CORE fields 132-133
        # for a private registered provider's let; field 131 is the local authority's).
        row[132] = core.REFERRAL_PRP_LA_REGISTER
        row[133] = core.NOMINATED_BY_LA
    row[121] = sources.REASONABLE_PREFERENCE_TO_CORE.get(application.reasonable_preference)
    if row[121] == 1:
        for ground in application.reasonable_preference_grounds:
            row[sources.PREFERENCE_GROUND_TO_FIELD[ground]] = 1
    if answers is None:
        return
    row[15] = 1 if answers.privacy_notice_seen else None
    row[90] = answers.armed_forces
    if answers.armed_forces in core.ARMED_FORCES_YES:
        row[91] = answers.still_serving
        row[92] = answers.injured_in_service
    row[100] = answers.illness
    if answers.illness == 1:
        for effect in answers.condition_effects:
            row[sources.CONDITION_EFFECT_TO_FIELD[effect]] = 1
    row[111] = answers.time_in_area
    row[113] = answers.leaving_reason
    if answers.leaving_reason == core.LEAVING_REASON_OTHER:
        row[114] = answers.leaving_reason_other or None
    row[115] = answers.previous_tenure
    row[116] = answers.homeless
    if answers.previous_postcode:
        row[117] = 1
        row[118], row[119] = derive.postcode_parts(answers.previous_postcode)
    else:
        row[117] = 2
    for number, flag in (
        (127, answers.via_cbl),
        (128, answers.via_common_allocation_policy),
        (129, answers.via_common_housing_register),
        (130, answers.via_accessible_register),
    ):
        row[number] = None if flag is None else (1 if flag else 2)
    if let.by_provider:
        row[134] = answers.referral_org
    else:
        row[131] = sources.REFERRAL_TO_CORE.get(answers.referral) if answers.referral else None


def _money(row: Row, let: Let) -> None:
    answers = let.answers
    row[141] = 1  # rent and fees are weekly, 52 weeks (questions/period.rb)
    row[142] = sources.weekly_rent(let)
    row[143] = sources.weekly_service_charge(let)
    # No personal service charge on the council's lets, nor a support charge; a provider's
    # charges are those it advertised through the council (rent and service charge).
    row[144] = Decimal("0.00")
    row[145] = Decimal("0.00")
    if answers is None:
        return
    row[135] = answers.income_known
    if answers.income_known == 1:
        row[136] = answers.income_frequency
        row[137] = answers.income
    row[138] = answers.housing_benefit
    row[139] = answers.benefits_share
    if answers.housing_benefit in core.RECEIVES_HOUSING_BENEFIT:
        row[146] = answers.rent_shortfall
        if answers.rent_shortfall == 1:
            row[147] = answers.shortfall


def log_row(let: Let) -> Row:
    """The let's log as {field number: value}; None where CORE gets nothing."""
    row: Row = dict.fromkeys(range(1, core.FIELD_COUNT + 1))
    start = sources.tenancy_start(let)
    row[1] = row[2] = sources.organisation_id(let)
    row[4] = sources.NEEDS_TYPE_TO_CORE.get(let.vacancy.needs_type)
    row[7] = 2  # a new let, never the renewal of a tenancy to the same tenant here
    row[8], row[9], row[10] = start.day, start.month, start.strftime("%y")
    row[11] = sources.RENT_TYPE_TO_CORE.get(let.vacancy.rent_type)
    row[13] = let.tenancy_code
    _property(row, let)
    starter, tenancy, length = sources.tenancy_terms(let)
    row[36] = sources.joint_tenancy(let)
    row[37], row[38], row[40] = starter, tenancy, length
    _people(row, let)
    _situation(row, let)
    _money(row, let)
    return row


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
