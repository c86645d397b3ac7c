"""The census demo: this year's census on Hop Garden, under way."""

from datetime import timedelta

from django.utils import timezone

from census import services as census_services
from census.models import CensusRound
from config.demo import Demo, DemoStep
from config.kernel.records import history_stamp
from residents import services as resident_services
from residents.models import Household, Licence, LicenceOccupant, Person
from sites.models import Site, Unit


def census_load(demo: Demo) -> None:
    """This year's census on Hop Garden: live licences for its resident households (where
    none are recorded yet), the round started, and a few returns in, one with a new person
    found, so the round's progress, follow-up tasks and reports have something to show."""
    rng = demo.rng
    officer = demo.user("officer")
    second = demo.user("officer2")
    site = Site.objects.get(reference="GT-03")
    today = timezone.localdate()
    households = Household.objects.filter(unit__site=site).select_related("unit")
    for household in households.order_by("reference"):
        unit = household.unit
        if unit.kind != Unit.Kind.PITCH or unit.licences.exclude(status="draft").exists():
            continue
        start = today - timedelta(days=rng.randint(400, 3000))
        licence = Licence(
            reference=resident_services.licence_reference_next(),
            household=household,
            unit=unit,
            status=Licence.Status.LIVE,
            start_date=start,
            weekly_fee=unit.weekly_charge,
            deposit=unit.weekly_charge * 2,
            terms_version="2026-1",
        )
        # Households that lived here before the service: their licences are recorded as they
        # stand, not signed up through it.
        history_stamp(licence, by=officer, reason="Demo data")
        licence.save()
        for person in household.people.order_by("pk"):
            named = LicenceOccupant(
                licence=licence,
                person=person,
                role=(
                    LicenceOccupant.Role.HOLDER
                    if person.relationship == Person.Relationship.LEAD
                    else LicenceOccupant.Role.OCCUPANT
                ),
                from_date=max(start, person.date_of_birth),
            )
            history_stamp(named, by=officer, reason="Demo data")
            named.save()
    census_round = census_services.round_create(
        year=today.year,
        planned_start=today - timedelta(days=7),
        deadline=today + timedelta(days=30),
        sites=[site],
        by=officer,
    )
    census_services.round_start(census_round=census_round, by=officer)
    returns = list(census_round.returns.filter(licence__isnull=False).order_by("unit__reference"))
    for index, census_return in enumerate(returns[:4]):
        census_services.return_save(
            census_return=census_return,
            by=officer,
            holder_present=True,
            caravans=rng.randint(1, 2),
            visited_on=today - timedelta(days=2),
            officer=officer,
            second_officer=second,
            findings={o.pk: "confirmed" for o in census_return.occupants.all()},
            new_people=([{"name": "Jimmy Doran", "approximate_age": 24}] if index == 1 else []),
        )
        if index < 3:
            census_services.return_submit(census_return=census_return, by=officer)


CENSUS = DemoStep(loaded=lambda: CensusRound.objects.exists(), load=census_load)
