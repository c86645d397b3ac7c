from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Project, WorkItem
from tests.factories import UserFactory
from tests.projects.factories import project, task

pytestmark = pytest.mark.django_db


def _date(prefix: str, value) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def test_head_of_service_starts_a_project(client, head_of_service):
    client.force_login(head_of_service)
    response = client.post(
        reverse("projects:project-create"),
        {"name": "New pitches", "lead": head_of_service.pk, "status": "active", "rag": "green"},
    )
    created = Project.objects.get(name="New pitches")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()


def test_officer_adds_a_task_but_cannot_start_a_project(client, officer):
    p = project()
    client.force_login(officer)
    assert client.get(reverse("projects:project-create")).status_code == 403
    due = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("projects:task-create", args=[p.pk]),
        {"title": "Measure pitches", "assignee": officer.pk, "priority": 2, **_date("due_on", due)},
    )
    assert response.status_code == 302
    assert p.tasks.get().assignee == officer


def test_officer_completes_their_own_task(client, officer):
    item = task(assignee=officer)
    client.force_login(officer)
    client.post(reverse("projects:task-complete", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE


def test_completing_a_task_returns_only_to_a_page_of_this_service(client, officer):
    client.force_login(officer)
    item = task(assignee=officer)
    url = reverse("projects:task-complete", args=[item.pk])
    response = client.post(url, {"next": "https://elsewhere.example/phish"})
    assert response["Location"] == item.get_absolute_url()
    other = task(assignee=officer)
    response = client.post(
        reverse("projects:task-complete", args=[other.pk]), {"next": reverse("home")}
    )
    assert response["Location"] == reverse("home")


def test_officer_cannot_complete_someone_elses_task(client, officer):
    item = task(assignee=UserFactory(roles=["officer"]))
    client.force_login(officer)
    response = client.post(reverse("projects:task-complete", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == WorkItem.Status.OPEN
    # Not allowed is one shape everywhere: 403 (projects/predicates.py, complete_task).
    assert response.status_code == 403
    assert "Mark as done" not in client.get(item.get_absolute_url()).content.decode()


def test_a_blocked_task_says_what_it_waits_for(client, officer):
    first = task(assignee=officer, title="Get quotes")
    second = task(project_=first.project, assignee=officer, title="Choose")
    services.work_item_update(item=second, by=officer, depends_on=[first])
    client.force_login(officer)
    response = client.post(reverse("projects:task-complete", args=[second.pk]), follow=True)
    assert "cannot be completed until" in response.content.decode()


def test_the_home_page_shows_my_work_queue_with_links_and_counts(client, officer):
    item = task(assignee=officer, due=timezone.localdate() - timedelta(days=1))
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert item.title in page and item.get_absolute_url() in page
    assert "1 overdue" in page and "Project task" in page


def test_the_work_queue_shows_25_items_a_page_and_keeps_the_sort_and_all_my_work(client, officer):
    today = timezone.localdate()
    for number in range(26):
        services.work_item_create(
            kind="check_overdue",
            title=f"Chase check {number:02d}",
            due=today + timedelta(days=30 + number),
            about=None,
            assignee=officer,
            by=officer,
        )
    client.force_login(officer)
    first = client.get(reverse("home") + "?show=all&sort=-due").content.decode()
    # The latest first: the earliest one (00) is the only one on page 2.
    assert "Chase check 25" in first and "Chase check 00" not in first
    assert "Showing 1 to 25 of 26 results" in first
    assert "?show=all&amp;sort=-due&amp;page=2" in first
    second = client.get(reverse("home") + "?show=all&sort=-due&page=2").content.decode()
    assert "Chase check 00" in second and "Chase check 01" not in second
    # The counts by kind are of all 26, not of the page.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">26</td>' in second


def test_team_leader_sees_the_team_queue(client, team_leader):
    item = task(assignee=UserFactory(roles=["officer"], first_name="Owen"))
    client.force_login(team_leader)
    page = client.get(reverse("projects:team-queue")).content.decode()
    assert item.title in page and "Owen" in page


def test_an_attachment_must_be_a_real_pdf_or_image(client, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = task(assignee=officer)
    client.force_login(officer)
    url = reverse("projects:attachment-upload", args=[item.pk])
    fake = SimpleUploadedFile("plan.pdf", b"MZ not a pdf")
    assert client.post(url, {"description": "Plan", "file": fake}).status_code == 400
    real = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")
    assert client.post(url, {"description": "Plan", "file": real}).status_code == 302
    attachment = item.attachments.get()
    download = client.get(reverse("projects:attachment-download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"


def test_minutes_actions_become_tasks(client, head_of_service, officer):
    p = project(lead=head_of_service)
    client.force_login(head_of_service)
    today = timezone.localdate()
    response = client.post(
        reverse("projects:minutes-create", args=[p.pk]),
        {
            **_date("held_on", today),
            "attendees": "Helen, Olivia",
            "notes": "Agreed the plan.",
            "action_1_title": "Write the brief",
            "action_1_owner": officer.pk,
            **_date("action_1_due", today + timedelta(days=7)),
        },
    )
    assert response.status_code == 302
    assert p.tasks.get().title == "Write the brief"


def test_officer_reassigns_a_task_with_a_reason(client, officer):
    item = task(assignee=officer)
    other = UserFactory(roles=["officer"], first_name="Owen", last_name="Price")
    client.force_login(officer)
    url = reverse("projects:task-reassign", args=[item.pk])
    assert client.post(url, {"assignee": other.pk}).status_code == 400  # no reason
    response = client.post(url, {"assignee": other.pk, "reason": "On leave"}, follow=True)
    item.refresh_from_db()
    assert item.assignee == other
    assert "reassigned to Owen Price" in response.content.decode()


def test_reassigning_needs_an_owner_or_a_role(client, officer):
    item = task(assignee=officer)
    client.force_login(officer)
    response = client.post(
        reverse("projects:task-reassign", args=[item.pk]), {"reason": "On leave"}
    )
    assert response.status_code == 400
    assert "Select a new owner or a role" in response.content.decode()


def test_cancelling_a_task_asks_for_confirmation_and_a_reason(client, officer):
    item = task(assignee=officer)
    client.force_login(officer)
    url = reverse("projects:task-cancel", args=[item.pk])
    assert "Are you sure you want to cancel" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"reason": "Duplicate"}).status_code == 302
    item.refresh_from_db()
    assert item.status == WorkItem.Status.CANCELLED


def test_head_of_service_marks_a_milestone_achieved(client, head_of_service):
    p = project(lead=head_of_service)
    milestone = services.milestone_add(
        project=p, title="Go live", due_on=timezone.localdate(), by=head_of_service
    )
    client.force_login(head_of_service)
    assert "Mark as achieved" in client.get(p.get_absolute_url()).content.decode()
    url = reverse("projects:milestone-achieve", args=[milestone.pk])
    future = timezone.localdate() + timedelta(days=2)
    response = client.post(url, _date("achieved_on", future))
    assert response.status_code == 400 and "today or in the past" in response.content.decode()
    assert client.post(url, _date("achieved_on", timezone.localdate())).status_code == 302
    milestone.refresh_from_db()
    assert milestone.achieved_on == timezone.localdate()


def test_head_of_service_closes_a_risk_with_a_reason(client, head_of_service, officer):
    p = project(lead=head_of_service)
    risk = services.risk_add(
        project=p,
        title="Contractor delay",
        likelihood=2,
        impact=2,
        owner=officer,
        review_on=timezone.localdate(),
        by=head_of_service,
    )
    client.force_login(head_of_service)
    url = reverse("projects:risk-edit", args=[risk.pk])
    data = {
        "likelihood": 1,
        "impact": 3,
        "owner": officer.pk,
        "mitigation": "Second contractor on standby",
        "status": "closed",
        **_date("review_on", timezone.localdate() + timedelta(days=30)),
    }
    assert client.post(url, data).status_code == 400  # no reason
    assert client.post(url, {**data, "reason": "Contract signed"}).status_code == 302
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.status) == (1, 3, "closed")
    assert risk.history.first().history_change_reason == "Contract signed"


def _reminder(officer):
    item = task(assignee=officer)
    services.reminders_create(today=timezone.localdate(), by=officer)
    return item.reminders.get()


def test_officer_acknowledges_a_reminder_from_the_work_queue(client, officer):
    reminder = _reminder(officer)
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    url = reverse("projects:reminder-acknowledge", args=[reminder.pk])
    assert "Reminders to acknowledge" in page and url in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    reminder.refresh_from_db()
    assert reminder.acknowledged_at is not None
    assert url not in client.get(reverse("home")).content.decode()


def test_only_the_person_reminded_can_acknowledge_it(client, officer):
    reminder = _reminder(UserFactory(roles=["officer"]))
    client.force_login(officer)
    url = reverse("projects:reminder-acknowledge", args=[reminder.pk])
    response = client.post(url, follow=True)
    reminder.refresh_from_db()
    assert reminder.acknowledged_at is None
    assert "Only the person reminded" in response.content.decode()


def test_all_my_work_shows_work_beyond_the_next_week(client, officer):
    task(
        assignee=officer, title="Plan next year's census", due=timezone.localdate() + timedelta(60)
    )
    client.force_login(officer)
    assert "Plan next year" not in client.get(reverse("home")).content.decode()
    page = client.get(reverse("home") + "?show=all").content.decode()
    assert "Plan next year" in page and "Show only the next week" in page


def test_the_team_queue_shows_everyone_who_takes_work(client, team_leader, sites_manager):
    task(assignee=sites_manager, title="Check the amenity blocks")
    task(assignee=team_leader, title="Sample decisions")
    client.force_login(team_leader)
    page = client.get(reverse("projects:team-queue")).content.decode()
    assert "Check the amenity blocks" in page and "Sample decisions" in page
    assert sites_manager.get_full_name() in page and team_leader.get_full_name() in page


def test_a_done_tasks_change_page_sends_back_to_the_task_saying_to_reopen_it(client, officer):
    item = task(assignee=officer)
    services.work_item_complete(item=item, by=officer)
    client.force_login(officer)
    url = reverse("projects:task-edit", args=[item.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == item.get_absolute_url()
    assert "is done: reopen it before changing it" in response.content.decode()
    due = timezone.localdate() + timedelta(days=9)
    posted = client.post(url, {"title": "Survey again", "priority": 2, **_date("due_on", due)})
    assert posted.status_code == 400
    assert "Survey again" in posted.content.decode()  # what was typed is kept
    item.refresh_from_db()
    assert (item.title, item.status) == ("Survey the pitches", WorkItem.Status.DONE)


def test_minutes_dated_ahead_are_refused_on_the_form_with_what_was_typed(client, head_of_service):
    p = project(lead=head_of_service)
    client.force_login(head_of_service)
    response = client.post(
        reverse("projects:minutes-create", args=[p.pk]),
        {
            **_date("held_on", timezone.localdate() + timedelta(days=365)),
            "attendees": "Helen, Olivia",
            "notes": "Agreed the plan.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date of the meeting must be today or in the past" in page
    assert "Agreed the plan." in page
    assert not p.minutes.exists()


def test_minutes_sent_twice_make_their_actions_tasks_once(client, head_of_service, officer):
    p = project(lead=head_of_service)
    client.force_login(head_of_service)
    today = timezone.localdate()
    posted = {
        **_date("held_on", today),
        "attendees": "Helen, Olivia",
        "notes": "Agreed the plan.",
        "action_1_title": "Write the brief",
        "action_1_owner": officer.pk,
        **_date("action_1_due", today + timedelta(days=7)),
    }
    url = reverse("projects:minutes-create", args=[p.pk])
    assert client.post(url, posted).status_code == 302
    again = client.post(url, posted)
    assert again.status_code == 400
    assert "were already recorded by" in again.content.decode()
    assert p.tasks.count() == 1


def test_the_team_queue_offers_to_reassign_a_deactivated_officers_work(
    client, team_leader, head_of_service, auditor
):
    leaver = UserFactory(roles=["officer"], first_name="Lee", last_name="Vaughan")
    item = task(assignee=leaver)
    leaver.is_active = False
    leaver.save()
    reassign = reverse("projects:task-reassign", args=[item.pk])
    for reassigner in (team_leader, head_of_service):
        client.force_login(reassigner)
        page = client.get(reverse("projects:team-queue")).content.decode()
        assert "Lee Vaughan" in page and "Account deactivated" in page
        assert item.title in page and reassign in page
    client.force_login(auditor)  # reads the work, may not move it
    assert (
        reassign not in client.get(reverse("projects:task-detail", args=[item.pk])).content.decode()
    )


def test_a_team_leader_reassigns_a_deactivated_officers_task_from_the_team_queue(client):
    leaver = UserFactory(roles=["officer"], first_name="Lee", last_name="Vaughan")
    newcomer = UserFactory(roles=["officer"], first_name="Owen", last_name="Price")
    leader = UserFactory(roles=["team_leader"], first_name="Tariq", last_name="Lewis")
    item = task(assignee=leaver)
    leaver.is_active = False
    leaver.save()
    client.force_login(leader)
    queue = client.get(reverse("projects:team-queue")).content.decode()
    assert item.get_absolute_url() in queue
    page = client.get(item.get_absolute_url()).content.decode()
    url = reverse("projects:task-reassign", args=[item.pk])
    assert "Reassign task" in page and url in page
    # Reassigning is all a team leader may do to the task: changing or cancelling it is not.
    assert "Cancel task" not in page
    assert client.get(reverse("projects:task-cancel", args=[item.pk])).status_code == 403
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"assignee": newcomer.pk, "reason": "Lee has left the team"}, follow=True
    )
    assert "reassigned to Owen Price" in response.content.decode()
    item.refresh_from_db()
    assert item.assignee == newcomer and item.status == WorkItem.Status.OPEN
    history = client.get(reverse("projects:task-history", args=[item.pk])).content.decode()
    assert "Tariq Lewis" in history and "Reassigned: Lee has left the team" in history
    assert "Lee Vaughan" not in client.get(reverse("projects:team-queue")).content.decode()


def test_a_task_form_sent_twice_adds_one_task(client, officer):
    p = project()
    client.force_login(officer)
    due = timezone.localdate() + timedelta(days=3)
    posted = {
        "title": "Measure pitches",
        "assignee": officer.pk,
        "priority": 2,
        **_date("due_on", due),
    }
    url = reverse("projects:task-create", args=[p.pk])
    assert client.post(url, posted).status_code == 302
    again = client.post(url, posted)
    assert again.status_code == 400
    assert "already has the open task" in again.content.decode()
    assert p.tasks.count() == 1


def test_the_project_page_names_who_recorded_each_meetings_minutes(client, head_of_service):
    p = project(lead=head_of_service)
    recorder = UserFactory(roles=["head_of_service"], first_name="Rita", last_name="Moss")
    services.minutes_record(
        project=p,
        held_on=timezone.localdate(),
        attendees="Helen, Olivia",
        notes="Agreed the plan.",
        actions=[],
        by=recorder,
    )
    client.force_login(head_of_service)
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Recorded by" in page and "Rita Moss" in page


def test_all_my_work_with_none_open_says_so_rather_than_speaking_of_the_next_week(client, officer):
    client.force_login(officer)
    page = client.get(reverse("home"), {"show": "all"}).content.decode()
    assert "You have no open work." in page
    assert "Nothing is due for you in the next week" not in page
    assert "Nothing is due for you in the next week" in client.get(reverse("home")).content.decode()
