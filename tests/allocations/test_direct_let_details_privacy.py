"""Why a household needs a home outside bidding is written freely and is often health,
welfare or violence ("Fleeing domestic abuse: MARAC referral"): the direct let's page and its
History show it only to roles allowed special-category data, each showing logged; the head
of service, who reads direct lets, is told only that it was recorded."""

import pytest

from allocations import services
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DETAILS = "Fleeing domestic abuse: MARAC referral, needs a home away from the current area"


def _proposed(officer):
    lead = PersonFactory(relationship="lead")
    return services.direct_let_propose(
        vacancy=VacancyFactory(),
        application=ActiveApplicationFactory(household=lead.household),
        reason="emergency",
        details=DETAILS,
        by=officer,
    )


def test_the_head_of_service_is_not_shown_why_the_household_needs_the_home(
    client, officer, head_of_service
):
    direct_let = _proposed(officer)
    client.force_login(head_of_service)

    page = client.get(direct_let.get_absolute_url())

    assert page.status_code == 200
    assert "MARAC" not in page.text
    assert "Recorded: shown only to roles that see special-category data" in page.text
    assert not SpecialCategoryView.objects.exists()


def test_the_head_of_service_is_not_shown_it_in_the_direct_lets_history(
    client, officer, head_of_service
):
    direct_let = _proposed(officer)
    client.force_login(head_of_service)

    page = client.get(direct_let.get_history_url())

    assert page.status_code == 200
    assert "MARAC" not in page.text


def test_an_officer_is_shown_it_and_the_showing_is_logged(client, officer, team_leader):
    direct_let = _proposed(officer)
    client.force_login(team_leader)

    page = client.get(direct_let.get_absolute_url())

    assert "MARAC referral" in page.text
    shown = SpecialCategoryView.objects.get(user=team_leader)
    assert (shown.where, shown.fields) == ("direct let", ["directlet:details"])
    assert shown.person.household_id == direct_let.application.household_id
