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
from allocations.models import DueDiligenceCheck
from projects.models import WorkItem
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


def test_consent_withdrawn_stops_the_checks_it_was_the_basis_for_and_asks_to_tell_the_partner(
    client, officer
):
    application = ActiveApplicationFactory(consent_to_enquiries=True)
    police = _ask_the_police(application, officer)
    landlord = services.check_request(
        application=application,
        partner=partner("previous_landlord"),
        purpose="Tenancy reference",
        legal_basis="Landlord reference agreement",
        due_on=timezone.localdate() + timedelta(days=10),
        by=officer,
    )
    services.application_consent_record(
        application=application, given=False, by=officer, reason="Withdrawn by phone call"
    )
    police.refresh_from_db()
    landlord.refresh_from_db()
    assert police.stopped_on == timezone.localdate()
    assert police.stopped_reason == "Consent to enquiries withdrawn: Withdrawn by phone call"
    assert police.history.first().history_user == officer
    assert landlord.stopped_on is None  # not asked on consent: it goes on
    # The police's "due back" work is cancelled; telling them is in the officer's queue.
    due_back = WorkItem.objects.get(kind="check", title__startswith=str(police.partner))
    assert due_back.status == WorkItem.Status.CANCELLED
    tell = WorkItem.objects.get(kind="check_stopped")
    assert tell.assignee == officer and tell.status == WorkItem.Status.OPEN
    assert tell.title.startswith(f"Tell {police.partner} not to answer the check about ")
    assert household_name(application.household) in tell.title
    # An answer that comes anyway is not recorded, saying why.
    with pytest.raises(ValidationError, match="was stopped on"):
        services.check_return(
            check=police,
            returned_on=timezone.localdate(),
            outcome=DueDiligenceCheck.Outcome.CLEAR,
            notes="",
            by=officer,
        )
    police.refresh_from_db()
    assert police.returned_on is None and police.outcome == ""
    client.force_login(officer)
    page = client.get(police.get_absolute_url()).content.decode()
    assert "Stopped on" in page and "Record the answer" not in page
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "consent withdrawn" in detail
    # Consent given again: the police can be asked afresh for the same purpose.
    services.application_consent_record(
        application=application, given=True, by=officer, reason="Signed consent again"
    )
    assert _ask_the_police(application, officer).pk != police.pk
