"""An assessment's criteria met, their evidence and its reasons can be health or welfare
("Urgent medical or welfare need" with a GP's letter): special-category data, shown on the
application page only to roles allowed it (each showing logged) and withheld from the change
log for the others."""

import pytest
from django.urls import reverse

from allocations import services
from allocations.models import Assessment
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EVIDENCE = "GP letter: terminal illness"


def _assessed(officer):
    person = PersonFactory(relationship="lead")
    application = ActiveApplicationFactory(household=person.household, scheme="cbl")
    services.application_assess(
        application=application,
        criteria=[{"code": "urgent_medical_welfare", "evidence": EVIDENCE}],
        by=officer,
    )
    return application


def test_the_criteria_and_reasons_are_special_category():
    assert {"criteria_met", "reasons"} <= Assessment.SPECIAL_CATEGORY_FIELDS


def test_the_head_of_service_is_not_shown_the_criteria_evidence_or_reasons(
    client, officer, head_of_service
):
    application = _assessed(officer)
    reasons = application.assessments.get().reasons
    client.force_login(head_of_service)

    page = client.get(reverse("allocations:application-detail", args=[application.pk])).text

    assert EVIDENCE not in page and "Urgent medical or welfare need" not in page
    assert all(str(reason) not in page for reason in reasons)
    assert "shown only to roles allowed special-category data" in page
    assert not SpecialCategoryView.objects.exists()


def test_an_officer_is_shown_them_and_the_showing_is_logged(client, officer):
    application = _assessed(officer)
    client.force_login(officer)

    page = client.get(reverse("allocations:application-detail", args=[application.pk])).text

    assert EVIDENCE in page
    shown = SpecialCategoryView.objects.get(where="application", user=officer)
    assert {"assessment:criteria_met", "assessment:reasons"} <= set(shown.fields)


def test_the_change_log_csv_withholds_them_from_the_head_of_service(
    client, officer, head_of_service
):
    _assessed(officer)
    client.force_login(head_of_service)

    response = client.get(reverse("change-log-csv"), {"record_type": "allocations.assessment"})

    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert EVIDENCE not in body and "urgent_medical" not in body
