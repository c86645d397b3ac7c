"""Name search (residents/search.py): what it matches, and the names it matches against
(PersonName), kept by the database however a person is written."""

from datetime import date

import pytest

from residents import search, services
from residents.models import Person, PersonName
from residents.search import household_matches
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _found(**criteria) -> list[str]:
    households, known = household_matches(**criteria)
    references = [household.reference for household in households]
    assert known == len(references)
    return references


def test_a_name_search_matches_part_of_any_name_accents_and_case_ignored():
    first = PersonFactory(first_name="Máire", last_name="Quinnell", other_names="Rosaleen Ann")
    last = PersonFactory(first_name="Tom", last_name="MacQuinn")
    PersonFactory(first_name="Tom", last_name="Boswell")
    assert _found(name="AIR") == [first.household.reference]
    assert _found(name="maire") == [first.household.reference]
    assert _found(name="rosal") == [first.household.reference]
    assert sorted(_found(name="quinn")) == sorted(
        [first.household.reference, last.household.reference]
    )
    assert _found(name="quinn_") == []  # a wildcard in the term is a character to find
    assert _found(name="zzz") == []


def test_every_term_of_a_name_search_is_in_one_persons_names():
    mary_smith = PersonFactory(first_name="Mary", last_name="Smithson")
    # Here a Mary and a Smith, but not the same person: not a match.
    mary = PersonFactory(first_name="Mary", last_name="Jones")
    PersonFactory(
        first_name="Alan", last_name="Smith", household=mary.household, relationship="child"
    )
    assert _found(name="mary smith") == [mary_smith.household.reference]
    assert _found(name="smith mary") == [mary_smith.household.reference]
    assert sorted(_found(name="mary")) == sorted(
        [mary_smith.household.reference, mary.household.reference]
    )


def test_a_name_and_a_date_of_birth_are_the_same_persons():
    born = date(1984, 5, 17)
    wanted = PersonFactory(first_name="Bridget", last_name="Doherty", date_of_birth=born)
    other = PersonFactory(first_name="Bridget", last_name="Doherty", date_of_birth=date(1990, 1, 1))
    # Here a Doherty, and someone else born that day: not a match.
    PersonFactory(
        first_name="Sean",
        last_name="Ward",
        date_of_birth=born,
        household=other.household,
        relationship="child",
    )
    assert _found(name="doherty", date_of_birth=born) == [wanted.household.reference]
    assert _found(name="bridget doherty", date_of_birth=born) == [wanted.household.reference]
    assert sorted(_found(date_of_birth=born)) == sorted(
        [wanted.household.reference, other.household.reference]
    )


def _people_named() -> dict[str, int]:
    return dict(PersonName.objects.values_list("folded", "people"))


def test_the_names_searched_are_kept_as_people_are_added_in_bulk_renamed_and_deleted(officer):
    household = PersonFactory(first_name="Morgan", last_name="Morgan").household
    assert _people_named()["MORGAN"] == 1  # one person, however many of their names
    Person.objects.bulk_create(
        [
            Person(
                household=household,
                first_name="Zoë",
                last_name="Ó Dálaigh",
                date_of_birth=date(2010, 3, 1),
                relationship="child",
                sex="female",
            )
        ]
    )
    assert {"ZOE": 1, "O DALAIGH": 1}.items() <= _people_named().items()
    assert _found(name="dalaigh") == [household.reference]
    zoe = Person.objects.get(first_name="Zoë")
    services.person_update(
        person=zoe, by=officer, reason="Name changed by deed poll", last_name="Kovač"
    )
    assert _people_named()["KOVAC"] == 1
    assert "O DALAIGH" not in _people_named()  # nobody has it now
    assert _found(name="kovac") == [household.reference]
    assert _found(name="dalaigh") == []
    other = PersonFactory(first_name="Anna", last_name="Kovač")
    assert _people_named()["KOVAC"] == 2
    Person.objects.filter(pk=zoe.pk).delete()
    assert _people_named()["KOVAC"] == 1
    assert _found(name="kovac") == [other.household.reference]
    Person.objects.filter(pk=other.pk).delete()
    assert "KOVAC" not in _people_named() and "ANNA" not in _people_named()


@pytest.fixture
def smiths():
    """People with a Mary and a Smith in their names every way round, and some without."""
    found = [
        PersonFactory(first_name="Mary", last_name="Smith"),
        PersonFactory(first_name="Smithy", last_name="Rosemary"),  # each the other way round
        PersonFactory(first_name="Tom", last_name="Marysmith"),  # both in one name
        PersonFactory(first_name="Marysmith", last_name="Lee"),
        PersonFactory(first_name="Ann", last_name="Smith", other_names="Mary Jane"),
        PersonFactory(first_name="Mary", last_name="Lee", other_names="Smith"),
        PersonFactory(first_name="Bo", last_name="Lee", other_names="Mary Smith"),
    ]
    mary = PersonFactory(first_name="Mary", last_name="Jones")  # a Mary and a Smith, apart
    PersonFactory(
        first_name="Alan", last_name="Smith", household=mary.household, relationship="child"
    )
    PersonFactory(first_name="Maryam", last_name="Smithson", date_of_birth=date(2015, 9, 9))
    return sorted(person.household.reference for person in found)


def test_two_names_are_found_by_their_pairs_of_names_or_by_the_rarer_alike(smiths, monkeypatch):
    """A search for two names looks the people up by pairs of names (one in a first name,
    the other in a last name) when the names make few pairs, otherwise by the people with the
    rarer term's names: the same households either way, in every arrangement of the names."""
    born = date(2015, 9, 9)  # a child: nobody else was born on that day
    maryam = Person.objects.get(first_name="Maryam").household.reference
    jane = Person.objects.get(other_names="Mary Jane").household.reference
    expected = {
        "mary smith": sorted([*smiths, maryam]),
        "SMITH mary": sorted([*smiths, maryam]),
        "ary mith": sorted([*smiths, maryam]),
        "mary smith jane": [jane],
        "jane smith mary": [jane],
        "smith maryam zzz": [],
    }
    ways = []
    for cost, most in ((0, search.LOOKUPS_MAX), (search.LOOKUP_COST, -1)):  # by pairs, then not
        monkeypatch.setattr(search, "LOOKUP_COST", cost)
        monkeypatch.setattr(search, "LOOKUPS_MAX", most)
        taken = []
        for way in ("_households_paired", "_households_driven"):
            real = getattr(search, way)
            monkeypatch.setattr(
                search,
                way,
                lambda *args, way=way, real=real, taken=taken: taken.append(way) or real(*args),
            )
        for name, households in expected.items():
            assert sorted(_found(name=name)) == households, name
        assert _found(name="mary smith", date_of_birth=born) == [maryam]
        assert _found(name="smith mary", date_of_birth=date(2015, 9, 8)) == []
        ways.append(set(taken))
        monkeypatch.undo()
    assert ways == [{"_households_paired"}, {"_households_driven"}]


def test_a_search_with_a_name_nobody_has_asks_no_more(smiths, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert search._households_named(["mary", "zzz"], None) == []


def test_a_term_that_folds_to_nothing_holds_no_name_back(smiths):
    """A term of accents alone folds to nothing, which every name holds: it finds what the
    other terms find, as it always did."""
    assert sorted(_found(name="\u0301 smith")) == sorted(_found(name="smith"))
    assert _found(name="\u0301 zzz") == []
