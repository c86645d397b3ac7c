"""Reads for the work queue and the project pages, already joined for the page that shows them.

The queue reads work items only (never another app's tables): each item links to its record
by the URL stored when the work was created, so the queries don't grow with rows or kinds.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from config import changelog
from config.kernel.lifecycle import Action
from config.kernel.paging import CappedPaginator
from config.roles import OFFICER, SITES_MANAGER, TEAM_LEADER, WORK_OWNER_ROLES
from projects.lifecycles import WORK_ITEM
from projects.models import Milestone, Project, Reminder, Risk, TaskAttachment, WorkItem
from projects.work import work_item_reopen_refusal

# Work due within this many days shows in the queue, beside what is due or overdue.
QUEUE_HORIZON_DAYS = 7
# Everyone who takes casework: the team's queue shows each of them and their roles' work.
TEAM_ROLES = (OFFICER.name, TEAM_LEADER.name, SITES_MANAGER.name)
SORTS = {"due": ("due_on", "-priority", "pk"), "-due": ("-due_on", "-priority", "pk")}
# Items a page of the queue shows: its cost stays the same however much work is open.
QUEUE_PAGE_SIZE = 25  # as every other list


@dataclass
class WorkQueue:
    items: list[WorkItem]
    counts: list[dict]  # [{"kind": ..., "kind_label": ..., "count": ..., "overdue": ...}]
    overdue: int
    today: date
    people: list[dict] = field(default_factory=list)  # team queues: per person, open and overdue
    reminders: list[Reminder] = field(default_factory=list)  # your own, not yet acknowledged
    page_obj: Page | None = None  # the page of items shown (`items`), of all the open ones


def _queue_items(
    scope: Q, *, today: date, horizon_days: int | None, sort: str
) -> QuerySet[WorkItem]:
    items = WorkItem.objects.filter(scope, status=WorkItem.Status.OPEN)
    if horizon_days is not None:
        items = items.filter(due_on__lte=today + timedelta(days=horizon_days))
    return items.select_related("assignee", "assigned_role", "project").order_by(
        *SORTS.get(sort, SORTS["due"])
    )


def _counts(items: QuerySet[WorkItem], today: date) -> tuple[list[dict], int]:
    rows = list(
        items.order_by()
        .values("kind", "kind_label")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("kind_label")
    )
    return rows, sum(row["overdue"] for row in rows)


def _user_scope(user: AbstractBaseUser) -> Q:
    return Q(assignee=user) | Q(assigned_role__in=user.groups.all())


def work_queue(
    user: AbstractBaseUser,
    *,
    include_team: bool = False,
    sort: str = "due",
    horizon_days: int | None = QUEUE_HORIZON_DAYS,
    page: str | int | None = None,
) -> WorkQueue:
    """Open work for the user or their roles, due today or earlier or within the horizon.

    With include_team (team leaders), the whole team's work: everyone who takes work
    (officers, team leaders, sites managers) and their roles', with open and overdue counts
    per person. horizon_days None: all open work, however far ahead ("all my work"). The
    items are one `page` of QUEUE_PAGE_SIZE; the counts by kind are of all of them.
    """
    today = timezone.localdate()
    if include_team:
        users = get_user_model().objects
        # A deactivated account's open work is in nobody's own queue (they cannot sign in),
        # nor is the work of someone who no longer holds any role that can complete work:
        # the team's queue keeps it, and its owner among the people, until it is reassigned.
        can_work = users.filter(
            groups__name__in=[role.name for role in WORK_OWNER_ROLES], is_active=True
        ).values("pk")
        stranded = Q(assignee__isnull=False) & ~Q(assignee__in=can_work)
        left = WorkItem.objects.filter(stranded, status=WorkItem.Status.OPEN).values("assignee")
        officers = users.filter(
            Q(pk__in=users.filter(groups__name__in=TEAM_ROLES, is_active=True).values("pk"))
            | Q(pk__in=left)
        )
        scope = Q(assignee__in=officers) | Q(assigned_role__name__in=TEAM_ROLES) | stranded
    else:
        scope = _user_scope(user)
    items = _queue_items(scope, today=today, horizon_days=horizon_days, sort=sort)
    counts, overdue = _counts(items, today)
    # The counts by kind the page shows add up to the count: no COUNT of its own.
    total = sum(row["count"] for row in counts)
    page_obj = CappedPaginator(items, QUEUE_PAGE_SIZE, cap=None, known=total).get_page(page)
    queue = WorkQueue(
        items=work_items_for_reader(list(page_obj.object_list), user),
        counts=counts,
        overdue=overdue,
        today=today,
        page_obj=page_obj,
    )
    if not include_team:
        reminders = list(reminders_to_acknowledge(user))
        work_items_for_reader([reminder.work_item for reminder in reminders], user)
        queue.reminders = reminders
    if include_team:
        queue.people = list(
            officers.annotate(
                open_count=Count(
                    "work_items", filter=Q(work_items__status=WorkItem.Status.OPEN), distinct=True
                ),
                overdue_count=Count(
                    "work_items",
                    filter=Q(work_items__status=WorkItem.Status.OPEN, work_items__due_on__lt=today),
                    distinct=True,
                ),
            ).order_by("first_name", "last_name", "username")
        )
    return queue


def work_items_for_reader(items: list[WorkItem], user: AbstractBaseUser) -> list[WorkItem]:
    """Mark each item `restricted` when the reader may not view the record it is about: its
    row then shows only the kind of work, never its title (which can name people, as a
    census finding's does) nor a link. A head of service who may not read census returns
    sees that a follow-up is due, not whom it is about."""
    for item in items:
        item.restricted = _may_not_view(item.content_type_id, user)
    return items


def _may_not_view(content_type_id: int | None, user: AbstractBaseUser) -> bool:
    """Whether work about a record of this type is closed to `user` (work about no record is
    open to whoever may view work)."""
    if content_type_id is None:
        return False
    # get_for_id reads ContentType's own cache: no query per row.
    content_type = ContentType.objects.get_for_id(content_type_id)
    return not user.has_perm(f"{content_type.app_label}.view_{content_type.model}")


def content_types_closed_to(user: AbstractBaseUser) -> list[int]:
    """The types of record that work is about (census findings, applications, …) that `user`
    may not view: work about them is closed to them wherever it is listed."""
    about = WorkItem.objects.exclude(content_type=None).values_list("content_type_id", flat=True)
    return [pk for pk in set(about.distinct()) if _may_not_view(pk, user)]


def _restricted_by_work(model, about: str):
    """A change-log rule (config.changelog.row_rule): the rows of work, or of its reminders and
    attachments, about a record the reader may not view say only that it changed, as the
    queue shows such work only by its kind. A record no longer there is treated the same."""

    def rule(user: AbstractBaseUser, ids: set[int]) -> set[int]:
        found = dict(model.objects.filter(pk__in=ids).values_list("pk", about + "content_type_id"))
        return {pk for pk in ids if pk not in found or _may_not_view(found[pk], user)}

    return rule


changelog.row_rule("projects.workitem")(_restricted_by_work(WorkItem, ""))
changelog.row_rule("projects.reminder")(_restricted_by_work(Reminder, "work_item__"))
changelog.row_rule("projects.taskattachment")(_restricted_by_work(TaskAttachment, "work_item__"))


def reminders_to_acknowledge(user: AbstractBaseUser) -> QuerySet[Reminder]:
    """The user's reminders about work still open that they have not yet acknowledged (not
    those found out of date when their turn to be sent came, and so not sent; nor those of
    work given to someone else, or due on another date, since they were made)."""
    person = Q(work_item__assignee__is_active=True) | Q(work_item__assigned_role__isnull=True)
    still_theirs = (Q(work_item__assignee=user) & person) | (
        ~(Q(work_item__assignee__isnull=False) & person)
        & Q(work_item__assigned_role__in=user.groups.all())  # type: ignore[attr-defined]
    )
    return (
        Reminder.objects.filter(
            still_theirs,
            recipient=user,
            acknowledged_at__isnull=True,
            not_sent_at__isnull=True,
            work_item__status=WorkItem.Status.OPEN,
            work_item__due_on=F("due_on"),
        )
        .select_related("work_item")
        .order_by("work_item__due_on", "pk")
    )


def project_list(*, search: str = "", status: str = "") -> QuerySet[Project]:
    today = timezone.localdate()
    projects = Project.objects.select_related("lead").annotate(
        open_tasks=Count("tasks", filter=Q(tasks__status=WorkItem.Status.OPEN), distinct=True),
        overdue_tasks=Count(
            "tasks",
            filter=Q(tasks__status=WorkItem.Status.OPEN, tasks__due_on__lt=today),
            distinct=True,
        ),
    )
    if search:
        term = search.strip()
        projects = projects.filter(Q(name__icontains=term) | Q(description__icontains=term))
    if status:
        projects = projects.filter(status=status)
    return projects.order_by("name")


def project_tasks_by_status(project: Project) -> list[tuple[str, list[WorkItem]]]:
    tasks = project.tasks.select_related("assignee", "assigned_role").order_by(
        "due_on", "-priority", "pk"
    )
    groups: dict[str, list[WorkItem]] = {value: [] for value, _ in WorkItem.Status.choices}
    for task in tasks:
        groups[task.status].append(task)
    return [(label, groups[value]) for value, label in WorkItem.Status.choices]


def task_get_queryset() -> QuerySet[WorkItem]:
    return WorkItem.objects.select_related(
        "assignee", "assigned_role", "project", "created_by", "completed_by", "content_type"
    )


def project_get_queryset() -> QuerySet[Project]:
    return Project.objects.select_related("lead", "sponsor")


def project_page(project: Project) -> dict:
    """What the project page shows beside the project: tasks by status, milestones, the risks
    and issues log, and the minutes."""
    return {
        "task_groups": project_tasks_by_status(project),
        "milestones": list(project.milestones.all()),
        "risks": list(project.risks.select_related("owner")),
        "minutes": list(project.minutes.select_related("recorded_by")),
    }


def milestone_get_queryset() -> QuerySet[Milestone]:
    return Milestone.objects.select_related("project")


def risk_get_queryset() -> QuerySet[Risk]:
    return Risk.objects.select_related("project", "owner")


def task_dependencies(task: WorkItem) -> list[WorkItem]:
    return list(task.depends_on.order_by("due_on"))


def task_attachments(task: WorkItem) -> list[TaskAttachment]:
    return list(task.attachments.all())


def attachment_get_queryset() -> QuerySet[TaskAttachment]:
    return TaskAttachment.objects.all()


def reminder_get_queryset() -> QuerySet[Reminder]:
    return Reminder.objects.select_related("work_item")


# --- What a page may offer now ---------------------------------------------------------------


def project_actions(project: Project, user: AbstractBaseUser) -> list[Action]:
    """The project page's buttons: links to the forms the user's role may fill in."""
    offered = [
        ("projects.change_project", "Change project details", "projects:project-edit"),
        ("projects.add_workitem", "Add a task", "projects:task-create"),
        ("projects.add_milestone", "Add a milestone", "projects:milestone-create"),
        ("projects.add_risk", "Add a risk or issue", "projects:risk-create"),
        ("projects.add_minutes", "Record minutes", "projects:minutes-create"),
    ]
    return [
        Action(label, reverse(name, args=[project.pk]), method="get", style="secondary")
        for permission, label, name in offered
        if user.has_perm(permission)
    ]


def task_actions(task: WorkItem, user: AbstractBaseUser) -> list[Action]:
    """The task page's buttons, as the task's status and the user's permissions allow now."""
    actions = []
    can_finish = WORK_ITEM.can_move(task, WorkItem.Status.DONE)
    if can_finish and user.has_perm("projects.complete_task", task):
        actions.append(Action("Mark as done", reverse("projects:task-complete", args=[task.pk])))
    if can_finish and task.project_id and user.has_perm("projects.change_workitem"):
        actions.append(_link("Change task", "projects:task-edit", task))
    if can_finish and user.has_perm("projects.reassign_workitem"):
        actions.append(_link("Reassign task", "projects:task-reassign", task))
    if user.has_perm("projects.change_workitem"):
        if WORK_ITEM.can_move(task, WorkItem.Status.CANCELLED):
            actions.append(_link("Cancel task", "projects:task-cancel", task, style="warning"))
        if WORK_ITEM.can_move(task, WorkItem.Status.OPEN) and not work_item_reopen_refusal(task):
            actions.append(_link("Reopen task", "projects:task-reopen", task))
    if user.has_perm("projects.add_taskattachment"):
        actions.append(_link("Attach a document", "projects:attachment-upload", task))
    return actions


def _link(label: str, name: str, task: WorkItem, *, style: str = "secondary") -> Action:
    return Action(label, reverse(name, args=[task.pk]), method="get", style=style)
