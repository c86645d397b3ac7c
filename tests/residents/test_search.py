"""Name search (residents/search.py): what it matches, and the names it matches against
(PersonName), kept by the database however a person is written."""

from datetime import date

import pytest

from residents import services
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
