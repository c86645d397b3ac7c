import pytest

from census import rules


def _found(**overrides):
    values = {
        "has_licence": True,
        "holder_present": True,
        "occupants": ((1, "Tom Boswell", "confirmed"),),
        "new_people": (),
    }
    values.update(overrides)
    return rules.Found(**values)


def test_a_return_matching_the_records_has_no_differences():
    assert rules.differences(_found()) == []


def test_each_kind_of_difference_is_found_in_a_fixed_order():
    found = _found(
        holder_present=False,
        occupants=((1, "Tom Boswell", "moved_out"), (2, "Ann Boswell", "confirmed")),
        new_people=((7, "John Smith", 30), (8, "Baby Smith", None)),
    )
    result = rules.differences(found)
    assert [(d.kind, d.licence_occupant_id, d.new_person_id) for d in result] == [
        ("holder_absent", None, None),
        ("occupant_gone", 1, None),
        ("new_occupant", None, 7),
        ("new_occupant", None, 8),
    ]
    assert result[3].description.startswith("Baby Smith, age not known")


def test_a_pitch_without_a_licence_has_no_holder_to_miss():
    assert rules.differences(_found(has_licence=False, holder_present=None, occupants=())) == []


def test_the_default_policy_passes_absent_holders_and_new_people_to_the_sites_manager():
    assert rules.is_suspected_breach("holder_absent")
    assert rules.is_suspected_breach("new_occupant")
    assert not rules.is_suspected_breach("occupant_gone")


def test_a_council_can_change_which_differences_are_suspected_breaches(settings):
    settings.CENSUS_SUSPECTED_BREACH_KINDS = {"new_occupant"}
    assert not rules.is_suspected_breach("holder_absent")
    assert rules.is_suspected_breach("new_occupant")


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0–4"),
        (4, "0–4"),
        (5, "5–10"),
        (17, "11–17"),
        (18, "18–24"),
        (64, "45–64"),
        (65, "65 and over"),
        (None, "Age not known"),
    ],
)
def test_age_bands(age, band):
    assert rules.age_band(age) == band


def test_every_unanswered_question_is_named_before_submitting():
    found = _found(holder_present=None, occupants=((1, "Tom Boswell", ""),))
    missing = rules.missing_answers(found, visited_on=None, officer=None, caravans=None)
    assert set(missing) == {
        "visited_on",
        "officer",
        "second_officer",
        "caravans",
        "holder_present",
        "occupant_1",
    }
