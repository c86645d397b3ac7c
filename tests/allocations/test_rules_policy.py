"""The default policies and the typed policy read from a version's stored rules."""

import copy
import json
from datetime import date

import pytest

from allocations.models import PolicyVersion
from allocations.rules import (
    DEFAULT_CBL_POLICY,
    DEFAULT_PITCH_POLICY,
    OPTIONAL_POLICY_KEYS,
    STANDARD_BEDROOM,
    Criterion,
    Policy,
    PolicyError,
    PriorityScheme,
    TieBreaker,
    policy_validate,
)
from allocations.rules.policy import policy_of

# 4. Default policies
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [DEFAULT_PITCH_POLICY, DEFAULT_CBL_POLICY], ids=["pitch", "cbl"])
def test_the_default_policies_validate_clean(policy):
    assert policy_validate(policy) == []


@pytest.mark.parametrize("policy", [DEFAULT_PITCH_POLICY, DEFAULT_CBL_POLICY], ids=["pitch", "cbl"])
def test_the_default_policies_survive_a_round_trip_through_json(policy):
    assert json.loads(json.dumps(policy)) == policy


def test_the_default_cbl_policy_has_the_wiltshire_bands():
    bands: dict[int, list[str]] = {}
    for criterion in DEFAULT_CBL_POLICY["criteria"]:
        bands.setdefault(criterion["band"], []).append(criterion["label"])
    assert bands == {
        1: [
            "Statutory requirement",
            "Priority move-on",
            "Urgent medical or welfare need",
            "Care leaver aged up to 25",
            "Social tenant under-occupying",
        ],
        2: ["Under-occupying with hardship", "Social-care priority"],
        3: [
            "No fixed abode or insecure tenure",
            "Temporary or supported accommodation",
            "Serious overcrowding",
            "Medical or welfare need",
        ],
        4: ["Lacking or sharing facilities"],
    }


def test_the_default_cbl_policy_ranks_local_connection_before_band():
    assert DEFAULT_CBL_POLICY["tie_breakers"] == [
        "local_connection",
        "band",
        "effective_date",
        "registration_date",
    ]


def test_the_default_pitch_policy_scores_with_points_then_dates():
    assert DEFAULT_PITCH_POLICY["priority_scheme"] == "points"
    assert DEFAULT_PITCH_POLICY["tie_breakers"] == ["points", "effective_date", "registration_date"]
    assert all(isinstance(item["points"], int) for item in DEFAULT_PITCH_POLICY["criteria"])


def broken(policy: dict, change) -> dict:
    copied = copy.deepcopy(policy)
    change(copied)
    return copied


BROKEN_POLICIES = {
    "unknown tie-breaker": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["tie_breakers"].append("waiting_time")),
        "Unknown tie-breaker 'waiting_time'",
    ),
    "repeated tie-breaker": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["tie_breakers"].append("band")),
        "Tie-breaker 'band' is listed twice",
    ),
    "no tie-breakers": (
        broken(DEFAULT_CBL_POLICY, lambda p: p.update(tie_breakers=[])),
        "no tie-breakers",
    ),
    "points scheme ranking by band": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p["tie_breakers"].insert(0, "band")),
        "A points scheme cannot rank by band",
    ),
    "criterion without points": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p["criteria"][0].update(points=None)),
        "Criterion 'roadside' has no points in a points scheme",
    ),
    "criterion without a band": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["criteria"][0].update(band=None)),
        "Criterion 'statutory_requirement' has no band in a band scheme",
    ),
    "duplicate criterion": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["criteria"].append(dict(p["criteria"][0]))),
        "Criterion 'statutory_requirement' is listed twice",
    ),
    "band below 1": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["criteria"][0].update(band=0)),
        "band 0, outside bands 1 to 4",
    ),
    "band beyond the lowest": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["criteria"][0].update(band=5)),
        "band 5, outside bands 1 to 4",
    ),
    "band scheme without a lowest band": (
        broken(DEFAULT_CBL_POLICY, lambda p: p.update(lowest_band=None)),
        "A band scheme needs a lowest band",
    ),
    "missing key": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p.pop("review_days")),
        "The policy is missing 'review_days'",
    ),
    "misspelt key": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p.update(tie_breaker=[])),
        "Unknown policy setting 'tie_breaker'",
    ),
    "unknown scheme": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p.update(scheme="lettings")),
        "Unknown scheme 'lettings'",
    ),
    "unknown priority scheme": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p.update(priority_scheme="lottery")),
        "Unknown priority scheme 'lottery'",
    ),
    "bad bedroom standard": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p["bedroom_standard"].update(adult_age=18)),
        "below adult_age",
    ),
    "duplicate eligibility check": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p["eligibility"].append(dict(p["eligibility"][0]))),
        "Eligibility check 'aged_18_or_over' is listed twice",
    ),
    "exclusion without a label": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p["exclusions"][0].update(label="")),
        "Exclusion 1 needs a code and a label",
    ),
    "refusal limit of nothing": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["refusal_limit"].update(count=0)),
        "The refusal limit needs a count of 1 or more",
    ),
    "renewal missing a step": (
        broken(DEFAULT_CBL_POLICY, lambda p: p["renewal"].pop("hold_after_days")),
        "Renewal needs",
    ),
    "negative deposit": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p.update(deposit_weeks=-1)),
        "The deposit must be a whole number of weeks",
    ),
    "date stored as a date": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p.update(name=date(2025, 4, 1))),
        "the policy.name holds a date",
    ),
    "fractional points": (
        broken(DEFAULT_PITCH_POLICY, lambda p: p["criteria"][0].update(points=12.5)),
        "holds a float",
    ),
}


@pytest.mark.parametrize(("policy", "problem"), BROKEN_POLICIES.values(), ids=BROKEN_POLICIES)
def test_a_broken_policy_is_reported_in_plain_english(policy, problem):
    problems = policy_validate(policy)
    assert any(problem in found for found in problems), problems
    with pytest.raises(PolicyError) as refused:
        Policy.from_json(policy)
    assert refused.value.problems == tuple(problems)


# --------------------------------------------------------------------------------------------
# 5. The typed policy
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [DEFAULT_PITCH_POLICY, DEFAULT_CBL_POLICY], ids=["pitch", "cbl"])
def test_a_typed_policy_writes_back_the_json_it_was_read_from(policy):
    assert Policy.from_json(policy).to_json() == policy


def test_a_typed_policy_holds_its_settings_as_typed_values():
    policy = Policy.from_json(DEFAULT_CBL_POLICY)
    assert policy.priority_scheme is PriorityScheme.BANDS
    assert policy.tie_breakers[0] is TieBreaker.LOCAL_CONNECTION
    assert policy.criteria[0] == Criterion(
        "statutory_requirement", "Statutory requirement", None, 1
    )
    assert policy.bedroom_standard == STANDARD_BEDROOM
    assert (policy.refusal_limit.count, policy.refusal_limit.suspension_months) == (2, 12)
    assert policy.renewal.close_after_days == 60
    assert policy.review_days == 28


@pytest.mark.parametrize("policy", [DEFAULT_PITCH_POLICY, DEFAULT_CBL_POLICY], ids=["pitch", "cbl"])
def test_a_version_published_before_the_optional_settings_uses_its_schemes_defaults(policy):
    first_version = {key: value for key, value in policy.items() if key not in OPTIONAL_POLICY_KEYS}
    assert Policy.from_json(first_version) == Policy.from_json(policy)


def test_a_typed_policy_cannot_be_changed():
    policy = Policy.from_json(DEFAULT_PITCH_POLICY)
    with pytest.raises(AttributeError):
        policy.review_days = 14  # type: ignore[misc]


def test_a_refused_policy_names_every_problem_at_once():
    with pytest.raises(PolicyError, match="The policy needs a name") as refused:
        Policy.from_json(dict(DEFAULT_PITCH_POLICY, name=" ", review_days=0))
    assert refused.value.problems == (
        "The policy needs a name",
        "The review period must be a whole number of days (1 or more)",
    )


def test_a_policy_version_reads_its_stored_rules_as_a_typed_policy_once():
    version = PolicyVersion(scheme="cbl", rules=copy.deepcopy(DEFAULT_CBL_POLICY))
    assert version.policy == Policy.from_json(DEFAULT_CBL_POLICY)
    assert version.policy is version.policy  # cached: published rules never change


def test_the_same_rules_are_read_once_in_a_process():
    """A page showing a version's criteria or required checks reads its rules once, not each
    time; other rules (even another copy with one setting changed) are read for themselves."""
    first = PolicyVersion(scheme="cbl", rules=copy.deepcopy(DEFAULT_CBL_POLICY))
    again = PolicyVersion(scheme="cbl", rules=json.loads(json.dumps(DEFAULT_CBL_POLICY)))
    assert again.policy is first.policy
    assert first.policy == Policy.from_json(DEFAULT_CBL_POLICY)
    changed = PolicyVersion(scheme="cbl", rules=dict(DEFAULT_CBL_POLICY, review_days=21))
    assert changed.policy.review_days == 21
    assert first.policy.review_days == 28
    assert policy_of(DEFAULT_PITCH_POLICY) == Policy.from_json(DEFAULT_PITCH_POLICY)


def test_broken_rules_are_refused_every_time_they_are_read():
    broken = dict(DEFAULT_PITCH_POLICY, review_days=0)
    for _ in range(2):
        with pytest.raises(PolicyError, match="review period"):
            policy_of(broken)
