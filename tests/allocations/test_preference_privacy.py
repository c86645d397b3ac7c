"""Reasonable preference on medical or welfare grounds, and a CORE answer that the tenant was
seriously injured or made ill by serving, are health data (UK GDPR art. 9): the change log
and History pages withhold them from the head of service (no special-category access), and
each showing to a role that may read them is logged."""

import csv
import io

import pytest
from django.urls import reverse

from allocations.services import core as core_services
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory

pytestmark = pytest.mark.django_db

GROUND = "Needed to move for medical or welfare reasons"


def _preferred(officer):
    application = ActiveApplicationFactory()
    core_services.application_preference_record(
        application=application,
        reasonable_preference="yes",
        grounds=["medical_welfare"],
        by=officer,
        reason="Medical priority awarded",
    )
    return application


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_head_of_service_is_not_shown_medical_grounds_in_the_change_log(
    client, officer, head_of_service
):
    application = _preferred(officer)
    client.force_login(head_of_service)
    body = _csv(client.get(reverse("change-log-csv"), {"record_type": "allocations.application"}))
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert any("Reasonable preference grounds" in row[6] for row in rows)
    assert GROUND not in body and "medical_welfare" not in body
    page = client.get(reverse("allocations:case-history", args=[application.pk]))
    assert page.status_code == 200 and GROUND not in page.content.decode()
    assert not SpecialCategoryView.objects.exists()


def test_the_reasonable_preference_page_logs_the_grounds_it_shows(client, officer):
    application = _preferred(officer)
    client.force_login(officer)
    page = client.get(reverse("allocations:application-core", args=[application.pk]))
    assert page.status_code == 200
    shown = SpecialCategoryView.objects.filter(user=officer, where="Reasonable preference")
    assert {view.person for view in shown} == set(application.household.people.all())
    assert all(view.fields == ["application:reasonable_preference_grounds"] for view in shown)
