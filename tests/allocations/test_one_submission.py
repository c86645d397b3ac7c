"""One submission tells every problem: a form's own errors and the service's refusals show in
one error summary, not one validation stage at a time; nothing is written and what was typed
is shown again."""

import html
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import rules, services
from allocations.models import AllocationDecision, Application, Interview, Offer, SiteVisit
from tests.allocations.casework import checks_back, frozen_vacancy, in_a_week, tomorrow_at
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    HouseholdWithPeopleFactory,
)
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _summary(response) -> str:
    """The page's error summary: every problem is told there, together."""
    assert response.status_code == 400
    page = response.content.decode()
    start = page.index('class="govuk-error-summary"')
    return html.unescape(page[start : page.index("</ul>", start)])


def test_an_application_form_error_and_an_open_application_are_told_together(client, officer):
    household = HouseholdWithPeopleFactory()
    ApplicationFactory(household=household, scheme="pitch", status=Application.Status.DRAFT)
    client.force_login(officer)
    future = timezone.localdate() + timedelta(days=40)
    response = client.post(
        reverse("allocations:application-create", args=[household.pk]),
        {"scheme": "pitch", **_date("registration_date", future), "caravans": "lots"},
    )
    summary = _summary(response)
    assert "Select the type of application" in summary
    assert "Caravans must be a whole number, like 2" in summary
    assert "The registration date cannot be in the future" in summary
    assert "already has an open application for this scheme" in summary
    assert 'value="lots"' in response.content.decode()
    assert household.applications.count() == 1


def test_a_proposal_with_a_too_long_note_is_also_told_the_checklist_and_reasons(client, officer):
    vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    client.force_login(officer)
    clauses = rules.decision_checklist(vacancy.policy_version.rules)
    form = {f"clause_{c['code']}": "yes" for c in clauses[1:]}
    long_note = "Seen at the office. " * 60  # over the note's 1000 characters
    form[f"note_{clauses[1]['code']}"] = long_note
    response = client.post(reverse("allocations:decision-propose", args=[offer.pk]), form)
    summary = _summary(response)
    assert "Enter 1000 characters or fewer" in summary
    assert f"Answer: {clauses[0]['label']}" in summary
    assert "Enter the reasons for the allocation" in summary
    assert long_note.strip() in response.content.decode()
    assert not AllocationDecision.objects.exists()


def test_an_interview_missing_its_place_is_also_told_the_officers_and_interpreter(client, officer):
    application = ActiveApplicationFactory()
    household = application.household
    household.interpreter_needed = True
    household.save()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:interview-create", args=[application.pk]),
        {
            **_date("day", timezone.localdate() + timedelta(days=1)),
            "at": "10:00",
            "lead_officer": officer.pk,
            "second_officer": officer.pk,
        },
    )
    summary = _summary(response)
    assert "Enter the place" in summary
    assert "Choose a different second officer, or none" in summary
    assert "enter the language the interpreter is booked for" in summary
    assert not Interview.objects.exists()


def test_an_interview_outcome_without_notes_is_also_told_it_has_not_started(client, officer):
    interview = services.interview_schedule(
        application=ActiveApplicationFactory(),
        starts_at=tomorrow_at(10),
        place="Room 4",
        lead_officer=officer,
        by=officer,
    )
    client.force_login(officer)
    response = client.post(
        reverse("allocations:interview-outcome", args=[interview.pk]), {"status": "held"}
    )
    summary = _summary(response)
    assert "Enter the outcome and notes" in summary
    assert "The interview has not started yet" in summary
    assert re.search(r'value="held"[^>]*checked', response.content.decode())
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED


def test_an_offer_with_no_reply_date_is_also_told_the_checks_are_not_back(client, officer):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:offer-create", args=[entry.pk]),
        {"respond_by_0": "31", "respond_by_1": "2", "respond_by_2": "2027"},
    )
    summary = _summary(response)
    assert "must be a real date" in summary
    assert "The required checks are not all back" in summary
    assert 'value="31"' in response.content.decode()
    assert not Offer.objects.exists()


def test_a_reply_with_no_answer_is_also_told_its_date_is_in_the_future(client, officer):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:offer-reply", args=[offer.pk]),
        _date("responded_on", timezone.localdate() + timedelta(days=3)),
    )
    summary = _summary(response)
    assert "Select the household's reply" in summary
    assert "The reply date cannot be in the future" in summary
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN


def test_a_site_visit_service_collects_every_problem_at_once(officer):
    with pytest.raises(ValidationError) as refused:
        services.site_visit_arrange(
            application=ActiveApplicationFactory(),
            site=SiteFactory(),
            starts_at=timezone.now() - timedelta(days=1),
            officers=[officer],
            by=officer,
        )
    assert set(refused.value.message_dict) == {"second_officer", "starts_at"}
    assert not SiteVisit.objects.exists()


def test_a_site_visit_missing_its_site_is_also_told_its_time_has_passed(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:sitevisit-create", args=[application.pk]),
        {
            **_date("day", timezone.localdate() - timedelta(days=2)),
            "at": "10:00",
            "first_officer": officer.pk,
        },
    )
    summary = _summary(response)
    assert "Select the site" in summary
    assert "Select the second officer: visits always have two" in summary
    assert "The visit must be in the future; if it already happened" in summary
    assert 'value="10:00"' in response.content.decode()
    assert not SiteVisit.objects.exists()


def test_a_site_visit_outcome_without_notes_is_also_told_it_has_not_started(
    client, officer, team_leader
):
    visit = services.site_visit_arrange(
        application=ActiveApplicationFactory(),
        site=SiteFactory(),
        starts_at=tomorrow_at(14),
        officers=[officer, team_leader],
        by=officer,
    )
    client.force_login(officer)
    response = client.post(
        reverse("allocations:sitevisit-outcome", args=[visit.pk]), {"status": "held"}
    )
    summary = _summary(response)
    assert "Enter the outcome and notes" in summary
    assert "The visit has not started yet" in summary
    visit.refresh_from_db()
    assert visit.status == SiteVisit.Status.ARRANGED
