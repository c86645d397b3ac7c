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


def test_officer_cannot_complete_someone_elses_task(client, officer):
    item = task(assignee=UserFactory(roles=["officer"]))
    client.force_login(officer)
    response = client.post(reverse("projects:task-complete", args=[item.pk]), follow=True)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.OPEN
    assert "Only the person or role" in response.content.decode()


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
