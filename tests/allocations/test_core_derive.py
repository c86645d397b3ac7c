"""CORE's derived fields, computed as CORE computes them (allocations/core/derive.py), and the
year's layout as taken from CORE's source (allocations/core/year2026.py)."""

from collections import defaultdict
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from allocations.core import derive, validate
from allocations.core import year2026 as core
from allocations.core.derive import Member


def test_days_vacant_run_from_the_void_date_to_the_tenancy_start():
    assert (
        derive.days_vacant(
            tenancy_start=date(2026, 5, 11), void_date=date(2026, 4, 1), major_repairs=None
        )
        == 40
    )


def test_days_vacant_run_from_major_repairs_when_there_were_any():
    # lettings_log_variables.rb#property_vacant_days: the repairs date wins over the void date.
    assert (
        derive.days_vacant(
            tenancy_start=date(2026, 5, 11),
            void_date=date(2026, 1, 1),
            major_repairs=date(2026, 5, 1),
        )
        == 10
    )


def test_days_vacant_are_unknown_without_either_date():
    assert (
        derive.days_vacant(tenancy_start=date(2026, 5, 11), void_date=None, major_repairs=None)
        is None
    )


@pytest.mark.parametrize(
    ("registered", "band"),
    [
        (date(2026, 1, 1), 2),  # under a year
        (date(2025, 6, 1), 7),  # exactly one year on the start date: 1 but under 2
        (date(2025, 6, 2), 2),  # a day short of a year
        (date(2024, 6, 1), 8),
        (date(2023, 6, 1), 9),
        (date(2022, 6, 1), 10),
        (date(2021, 6, 1), 11),  # five years: 5 but under 10
        (date(2016, 6, 2), 11),
        (date(2016, 6, 1), 12),  # ten years or more
        (None, 13),  # not on the register
    ],
)
def test_waiting_band_from_the_registration_date(registered, band):
    assert derive.waiting_band(registered=registered, tenancy_start=date(2026, 6, 1)) == band
    assert band in core.TIME_ON_REGISTER


@pytest.mark.parametrize(
    ("members", "code"),
    [
        ([Member(70, False)], 1),  # one person of 60 or over
        ([Member(70, False), Member(58, True)], 2),  # two adults, at least one 60 or over
        ([Member(40, False)], 3),  # one adult
        ([Member(40, False), Member(38, True)], 4),  # two adults
        ([Member(30, False), Member(4, False)], 5),  # one adult and children
        ([Member(30, False), Member(31, True), Member(4, False), Member(9, False)], 6),
        ([Member(30, False), Member(31, True), Member(24, False)], 9),  # three adults
        # A 17-year-old counts as an adult only as the lead tenant's partner.
        ([Member(19, False), Member(17, True)], 4),
        # (a 17-year-old who is not the partner is neither adult nor child to CORE)
        ([Member(45, False), Member(17, False)], 3),
    ],
)
def test_household_type_codes_as_core_derives_them(members, code):
    assert derive.household_type(members) == code


def test_letting_type_for_a_council_general_needs_social_rent_let():
    assert derive.letting_type(rent_type=1, needs_type=1, private_provider=False) == 3
    assert derive.letting_type(rent_type=2, needs_type=2, private_provider=False) == 8
    assert derive.letting_type(rent_type=5, needs_type=1, private_provider=True) == 9
    assert derive.letting_type(rent_type=99, needs_type=1, private_provider=False) is None


def test_collection_years_run_from_april_to_march():
    assert derive.collection_year_of(date(2027, 3, 31)) == 2026
    assert derive.collection_year_of(date(2026, 4, 1)) == 2026
    assert derive.collection_year_of(date(2026, 3, 31)) == 2025
    assert derive.collection_year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))


def test_age_on_a_birthday_and_the_day_before():
    assert derive.age_on(date(2010, 6, 1), date(2026, 6, 1)) == 16
    assert derive.age_on(date(2010, 6, 1), date(2026, 5, 31)) == 15


def test_the_2026_layout_is_cores_147_fields_in_order():
    # csv_parser.rb FIELDS = 147 (columns A to ER); row_parser.rb QUESTIONS in field order.
    assert len(core.FIELDS) == core.FIELD_COUNT == 147
    assert [f.number for f in core.FIELDS] == list(range(1, 148))
    assert core.FIELD[11].question == "What is the rent type?"
    assert core.FIELD[16].codes[21] == (
        "Tenant was evicted due to both rent arrears and anti-social behaviour"
    )
    assert core.FIELD[137].kind == "decimal" and core.FIELD[41].kind == "string"
    # Persons 2-8 take six fields each, from field 48.
    assert core.FIELD[84].question == "What is person 8's age?"
    assert core.FIELD[89].codes == core.WORKING_SITUATION


@pytest.mark.parametrize(("days_before", "refused"), [(7300, False), (7301, True), (7303, True)])
def test_void_and_major_repairs_dates_count_cores_7300_days_before_the_start(days_before, refused):
    # date_validations.rb (2025 on): "startdate - voiddate > 7300" and the same for mrcdate,
    # in days: 7,301 to 7,305 days is still "20 years" by the calendar, but CORE refuses it.
    start = date(2026, 6, 1)
    earlier = start - timedelta(days=days_before)
    row = defaultdict(lambda: None)
    row |= {8: start.day, 9: start.month, 10: start.year - 2000, 16: 5}
    row |= {29: earlier.day, 30: earlier.month, 31: earlier.year - 2000}
    row |= {32: earlier.day, 33: earlier.month, 34: earlier.year - 2000}
    failures = dict(validate._rules(row, SimpleNamespace(by_provider=False), 2026))
    if refused:
        assert failures[29] == "The void date is more than 20 years before the tenancy start."
        assert failures[32] == (
            "The major repairs date is more than 20 years before the tenancy start."
        )
    else:
        assert 29 not in failures and 32 not in failures
