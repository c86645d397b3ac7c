"""Freezing explains the lines it has just ranked straight from the database rows; replay
explains them again from the JSON kept with the frozen shortlist. Both must read the same."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from allocations.selectors.ranking import (
    RankingRow,
    row_candidate,
    row_snapshot,
    snapshot_candidate,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
MAYBE = st.one_of(st.none(), st.booleans())


@given(
    row=st.builds(
        RankingRow,
        application_id=st.integers(1, 10**9),
        reference=st.text(min_size=1, max_size=20),
        status=st.sampled_from(["active", "suspended"]),
        band=st.one_of(st.none(), st.integers(1, 4)),
        points=st.one_of(st.none(), st.integers(0, 500)),
        local_connection=st.one_of(st.none(), st.integers(1, 3)),
        effective_date=DAYS,
        registration_date=DAYS,
        bedroom_need=st.one_of(st.none(), st.integers(0, 6)),
        needs_accessible_home=st.booleans(),
        household_size=st.one_of(st.none(), st.integers(1, 12)),
        lead_date_of_birth=st.one_of(st.none(), DAYS),
        access_category=st.sampled_from(["", "A", "C", "F"]),
        needs_adaptations=MAYBE,
        plan_priority=MAYBE,
    ),
    on=DAYS,
)
def test_a_row_reads_as_the_same_candidate_straight_or_through_its_snapshot(row, on):
    assert row_candidate(row) == snapshot_candidate(row_snapshot(row, on))
