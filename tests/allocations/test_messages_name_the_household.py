"""The banners after an application is recorded, submitted, validated, assessed or moved on
name the household by its lead's name with the application's reference ("Person0 Family12
(HT-000012)'s application PITCH-000001"), not "Application PITCH-000001" alone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import Application
from allocations.selectors import application_named
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    HouseholdWithPeopleFactory,
    pitch_policy,
)
from tests.allocations.test_registration import _answers, _submitted

pytestmark = pytest.mark.django_db


def _says(response, application, words: str) -> None:
    page = response.content.decode()
    assert f"{application_named(application)}{words}".replace("'", "&#x27;") in page
    assert f"Application {application.reference}{words}" not in page


def test_recording_an_application_names_the_household(client, officer):
    household = HouseholdWithPeopleFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:application-create", args=[household.pk]),
        {
            "scheme": "pitch",
            "kind": "new",
            "registration_date_0": "3",
            "registration_date_1": "2",
            "registration_date_2": "2025",
            "backdate_reason": "Paper form received then",
            "backdate_evidence": _scan(),
        },
        follow=True,
    )
    application = Application.objects.get(household=household)
    _says(response, application, " was recorded as a draft.")


def _scan():
    return SimpleUploadedFile("form.pdf", b"%PDF-1.4 form", content_type="application/pdf")


def test_submitting_an_application_names_the_household(client, officer):
    application = ApplicationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:application-submit", args=[application.pk]), follow=True
    )
    _says(response, application, " was submitted for validation.")


def test_validating_an_application_names_the_household(client, officer):
    application = _submitted()
    client.force_login(officer)
    checklist = {
        f"{code}__met": "yes" if answer["met"] else "no" for code, answer in _answers().items()
    }
    response = client.post(
        reverse("allocations:application-validate", args=[application.pk]), checklist, follow=True
    )
    _says(response, application, " is valid and now active.")


def test_refusing_registration_names_the_household(client, officer):
    application = _submitted()
    client.force_login(officer)
    checklist = {
        f"{code}__met": "yes" if answer["met"] else "no"
        for code, answer in _answers("area_connection").items()
    }
    response = client.post(
        reverse("allocations:application-validate", args=[application.pk]), checklist, follow=True
    )
    _says(response, application, " is refused registration:")


def test_assessing_an_application_names_the_household(client, officer):
    application = ActiveApplicationFactory()
    criterion = pitch_policy().rules["criteria"][0]
    client.force_login(officer)
    response = client.post(
        reverse("allocations:application-assess", args=[application.pk]),
        {
            f"{criterion['code']}__met": "on",
            f"{criterion['code']}__evidence": "Site eviction notice",
        },
        follow=True,
    )
    _says(response, application, " was assessed under")


def test_changing_an_applications_status_names_the_household(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:application-status", args=[application.pk]),
        {"to": "withdrawn", "reason": "The household asked to come off the register"},
        follow=True,
    )
    _says(response, application, " is now withdrawn.")
