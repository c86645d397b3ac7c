"""The projects admin is for administrators to look things up: nothing is added or deleted."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects.models import Milestone, Minutes, Project, Reminder, Risk, TaskAttachment, WorkItem
from tests.projects.factories import task

pytestmark = pytest.mark.django_db


def test_every_projects_model_is_in_the_admin():
    for model in (Project, WorkItem, TaskAttachment, Milestone, Risk, Minutes, Reminder):
        assert admin.site.is_registered(model), model


def test_administrators_read_projects_and_tasks_but_cannot_change_them(client, user_for_role):
    item = task()
    client.force_login(user_for_role("administrator"))
    for model, record in ((WorkItem, item), (Project, item.project)):
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
        change = client.get(reverse("admin:{}_{}_change".format(*info), args=[record.pk]))
        assert change.status_code == 200 and b'name="_save"' not in change.content
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
        delete = reverse("admin:{}_{}_delete".format(*info), args=[record.pk])
        assert client.get(delete).status_code == 403


def test_the_admin_does_not_list_work_about_records_the_administrator_may_not_view(
    client, user_for_role, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # The task's own page refused the administrator, but the admin listed its title and showed
    # its notes: work about a vulnerable household says what its case would.
    from allocations.models import Application
    from projects import services as project_services
    from tests.allocations.factories import ActiveApplicationFactory

    about = project_services.work_item_create(
        kind="conference_action",
        title="Refer to the community mental health team",
        due=timezone.localdate(),
        by=officer,
        about=ActiveApplicationFactory(),
        assignee=officer,
        notes="Risk disclosed at conference",
    )
    open_to_all = task(title="Survey the pitches")
    for item, description in ((about, "Conference notes"), (open_to_all, "Survey plan")):
        project_services.attachment_add(
            item=item,
            description=description,
            upload=SimpleUploadedFile("notes.pdf", b"%PDF-1.4 notes"),
            by=officer,
        )
    administrator = user_for_role("administrator")
    assert not administrator.has_perm(f"allocations.view_{Application._meta.model_name}")
    client.force_login(administrator)
    listed = client.get(reverse("admin:projects_workitem_changelist")).content.decode()
    assert open_to_all.title in listed and about.title not in listed
    change = client.get(reverse("admin:projects_workitem_change", args=[about.pk]), follow=True)
    assert b"Risk disclosed" not in change.content
    attachments = client.get(reverse("admin:projects_taskattachment_changelist"))
    assert attachments.status_code == 200
    assert b"Survey plan" in attachments.content and b"Conference notes" not in attachments.content


def test_the_admin_lists_name_staff_by_name_not_username(client, user_for_role, officer):
    from projects import services as project_services

    officer.first_name, officer.last_name = "Priya", "Sandhu"
    officer.save()
    item = task(assignee=officer)
    project_services.risk_add(
        project=item.project,
        by=officer,
        title="Pitch survey late",
        kind="risk",
        likelihood=2,
        impact=2,
        owner=officer,
        review_on=timezone.localdate(),
    )
    client.force_login(user_for_role("administrator"))
    for listing in ("admin:projects_workitem_changelist", "admin:projects_risk_changelist"):
        page = client.get(reverse(listing)).content.decode()
        assert "Priya Sandhu" in page and f">{officer.username}<" not in page
