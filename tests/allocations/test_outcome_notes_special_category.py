"""What an interview or a site visit found is written freely and can be health or welfare:
the application page shows it only to roles allowed special-category data, each showing
logged; the head of service is told only that notes were recorded."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from allocations.models import Interview, SiteVisit
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _application_with_notes(officer):
    person = PersonFactory(relationship="lead")
    application = ActiveApplicationFactory(household=person.household)
    when = timezone.now() - timedelta(days=2)
    Interview.objects.create(
        application=application,
        starts_at=when,
        place="Civic Centre",
        lead_officer=officer,
        outcome_notes="Interview: he has MS",
    )
    other = get_user_model().objects.create(username="second")
    SiteVisit.objects.create(
        application=application,
        site=SiteFactory(),
        starts_at=when,
        first_officer=officer,
        second_officer=other,
        outcome_notes="Visit: she is pregnant",
    )
    return application


def test_the_head_of_service_is_not_shown_interview_or_visit_notes(
    client, officer, head_of_service
):
    application = _application_with_notes(officer)
    client.force_login(head_of_service)

    page = client.get(reverse("allocations:application-detail", args=[application.pk])).text

    assert "he has MS" not in page and "she is pregnant" not in page
    assert "Outcome and notes recorded" in page
    assert not SpecialCategoryView.objects.exists()


def test_an_officer_is_shown_them_and_the_showing_is_logged(client, officer):
    application = _application_with_notes(officer)
    client.force_login(officer)

    page = client.get(reverse("allocations:application-detail", args=[application.pk])).text

    assert "he has MS" in page and "she is pregnant" in page
    shown = SpecialCategoryView.objects.filter(where="application", user=officer)
    fields = {name for view in shown for name in view.fields}
    assert {"interview:outcome_notes", "sitevisit:outcome_notes"} <= fields


@pytest.mark.parametrize(
    ("model", "page", "field"),
    [
        (Interview, "allocations:interview-history", "interview:outcome_notes"),
        (SiteVisit, "allocations:sitevisit-history", "sitevisit:outcome_notes"),
    ],
)
def test_the_history_page_shows_them_to_an_officer_and_the_showing_is_logged(
    client, officer, model, page, field
):
    application = _application_with_notes(officer)
    record = model.objects.get(application=application)
    client.force_login(officer)

    response = client.get(reverse(page, args=[record.pk]))

    assert response.status_code == 200
    assert record.outcome_notes in response.text
    shown = SpecialCategoryView.objects.filter(where="history", user=officer)
    assert {view.person for view in shown} == set(application.household.people.all())
    assert all(view.fields == [field] for view in shown)
