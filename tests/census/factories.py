from datetime import date, timedelta

from django.utils import timezone

from census import services
from residents.models import LicenceOccupant
from tests.factories import LicenceFactory, PersonFactory, SiteFactory, UnitFactory, UserFactory


def licensed_pitch(*, site, occupants=("Tom",), holder_name="Mary"):
    """A pitch on `site` with a live licence: one holder and the named authorised occupants."""
    unit = UnitFactory(site=site)
    licence = LicenceFactory(unit=unit, start_date=date(2020, 1, 1))
    holder = PersonFactory(
        household=licence.household, first_name=holder_name, date_of_birth=date(1980, 3, 1)
    )
    LicenceOccupant.objects.create(
        licence=licence, person=holder, role="holder", from_date=date(2020, 1, 1)
    )
    for name in occupants:
        person = PersonFactory(
            household=licence.household,
            first_name=name,
            relationship="child",
            sex="male",
            date_of_birth=date(2008, 5, 1),
        )
        LicenceOccupant.objects.create(
            licence=licence, person=person, role="occupant", from_date=date(2020, 1, 1)
        )
    return unit, licence


def started_round(*, by, pitches=2, empty_pitches=0, site=None, year=None):
    site = site or SiteFactory()
    for _ in range(pitches):
        licensed_pitch(site=site)
    for _ in range(empty_pitches):
        UnitFactory(site=site, status="unavailable")
    today = timezone.localdate()
    census_round = services.round_create(
        year=year or today.year,
        planned_start=today - timedelta(days=1),
        deadline=today + timedelta(days=30),
        sites=[site],
        by=by,
    )
    return services.round_start(census_round=census_round, by=by)


def complete(census_return, *, by, officer=None, **overrides):
    """Fill in a return as matching the records, with any overrides."""
    fields = {
        "holder_present": True if census_return.licence_id else None,
        "caravans": 2,
        "visited_on": timezone.localdate(),
        "officer": officer or by,
        # Two officers visit together (DOMAIN.md).
        "second_officer": UserFactory(username="census-second-officer", roles=["officer"]),
        "findings": {o.pk: "confirmed" for o in census_return.occupants.all()},
        "new_people": [],
    }
    fields.update(overrides)
    return services.return_save(census_return=census_return, by=by, **fields)
