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


# --- Joining the register and effective dates (issue 13) ------------------------------------


def test_every_qualification_rule_not_met_is_a_refusal_in_the_policys_order():
    policy_rules = rules.LettingsRules().qualification
    met = {rule["code"]: True for rule in policy_rules} | {
        "no_deliberate_worsening": False,
        "area_connection": False,
    }
    refusals = rules.qualification_refusals(policy_rules, met)
    assert [r["code"] for r in refusals] == ["area_connection", "no_deliberate_worsening"]
    assert all(r["refusal"] for r in refusals)


def test_a_rule_not_answered_counts_as_not_met():
    policy_rules = rules.LettingsRules().qualification
    assert len(rules.qualification_refusals(policy_rules, {})) == len(policy_rules)


def _after(old, new, *, moves):
    return rules.effective_date_on_band_change(
        effective_date=date(2024, 1, 1),
        old_band=old,
        new_band=new,
        moves_on_rise=moves,
        on=date(2026, 12, 3),
        on_words="3 December 2026",
    )


def test_a_band_rise_moves_the_date_only_where_the_policy_says_so():
    assert _after(3, 1, moves=True)[0] == date(2026, 12, 3)
    assert _after(3, 1, moves=False)[0] == date(2024, 1, 1)
    assert "band 3 to band 1" in _after(3, 1, moves=False)[1]


def test_a_band_fall_or_no_change_leaves_the_date_and_says_nothing():
    assert _after(1, 3, moves=True) == (date(2024, 1, 1), "")
    assert _after(2, 2, moves=True) == (date(2024, 1, 1), "")
    assert _after(None, 1, moves=True) == (date(2024, 1, 1), "")


def test_only_the_policys_backdating_groups_have_a_label():
    effective = rules.LettingsRules().effective_date_rules
    assert rules.backdating_group_label(effective, "armed_forces")
    assert rules.backdating_group_label(effective, "anyone") == ""
