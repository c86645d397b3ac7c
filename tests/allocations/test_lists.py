"""The officers' diary, the team leaders' overdue checks and the sites manager's breaches."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from allocations import services
from residents import services as residents
from residents.selectors import breach_list
from tests.allocations.casework import partner, tomorrow_at
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory, SiteFactory, UserFactory
from tests.residents.helpers import signed

pytestmark = pytest.mark.django_db


def test_the_diary_shows_my_interviews_and_visits_and_everyones_on_request(client, officer):
    colleague = UserFactory(username="colleague", roles=["officer"])
    lead = PersonFactory(first_name="Rosie", last_name="Lee", relationship="lead")
    application = ActiveApplicationFactory(household=lead.household)
    services.interview_schedule(
        application=application,
        starts_at=tomorrow_at(10),
        place="County Hall",
        lead_officer=officer,
        by=officer,
    )
    services.site_visit_arrange(
        application=ActiveApplicationFactory(),
        site=SiteFactory(name="Oak Lane"),
        starts_at=tomorrow_at(14),
        officers=[colleague, UserFactory(username="third", roles=["officer"])],
        by=officer,
    )
    client.force_login(officer)
    page = client.get(reverse("allocations:diary")).content.decode()
    assert "County Hall" in page and "Rosie Lee" in page and "Oak Lane" not in page
    page = client.get(reverse("allocations:diary") + "?whose=all").content.decode()
    assert page.index("County Hall") < page.index("Oak Lane")
    client.force_login(colleague)
    page = client.get(reverse("allocations:diary") + "?days=7").content.decode()
    assert "Oak Lane" in page and "County Hall" not in page


def test_the_diary_says_when_it_is_empty(client, officer):
    client.force_login(officer)
    assert "Nothing in the diary" in client.get(reverse("allocations:diary")).content.decode()


def test_team_leaders_see_overdue_checks_filtered_by_partner(client, officer, team_leader):
    application = ActiveApplicationFactory()
    today = timezone.localdate()
    for kind, name in (("police", "Northshire Police"), ("previous_landlord", "Landlord A")):
        services.check_request(
            application=application,
            partner=partner(kind, name=name),
            purpose="Pitch offer",
            legal_basis="",
            requested_on=today - timedelta(days=20),
            due_on=today - timedelta(days=6),
            by=officer,
        )
    client.force_login(team_leader)
    url = reverse("allocations:checks-overdue")
    page = client.get(url).content.decode()
    assert "Northshire Police" in page and "Landlord A" in page
    page = client.get(url + "?kind=police").content.decode()
    assert "Northshire Police" in page and "Landlord A" not in page
    client.force_login(officer)
    assert client.get(url).status_code == 403


def test_the_sites_manager_lists_breaches_with_the_overdue_ones(client, officer, sites_manager):
    licence = signed(officer)
    late = residents.breach_raise(
        licence=licence,
        category="nuisance",
        observed_on=timezone.localdate(),
        description="Generator",
        by=officer,
    )
    residents.breach_transition(breach=late, to="investigating", reason="V", by=sites_manager)
    residents.breach_transition(
        breach=late,
        to="notice_served",
        remedy_due_on=timezone.localdate() + timedelta(days=3),
        reason="Notice",
        by=sites_manager,
    )
    residents.breach_raise(
        licence=licence,
        category="caravans",
        observed_on=timezone.localdate(),
        description="Extra caravan",
        by=officer,
    )
    client.force_login(sites_manager)
    url = reverse("residents:breach-list")
    page = client.get(url).content.decode()
    assert "Nuisance" in page or "nuisance" in page.lower()
    assert page.count('<tr class="govuk-table__row">') == 3  # the header and two breaches
    assert "Overdue" not in page
    assert "No breaches match" in client.get(url + "?overdue=yes").content.decode()
    later = timezone.localdate() + timedelta(days=5)  # past the remedy date
    assert list(breach_list(overdue=True, today=later)) == [late]
    page = client.get(url + "?status=reported").content.decode()
    assert page.count('<tr class="govuk-table__row">') == 2
