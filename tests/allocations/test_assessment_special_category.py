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


OVERRIDE = "Worsening MS: letter from the occupational therapist"


def _overridden(officer, team_leader):
    application = _assessed(officer)
    assessment = application.assessments.get()
    services.assessment_override_request(
        assessment=assessment, points=200, reason=OVERRIDE, by=officer
    )
    services.assessment_override_decide(
        assessment=assessment, approve=True, note="Seen the OT letter", by=team_leader
    )
    return application


def test_an_overrides_reason_and_decision_note_are_withheld_from_the_head_of_service(
    client, officer, team_leader, head_of_service
):
    application = _overridden(officer, team_leader)
    assert {"override_reason", "override_decision_note"} <= Assessment.SPECIAL_CATEGORY_FIELDS
    client.force_login(head_of_service)

    page = client.get(reverse("allocations:application-detail", args=[application.pk])).text

    assert "Override approved: 200 points" in page
    assert OVERRIDE not in page and "Seen the OT letter" not in page
    assert not SpecialCategoryView.objects.exists()
    body = b"".join(
        client.get(
            reverse("change-log-csv"), {"record_type": "allocations.assessment"}
        ).streaming_content
    ).decode()
    assert OVERRIDE not in body and "Seen the OT letter" not in body


def test_an_officer_is_shown_the_overrides_reason_and_the_showing_is_logged(
    client, officer, team_leader
):
    application = _overridden(officer, team_leader)
    client.force_login(officer)

    page = client.get(reverse("allocations:application-detail", args=[application.pk])).text

    assert OVERRIDE in page and "Seen the OT letter" in page
    shown = {
        field
        for view in SpecialCategoryView.objects.filter(where="application", user=officer)
        for field in view.fields
    }
    assert {"assessment:override_reason", "assessment:override_decision_note"} <= shown


def test_the_team_leader_deciding_is_shown_the_reason_and_the_showing_is_logged(
    client, officer, team_leader
):
    application = _assessed(officer)
    assessment = application.assessments.get()
    services.assessment_override_request(
        assessment=assessment, points=200, reason=OVERRIDE, by=officer
    )
    client.force_login(team_leader)

    page = client.get(reverse("allocations:override-decide", args=[assessment.pk])).text

    assert OVERRIDE in page
    shown = SpecialCategoryView.objects.filter(where="override decision", user=team_leader)
    assert shown.exists()
    assert {tuple(view.fields) for view in shown} == {("assessment:override_reason",)}
