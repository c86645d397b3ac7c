"""The banners after an application is recorded, submitted, validated, assessed or moved on
name the household by its lead's name with the application's reference ("Person0 Family12
(HT-000012)'s application PITCH-000001"), not "Application PITCH-000001" alone."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations import services
from allocations.models import Application, EvidenceDocument
from allocations.selectors import application_named
from tests.allocations.casework import frozen_vacancy, in_a_week
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    HouseholdWithPeopleFactory,
    pitch_policy,
)
from tests.allocations.test_extracare_lets import _home, _ranked
from tests.allocations.test_medical_evidence_access import _backdating_post
from tests.allocations.test_registration import _answers, _pdf, _submitted
from tests.allocations.test_renewals import _application as _renewal_application
from tests.allocations.test_renewals import _run as _renewals_run

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


def _banner(application) -> str:
    return application_named(application).replace("'", "&#x27;")


def test_dating_priority_before_registration_names_the_household(client, officer):
    application = ActiveApplicationFactory(scheme="cbl", registration_date=date(2025, 6, 1))
    document = services.evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.OTHER,
        description="Discharge papers",
        upload=_pdf("discharge.pdf"),
        by=officer,
    )
    client.force_login(officer)
    response = client.post(
        reverse("allocations:effective-date-backdate", args=[application.pk]),
        _backdating_post(document),
        follow=True,
    )
    page = response.content.decode()
    assert f"The effective date of {_banner(application)} is now 10 January 2025." in page
    assert f"{application.reference}: the effective date" not in page


def test_a_renewal_received_names_the_household(client, officer):
    application = _renewal_application(officer)
    _renewals_run(date(2026, 2, 1))
    client.force_login(officer)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        response = client.post(
            reverse("allocations:renewal-receive", args=[application.pk]),
            {
                "answered_on_0": "2",
                "answered_on_1": "3",
                "answered_on_2": "2026",
                "circumstances": "No change",
            },
            follow=True,
        )
    page = response.content.decode()
    assert f"{_banner(application)}: renewed." in page


def test_a_bypass_names_the_household(client, officer):
    _vacancy, (first, _second) = frozen_vacancy(officer, 90, 10)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:shortlist-bypass", args=[first.pk]),
        {"reason": "Pitch too small"},
        follow=True,
    )
    page = response.content.decode()
    assert (
        f"The bypass of {_banner(first.application)} is waiting for a team leader&#x27;s "
        "agreement." in page
    )
    assert f"The bypass of Application {first.application.reference}" not in page


def test_an_extra_care_home_offered_names_the_household(client, officer):
    first, _second = _ranked(officer, 2)
    vacancy = _home(officer)
    client.force_login(officer)
    reply = in_a_week()
    response = client.post(
        reverse("allocations:extracare-let-create"),
        {
            "vacancy_reference": vacancy.reference,
            "referral": first.pk,
            "respond_by_0": reply.day,
            "respond_by_1": reply.month,
            "respond_by_2": reply.year,
        },
        follow=True,
    )
    page = response.content.decode()
    application = first.referral.application
    assert f"was offered to {_banner(application)} from the panel" in page
    assert f"was offered to {application.reference} from" not in page
