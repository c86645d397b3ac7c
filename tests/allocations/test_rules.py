"""The allocation engine's pure rules. No database: plain functions, checked exhaustively."""

import copy
import functools
import itertools
import json
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocations.models import PolicyVersion
from allocations.rules import (
    DEFAULT_CBL_POLICY,
    DEFAULT_PITCH_POLICY,
    EXPECTED_CHILD_KEY,
    OPTIONAL_POLICY_KEYS,
    SIZE_CRITERIA,
    STANDARD_BEDROOM,
    BedroomStandard,
    Candidate,
    Criterion,
    Occupant,
    Policy,
    PolicyError,
    PriorityScheme,
    TieBreaker,
    age_on,
    bedroom_need,
    date_in_words,
    deciding_tie_breaker,
    explain,
    occupants_with_pregnancy,
    policy_validate,
    rank,
    rank_key,
    score,
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


# --------------------------------------------------------------------------------------------
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
