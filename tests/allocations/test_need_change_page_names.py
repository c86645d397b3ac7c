"""A bedroom-need change's page names the household by its lead applicant, as the officer
who checks it with the household needs, not by references alone."""

from datetime import date

import pytest

from allocations.models import BedroomNeedChange
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_need_changes_page_names_the_household(client, officer):
    lead = PersonFactory(relationship="lead", first_name="Rosa", last_name="Lovell")
    application = ActiveApplicationFactory(household=lead.household)
    change = BedroomNeedChange.objects.create(
        application=application,
        change_on=date(2026, 12, 22),
        need_before=2,
        need_after=3,
        reasons=["Tom Lovell turns 10 on 22 December 2026"],
    )
    client.force_login(officer)

    page = client.get(change.get_absolute_url())

    assert page.status_code == 200
    assert f"Rosa Lovell ({lead.household.reference})" in page.text
