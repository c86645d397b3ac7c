"""Consent to enquiries of the police, probation and other councils, given or withdrawn after
applying: recorded on the application with who recorded it and why, and the police are then
asked (or no longer asked) accordingly."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services
from residents.selectors import household_name
from tests.allocations.casework import partner
from tests.allocations.factories import ActiveApplicationFactory

pytestmark = pytest.mark.django_db


def _ask_the_police(application, officer):
    return services.check_request(
        application=application,
        partner=partner("police"),
        purpose="Criminal record for a pitch offer",
        legal_basis="ISA 2024/03 clause 4.2",
        due_on=timezone.localdate() + timedelta(days=10),
        by=officer,
    )


def test_consent_given_after_applying_is_recorded_with_who_and_why_and_the_police_are_asked(
    officer,
):
    application = ActiveApplicationFactory(consent_to_enquiries=False)
    with pytest.raises(ValidationError, match="has not consented to enquiries"):
        _ask_the_police(application, officer)

    services.application_consent_record(
        application=application, given=True, by=officer, reason="Signed consent form by post"
    )

    application.refresh_from_db()
    assert application.consent_to_enquiries is True
    latest = application.history.order_by("-history_id").first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Consent to enquiries given: Signed consent form by post"
    check = _ask_the_police(application, officer)
    assert application.checks.get() == check


def test_consent_withdrawn_is_recorded_and_the_police_are_no_longer_asked(officer):
    application = ActiveApplicationFactory(consent_to_enquiries=True)
    services.application_consent_record(
        application=application, given=False, by=officer, reason="Withdrawn by phone call"
    )
    application.refresh_from_db()
    assert application.consent_to_enquiries is False
    latest = application.history.order_by("-history_id").first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Consent to enquiries withdrawn: Withdrawn by phone call"
    with pytest.raises(ValidationError, match="has not consented to enquiries"):
        _ask_the_police(application, officer)


def test_consent_needs_a_reason_and_a_change(officer):
    application = ActiveApplicationFactory(consent_to_enquiries=False)
    with pytest.raises(ValidationError) as refused:
        services.application_consent_record(
            application=application, given=True, by=officer, reason="  "
        )
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.application_consent_record(
            application=application, given=False, by=officer, reason="Asked again"
        )
    refusal = refused.value.message_dict["given"][0]
    assert "already records no consent" in refusal
    assert refusal.startswith(household_name(application.household))
    application.refresh_from_db()
    assert application.consent_to_enquiries is False
    assert application.history.count() == 1


def test_the_consent_page_shows_saves_and_redirects(client, officer):
    application = ActiveApplicationFactory(consent_to_enquiries=False)
    client.force_login(officer)
    url = reverse("allocations:application-consent", args=[application.pk])
    detail = client.get(application.get_absolute_url()).content.decode()
    assert url in detail  # reachable from the application page, where consent is shown

    page = client.get(url)
    assert page.status_code == 200
    assert "No: consent withdrawn or not given" in page.content.decode()

    response = client.post(url, {"given": "yes", "reason": "Signed form received"})
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    application.refresh_from_db()
    assert application.consent_to_enquiries is True
    latest = application.history.order_by("-history_id").first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Consent to enquiries given: Signed form received"


def test_the_consent_page_without_a_reason_is_refused_keeping_the_choice(client, officer):
    application = ActiveApplicationFactory(consent_to_enquiries=False)
    client.force_login(officer)
    url = reverse("allocations:application-consent", args=[application.pk])
    response = client.post(url, {"given": "yes", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the reason for this change" in page
    assert re.search(r'<input[^>]*value="yes"[^>]*checked', page)  # the choice is kept
    application.refresh_from_db()
    assert application.consent_to_enquiries is False
