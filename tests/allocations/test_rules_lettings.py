"""The choice-based lettings settings of a policy, as data: defaults, checks, tiers."""

from datetime import date

from allocations import rules
from allocations.rules.lettings import lettings_problems


def test_the_default_cbl_policy_carries_its_lettings_settings():
    policy = rules.Policy.from_json(rules.DEFAULT_CBL_POLICY)
    assert policy.lettings.bid_limit == 3
    assert policy.lettings.cycle.words() == (
        "opens Thursday 00:00, closes Monday 23:59:59 (UK time)"
    )
    assert policy.lettings.qualification[0]["code"] == "housing_need"
    assert policy.lettings.effective_date_rules["band_rise_moves_date"] is False
    assert policy.lettings.access_words("a") == "A: wheelchair accessible throughout"


def test_wrong_lettings_settings_are_refused_in_plain_words():
    problems = lettings_problems(
        {
            "bid_limit": 0,
            "cycle": {"opens_weekday": 9},
            "qualification": [{"code": "x", "label": "X"}],
        }
    )
    assert "The bid limit must be a whole number of bids (1 or more)" in problems
    assert any(p.startswith("The cycle needs") for p in problems)
    assert "Each qualification rule needs a code, a label and a refusal" in problems


def tier(parish, connection, on):
    connection_rules = rules.LettingsRules().local_connection
    return rules.connection_tier(parish, [connection], connection_rules, on=on).tier


def test_tiers_read_the_adjacency_table_both_ways_and_the_qualifying_periods():
    lived = rules.Connection(kind="residence", parish="Folkestone", since=date(2025, 1, 1))
    assert tier("Cheriton", lived, date(2026, 6, 1)) == 2
    assert tier("Folkestone", lived, date(2026, 6, 1)) == 1
    # Eleven months is not twelve.
    assert tier("Folkestone", lived, date(2025, 12, 1)) == 3
    family = rules.Connection(kind="family", parish="Hythe", since=date(2022, 1, 1))
    assert tier("Hythe", family, date(2026, 6, 1)) == 3
    assert tier("Hythe", family, date(2027, 1, 1)) == 1
