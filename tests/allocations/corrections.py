"""Building blocks for the correction tests: a household on two frozen shortlists, one of them
let, whose effective date is then corrected."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from allocations import services
from allocations.models import ShortlistEntry, Vacancy
from tests.allocations.casework import answers_as_records, checks_back, in_a_week
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.factories import HouseholdFactory, PersonFactory


@dataclass
class Scenario:
    household_application: object
    earlier: object  # same points, an earlier effective date: first on `changed`
    stronger: object  # more points: first on `unchanged` whatever the date
    changed: Vacancy
    unchanged: Vacancy


def _named(first: str, last: str, **fields):
    household = HouseholdFactory()
    PersonFactory(household=household, first_name=first, last_name=last)
    return ActiveApplicationFactory(household=household, **fields)


def frozen(officer, *applications) -> Vacancy:
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    for application in applications:
        services.bid_place(vacancy=vacancy, application=application, by=officer)
    services.shortlist_freeze(vacancy=vacancy, by=officer)
    vacancy.refresh_from_db()
    return vacancy


def let_to(vacancy: Vacancy, application, officer, team_leader) -> None:
    """The home let to `application` (first on its shortlist): offer, acceptance, approval."""
    entry = ShortlistEntry.objects.get(vacancy=vacancy, application=application)
    checks_back(application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="First on the shortlist", by=officer
    )
    services.decision_approve(decision=decision, comments="Agreed", by=team_leader)


def two_shortlists(officer, team_leader) -> Scenario:
    household = _named("Rosa", "Lee", points=50, effective_date=date(2024, 6, 1))
    earlier = _named("Mary", "Price", points=50, effective_date=date(2024, 5, 1))
    stronger = _named("Tom", "Boswell", points=80, effective_date=date(2024, 9, 1))
    changed = frozen(officer, household, earlier)
    unchanged = frozen(officer, household, stronger)
    let_to(changed, earlier, officer, team_leader)
    return Scenario(household, earlier, stronger, changed, unchanged)


def correct_the_date(scenario: Scenario, officer):
    """The household's effective date put right: it should have been 1 March 2024."""
    services.application_dates_change(
        application=scenario.household_application,
        effective_date=date(2024, 3, 1),
        reason="The homeless duty was accepted on 1 March 2024; the date was typed wrongly",
        by=officer,
    )
    return scenario.household_application.corrections.get()
