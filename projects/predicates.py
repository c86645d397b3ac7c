"""Who may do what to one projects record: predicates (the `rules` package), one place.

Views ask `request.user.has_perm("projects.complete_task", task)` (or
config.kernel.permissions.require, which answers "not allowed" with PermissionDenied: 403).
The model permissions from config/roles.py say what a role may do at all; these say which
records.
"""

import rules

from projects.models import WorkItem


@rules.predicate
def may_complete_work(user) -> bool:
    return user.has_perm("projects.complete_workitem")


@rules.predicate
def runs_projects(user, task: WorkItem | None) -> bool:
    """The head of service (who may change any project) may complete any project task: a
    task on a project, never another app's work (a decision to approve, a check), which is
    its owner's to do."""
    return (
        task is not None
        and task.project_id is not None
        and user.has_perm("projects.change_project")
    )


@rules.predicate
def is_assignee(user, task: WorkItem | None) -> bool:
    return task is not None and task.assignee_id is not None and task.assignee_id == user.pk


@rules.predicate
def holds_assigned_role(user, task: WorkItem | None) -> bool:
    if task is None or not task.assigned_role_id:
        return False
    return user.groups.filter(pk=task.assigned_role_id).exists()


# Your own work (or your role's); the head of service may complete any project task.
can_complete_task = may_complete_work & (is_assignee | holds_assigned_role | runs_projects)
rules.add_perm("projects.complete_task", can_complete_task)
