"""The log of who opened which household or application page, and its filter by person."""

import pytest
from django.urls import reverse

from config.models import RecordView
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def _viewed(user, household) -> None:
    RecordView.objects.create(
        user=user, record_type="residents.household", record_id=household.pk,
        label=household.reference,
    )  # fmt: skip


@pytest.mark.parametrize("person", ["²", "¹²", "٣", "abc", "-1", "99999999999999999999"])
def test_a_person_that_is_not_a_plain_number_or_anybody_is_never_an_error_page(
    client, auditor, person
):
    _viewed(UserFactory(), HouseholdFactory())
    client.force_login(auditor)
    assert client.get(reverse("records-viewed"), {"person": person}).status_code == 200


def test_filtered_by_a_person_the_page_says_whose_views_it_shows(client, auditor):
    household = HouseholdFactory()
    looker = UserFactory(first_name="Owen", last_name="Price")
    _viewed(looker, household)
    _viewed(UserFactory(), household)
    client.force_login(auditor)
    page = client.get(reverse("records-viewed"), {"person": looker.pk})
    assert [entry["who"] for entry in page.context["entries"]] == ["Owen Price"]
    assert "Showing the pages opened by Owen Price" in page.content.decode()


def test_a_person_who_opened_nothing_is_told_so_not_that_nothing_was_viewed(client, auditor):
    _viewed(UserFactory(), HouseholdFactory())
    idle = UserFactory(first_name="Bina", last_name="Shah")
    client.force_login(auditor)
    content = client.get(reverse("records-viewed"), {"person": idle.pk}).content.decode()
    assert "No pages opened by Bina Shah." in content
    assert "No pages have been viewed yet" not in content


def test_a_reader_sees_views_only_of_the_kinds_of_record_they_may_open(
    client, user_for_role, officer
):
    # The log listed, to an administrator who may not open applications, each application's
    # reference and who opened it.
    from tests.allocations.factories import ActiveApplicationFactory

    application = ActiveApplicationFactory()
    RecordView.objects.create(
        user=officer, record_type="allocations.application", record_id=application.pk,
        label=application.reference,
    )  # fmt: skip
    household = HouseholdFactory()
    _viewed(officer, household)
    administrator = user_for_role("administrator")
    assert not administrator.has_perm("allocations.view_application")
    client.force_login(administrator)
    page = client.get(reverse("records-viewed"))
    assert [entry["record"] for entry in page.context["entries"]] == [household.reference]
