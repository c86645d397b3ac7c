"""A renewal's page and the renewals due list name the household by its lead applicant, as an
officer chasing renewals needs; what the household told us at renewal is written freely and
is often health or pregnancy, so it is shown only to roles allowed special-category data,
each showing logged."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from allocations import services
from config.history import system_user
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SAID = "Expecting our second child in May (MATB1 to follow); my son has epilepsy"


def _renewed(officer):
    lead = PersonFactory(relationship="lead", first_name="Rosa", last_name="Lovell")
    with time_machine.travel(date(2026, 1, 1), tick=False):
        application = ActiveApplicationFactory(
            household=lead.household,
            registration_date=date(2025, 3, 1),
            effective_date=date(2025, 4, 1),
        )
    with time_machine.travel(date(2026, 2, 1), tick=False):
        services.renewals_run(today=date(2026, 2, 1), by=system_user())
        return services.renewal_receive(
            application=application,
            answered_on=date(2026, 2, 1),
            circumstances=SAID,
            by=officer,
        )


def test_the_renewals_due_list_and_a_renewals_page_name_the_household(client, officer):
    renewal = _renewed(officer)
    client.force_login(officer)

    with time_machine.travel(date(2026, 3, 1), tick=False):
        listed = client.get(reverse("allocations:renewals-due"))
        detail = client.get(renewal.get_absolute_url())

    household = renewal.application.household.reference
    assert f"Rosa Lovell ({household})" in listed.text
    assert f"Rosa Lovell ({household})" in detail.text


def test_the_head_of_service_is_not_shown_what_the_household_said(client, officer, head_of_service):
    renewal = _renewed(officer)
    client.force_login(head_of_service)

    page = client.get(renewal.get_absolute_url())
    history = client.get(renewal.get_history_url())

    assert page.status_code == history.status_code == 200
    assert "epilepsy" not in page.text and "epilepsy" not in history.text
    assert "Recorded: shown only to roles that see special-category data" in page.text
    assert not SpecialCategoryView.objects.exists()


def test_an_officer_is_shown_it_and_the_showing_is_logged(client, officer):
    renewal = _renewed(officer)
    client.force_login(officer)

    page = client.get(renewal.get_absolute_url())

    assert "epilepsy" in page.text
    shown = SpecialCategoryView.objects.filter(user=officer, where="renewal")
    assert shown.exists()
    assert all(view.fields == ["renewal:circumstances"] for view in shown)
