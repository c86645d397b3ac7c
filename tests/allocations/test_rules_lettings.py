"""The choice-based lettings settings of a policy, as data: defaults, checks, tiers."""

from datetime import date

import pytest

from allocations import rules
from allocations.rules.lettings import DEFAULT_LOCAL_CONNECTION, connection_rules, lettings_problems


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


# --- The council's list of parishes -------------------------------------------------------

LISTED = connection_rules(
    DEFAULT_LOCAL_CONNECTION
    | {
        "parishes": [
            "Cheriton",
            "Folkestone",
            "Hawkinge",
            "Newington",
            "Sandgate",
            "Kingsnorth",
            "Ashford",
            "Shadoxhurst",
            "Hythe",
            "Boughton Monchelsea",
        ]
    }
)


def test_a_parish_on_the_policys_list_is_found_whatever_its_case_and_spacing():
    assert LISTED.parish_named("Hythe") == "Hythe"
    assert LISTED.parish_named("  hYTHE ") == "Hythe"
    assert LISTED.parish_named("boughton   monchelsea") == "Boughton Monchelsea"


def test_a_parish_the_list_does_not_name_is_refused_in_words_that_say_what_to_do():
    assert LISTED.parish_named("Hyth") is None
    assert LISTED.parish_named("Hythe West") is None
    assert rules.parish_not_listed(" Hyth ") == (
        "Hyth is not a parish in the lettings policy: choose from the list"
    )
    assert LISTED.parish_refusal(" Hyth ") == rules.parish_not_listed("Hyth")
    # A listed parish, or nothing typed, is not refused here.
    assert [LISTED.parish_refusal(p) for p in ("hythe", "", "  ", None)] == ["", "", "", ""]


def test_without_a_list_any_parish_is_taken_as_typed():
    unlisted = rules.LettingsRules().local_connection
    assert unlisted.parishes == ()
    assert unlisted.parish_named(" Hyth ") == "Hyth"
    assert unlisted.parish_refusal("Hyth") == ""


def test_tiers_still_match_parishes_without_case_or_spaces_when_the_policy_lists_them():
    lived = rules.Connection(kind="residence", parish=" cheriton", since=date(2020, 1, 1))
    on = date(2026, 6, 1)
    assert rules.connection_tier("CHERITON ", [lived], LISTED, on=on).tier == 1
    assert rules.connection_tier("folkestone", [lived], LISTED, on=on).tier == 2
    assert rules.connection_tier("Hythe", [lived], LISTED, on=on).tier == 3


def local_connection(**changes):
    return {"local_connection": dict(DEFAULT_LOCAL_CONNECTION) | changes}


def test_the_adjacency_tables_names_must_be_on_the_list_of_parishes():
    problems = lettings_problems(local_connection(parishes=["Cheriton", "Folkestone", "Hythe"]))
    assert problems == [
        f"The adjacency table names {name}, which is not in the list of parishes: correct its "
        "spelling or add it to the list"
        for name in ("Hawkinge", "Newington", "Sandgate", "Kingsnorth", "Ashford", "Shadoxhurst")
    ]


def test_a_misspelt_neighbour_in_the_adjacency_table_is_refused_by_name():
    table = {"Cheriton": ["Folkestone", "hythe ", "Sandgat"]}
    problems = lettings_problems(
        local_connection(
            adjacent_parishes=table, parishes=["Cheriton", "Folkestone", "Hythe", "Sandgate"]
        )
    )
    assert problems == [
        "The adjacency table names Sandgat, which is not in the list of parishes: correct its "
        "spelling or add it to the list"
    ]


@pytest.mark.parametrize(
    ("parishes", "problem"),
    [
        ([], "The list of parishes (local_connection.parishes) must name"),
        ("Cheriton", "The list of parishes (local_connection.parishes) must name"),
        (["Cheriton", " "], "The list of parishes (local_connection.parishes) must name"),
        (
            [*LISTED.parishes, "hythe"],
            "hythe is in the list of parishes twice",
        ),
    ],
    ids=["empty", "not-a-list", "a-blank-name", "twice"],
)
def test_a_list_of_parishes_that_cannot_be_used_is_refused(parishes, problem):
    problems = lettings_problems(local_connection(parishes=parishes))
    assert any(p.startswith(problem) for p in problems), problems


def test_a_policy_with_a_list_of_parishes_reads_and_writes_it_back_unchanged():
    data = dict(rules.DEFAULT_CBL_POLICY) | local_connection(parishes=list(LISTED.parishes))
    policy = rules.Policy.from_json(data)
    assert policy.lettings.local_connection.parishes == LISTED.parishes
    assert policy.to_json() == data


def test_a_version_published_before_the_list_existed_has_none_and_reads_as_before():
    policy = rules.Policy.from_json(rules.DEFAULT_CBL_POLICY)
    assert policy.lettings.local_connection.parishes == ()
    assert "parishes" not in policy.to_json()["local_connection"]
    assert lettings_problems(rules.DEFAULT_CBL_POLICY) == []


def test_a_policy_whose_adjacency_table_names_a_parish_not_listed_cannot_be_read():
    data = dict(rules.DEFAULT_CBL_POLICY) | local_connection(parishes=["Cheriton"])
    with pytest.raises(rules.PolicyError, match="The adjacency table names Folkestone"):
        rules.Policy.from_json(data)


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
