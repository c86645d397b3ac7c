"""Ranking a shortlist: properties (Hypothesis) and the sentences that explain it."""

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocations.rules import (
    Candidate,
    TieBreaker,
    deciding_tie_breaker,
    explain,
    explanations,
    rank,
    rank_key,
)

# 3. Ranking: properties
# --------------------------------------------------------------------------------------------

DATES = st.one_of(
    st.none(), st.sampled_from([date(2024, 3, 1), date(2024, 6, 5), date(2025, 1, 31)])
)
ORDERS = st.lists(st.sampled_from(list(TieBreaker)), unique=True)


@st.composite
def candidate_lists(draw, min_size: int = 0) -> list[Candidate]:
    # Few distinct values, so ties on one rule after another are common.
    ids = draw(st.lists(st.integers(1, 50_000), unique=True, min_size=min_size, max_size=12))
    return [
        Candidate(
            application_id=application_id,
            label=f"Application {application_id}",
            band=draw(st.one_of(st.none(), st.integers(1, 3))),
            points=draw(st.one_of(st.none(), st.sampled_from([0, 90, 120]))),
            local_connection_tier=draw(st.one_of(st.none(), st.integers(1, 3))),
            effective_date=draw(DATES),
            registration_date=draw(DATES),
        )
        for application_id in ids
    ]


@given(candidates=candidate_lists(), order=ORDERS)
def test_no_two_applications_share_a_rank_key(candidates, order):
    keys = [rank_key(candidate, order) for candidate in candidates]
    assert len(set(keys)) == len(keys)


@given(candidates=candidate_lists(), order=ORDERS, seed=st.randoms())
def test_ranking_does_not_depend_on_the_order_applications_arrive_in(candidates, order, seed):
    shuffled = list(candidates)
    seed.shuffle(shuffled)
    assert rank(shuffled, order) == rank(candidates, order)


@given(candidates=candidate_lists(), order=ORDERS)
def test_ranking_the_same_applications_twice_gives_the_same_answer(candidates, order):
    assert rank(candidates, order) == rank(candidates, order)


@given(candidates=candidate_lists(), order=ORDERS)
def test_an_application_with_a_smaller_key_always_ranks_above(candidates, order):
    position = {item.candidate.application_id: item.position for item in rank(candidates, order)}
    for first, second in itertools.permutations(candidates, 2):
        if rank_key(first, order) < rank_key(second, order):
            assert position[first.application_id] < position[second.application_id]


@given(candidates=candidate_lists(), order=ORDERS)
def test_positions_run_from_1_without_gaps(candidates, order):
    assert [item.position for item in rank(candidates, order)] == list(
        range(1, len(candidates) + 1)
    )


@given(trio=candidate_lists(min_size=3).map(lambda found: found[:3]), order=ORDERS)
def test_ranking_above_is_transitive(trio, order):
    for first, second, third in itertools.permutations(trio):
        # Keys hold no None, so every pair compares without error.
        if rank_key(first, order) < rank_key(second, order) < rank_key(third, order):
            assert rank_key(first, order) < rank_key(third, order)


@given(candidates=candidate_lists(min_size=2), order=ORDERS)
def test_each_explanation_names_the_first_rule_on_which_the_two_differ(candidates, order):
    words = {
        TieBreaker.LOCAL_CONNECTION: "local connection",
        TieBreaker.BAND: "band",
        TieBreaker.POINTS: "points",
        TieBreaker.EFFECTIVE_DATE: "effective date",
        TieBreaker.REGISTRATION_DATE: "registration date",
    }
    for above, below in itertools.pairwise(rank(candidates, order)):
        rule = deciding_tie_breaker(above.candidate, below.candidate, order)
        checked = order if rule is None else order[: order.index(rule) + 1]
        same = [
            rank_key(above.candidate, [each])[:-1] == rank_key(below.candidate, [each])[:-1]
            for each in checked
        ]
        if rule is None:
            assert all(same)
            assert "lower application number" in below.explanation
            continue
        assert all(same[:-1]) and not same[-1]
        because = below.explanation.split(" because ", 1)[1]
        assert words[rule] in because
        below_is_missing = rank_key(below.candidate, [rule])[0] == 1
        assert (f"{below.candidate.label} has no" in because) == below_is_missing


@given(candidates=candidate_lists(), order=ORDERS)
def test_explaining_a_list_ranked_elsewhere_gives_the_same_sentences_as_ranking_it(
    candidates, order
):
    # `explanations` (freezing's path) reads where each pair differs from their values, as
    # they are; `rank` asks rule by rule. The sentences must be the same.
    ranked = rank(candidates, order)
    assert explanations([line.candidate for line in ranked], order) == [
        line.explanation for line in ranked
    ]


@given(candidates=candidate_lists(min_size=1), order=ORDERS)
def test_the_first_place_is_explained_as_the_highest_priority(candidates, order):
    assert rank(candidates, order)[0].explanation.startswith("Highest priority: ")


# --------------------------------------------------------------------------------------------
# 3. Ranking: the sentences
# --------------------------------------------------------------------------------------------

CBL_ORDER = [
    TieBreaker.LOCAL_CONNECTION,
    TieBreaker.BAND,
    TieBreaker.EFFECTIVE_DATE,
    TieBreaker.REGISTRATION_DATE,
]
BAND_ORDER = [TieBreaker.BAND, TieBreaker.EFFECTIVE_DATE]


def application(application_id: int, **values) -> Candidate:
    return Candidate(application_id=application_id, label=f"Application {application_id}", **values)


def test_a_better_band_is_explained():
    above = application(7, band=2, effective_date=date(2025, 1, 1))
    below = application(9, band=3, effective_date=date(2020, 1, 1))
    assert explain(above, below, BAND_ORDER) == (
        "Application 7 is above Application 9 because band 2 beats band 3."
    )


def test_an_earlier_effective_date_within_a_band_is_explained():
    above = application(7, band=2, effective_date=date(2024, 3, 1))
    below = application(9, band=2, effective_date=date(2024, 6, 5))
    assert explain(above, below, BAND_ORDER) == (
        "Equal band (2); Application 7 is above Application 9 because its effective date, "
        "1 March 2024, is earlier than 5 June 2024."
    )


def test_more_points_after_equal_connection_and_band_is_explained():
    order = [TieBreaker.LOCAL_CONNECTION, TieBreaker.BAND, TieBreaker.POINTS]
    above = application(7, local_connection_tier=1, band=2, points=120)
    below = application(9, local_connection_tier=1, band=2, points=90)
    assert explain(above, below, order) == (
        "Equal local connection (own parish) and band (2); Application 7 is above "
        "Application 9 because it has more points (120 against 90)."
    )


def test_three_equal_rules_are_listed_with_commas():
    above = application(
        7,
        local_connection_tier=2,
        band=1,
        effective_date=date(2024, 3, 1),
        registration_date=date(2023, 1, 2),
    )
    below = application(
        9,
        local_connection_tier=2,
        band=1,
        effective_date=date(2024, 3, 1),
        registration_date=date(2023, 2, 1),
    )
    assert explain(above, below, CBL_ORDER) == (
        "Equal local connection (adjacent parish), band (1) and effective date (1 March 2024); "
        "Application 7 is above Application 9 because its registration date, 2 January 2023, "
        "is earlier than 1 February 2023."
    )


def test_only_the_application_number_separating_two_applications_is_explained():
    above = application(7, band=2, effective_date=date(2024, 3, 1))
    below = application(9, band=2, effective_date=date(2024, 3, 1))
    assert explain(above, below, BAND_ORDER) == (
        "Equal on every rule of the policy; Application 7 is above Application 9 because it was "
        "received first (lower application number)."
    )


def test_a_closer_local_connection_is_explained():
    above = application(7, local_connection_tier=1, band=3)
    below = application(9, local_connection_tier=3, band=1)
    assert explain(above, below, CBL_ORDER) == (
        "Application 7 is above Application 9 because its local connection, own parish, comes "
        "before elsewhere in the county."
    )


def test_local_connection_comes_before_band_in_the_wiltshire_order():
    own_parish_band_3 = application(9, local_connection_tier=1, band=3)
    adjacent_band_1 = application(7, local_connection_tier=2, band=1)
    ranked = rank([adjacent_band_1, own_parish_band_3], CBL_ORDER)
    assert [item.candidate.application_id for item in ranked] == [9, 7]


def test_no_local_connection_ranks_after_every_tier_and_says_so():
    above = application(9, local_connection_tier=3)
    below = application(7, local_connection_tier=None)
    assert rank([below, above], CBL_ORDER)[1].explanation == (
        "Application 9 is above Application 7 because Application 7 has no local connection."
    )


def test_a_missing_effective_date_ranks_last_and_says_so():
    above = application(9, band=2, effective_date=date(2025, 1, 1))
    below = application(7, band=2, effective_date=None)
    assert rank([below, above], BAND_ORDER)[1].explanation == (
        "Equal band (2); Application 9 is above Application 7 because Application 7 has no "
        "effective date recorded."
    )


def test_the_highest_priority_application_is_summarised():
    first = application(7, band=1, effective_date=date(2024, 3, 1))
    assert rank([first], BAND_ORDER)[0].explanation == (
        "Highest priority: band 1, effective date 1 March 2024"
    )


def test_explaining_the_wrong_way_round_is_refused():
    above = application(7, band=1)
    below = application(9, band=2)
    with pytest.raises(ValueError, match="does not rank above"):
        explain(below, above, BAND_ORDER)


def test_the_same_application_twice_in_a_shortlist_is_refused():
    with pytest.raises(ValueError, match="appears twice"):
        rank([application(7), application(7, band=1)], BAND_ORDER)


def test_an_unknown_tie_breaker_is_refused():
    with pytest.raises(ValueError, match="waiting_time"):
        rank_key(application(7), ["waiting_time"])


# --------------------------------------------------------------------------------------------
