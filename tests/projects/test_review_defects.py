"""Defects found in review of the work queue (tests/projects): each pins the right behaviour."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import selectors, services
from projects.models import Reminder, Risk, WorkItem
from projects.tasks import reminders_send
from projects.work import source_key, work_item_complete_for_source
from tests.factories import UserFactory
from tests.projects.factories import project, task

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_a_risk_with_a_long_title_is_reviewed_and_the_rest_are_still_reminded(
    head_of_service, officer
):
    p = project(lead=head_of_service, name="P" * 150)
    services.risk_add(
        project=p,
        by=head_of_service,
        kind="risk",
        title="R" * 200,
        likelihood=2,
        impact=2,
        owner=officer,
        review_on=_today() - timedelta(days=3),
    )
    other = task(assignee=officer, due=_today() + timedelta(days=1), title="Unrelated")
    reminders_send()
    review = WorkItem.objects.get(kind="risk_review")
    assert len(review.title) == WorkItem._meta.get_field("title").max_length
    assert review.title.endswith("…")
    assert f"Due tomorrow: {other.title}" in [m.subject for m in mail.outbox]


def test_one_risk_whose_review_cannot_be_made_does_not_stop_the_others(
    head_of_service, officer, monkeypatch
):
    p = project(lead=head_of_service)
    for title in ("Broken", "Funding"):
        services.risk_add(
            project=p,
            by=head_of_service,
            kind="risk",
            title=title,
            likelihood=2,
            impact=2,
            owner=officer,
            review_on=_today() - timedelta(days=3),
        )
    other = task(assignee=officer, due=_today() + timedelta(days=1), title="Unrelated")
    real_create = services.work_item_create

    def create(**kwargs):
        if "Broken" in kwargs["title"]:
            raise RuntimeError("boom")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "work_item_create", create)
    reminders_send()
    reviews = WorkItem.objects.filter(kind="risk_review")
    assert [r.about.title for r in reviews] == ["Funding"]
    assert Risk.objects.filter(status=Risk.Status.OPEN).count() == 2
    subjects = [m.subject for m in mail.outbox]
    assert f"Due tomorrow: {other.title}" in subjects


# --- Who may own work ------------------------------------------------------------------------


def _date(prefix, value):
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def test_owner_pickers_offer_only_people_who_can_complete_work(
    officer, team_leader, head_of_service, provider_staff, auditor, administrator
):
    from projects.forms import MinutesForm, ReassignForm, RiskForm, TaskForm

    p = project(lead=head_of_service)
    pickers = [
        TaskForm(project=p).fields["assignee"],
        ReassignForm().fields["assignee"],
        RiskForm().fields["owner"],
        MinutesForm().fields["action_1_owner"],
    ]
    for field in pickers:
        offered = set(field.queryset)
        assert {officer, team_leader, head_of_service} <= offered
        assert not offered & {provider_staff, auditor, administrator}
    roles = {group.name for group in ReassignForm().fields["role"].queryset}
    assert not roles & {"provider_staff", "auditor", "administrator"}
    assert "officer" in roles


def test_a_task_for_provider_staff_is_refused_with_the_reason(client, officer, provider_staff):
    p = project()
    client.force_login(officer)
    response = client.post(
        reverse("projects:task-create", args=[p.pk]),
        {
            "title": "Eviction plan",
            "assignee": provider_staff.pk,
            "priority": 2,
            **_date("due_on", _today() + timedelta(days=2)),
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not p.tasks.exists()


def test_the_services_refuse_an_owner_who_cannot_complete_work(
    head_of_service, officer, auditor, administrator
):
    p = project(lead=head_of_service)
    with pytest.raises(ValidationError, match="cannot own work"):
        services.project_task_create(
            project=p, by=head_of_service, title="Audit", due_on=_today(), assignee=auditor
        )
    item = task(project_=p, assignee=officer)
    with pytest.raises(ValidationError, match="cannot own work"):
        services.work_item_reassign(
            item=item, by=head_of_service, reason="leave", assignee=administrator
        )
    with pytest.raises(ValidationError, match="Auditor role"):
        services.work_item_reassign(item=item, by=head_of_service, reason="leave", role="auditor")
    with pytest.raises(ValidationError, match="cannot own work"):
        services.risk_add(
            project=p,
            by=head_of_service,
            kind="risk",
            title="Funding",
            likelihood=2,
            impact=2,
            owner=administrator,
            review_on=_today(),
        )
    with pytest.raises(ValidationError, match="cannot own work"):
        services.minutes_record(
            project=p,
            held_on=_today(),
            attendees="A",
            notes="N",
            by=head_of_service,
            actions=[{"title": "Act", "owner": auditor, "due": _today()}],
        )
    assert list(p.tasks.all()) == [item]


# --- The head of service completes project tasks, not other apps' work ---------------------


def test_the_head_of_service_completes_project_tasks_but_not_casework(
    client, head_of_service, officer
):
    casework = services.work_item_create(
        kind="decision_approval",
        title="Approve decision",
        due=_today(),
        role="team_leader",
        by=officer,
        source_key=source_key("decision_approval", 99999),
    )
    project_task = task(assignee=officer)
    client.force_login(head_of_service)
    assert not head_of_service.has_perm("projects.complete_task", casework)
    response = client.post(reverse("projects:task-complete", args=[casework.pk]))
    assert response.status_code == 403
    casework.refresh_from_db()
    assert casework.status == WorkItem.Status.OPEN
    assert head_of_service.has_perm("projects.complete_task", project_task)
    client.post(reverse("projects:task-complete", args=[project_task.pk]))
    project_task.refresh_from_db()
    assert project_task.status == WorkItem.Status.DONE


# --- Reopening, and work a step needs again ---------------------------------------------------


def test_work_closed_by_its_step_cannot_be_reopened(client, officer):
    key = source_key("interview", 424242)
    item = services.work_item_create(
        kind="interview",
        title="Interview",
        due=_today(),
        assignee=officer,
        by=officer,
        source_key=key,
    )
    work_item_complete_for_source(key, by=officer)
    item.refresh_from_db()
    assert "Reopen task" not in [a.label for a in selectors.task_actions(item, officer)]
    client.force_login(officer)
    client.post(reverse("projects:task-reopen", args=[item.pk]), {"reason": "oops"})
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    with pytest.raises(ValidationError, match="cannot be reopened"):
        services.work_item_reopen(item=item, by=officer, reason="oops")


def test_a_task_of_a_closed_project_cannot_be_reopened(head_of_service, officer):
    p = project(lead=head_of_service)
    item = task(project_=p, assignee=officer)
    services.project_update(project=p, by=head_of_service, reason="done", status="closed")
    item.refresh_from_db()
    assert "Reopen task" not in [a.label for a in selectors.task_actions(item, head_of_service)]
    with pytest.raises(ValidationError, match="which is closed: reopen the project first"):
        services.work_item_reopen(item=item, by=head_of_service, reason="more")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.CANCELLED


def test_work_cancelled_by_mistake_comes_back_when_its_step_asks_again(officer):
    key = source_key("check", 777)
    item = services.work_item_create(
        kind="check", title="Check", due=_today(), assignee=officer, by=officer, source_key=key
    )
    services.work_item_cancel(item=item, by=officer, reason="mistake")
    again = services.work_item_create(
        kind="check", title="Check", due=_today(), assignee=officer, by=officer, source_key=key
    )
    assert again.pk != item.pk and again.status == WorkItem.Status.OPEN
    # Asking a third time is idempotent again, and the step closes the fresh item.
    assert (
        services.work_item_create(
            kind="check", title="Check", due=_today(), assignee=officer, by=officer, source_key=key
        )
        == again
    )
    assert work_item_complete_for_source(key, by=officer) == again
    # The cancelled one cannot be reopened beside it.
    with pytest.raises(ValidationError, match="cannot be reopened"):
        services.work_item_reopen(item=again, by=officer, reason="x")
    with pytest.raises(ValidationError, match="put in the queue again"):
        services.work_item_reopen(item=item, by=officer, reason="x")


def test_cancelled_keyed_work_may_be_reopened_while_nothing_replaced_it(officer):
    key = source_key("check", 778)
    item = services.work_item_create(
        kind="check", title="Check", due=_today(), assignee=officer, by=officer, source_key=key
    )
    services.work_item_cancel(item=item, by=officer, reason="mistake")
    services.work_item_reopen(item=item, by=officer, reason="it is needed")
    assert work_item_complete_for_source(key, by=officer) == item


def test_done_keyed_work_stays_done_when_asked_again(officer):
    key = source_key("check", 779)
    item = services.work_item_create(
        kind="check", title="Check", due=_today(), assignee=officer, by=officer, source_key=key
    )
    work_item_complete_for_source(key, by=officer)
    again = services.work_item_create(
        kind="check", title="Check", due=_today(), assignee=officer, by=officer, source_key=key
    )
    assert again == item and again.status == WorkItem.Status.DONE


# --- Reminders follow the work ----------------------------------------------------------------


def test_a_reminder_is_not_sent_or_shown_to_the_old_owner_after_reassignment(officer):
    other = UserFactory(roles=["officer"])
    item = task(assignee=officer, due=_today() - timedelta(days=1))
    services.reminders_create(today=_today(), by=officer)
    services.work_item_reassign(item=item, by=officer, reason="leave", assignee=other)
    assert list(selectors.reminders_to_acknowledge(officer)) == []
    services.reminders_send_unsent()
    assert officer.email not in [to for m in mail.outbox for to in m.to]
    reminder = Reminder.objects.get(recipient=officer)
    assert "given to" in reminder.not_sent_reason


def test_a_sent_overdue_reminder_is_no_longer_shown_once_the_due_date_moves(officer):
    item = task(assignee=officer, due=_today() - timedelta(days=1))
    services.reminders_create(today=_today(), by=officer)
    services.reminders_send_unsent()
    assert len(selectors.reminders_to_acknowledge(officer)) == 1
    services.work_item_update(item=item, by=officer, due_on=_today() + timedelta(days=30))
    assert list(selectors.reminders_to_acknowledge(officer)) == []


def test_work_of_a_deactivated_owner_with_a_role_reminds_the_roles_members(officer):
    gone = UserFactory(roles=["officer"])
    item = services.work_item_create(
        kind="project_task",
        title="Role and person",
        due=_today() - timedelta(days=2),
        assignee=gone,
        role="officer",
        by=officer,
    )
    gone.is_active = False
    gone.save()
    assert services.reminders_create(today=_today(), by=officer) >= 1
    assert Reminder.objects.filter(work_item=item, recipient=officer).exists()
    assert not Reminder.objects.filter(recipient=gone).exists()
    assert [r.work_item for r in selectors.reminders_to_acknowledge(officer)] == [item]
    services.reminders_send_unsent()
    assert officer.email in [to for m in mail.outbox for to in m.to]


def test_closing_a_project_closes_its_risks_and_their_reviews_stop(head_of_service, officer):
    p = project(lead=head_of_service)
    risk = services.risk_add(
        project=p,
        by=head_of_service,
        kind="risk",
        title="Funding",
        likelihood=2,
        impact=2,
        owner=officer,
        review_on=_today() - timedelta(days=3),
    )
    services.reminders_create(today=_today(), by=head_of_service)
    assert WorkItem.objects.filter(kind="risk_review", status="open").exists()
    services.project_update(project=p, by=head_of_service, reason="Delivered", status="closed")
    risk.refresh_from_db()
    assert risk.status == Risk.Status.CLOSED
    assert risk.history.first().history_change_reason == "Project closed: Delivered"
    services.reminders_create(today=_today(), by=head_of_service)
    assert not WorkItem.objects.filter(kind="risk_review", status="open").exists()


def test_the_task_page_says_when_the_record_it_was_about_was_deleted(client, officer):
    from django.contrib.contenttypes.models import ContentType

    item = task(assignee=officer)
    WorkItem.objects.filter(pk=item.pk).update(
        content_type=ContentType.objects.get_for_model(Risk), object_id=987654321
    )
    client.force_login(officer)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "The record was deleted" in page
    assert ">None</a>" not in page


def test_work_of_someone_left_with_no_role_that_can_do_it_stays_in_the_team_queue(team_leader):
    from django.contrib.auth.models import Group

    mover = UserFactory(roles=["officer"])
    item = task(assignee=mover, title="Moved officer task")
    mover.groups.set(Group.objects.filter(name="auditor"))
    queue = selectors.work_queue(team_leader, include_team=True)
    assert item in queue.items
    assert mover in queue.people
    mover.groups.clear()
    assert item in selectors.work_queue(team_leader, include_team=True).items
