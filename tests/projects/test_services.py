from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Project, Risk, WorkItem
from tests.factories import SiteFactory, UserFactory
from tests.projects.factories import project, task

pytestmark = pytest.mark.django_db


def test_work_with_a_source_key_is_created_once(officer):
    site = SiteFactory()
    kwargs = {
        "kind": "site_inspection",
        "kind_label": "Site inspection",
        "title": "Inspect the site",
        "due": date(2026, 12, 1),
        "about": site,
        "assignee": officer,
        "source_key": f"sites:inspection:{site.pk}",
        "by": officer,
    }
    first = services.work_item_create(**kwargs)
    second = services.work_item_create(**kwargs)
    assert first.pk == second.pk
    assert WorkItem.objects.count() == 1
    assert first.record_url == site.get_absolute_url()


def test_work_needs_an_owner_or_a_role(officer):
    with pytest.raises(ValidationError, match="owner or a role"):
        services.work_item_create(kind="x", title="x", due=date(2026, 1, 1), by=officer)


def test_work_can_be_given_to_a_role_by_name(officer):
    item = services.work_item_create(
        kind="breach",
        title="Pass on a breach",
        due=date(2026, 1, 1),
        role="sites_manager",
        by=officer,
    )
    assert item.assigned_role == Group.objects.get(name="sites_manager")


def test_completing_records_who_and_when():
    item = task()
    done = services.work_item_complete(item=item, by=item.assignee)
    assert done.status == WorkItem.Status.DONE
    assert done.completed_by == item.assignee and done.completed_at
    assert done.history.first().history_user == item.assignee


def test_work_already_done_cannot_be_completed_again():
    item = task()
    services.work_item_complete(item=item, by=item.assignee)
    with pytest.raises(ValidationError, match="already done"):
        services.work_item_complete(item=item, by=item.assignee)


def test_a_task_cannot_be_completed_while_a_task_it_depends_on_is_open():
    first = task(title="Get quotes")
    second = task(project_=first.project, title="Choose a contractor")
    services.work_item_update(item=second, by=first.project.lead, depends_on=[first])
    with pytest.raises(ValidationError, match="depends on is done: “Get quotes”"):
        services.work_item_complete(item=second, by=second.assignee)
    services.work_item_complete(item=first, by=first.assignee)
    assert services.work_item_complete(item=second, by=second.assignee).status == "done"


def test_dependency_cycles_are_refused():
    a = task(title="A")
    b = task(project_=a.project, title="B")
    c = task(project_=a.project, title="C")
    lead = a.project.lead
    services.work_item_update(item=b, by=lead, depends_on=[a])
    services.work_item_update(item=c, by=lead, depends_on=[b])
    with pytest.raises(ValidationError, match="loop of dependencies"):
        services.work_item_update(item=a, by=lead, depends_on=[c])
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        services.work_item_update(item=a, by=lead, depends_on=[a])


def test_reopening_needs_a_reason_and_records_it():
    item = task()
    services.work_item_complete(item=item, by=item.assignee)
    with pytest.raises(ValidationError, match="reason"):
        services.work_item_reopen(item=item, by=item.assignee, reason=" ")
    reopened = services.work_item_reopen(item=item, by=item.assignee, reason="Quote was wrong")
    assert reopened.status == "open" and reopened.completed_by is None
    assert reopened.history.first().history_change_reason == "Reopened: Quote was wrong"


def test_reassigning_needs_a_reason_and_records_who(team_leader):
    item = task()
    other = UserFactory(roles=["officer"])
    with pytest.raises(ValidationError, match="reason"):
        services.work_item_reassign(item=item, by=team_leader, reason="", assignee=other)
    moved = services.work_item_reassign(item=item, by=team_leader, reason="Leave", assignee=other)
    assert moved.assignee == other
    latest = moved.history.first()
    assert (
        latest.history_user == team_leader and latest.history_change_reason == "Reassigned: Leave"
    )


def test_a_rag_change_needs_its_own_reason(head_of_service):
    p = project(lead=head_of_service)
    with pytest.raises(ValidationError, match="why the RAG rating changed"):
        services.project_update(project=p, by=head_of_service, reason="Review", rag="red")
    changed = services.project_update(
        project=p, by=head_of_service, reason="Review", rag="red", rag_reason="Budget cut"
    )
    assert changed.rag == "red"
    assert changed.history.first().history_change_reason == "Review"


def test_a_project_rated_amber_from_the_start_says_why(head_of_service):
    with pytest.raises(ValidationError, match="Say why the project is rated amber or red"):
        services.project_create(name="P", lead=head_of_service, rag="amber", by=head_of_service)
    amber = services.project_create(
        name="P", lead=head_of_service, rag="amber", rag_reason="Late start", by=head_of_service
    )
    assert (amber.rag, amber.rag_reason) == ("amber", "Late start")


def test_a_target_before_the_start_is_refused(head_of_service):
    with pytest.raises(ValidationError, match="on or after the start date"):
        services.project_create(
            name="P",
            lead=head_of_service,
            start_on=date(2026, 5, 1),
            target_on=date(2026, 4, 1),
            by=head_of_service,
        )


def test_tasks_cannot_be_added_to_a_closed_project(head_of_service):
    p = project(lead=head_of_service, status=Project.Status.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        task(project_=p)


def test_each_action_in_the_minutes_becomes_a_task(head_of_service, officer):
    p = project(lead=head_of_service)
    due = timezone.localdate() + timedelta(days=5)
    services.minutes_record(
        project=p,
        held_on=timezone.localdate(),
        attendees="Helen, Olivia",
        notes="Discussed the plan.",
        actions=[{"title": "Write the brief", "owner": officer, "due": due}],
        by=head_of_service,
    )
    created = p.tasks.get()
    assert (created.title, created.assignee, created.due_on) == ("Write the brief", officer, due)


def test_milestones_and_risks_are_recorded_with_who(head_of_service, officer):
    p = project(lead=head_of_service)
    milestone = services.milestone_add(
        project=p, title="Go live", due_on=date(2026, 9, 1), by=head_of_service
    )
    risk = services.risk_add(
        project=p,
        title="Contractor delay",
        likelihood=2,
        impact=3,
        owner=officer,
        review_on=date(2026, 6, 1),
        by=head_of_service,
    )
    assert milestone.history.first().history_user == head_of_service
    assert risk.score == 6 and risk.history.first().history_user == head_of_service


def test_reassigning_to_the_same_owner_is_refused(head_of_service, officer):
    item = task(assignee=officer)
    with pytest.raises(ValidationError, match="already has this owner"):
        services.work_item_reassign(item=item, by=head_of_service, reason="x", assignee=officer)


def test_work_can_be_reassigned_to_a_role_and_a_person_together(head_of_service, officer):
    item = task()
    moved = services.work_item_reassign(
        item=item, by=head_of_service, reason="Cover", assignee=officer, role="officer"
    )
    assert moved.assignee == officer and moved.assigned_role == Group.objects.get(name="officer")


def test_cancelling_needs_a_reason_and_only_open_work_is_cancelled(head_of_service):
    item = task()
    with pytest.raises(ValidationError, match="reason"):
        services.work_item_cancel(item=item, by=head_of_service, reason=" ")
    cancelled = services.work_item_cancel(item=item, by=head_of_service, reason="Not needed")
    assert cancelled.status == WorkItem.Status.CANCELLED
    assert cancelled.history.first().history_change_reason == "Cancelled: Not needed"
    with pytest.raises(ValidationError, match="only open work can be cancelled"):
        services.work_item_cancel(item=item, by=head_of_service, reason="Again")


def test_a_milestone_is_achieved_once_and_not_in_the_future(head_of_service):
    milestone = services.milestone_add(
        project=project(lead=head_of_service),
        title="Go live",
        due_on=date(2026, 9, 1),
        by=head_of_service,
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.milestone_achieve(milestone=milestone, on=tomorrow, by=head_of_service)
    achieved = services.milestone_achieve(
        milestone=milestone, on=timezone.localdate(), by=head_of_service
    )
    assert achieved.achieved_on == timezone.localdate()
    assert achieved.history.first().history_change_reason == "Milestone achieved"
    with pytest.raises(ValidationError, match="already achieved"):
        services.milestone_achieve(milestone=milestone, on=date(2026, 1, 1), by=head_of_service)


def _risk(head_of_service, owner):
    return services.risk_add(
        project=project(lead=head_of_service),
        title="Contractor delay",
        likelihood=2,
        impact=2,
        owner=owner,
        review_on=date(2026, 6, 1),
        by=head_of_service,
    )


def test_changing_a_risk_needs_a_reason_and_keeps_it(head_of_service, officer):
    risk = _risk(head_of_service, officer)
    with pytest.raises(ValidationError, match="reason"):
        services.risk_update(risk=risk, by=head_of_service, reason="", status="closed")
    changed = services.risk_update(
        risk=risk, by=head_of_service, reason="Contract signed", impact=1, status="closed"
    )
    assert (changed.impact, changed.status) == (1, Risk.Status.CLOSED)
    latest = changed.history.first()
    assert latest.history_user == head_of_service
    assert latest.history_change_reason == "Contract signed"


def test_a_risk_keeps_its_project_and_description(head_of_service, officer):
    risk = _risk(head_of_service, officer)
    with pytest.raises(TypeError, match="title"):
        services.risk_update(risk=risk, by=head_of_service, reason="x", title="Other")


def test_a_registered_kind_of_work_is_labelled_from_the_one_table(officer):
    item = services.work_item_create(
        kind="risk_review", title="Review", due=date(2026, 12, 1), assignee=officer, by=officer
    )
    assert item.kind_label == "Risk review"


def test_a_done_task_cannot_be_changed_until_it_is_reopened(officer):
    item = task(assignee=officer)
    services.work_item_complete(item=item, by=officer)
    with pytest.raises(ValidationError, match="is done: reopen it before changing it"):
        services.work_item_update(item=item, by=officer, title="Survey again")
    item.refresh_from_db()
    assert item.title == "Survey the pitches"


def test_minutes_of_a_meeting_still_to_come_are_refused(head_of_service, officer):
    p = project(lead=head_of_service)
    with pytest.raises(ValidationError, match="must be today or in the past"):
        services.minutes_record(
            project=p,
            held_on=timezone.localdate() + timedelta(days=1),
            attendees="Helen, Olivia",
            notes="Discussed the plan.",
            actions=[{"title": "Write the brief", "owner": officer, "due": date(2027, 1, 1)}],
            by=head_of_service,
        )
    assert not p.minutes.exists() and not p.tasks.exists()


def test_the_same_minutes_recorded_twice_are_refused_and_their_actions_not_made_twice(
    head_of_service, officer
):
    p = project(lead=head_of_service)
    meeting = {
        "project": p,
        "held_on": timezone.localdate(),
        "attendees": "Helen, Olivia",
        "notes": "Discussed the plan.",
        "actions": [
            {"title": "Write the brief", "owner": officer, "due": date(2027, 1, 1)},
        ],
        "by": head_of_service,
    }
    services.minutes_record(**meeting)
    with pytest.raises(ValidationError, match="were already recorded by"):
        services.minutes_record(**meeting)
    assert p.minutes.count() == 1
    assert p.tasks.count() == 1
    # Another meeting the same day, with other notes, is its own minutes.
    services.minutes_record(**meeting | {"notes": "Agreed the budget.", "actions": []})
    assert p.minutes.count() == 2


def test_the_same_open_task_added_twice_is_refused(head_of_service, officer):
    p = project(lead=head_of_service)
    due = timezone.localdate() + timedelta(days=3)
    task(project_=p, assignee=officer, due=due)
    with pytest.raises(ValidationError, match="already has the open task “Survey the pitches”"):
        task(project_=p, assignee=officer, due=due)
    assert p.tasks.count() == 1
    # Once that one is done, the same work can be set again.
    services.work_item_complete(item=p.tasks.get(), by=officer)
    task(project_=p, assignee=officer, due=due)
    assert p.tasks.count() == 2


def test_the_same_milestone_added_twice_is_on_the_timeline_once(head_of_service):
    p = project(lead=head_of_service)
    add = {"project": p, "title": "Go live", "due_on": date(2027, 9, 1), "by": head_of_service}
    services.milestone_add(**add)
    with pytest.raises(ValidationError, match="already has the milestone “Go live”"):
        services.milestone_add(**add)
    assert p.milestones.count() == 1


def test_the_same_open_risk_added_twice_is_in_the_log_once(head_of_service, officer):
    p = project(lead=head_of_service)
    entry = {
        "project": p,
        "title": "Contractor delay",
        "likelihood": 2,
        "impact": 3,
        "owner": officer,
        "review_on": date(2027, 6, 1),
        "by": head_of_service,
    }
    services.risk_add(**entry)
    with pytest.raises(ValidationError, match="already open in the risks and issues log"):
        services.risk_add(**entry)
    assert p.risks.count() == 1
    # The same words as an issue are their own entry.
    services.risk_add(**entry, kind=Risk.Kind.ISSUE)
    assert p.risks.count() == 2


def test_a_providers_staff_or_a_deactivated_account_cannot_lead_or_sponsor_a_project(
    head_of_service, provider_staff, officer
):
    provider_staff.first_name, provider_staff.last_name = "Pat", "Provider"
    provider_staff.save()
    with pytest.raises(ValidationError) as refused:
        services.project_create(
            name="P", lead=provider_staff, sponsor=provider_staff, by=head_of_service
        )
    assert refused.value.message_dict == {
        "lead": [
            "Pat Provider cannot lead a project: they cannot see projects. Choose someone on "
            "the council's staff."
        ],
        "sponsor": [
            "Pat Provider cannot sponsor a project: they cannot see projects. Choose someone "
            "on the council's staff."
        ],
    }
    assert not Project.objects.exists()
    project = services.project_create(name="P", lead=officer, by=head_of_service)
    # A lead who has left stays on the project while other things change; a new one must be
    # able to see it.
    officer.is_active = False
    officer.save()
    services.project_update(project=project, by=head_of_service, reason="Review", rag_reason="")
    with pytest.raises(ValidationError, match="their account is deactivated"):
        services.project_update(
            project=project, by=head_of_service, reason="New sponsor", sponsor=officer
        )


def test_the_project_form_offers_no_providers_staff_as_lead(
    client, head_of_service, provider_staff
):
    client.force_login(head_of_service)
    html = client.get("/projects/new/").content.decode()
    assert f'value="{head_of_service.pk}"' in html
    assert f'value="{provider_staff.pk}"' not in html
