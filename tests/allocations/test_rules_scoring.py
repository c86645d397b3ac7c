"""Scoring an application under a policy: points and bands, with their reasons."""

import pytest

from allocations.rules import (
    DEFAULT_CBL_POLICY,
    Criterion,
    PriorityScheme,
    score,
)

# 2. Scoring
# --------------------------------------------------------------------------------------------

POINTS_CRITERIA = [
    Criterion("roadside", "Roadside or with no authorised place to stay", points=100, band=None),
    Criterion("medical", "Medical need requiring a stable base", points=50, band=None),
    Criterion("education", "Children's education", points=1, band=None),
]

BAND_CRITERIA = [
    Criterion("care_leaver", "Care leaver aged up to 25", points=None, band=1),
    Criterion("no_fixed_abode", "No fixed abode or insecure tenure", points=None, band=3),
    Criterion("serious_overcrowding", "Serious overcrowding", points=None, band=3),
    Criterion("lacking_facilities", "Lacking or sharing facilities", points=None, band=4),
]


def test_a_points_score_is_the_sum_of_the_criteria_met():
    result = score(
        ["education", "roadside"],
        criteria=POINTS_CRITERIA,
        scheme=PriorityScheme.POINTS,
        lowest_band=None,
    )
    assert result.points == 101
    assert result.band is None


def test_points_reasons_list_every_criterion_met_in_the_policys_order():
    result = score(
        ["education", "roadside"],
        criteria=POINTS_CRITERIA,
        scheme=PriorityScheme.POINTS,
        lowest_band=None,
    )
    assert result.reasons == (
        "Roadside or with no authorised place to stay: 100 points",
        "Children's education: 1 point",
    )


def test_meeting_no_points_criteria_scores_zero():
    result = score([], criteria=POINTS_CRITERIA, scheme=PriorityScheme.POINTS, lowest_band=None)
    assert (result.points, result.reasons) == (0, ("No priority criteria met: 0 points",))


def test_a_criterion_met_twice_counts_once():
    result = score(
        ["medical", "medical"], criteria=POINTS_CRITERIA, scheme="points", lowest_band=None
    )
    assert result.points == 50


def test_a_band_score_is_the_best_band_among_the_criteria_met():
    result = score(
        ["lacking_facilities", "no_fixed_abode"],
        criteria=BAND_CRITERIA,
        scheme=PriorityScheme.BANDS,
        lowest_band=4,
    )
    assert (result.band, result.points) == (3, None)


def test_band_reasons_list_every_criterion_met_in_the_policys_order():
    result = score(
        ["lacking_facilities", "serious_overcrowding", "no_fixed_abode"],
        criteria=BAND_CRITERIA,
        scheme=PriorityScheme.BANDS,
        lowest_band=4,
    )
    assert result.reasons == (
        "Band 3: No fixed abode or insecure tenure",
        "Band 3: Serious overcrowding",
        "Band 4: Lacking or sharing facilities",
    )


@pytest.mark.parametrize("lowest_band", [4, 5])
def test_meeting_no_band_criteria_places_the_application_in_the_lowest_band(lowest_band):
    result = score([], criteria=BAND_CRITERIA, scheme=PriorityScheme.BANDS, lowest_band=lowest_band)
    assert result.band == lowest_band
    assert result.reasons == (f"No priority criteria met: band {lowest_band}",)


def test_an_unknown_criterion_code_is_refused_by_name():
    with pytest.raises(ValueError, match="'homeless'"):
        score(["homeless"], criteria=BAND_CRITERIA, scheme=PriorityScheme.BANDS, lowest_band=4)


def test_the_default_cbl_policy_scores_a_care_leaver_in_band_1():
    criteria = [Criterion.from_dict(item) for item in DEFAULT_CBL_POLICY["criteria"]]
    result = score(
        ["care_leaver", "serious_overcrowding"],
        criteria=criteria,
        scheme=DEFAULT_CBL_POLICY["priority_scheme"],
        lowest_band=DEFAULT_CBL_POLICY["lowest_band"],
    )
    assert result.band == 1


# --------------------------------------------------------------------------------------------
