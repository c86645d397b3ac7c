"""Households for the housekeeping tests: a couple, a girl turning 10 on 20 December 2026 and
a younger boy, so the need goes from 2 to 3 bedrooms that day (the issue's demo case)."""

from datetime import date

from allocations import services
from residents.models import Person
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import HouseholdFactory, PersonFactory

TURNS_TEN = date(2026, 12, 20)


def family_household(*, girl_born: date = date(2016, 12, 20)):
    household = HouseholdFactory()
    mother = PersonFactory(
        household=household, first_name="Rose", last_name="Ward", date_of_birth=date(1990, 4, 2)
    )
    father = PersonFactory(
        household=household,
        first_name="John",
        last_name="Ward",
        date_of_birth=date(1988, 6, 9),
        relationship=Person.Relationship.PARTNER,
        sex=Person.Sex.MALE,
        partner=mother,
    )
    mother.partner = father
    mother.save()
    PersonFactory(
        household=household,
        first_name="Amy",
        last_name="Ward",
        date_of_birth=girl_born,
        relationship=Person.Relationship.CHILD,
        sex=Person.Sex.FEMALE,
    )
    PersonFactory(
        household=household,
        first_name="Tom",
        last_name="Ward",
        date_of_birth=date(2019, 5, 1),
        relationship=Person.Relationship.CHILD,
        sex=Person.Sex.MALE,
    )
    return household


def assessed_family_application(officer, **kwargs):
    """An active pitch application for the family, assessed by `officer` (its case officer)."""
    application = ActiveApplicationFactory(household=family_household(**kwargs), bedroom_need=None)
    services.application_assess(application=application, criteria=[], by=officer)
    application.refresh_from_db()
    return application
