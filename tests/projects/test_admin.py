"""The projects admin is for administrators to look things up: nothing is added or deleted."""

import pytest
from django.contrib import admin
from django.urls import reverse

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
