"""Freezing explains the lines it has just ranked straight from the database rows; replay
explains them again from the JSON kept with the frozen shortlist. Both must read the same."""

import itertools
from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from allocations import rules
from allocations.models import Vacancy
from allocations.selectors.ranking import (
    RankingRow,
    _judged,
    _only_status,
    _row_ineligibility,
    row_candidate,
    row_snapshot,
    snapshot_candidate,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
# A row's dates are ISO text, as the ranking SQL reads them.
ISO_DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
MAYBE = st.one_of(st.none(), st.booleans())


@given(
    row=st.builds(
        RankingRow,
        application_id=st.integers(1, 10**9),
        reference=st.text(min_size=1, max_size=20),
        status=st.sampled_from(["active", "suspended"]),
        band=st.one_of(st.none(), st.integers(1, 4)),
        points=st.one_of(st.none(), st.integers(0, 500)),
        local_connection_tier=st.one_of(st.none(), st.integers(1, 3)),
        effective_date=ISO_DAYS,
        registration_date=ISO_DAYS,
        bedroom_need=st.one_of(st.none(), st.integers(0, 6)),
        needs_accessible_home=st.booleans(),
        household_size=st.one_of(st.none(), st.integers(1, 12)),
        lead_date_of_birth=st.one_of(st.none(), ISO_DAYS),
        access_category=st.sampled_from(["", "A", "C", "F"]),
        needs_adaptations=MAYBE,
        plan_priority=MAYBE,
    ),
    on=DAYS,
)
def test_a_row_reads_as_the_same_candidate_straight_or_through_its_snapshot(row, on):
    assert row_candidate(row) == snapshot_candidate(row_snapshot(row, on))


@given(born=st.one_of(st.none(), DAYS), on=DAYS)
@example(born=date(2004, 2, 29), on=date(2023, 2, 28))
@example(born=date(2004, 2, 29), on=date(2023, 3, 1))
@example(born=date(2004, 2, 29), on=date(2024, 2, 29))
@example(born=date(999, 12, 31), on=date(2024, 1, 1))
def test_a_snapshot_gives_the_lead_applicants_age_as_the_rules_do(born, on):
    # Snapshots work the age out inline from the ISO text (freezing's hot path): the same as
    # rules.age_on.
    day = on.isoformat()
    row = RankingRow(1, "1", "active", 1, 0, 1, day, day, 1, False, 1, born and born.isoformat())
    assert row_snapshot(row, on)["lead_age"] == (rules.age_on(born, on) if born else None)


@given(day=st.dates())
def test_an_iso_date_is_put_into_the_same_words_as_the_date(day):
    # A ranking row's dates are ISO text: explanations put them into words as dates.
    assert rules.date_in_words(day.isoformat()) == rules.date_in_words(day)


ROWS = st.builds(
    RankingRow,
    application_id=st.integers(1, 10**9),
    reference=st.text(min_size=1, max_size=20),
    status=st.just("active"),
    band=st.one_of(st.none(), st.integers(1, 2)),
    points=st.one_of(st.none(), st.sampled_from([0, 1, 50])),
    local_connection_tier=st.one_of(st.none(), st.integers(1, 3)),
    effective_date=st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 1, 4)).map(
        date.isoformat
    ),
    registration_date=st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 1, 4)).map(
        date.isoformat
    ),
    bedroom_need=st.none(),
    needs_accessible_home=st.booleans(),
    household_size=st.none(),
    lead_date_of_birth=st.none(),
    needs_adaptations=MAYBE,
    plan_priority=MAYBE,
    on_hold_reason=st.sampled_from(["", "Renewal not answered"]),
    offer_held=st.sampled_from(["", "accepted V-000001", "open V-000002"]),
)


@given(
    rows=st.lists(ROWS, max_size=12, unique_by=lambda row: row.application_id),
    order=st.permutations(list(rules.TieBreaker)).flatmap(
        lambda rules_: st.integers(0, len(rules_)).map(lambda n: rules_[:n])
    ),
)
def test_freezing_explains_its_rows_in_the_same_words_as_their_candidates(rows, order):
    # Freezing hands the database rows to the explanations as they are (no Candidate each).
    ordered = sorted(rows, key=lambda row: rules.rank_key(row, order))
    assert rules.explanations(ordered, order) == rules.explanations(
        [row_candidate(row) for row in ordered], order
    )
    assert rules.explanations(ordered, order) == [
        line.explanation for line in rules.rank([row_candidate(row) for row in rows], order)
    ]


RULES = {
    "min_household_size": 2,
    "max_household_size": 4,
    "min_bedroom_need": 1,
    "max_bedroom_need": 3,
    "min_age": 55,
    "requires_accessible": True,
    "local_connection_required": True,
    "access_categories": ["c"],
}


@given(row=ROWS, status=st.sampled_from(["active", "suspended", "lapsed"]), on=DAYS)
def test_an_advert_without_rules_ranks_every_active_bid_and_only_those(row, status, on):
    # shortlist_rank passes active rows straight through when `_only_status` says the advert
    # has no other rule: `_ineligibility` must agree, whatever the row's other values (an
    # active application on hold, or holding an offer, is not ranked either).
    row = row._replace(status=status, household_size=None, bedroom_need=None)
    vacancy = Vacancy()
    assert _only_status(vacancy)
    ranks = status == "active" and not row.on_hold_reason and not row.offer_held
    assert (_row_ineligibility(vacancy, row, on) == "") == ranks
    ranked, _ = _judged(vacancy, [row], on)
    assert (ranked == [row]) == ranks


def test_any_eligibility_rule_of_an_advert_turns_off_the_status_only_pass():
    for field, value in RULES.items():
        assert not _only_status(Vacancy(**{field: value})), field


@given(
    rows=st.lists(ROWS, min_size=2, max_size=8, unique_by=lambda row: row.application_id),
    order=st.permutations(list(rules.TieBreaker)).flatmap(
        lambda rules_: st.integers(0, len(rules_)).map(lambda n: rules_[:n])
    ),
    data=st.data(),
)
def test_freezing_refuses_rows_out_of_the_policys_order_and_only_those(rows, order, data):
    # `explanations` checks the database's order pair by pair from the rows' values as they
    # are (a flag, points, dates): it must agree with the rank keys on every pair.
    listed = data.draw(st.permutations(rows))
    if data.draw(st.booleans()):  # half the time, a list in order
        listed = sorted(listed, key=lambda row: rules.rank_key(row, order))
    keys = [rules.rank_key(row, order) for row in listed]
    in_order = all(above < below for above, below in itertools.pairwise(keys))
    try:
        rules.explanations(listed, order)
    except ValueError:
        assert not in_order
    else:
        assert in_order
