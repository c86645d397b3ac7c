"""Who may complete a task (projects/predicates.py) and which moves a task's status allows
(projects/lifecycles.py), as the task page offers them."""

import pytest
from django.core.exceptions import ValidationError

from projects import selectors, services
from projects.lifecycles import WORK_ITEM
from projects.models import WorkItem
from tests.factories import UserFactory
from tests.projects.factories import task

pytestmark = pytest.mark.django_db


def test_your_own_task_your_roles_task_or_any_task_for_the_head_of_service():
    owner = UserFactory(roles=["officer"])
    other = UserFactory(roles=["officer"])
    head = UserFactory(roles=["head_of_service"])
    auditor = UserFactory(roles=["auditor"])
    mine = task(assignee=owner)
    assert owner.has_perm("projects.complete_task", mine)
    assert not other.has_perm("projects.complete_task", mine)
    assert head.has_perm("projects.complete_task", mine)
    assert not auditor.has_perm("projects.complete_task", mine)
    for_the_role = services.work_item_reassign(
        item=task(assignee=owner), by=head, reason="Anyone on the team", role="officer"
    )
    for_the_role.assignee = None
    assert other.has_perm("projects.complete_task", for_the_role)


def test_a_task_is_done_or_cancelled_once_and_either_can_be_reopened():
    assert WORK_ITEM.allowed(WorkItem.Status.OPEN) == {"done", "cancelled"}
    assert WORK_ITEM.allowed(WorkItem.Status.DONE) == {"open"}
    assert WORK_ITEM.allowed(WorkItem.Status.CANCELLED) == {"open"}
    item = task()
    services.work_item_complete(item=item, by=item.assignee)
    with pytest.raises(ValidationError, match="is already done"):
        services.work_item_complete(item=item, by=item.assignee)


def test_the_task_page_offers_what_the_status_and_the_role_allow():
    owner = UserFactory(roles=["officer"])
    item = task(assignee=owner)
    labels = [action.label for action in selectors.task_actions(item, owner)]
    assert labels == [
        "Mark as done",
        "Change task",
        "Reassign task",
        "Cancel task",
        "Attach a document",
    ]
    done = services.work_item_complete(item=item, by=owner)
    labels = [action.label for action in selectors.task_actions(done, owner)]
    assert labels == ["Reopen task", "Attach a document"]
    auditor = UserFactory(roles=["auditor"])
    assert selectors.task_actions(done, auditor) == []
