"""Vulnerability interviews, referrals and case conferences (issue 15)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations import services
from allocations.models import CaseConference, Referral
from projects.models import WorkItem
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


def test_a_household_needing_an_interpreter_cannot_be_interviewed_without_one(officer):
    application = ActiveApplicationFactory(
        household__interpreter_needed=True, household__interpreter_language="Romani"
    )
    with pytest.raises(ValidationError, match="needs an interpreter"):
        services.vulnerability_interview_record(
            application=application,
            held_on=date(2026, 1, 5),
            interviewer=officer,
            needs_found="Anxiety",
            risk="low",
            outcome="No further action",
            by=officer,
        )


def _referral(officer, application, *, due):
    return services.referral_make(
        household=application.household,
        application=application,
        agency="social_care",
        reason="Children's needs not met on the roadside",
        basis="lawful_basis",
        basis_detail="Children Act 1989 s.47",
        referred_on=TODAY - timedelta(days=20),
        response_due=due,
        by=officer,
    )


def test_an_overdue_referral_response_is_in_the_referrers_queue_until_it_comes(officer):
    application = ActiveApplicationFactory()
    with time_machine.travel(TODAY, tick=False):
        referral = _referral(officer, application, due=TODAY - timedelta(days=2))
        item = WorkItem.objects.get(kind="referral_response")
        assert item.assignee == officer and item.is_overdue
        services.referral_response_record(
            referral=referral, received_on=TODAY, outcome="Assessment booked", by=officer
        )
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    assert Referral.objects.get().outcome == "Assessment booked"


def test_a_referral_page_is_shown_only_to_roles_reading_special_category_data_and_logged(
    client, officer, head_of_service, auditor
):
    application = ActiveApplicationFactory()
    with time_machine.travel(TODAY, tick=False):
        referral = _referral(officer, application, due=TODAY + timedelta(days=5))
    url = reverse("allocations:referral-detail", args=[referral.pk])
    client.force_login(head_of_service)
    assert client.get(url).status_code == 403
    client.force_login(auditor)
    page = client.get(url)
    assert b"Children Act 1989 s.47" in page.content
    assert SpecialCategoryView.objects.filter(user=auditor, where="referral").exists()


def test_a_case_conferences_actions_become_work_in_the_owners_queue(client, officer, team_leader):
    first, second = ActiveApplicationFactory(), ActiveApplicationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:conference-create"),
        {
            "held_on_0": "1",
            "held_on_1": "12",
            "held_on_2": "2026",
            "staff": [str(officer.pk), str(team_leader.pk)],
            "partners_attending": "Children's Services (Front Door)",
            "applications": f"{first.reference}\n{second.reference}",
            "decisions": "Joint visit; support referral for the second case",
            "action_1_title": "Arrange the joint visit",
            "action_1_owner": str(team_leader.pk),
            "action_1_due_0": "10",
            "action_1_due_1": "12",
            "action_1_due_2": "2026",
        },
    )
    assert response.status_code == 302
    conference = CaseConference.objects.get()
    assert set(conference.applications.all()) == {first, second}
    action = WorkItem.objects.get(kind="conference_action")
    assert (action.assignee, action.due_on, action.about) == (
        team_leader,
        date(2026, 12, 10),
        conference,
    )


def test_an_unknown_case_reference_is_refused_by_name(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:conference-create"),
        {
            "held_on_0": "1",
            "held_on_1": "12",
            "held_on_2": "2026",
            "staff": [str(officer.pk)],
            "applications": "NOPE-1",
            "decisions": "None",
        },
    )
    assert response.status_code == 400
    assert b"No application with reference NOPE-1" in response.content


def test_a_case_conference_page_is_logged_against_the_people_of_every_case_discussed(
    client, officer, head_of_service, auditor
):
    first, second = ActiveApplicationFactory(), ActiveApplicationFactory()
    PersonFactory(household=second.household, relationship="child", first_name="Sonny")
    conference = services.case_conference_record(
        held_on=date(2026, 12, 1),
        staff=[officer],
        applications=[first, second],
        decisions="Safeguarding referral for the second case",
        actions=[],
        by=officer,
    )
    url = reverse("allocations:conference-detail", args=[conference.pk])
    client.force_login(head_of_service)
    assert client.get(url).status_code == 403
    client.force_login(auditor)
    page = client.get(url)
    assert b"Safeguarding referral" in page.content
    shown = SpecialCategoryView.objects.filter(user=auditor, where="case conference")
    people = {*first.household.people.all(), *second.household.people.all()}
    assert len(people) >= 3
    assert {view.person for view in shown} == people
    assert shown.count() == len(people)


def test_a_referral_dated_on_a_day_to_come_is_refused_on_the_page_keeping_what_was_typed(
    client, officer
):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            reverse("allocations:referral-create", args=[application.household.pk]),
            {
                "agency": "social_care",
                "reason": "Children's needs not met on the roadside",
                "basis": "lawful_basis",
                "basis_detail": "Children Act 1989 s.47",
                "referred_on_0": "3",
                "referred_on_1": "12",
                "referred_on_2": "2027",
                "response_due_0": "17",
                "response_due_1": "12",
                "response_due_2": "2027",
            },
        )
    assert response.status_code == 400
    assert b"The referral cannot have been made on a day still to come" in response.content
    assert b"Children Act 1989 s.47" in response.content
    assert not Referral.objects.exists()
    assert not WorkItem.objects.filter(kind="referral_response").exists()


def test_a_case_conference_held_on_a_day_to_come_is_refused_keeping_what_was_typed(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            reverse("allocations:conference-create"),
            {
                "held_on_0": "1",
                "held_on_1": "12",
                "held_on_2": "2027",
                "staff": [str(officer.pk)],
                "applications": application.reference,
                "decisions": "Joint visit with the health visitor",
                "action_1_title": "Arrange the joint visit",
                "action_1_owner": str(officer.pk),
                "action_1_due_0": "10",
                "action_1_due_1": "12",
                "action_1_due_2": "2026",
            },
        )
    assert response.status_code == 400
    assert b"cannot have been held on a day still to come" in response.content
    assert b"Joint visit with the health visitor" in response.content
    assert not CaseConference.objects.exists()
    assert not WorkItem.objects.filter(kind="conference_action").exists()


def test_a_referral_sent_twice_is_one_referral_and_one_response_in_the_queue(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:referral-create", args=[application.household.pk])
    form = {
        "agency": "social_care",
        "reason": "Children's needs not met on the roadside",
        "basis": "lawful_basis",
        "basis_detail": "Children Act 1989 s.47",
        "referred_on_0": "1",
        "referred_on_1": "12",
        "referred_on_2": "2026",
        "response_due_0": "15",
        "response_due_1": "12",
        "response_due_2": "2026",
    }
    with time_machine.travel(TODAY, tick=False):
        assert client.post(url, form).status_code == 302
        again = client.post(url, form)
        assert again.status_code == 400
        assert "was already made by" in again.content.decode()
        assert Referral.objects.count() == 1
        assert WorkItem.objects.filter(kind="referral_response").count() == 1
        # Another reason to refer is its own referral.
        other = {**form, "reason": "Adult needs a care assessment"}
        assert client.post(url, other).status_code == 302
    assert Referral.objects.count() == 2


def test_a_vulnerability_interview_sent_twice_is_recorded_once(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:vulnerability-create", args=[application.pk])
    form = {
        "held_on_0": "2",
        "held_on_1": "12",
        "held_on_2": "2026",
        "interviewer": str(officer.pk),
        "needs_found": "Anxiety after the eviction",
        "risk": "low",
        "outcome": "Referral to tenancy sustainment",
    }
    with time_machine.travel(TODAY, tick=False):
        assert client.post(url, form).status_code == 302
        again = client.post(url, form)
        assert again.status_code == 400
        assert "is already recorded for" in again.content.decode()
        # A follow-up interview on another day is its own record.
        later = {**form, "held_on_0": "3", "needs_found": "Sleeping better"}
        assert client.post(url, later).status_code == 302
    assert application.vulnerability_interviews.count() == 2


def test_a_case_conference_names_the_lead_applicant_of_each_case(client, officer):
    application = ActiveApplicationFactory()
    lead = application.household.people.get(relationship="lead")
    services.case_conference_record(
        held_on=date(2026, 12, 1),
        staff=[officer],
        applications=[application],
        decisions="Joint visit",
        actions=[],
        by=officer,
    )
    client.force_login(officer)
    named = f"{lead.first_name} {lead.last_name} ({application.reference})"
    listing = client.get(reverse("allocations:conference-list")).content.decode()
    page = client.get(CaseConference.objects.get().get_absolute_url()).content.decode()
    assert named in listing and named in page


def test_a_conference_action_due_before_the_conference_is_refused_keeping_what_was_typed(
    client, officer
):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            reverse("allocations:conference-create"),
            {
                "held_on_0": "1",
                "held_on_1": "12",
                "held_on_2": "2026",
                "staff": [str(officer.pk)],
                "applications": application.reference,
                "decisions": "Joint visit with the health visitor",
                "action_1_title": "Arrange the joint visit",
                "action_1_owner": str(officer.pk),
                "action_1_due_0": "10",
                "action_1_due_1": "12",
                "action_1_due_2": "2025",
            },
        )
    assert response.status_code == 400
    assert "Action 1 cannot be due before the conference on" in response.content.decode()
    assert b"Arrange the joint visit" in response.content
    assert not CaseConference.objects.exists()
