"""Refusals name the household by its lead's name ("Person0 Family12 (HT-000012)"), as every
other message does, never by the bare reference an application or household prints as."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Application, RegistrationRefusal, Scheme
from residents.selectors import household_name
from tests.allocations.factories import ActiveApplicationFactory, ApplicationFactory
from tests.allocations.test_registration import _answers

pytestmark = pytest.mark.django_db


def _review_asked_then_withdrawn(officer) -> RegistrationRefusal:
    application = ApplicationFactory(scheme=Scheme.CBL, status=Application.Status.SUBMITTED)
    services.application_validate(
        application=application, answers=_answers("area_connection"), by=officer
    )
    refusal = application.registration_refusals.get()
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="I work there", by=officer
    )
    # Withdrawn since the review was asked for (the household wrote in).
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    return refusal


def test_a_review_overturned_too_late_names_the_household_not_its_reference(officer, team_leader):
    refusal = _review_asked_then_withdrawn(officer)
    name = household_name(refusal.application.household)
    with pytest.raises(ValidationError) as refused:
        services.registration_review_decide(
            refusal=refusal, overturn=True, reasons="Works in the parish", by=team_leader
        )
    assert refused.value.messages == [
        f"{name}'s application is now withdrawn: it cannot be admitted to the register from here."
    ]


def test_the_review_page_names_the_household_whose_application_moved_on(
    client, officer, team_leader
):
    refusal = _review_asked_then_withdrawn(officer)
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:registration-review-decide", args=[refusal.pk]),
        {"outcome": "overturned", "reasons": "Works in the parish"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    name = household_name(refusal.application.household)
    assert f"{name}&#x27;s application is now withdrawn" in page
    assert f"Application {refusal.application.reference} is now" not in page


def _band_correction(application, by):
    return services.correction_record(
        application=application,
        field="band",
        value=1,
        applies_from=date(2025, 1, 1),
        reason="Wrong band",
        by=by,
    )


def test_a_band_correction_of_a_points_application_names_the_household(team_leader):
    pitch = ActiveApplicationFactory(points=10)
    with pytest.raises(ValidationError) as refused:
        _band_correction(pitch, team_leader)
    assert refused.value.message_dict["field"] == [
        f"{household_name(pitch.household)}'s application is ranked by points, not bands"
    ]


def test_the_correction_page_names_the_household_ranked_by_points(client, team_leader):
    pitch = ActiveApplicationFactory(points=10)
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:application-correction-create", args=[pitch.pk]),
        {
            "field": "band",
            "value": "1",
            "applies_from_0": "1",
            "applies_from_1": "1",
            "applies_from_2": "2025",
            "reason": "Wrong band",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{household_name(pitch.household)}&#x27;s application is ranked by points" in page
    assert f"Application {pitch.reference} is ranked" not in page
