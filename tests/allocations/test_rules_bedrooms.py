"""The bedroom standard: dates, bedroom need, pregnancy, couples, variants and reasons,
checked rule by rule and exhaustively against brute force."""

import functools
import itertools
from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from allocations.rules import (
    EXPECTED_CHILD_KEY,
    SIZE_CRITERIA,
    STANDARD_BEDROOM,
    BedroomStandard,
    Occupant,
    age_on,
    bedroom_need,
    date_in_words,
    occupants_with_pregnancy,
)
from config.kernel.dates import letter_date

ON = date(2025, 6, 15)


def person(key: str, age: int, sex: str, partner_key: str | None = None) -> Occupant:
    """Someone whose birthday this year has passed by ON, so they are `age` on ON."""
    return Occupant(key, date(ON.year - age, 1, 1), sex, partner_key)


def need(*occupants: Occupant, standard: BedroomStandard = STANDARD_BEDROOM, on: date = ON):
    return bedroom_need(occupants, on=on, standard=standard)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def test_dates_are_written_in_words_without_a_leading_zero():
    assert date_in_words(date(2024, 3, 1)) == "1 March 2024"
    assert date_in_words(date(2024, 12, 25)) == "25 December 2024"


@pytest.mark.parametrize("day", [date(2024, 3, 1), date(2024, 12, 25), date(2026, 2, 28)])
def test_the_rules_write_dates_as_letters_do(day):
    assert date_in_words(day) == letter_date(day)


def test_age_goes_up_on_the_birthday_not_the_day_before():
    assert age_on(date(2015, 6, 15), date(2025, 6, 14)) == 9
    assert age_on(date(2015, 6, 15), date(2025, 6, 15)) == 10


def test_someone_born_on_29_february_is_a_year_older_on_1_march_in_a_common_year():
    assert age_on(date(2016, 2, 29), date(2026, 2, 28)) == 9
    assert age_on(date(2016, 2, 29), date(2026, 3, 1)) == 10


def test_someone_born_on_29_february_is_a_year_older_on_29_february_in_a_leap_year():
    assert age_on(date(2016, 2, 29), date(2024, 2, 28)) == 7
    assert age_on(date(2016, 2, 29), date(2024, 2, 29)) == 8


# --------------------------------------------------------------------------------------------
# Bedroom need: the DOMAIN rules one at a time
# --------------------------------------------------------------------------------------------


def test_a_single_adult_needs_one_bedroom():
    assert need(person("A", 40, "female")).bedrooms == 1


def test_a_couple_shares_one_bedroom():
    result = need(person("A", 40, "female", "B"), person("B", 41, "male", "A"))
    assert result.rooms == (("A", "B"),)


def test_each_person_aged_21_or_over_not_in_a_couple_needs_their_own_bedroom():
    result = need(person("A", 50, "female"), person("B", 21, "female"), person("C", 23, "male"))
    assert result.bedrooms == 3


def test_two_same_sex_people_aged_10_to_20_share():
    assert need(person("A", 20, "male"), person("B", 10, "male")).bedrooms == 1


def test_two_people_aged_10_to_20_of_different_sexes_do_not_share():
    assert need(person("A", 15, "male"), person("B", 14, "female")).bedrooms == 2


def test_two_children_under_10_share_whatever_their_sex():
    assert need(person("A", 9, "male"), person("B", 2, "female")).bedrooms == 1


def test_a_child_under_10_left_over_gets_a_room():
    result = need(person("A", 8, "male"), person("B", 5, "female"), person("C", 1, "male"))
    assert result.bedrooms == 2


def test_an_unpaired_10_to_20_year_old_shares_with_a_same_sex_child_under_10():
    result = need(person("T", 14, "female"), person("C", 6, "female"))
    assert result.rooms == (("T", "C"),)


def test_an_unpaired_10_to_20_year_old_does_not_share_with_a_child_of_the_other_sex():
    assert need(person("T", 14, "female"), person("C", 6, "male")).bedrooms == 2


def test_children_under_10_share_with_each_other_when_a_teenager_taking_one_saves_nothing():
    result = need(person("T", 14, "female"), person("C", 6, "female"), person("D", 4, "male"))
    assert result.rooms == (("C", "D"), ("T",))


def test_with_an_odd_number_of_children_the_teenager_takes_a_same_sex_child():
    result = need(
        person("T", 14, "female"),
        person("C", 8, "male"),
        person("D", 6, "female"),
        person("E", 4, "male"),
    )
    assert result.rooms == (("C", "E"), ("T", "D"))


def test_a_girl_and_a_boy_aged_10_to_20_each_share_with_a_same_sex_child_to_save_a_room():
    result = need(
        person("G", 14, "female"),
        person("B", 12, "male"),
        person("g", 6, "female"),
        person("b", 4, "male"),
    )
    assert result.rooms == (("G", "g"), ("B", "b"))


def test_the_room_count_is_the_same_whatever_order_the_household_is_listed_in():
    household = [
        person("A", 40, "female", "B"),
        person("B", 42, "male"),
        person("C", 17, "female"),
        person("D", 12, "male"),
        person("E", 8, "female"),
        person("F", 3, "male"),
    ]
    counts = {need(*order).bedrooms for order in itertools.permutations(household)}
    assert counts == {3}


# --------------------------------------------------------------------------------------------
# Bedroom need changes over time
# --------------------------------------------------------------------------------------------


def siblings_around_a_10th_birthday(on: date) -> int:
    boy = Occupant("Boy", date(2015, 6, 15), "male")  # 10 on 15 June 2025
    girl = Occupant("Girl", date(2019, 1, 1), "female")
    return bedroom_need([boy, girl], on=on, standard=STANDARD_BEDROOM).bedrooms


def test_a_boy_and_a_girl_still_share_the_day_before_he_turns_10():
    assert siblings_around_a_10th_birthday(date(2025, 6, 14)) == 1


def test_a_boy_and_a_girl_need_separate_rooms_from_the_day_he_turns_10():
    assert siblings_around_a_10th_birthday(date(2025, 6, 15)) == 2


def brothers_around_a_21st_birthday(on: date) -> int:
    older = Occupant("Older", date(2004, 6, 15), "male")  # 21 on 15 June 2025
    younger = Occupant("Younger", date(2008, 1, 1), "male")
    return bedroom_need([older, younger], on=on, standard=STANDARD_BEDROOM).bedrooms


def test_brothers_still_share_the_day_before_the_older_turns_21():
    assert brothers_around_a_21st_birthday(date(2025, 6, 14)) == 1


def test_brothers_need_separate_rooms_from_the_day_the_older_turns_21():
    assert brothers_around_a_21st_birthday(date(2025, 6, 15)) == 2


def test_a_boy_born_on_29_february_needs_his_own_room_from_1_march_in_a_common_year():
    boy = Occupant("Boy", date(2016, 2, 29), "male")
    girl = Occupant("Girl", date(2019, 1, 1), "female")
    counts = [
        bedroom_need([boy, girl], on=day, standard=STANDARD_BEDROOM).bedrooms
        for day in (date(2026, 2, 28), date(2026, 3, 1))
    ]
    assert counts == [1, 2]


# --------------------------------------------------------------------------------------------
# Pregnancy
# --------------------------------------------------------------------------------------------


def test_an_evidenced_pregnancy_adds_an_expected_child_of_unknown_sex():
    household = occupants_with_pregnancy(
        [person("Mum", 30, "female")],
        due_date=ON + timedelta(weeks=10),
        on=ON,
        standard=STANDARD_BEDROOM,
    )
    assert household[-1] == Occupant(EXPECTED_CHILD_KEY, None, "unknown")


def test_a_pregnancy_counts_towards_bedroom_need():
    household = occupants_with_pregnancy(
        [person("Mum", 30, "female")],
        due_date=ON + timedelta(weeks=10),
        on=ON,
        standard=STANDARD_BEDROOM,
    )
    assert need(*household).bedrooms == 2


def test_a_pregnancy_is_not_counted_when_the_standard_does_not_count_pregnancy():
    standard = BedroomStandard("no pregnancy", count_pregnancy=False)
    household = occupants_with_pregnancy(
        [person("Mum", 30, "female")], due_date=ON + timedelta(weeks=10), on=ON, standard=standard
    )
    assert household == [person("Mum", 30, "female")]


def test_without_a_due_date_no_expected_child_is_added():
    household = occupants_with_pregnancy(
        [person("Mum", 30, "female")], due_date=None, on=ON, standard=STANDARD_BEDROOM
    )
    assert household == [person("Mum", 30, "female")]


def test_a_pregnancy_past_its_due_date_still_counts_until_the_birth_is_recorded():
    household = occupants_with_pregnancy(
        [person("Mum", 30, "female")],
        due_date=ON - timedelta(days=3),
        on=ON,
        standard=STANDARD_BEDROOM,
    )
    assert len(household) == 2


def test_a_due_date_more_than_42_weeks_ahead_is_refused_as_a_likely_typing_error():
    with pytest.raises(ValueError, match="more than 42 weeks"):
        occupants_with_pregnancy(
            [person("Mum", 30, "female")],
            due_date=ON + timedelta(weeks=43),
            on=ON,
            standard=STANDARD_BEDROOM,
        )


def test_an_expected_child_shares_with_a_child_under_10_of_either_sex():
    expected = Occupant(EXPECTED_CHILD_KEY, None, "unknown")
    assert need(person("Mum", 30, "female"), person("Son", 5, "male"), expected).bedrooms == 2


def test_an_expected_child_does_not_share_with_a_10_to_20_year_old():
    expected = Occupant(EXPECTED_CHILD_KEY, None, "unknown")
    household = (person("Mum", 30, "female"), person("Daughter", 12, "female"), expected)
    assert need(*household).bedrooms == 3


def test_a_birth_replacing_the_expected_child_keeps_the_need_when_the_baby_can_share():
    before = need(person("Mum", 30, "female"), Occupant(EXPECTED_CHILD_KEY, None, "unknown"))
    after = need(person("Mum", 30, "female"), Occupant("Baby", ON, "female"))
    assert before.bedrooms == after.bedrooms == 2


# --------------------------------------------------------------------------------------------
# Couples and bad data
# --------------------------------------------------------------------------------------------


def test_a_couple_recorded_on_only_one_partner_still_shares():
    assert need(person("A", 30, "female", "B"), person("B", 30, "male")).bedrooms == 1


def test_a_partner_who_is_not_in_the_household_leaves_the_person_single():
    result = need(person("A", 30, "female", "Gone"), person("B", 30, "male"))
    assert result.bedrooms == 2


def test_a_20_year_old_whose_partner_lives_elsewhere_can_share_with_a_sibling():
    result = need(person("A", 20, "female", "Gone"), person("B", 16, "female"))
    assert result.rooms == (("A", "B"),)


def test_a_person_recorded_as_a_couple_with_two_people_is_refused():
    with pytest.raises(ValueError, match="couple with both"):
        need(
            person("A", 30, "female", "B"),
            person("B", 30, "male", "C"),
            person("C", 30, "female"),
        )


def test_a_household_of_nobody_is_refused():
    with pytest.raises(ValueError, match="A household needs at least one person"):
        bedroom_need([], on=ON, standard=STANDARD_BEDROOM)


def test_the_same_person_twice_is_refused():
    with pytest.raises(ValueError, match="appears twice"):
        need(person("A", 30, "female"), person("A", 30, "female"))


def test_a_sex_the_standard_does_not_know_is_refused():
    with pytest.raises(ValueError, match="expected 'female', 'male' or 'unknown'"):
        need(person("A", 30, "F"))


def test_someone_born_after_the_day_of_assessment_is_refused():
    with pytest.raises(ValueError, match="after 15 June 2025"):
        need(Occupant("A", ON + timedelta(days=1), "male"))


# --------------------------------------------------------------------------------------------
# Variants
# --------------------------------------------------------------------------------------------


def test_under_the_size_criteria_a_16_year_old_has_their_own_room():
    household = (person("A", 16, "male"), person("B", 12, "male"))
    assert need(*household, standard=STANDARD_BEDROOM).bedrooms == 1
    assert need(*household, standard=SIZE_CRITERIA).bedrooms == 2


def test_under_the_size_criteria_same_sex_children_under_16_share():
    household = (person("A", 15, "female"), person("B", 11, "female"))
    assert need(*household, standard=SIZE_CRITERIA).bedrooms == 1


def test_a_variant_with_a_gap_between_sharing_and_adult_ages_gives_the_gap_a_room():
    standard = BedroomStandard("local", adult_age=21, same_sex_share_until=18)
    result = need(person("A", 19, "male"), person("B", 17, "male"), standard=standard)
    assert result.reasons == (
        "Room 1: aged 10 to 18 with no same-sex person left to share with (B)",
        "Room 2: aged 19, an age this standard gives a room of their own (A)",
    )


def test_a_bedroom_standard_survives_a_round_trip_through_a_dict():
    assert BedroomStandard.from_dict(SIZE_CRITERIA.to_dict()) == SIZE_CRITERIA


def test_a_bedroom_standard_with_an_unknown_setting_is_refused():
    with pytest.raises(ValueError, match="adult_ages"):
        BedroomStandard.from_dict({"name": "typo", "adult_ages": 18})


def test_a_bedroom_standard_whose_age_groups_overlap_is_refused():
    with pytest.raises(ValueError, match="below adult_age"):
        BedroomStandard("overlap", adult_age=18, same_sex_share_until=20)


# --------------------------------------------------------------------------------------------
# Reasons
# --------------------------------------------------------------------------------------------


def test_bedroom_need_gives_one_plain_english_reason_per_room():
    result = need(
        person("Mum", 45, "female", "Dad"),
        person("Dad", 46, "male", "Mum"),
        person("Gran", 70, "female"),
        person("Ann", 17, "female"),
        person("Bea", 13, "female"),
        person("Cal", 15, "male"),
        person("Dan", 7, "male"),
        person("Eve", 5, "female"),
        person("Fin", 3, "male"),
    )
    assert result.reasons == (
        "Room 1: couple (Mum and Dad)",
        "Room 2: aged 21 or over (Gran)",
        "Room 3: same-sex pair aged 10 to 20 (Ann and Bea)",
        "Room 4: two children under 10 (Eve and Fin)",
        "Room 5: aged 10 to 20 sharing with a same-sex child under 10 (Cal and Dan)",
    )
    assert result.bedrooms == len(result.rooms) == 5


def test_a_child_with_no_one_to_share_with_is_explained():
    result = need(person("Mum", 30, "female"), person("Dan", 7, "male"))
    assert result.reasons[-1] == "Room 2: child under 10 with no one to share with (Dan)"


# --------------------------------------------------------------------------------------------
# Bedroom need is the minimum: an exhaustive check against brute force
# --------------------------------------------------------------------------------------------


@functools.cache
def may_share(first: Occupant, second: Occupant, standard: BedroomStandard) -> bool:
    """Two people may share a room, read straight from the DOMAIN rule (not from rules.py)."""
    if first.partner_key == second.key or second.partner_key == first.key:
        return True
    if first.partner_key or second.partner_key:  # in the check households, partners are present
        return False

    def years(occupant: Occupant) -> int:
        return 0 if occupant.date_of_birth is None else age_on(occupant.date_of_birth, ON)

    def child(occupant: Occupant) -> bool:
        return years(occupant) < standard.any_sex_share_under

    def young(occupant: Occupant) -> bool:
        return standard.any_sex_share_under <= years(occupant) <= standard.same_sex_share_until

    same_known_sex = first.sex == second.sex and first.sex != "unknown"
    if child(first) and child(second):
        return True
    if young(first) and young(second):
        return same_known_sex
    if (young(first) and child(second)) or (child(first) and young(second)):
        return same_known_sex
    return False


def fewest_rooms(people: Sequence[Occupant], standard: BedroomStandard) -> int:
    """The smallest number of rooms over every way of putting people alone or in pairs."""
    if not people:
        return 0
    first, rest = people[0], people[1:]
    best = 1 + fewest_rooms(rest, standard)
    for index, other in enumerate(rest):
        if may_share(first, other, standard):
            best = min(best, 1 + fewest_rooms(rest[:index] + rest[index + 1 :], standard))
    return best


def person_types(standard: BedroomStandard) -> list[tuple[int | None, str]]:
    """Ages at the edge of each of the standard's groups, each sex, an expected baby, and a
    10-20-year-old whose sex was not recorded."""
    ages = [
        4,
        standard.any_sex_share_under - 1,
        standard.any_sex_share_under,
        standard.same_sex_share_until,
        standard.adult_age,
    ]
    types: list[tuple[int | None, str]] = [(age, sex) for age in ages for sex in ("female", "male")]
    return [*types, (None, "unknown"), (standard.any_sex_share_under + 1, "unknown")]


def household_of(types: Sequence[tuple[int | None, str]], couple: bool) -> list[Occupant]:
    people = [
        Occupant(f"P{index}", None if age is None else date(ON.year - age, 1, 1), sex)
        for index, (age, sex) in enumerate(types)
    ]
    if couple:
        people += [person("Partner1", 35, "female", "Partner2"), person("Partner2", 36, "male")]
    return people


@pytest.mark.parametrize("standard", [STANDARD_BEDROOM, SIZE_CRITERIA], ids=lambda s: s.name)
def test_bedroom_need_is_the_fewest_rooms_any_valid_sharing_allows(standard):
    types = person_types(standard)
    checked = 0
    for couple in (False, True):
        for size in range(0 if couple else 1, (4 if couple else 6) + 1):
            for combination in itertools.combinations_with_replacement(types, size):
                people = household_of(combination, couple)
                result = bedroom_need(people, on=ON, standard=standard)
                assert result.bedrooms == fewest_rooms(people, standard), people
                checked += 1
    assert checked > 10_000


@pytest.mark.parametrize("standard", [STANDARD_BEDROOM, SIZE_CRITERIA], ids=lambda s: s.name)
def test_every_room_in_bedroom_need_is_one_the_standard_allows(standard):
    types = person_types(standard)
    for size in range(1, 6):
        for combination in itertools.combinations_with_replacement(types, size):
            people = household_of(combination, couple=size <= 3)
            by_key = {occupant.key: occupant for occupant in people}
            result = bedroom_need(people, on=ON, standard=standard)
            placed = [key for room in result.rooms for key in room]
            assert sorted(placed) == sorted(by_key)
            assert len(result.reasons) == result.bedrooms == len(result.rooms)
            for room in result.rooms:
                assert len(room) in (1, 2)
                if len(room) == 2:
                    assert may_share(by_key[room[0]], by_key[room[1]], standard), room
