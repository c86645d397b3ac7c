"""Every write to work items and projects: validated, atomic, recorded with who (and why).

The work queue's interface for other apps
-----------------------------------------
Other apps put work in people's queues by calling, and only calling::

    work_item_create(kind="check", kind_label=WORK_KINDS["check"], title=...,
                     due=<date>, about=<record>, assignee=<user> or role=<Group or name>,
                     source_key=source_key("check", check.pk), by=<user>)
    work_item_complete(item=..., by=<user>)
    work_item_complete_for_source(source_key("check", check.pk), by=<user>)  # if still open

Every kind is registered in projects.work.WORK_KINDS, and every key built by source_key().

`about` is any record with `get_absolute_url()`: the queue links to it. `source_key` makes
creation idempotent (creating twice returns the first item, open or done; cancelled work gives
up its key, so creating again makes fresh work). Work closed by its step cannot be reopened.
The queue never reads other apps' tables; it reads only work items.
"""

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from config.kernel import dates, records
from config.kernel.mail import mail_send, message_id
from config.roles import ROLE_BY_NAME, WORK_OWNER_ROLES
from projects.lifecycles import PROJECT, RISK, WORK_ITEM
from projects.models import (
    Milestone,
    Minutes,
    Project,
    Reminder,
    Risk,
    TaskAttachment,
    WorkItem,
)
from projects.work import (  # noqa: F401 (the work-item contract, re-exported for other apps)
    WORK_KINDS,
    source_key,
    work_item_cancel_for_source,
    work_item_complete_for_source,
    work_item_for_source,
    work_item_reopen_refusal,
    work_items_close_for_prefix,
    work_kind_label,
)

logger = logging.getLogger(__name__)

PROJECT_TASK = "project_task"
PROJECT_TASK_LABEL = work_kind_label(PROJECT_TASK)
RISK_REVIEW = "risk_review"
RISK_REVIEW_LABEL = work_kind_label(RISK_REVIEW)

PROJECT_FIELDS = {
    "name",
    "description",
    "lead",
    "sponsor",
    "status",
    "rag",
    "rag_reason",
    "start_on",
    "target_on",
}


def _role(role: Group | str | None) -> Group | None:
    if role is None or isinstance(role, Group):
        return role
    return Group.objects.get(name=role)


WORK_OWNER_ROLE_NAMES = {role.name for role in WORK_OWNER_ROLES}
WORK_OWNER_LABELS = ", ".join(role.label.lower() for role in WORK_OWNER_ROLES)


def _owner_check(user: AbstractBaseUser | None, *, field: str | None = None) -> None:
    """Refuse work for someone who could never complete it (provider staff, auditors,
    administrators, a deactivated account): it would sit in their queue for ever."""
    if user is None:
        return
    if user.is_active and user.has_perm("projects.complete_workitem"):
        return
    name = user.get_full_name() or user.get_username()
    why = "their account is deactivated" if not user.is_active else "their role cannot do work"
    message = (
        f"{name} cannot own work: {why}. Choose someone who can complete it ({WORK_OWNER_LABELS})."
    )
    raise ValidationError({field: message} if field else message)


def _lead_check(project: Project, *, was: Project | None = None) -> None:
    """A lead or sponsor must be able to see the project: never a registered provider's staff
    or a deactivated account (one already there when the project is changed is kept)."""
    errors = {}
    for field, words in (("lead", "lead"), ("sponsor", "sponsor")):
        user = getattr(project, field)
        if user is None or (was is not None and getattr(was, f"{field}_id") == user.pk):
            continue
        if user.is_active and user.has_perm("projects.view_project"):
            continue
        name = user.get_full_name() or user.get_username()
        why = "their account is deactivated" if not user.is_active else "they cannot see projects"
        errors[field] = (
            f"{name} cannot {words} a project: {why}. Choose someone on the council's staff."
        )
    if errors:
        raise ValidationError(errors)


def _role_check(role: Group | None, *, field: str | None = None) -> None:
    if role is not None and role.name not in WORK_OWNER_ROLE_NAMES:
        label = ROLE_BY_NAME[role.name].label if role.name in ROLE_BY_NAME else role.name
        message = f"Work cannot be given to the {label} role: it cannot complete work."
        raise ValidationError({field: message} if field else message)


# --- Work items ------------------------------------------------------------------------------

WORK_ITEM_RELATIONS = [field.name for field in WorkItem._meta.concrete_fields if field.is_relation]


@transaction.atomic
def work_item_create(
    *,
    kind: str,
    title: str,
    due: date,
    by: AbstractBaseUser,
    kind_label: str = "",
    about: models.Model | None = None,
    assignee: AbstractBaseUser | None = None,
    role: Group | str | None = None,
    priority: int = WorkItem.Priority.NORMAL,
    source_key: str | None = None,
    project: Project | None = None,
    notes: str = "",
    depends_on: list[WorkItem] | tuple = (),
) -> WorkItem:
    """Put a piece of work in a person's or a role's queue; idempotent with a source_key."""
    if source_key:
        existing = work_item_for_source(source_key)
        if existing is not None:
            return existing
    role = _role(role)
    if assignee is None and role is None:
        raise ValidationError("Give the work an owner or a role.")
    if project is not None and project.status == Project.Status.CLOSED:
        raise ValidationError(f"{project} is closed: tasks cannot be added to it.")
    # A title the system makes names a household, a home or a partner: long names must not
    # stop the work being queued, so it is shortened to the field, marked with an ellipsis.
    limit = WorkItem._meta.get_field("title").max_length
    if len(title) > limit:
        title = title[: limit - 1] + "…"
    item = WorkItem(
        kind=kind,
        kind_label=kind_label or WORK_KINDS.get(kind) or kind.replace("_", " ").capitalize(),
        title=title,
        due_on=due,
        assignee=assignee,
        assigned_role=role,
        priority=priority,
        source_key=source_key or None,
        project=project,
        notes=notes,
        created_by=by,
    )
    if about is not None:
        item.content_type = ContentType.objects.get_for_model(about)
        item.object_id = about.pk
        if hasattr(about, "get_absolute_url"):
            item.about_url = about.get_absolute_url()
    # Made by the system from the checks above (an owner; `about` whole): the database's keys
    # and constraints are left to the database, and a source key taken meanwhile comes back
    # as the IntegrityError below.
    try:
        with transaction.atomic():
            records.save(
                item,
                by=by,
                reason="Work created",
                exclude=WORK_ITEM_RELATIONS,
                database_checks=False,
            )
    except (IntegrityError, ValidationError):
        # Two callers racing on one source key: the loser gets the winner's item.
        if source_key and (existing := work_item_for_source(source_key)) is not None:
            return existing
        raise
    if depends_on:
        _dependencies_set(item, list(depends_on))
    return item


def _dependencies_set(item: WorkItem, depends_on: list[WorkItem]) -> None:
    for other in depends_on:
        if other.pk == item.pk:
            raise ValidationError("A task cannot depend on itself.")
        if item.pk in _all_dependencies(other):
            raise ValidationError(
                f"“{other}” already depends on “{item}”: that would make a loop of dependencies."
            )
    item.depends_on.set(depends_on)


def _all_dependencies(item: WorkItem) -> set[int]:
    """Every task `item` waits for, directly or through others."""
    seen: set[int] = set()
    frontier = {item.pk}
    while frontier:
        next_ids = set(
            WorkItem.depends_on.through.objects.filter(from_workitem_id__in=frontier).values_list(
                "to_workitem_id", flat=True
            )
        )
        frontier = next_ids - seen
        seen |= next_ids
    return seen


@transaction.atomic
def work_item_update(
    *, item: WorkItem, by: AbstractBaseUser, reason: str = "Task changed", **fields: Any
) -> WorkItem:
    """Change a task's details (not its owner or status: those have their own actions)."""
    allowed = {"title", "due_on", "priority", "notes", "depends_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    depends_on = fields.pop("depends_on", None)
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    # Done or cancelled work is a record of what happened: changing its title or due date
    # would rewrite it (and a due date moved on done work puts nothing back in a queue).
    if item.status != WorkItem.Status.OPEN:
        raise ValidationError(
            f"“{item}” is {item.get_status_display().lower()}: reopen it before changing it."
        )
    for name, value in fields.items():
        setattr(item, name, value)
    records.save(item, by=by, reason=reason)
    if depends_on is not None:
        _dependencies_set(item, list(depends_on))
    return item


@transaction.atomic
def work_item_complete(*, item: WorkItem, by: AbstractBaseUser) -> WorkItem:
    """Mark work done; a task waits for the open tasks it depends on."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    WORK_ITEM.move(
        item,
        WorkItem.Status.DONE,
        refusal=f"“{item}” is already {item.get_status_display().lower()}.",
    )
    waiting = list(item.depends_on.filter(status=WorkItem.Status.OPEN).order_by("title"))
    if waiting:
        names = ", ".join(f"“{other}”" for other in waiting)
        raise ValidationError(
            f"“{item}” cannot be completed until the work it depends on is done: {names}."
        )
    item.completed_by = by
    item.completed_at = timezone.now()
    records.save(item, by=by, reason="Completed")
    return item


@transaction.atomic
def work_item_cancel(*, item: WorkItem, by: AbstractBaseUser, reason: str) -> WorkItem:
    """Take work out of every queue without doing it; the reason stays on the record."""
    reason = records.reason_required(reason)
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    WORK_ITEM.move(
        item,
        WorkItem.Status.CANCELLED,
        refusal=f"“{item}” is not open: only open work can be cancelled.",
    )
    records.save(item, by=by, reason=f"Cancelled: {reason}")
    return item


@transaction.atomic
def work_item_reopen(*, item: WorkItem, by: AbstractBaseUser, reason: str) -> WorkItem:
    """Reopening says why: the work was marked done (or cancelled) and is not."""
    reason = records.reason_required(reason)
    item = (
        WorkItem.objects.select_for_update(of=("self",)).select_related("project").get(pk=item.pk)
    )
    if item.status != WorkItem.Status.OPEN and (refusal := work_item_reopen_refusal(item)):
        raise ValidationError(refusal)
    WORK_ITEM.move(item, WorkItem.Status.OPEN, refusal=f"“{item}” is already open.")
    item.completed_by = None
    item.completed_at = None
    records.save(item, by=by, reason=f"Reopened: {reason}")
    return item


@transaction.atomic
def work_item_reassign(
    *,
    item: WorkItem,
    by: AbstractBaseUser,
    reason: str,
    assignee: AbstractBaseUser | None = None,
    role: Group | str | None = None,
) -> WorkItem:
    """Give open work a new owner and/or role; the reason is kept on the record."""
    reason = records.reason_required(reason)
    role = _role(role)
    if assignee is None and role is None:
        raise ValidationError("Give the work an owner or a role.")
    _owner_check(assignee, field="assignee")
    _role_check(role, field="role")
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if item.status != WorkItem.Status.OPEN:
        raise ValidationError(f"“{item}” is not open: reopen it before reassigning it.")
    if item.assignee_id == getattr(assignee, "pk", None) and item.assigned_role_id == getattr(
        role, "pk", None
    ):
        raise ValidationError(f"“{item}” already has this owner and role.")
    item.assignee = assignee
    item.assigned_role = role
    records.save(item, by=by, reason=f"Reassigned: {reason}")
    return item


@transaction.atomic
def attachment_add(
    *, item: WorkItem, description: str, upload, by: AbstractBaseUser
) -> TaskAttachment:
    """Keep a document against a task, privately, under a random name."""
    attachment = TaskAttachment(
        work_item=item,
        description=description,
        uploaded_by=by,
    )
    attachment.keep(upload)
    records.save(attachment, by=by, reason="Attachment added")
    return attachment


# --- Projects --------------------------------------------------------------------------------


def _check_dates(start_on, target_on) -> None:
    if start_on and target_on and target_on < start_on:
        raise ValidationError({"target_on": "The target date must be on or after the start date"})


@transaction.atomic
def project_create(*, by: AbstractBaseUser, **fields: Any) -> Project:
    unknown = set(fields) - PROJECT_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    project = Project(**fields)
    _lead_check(project)
    _check_dates(project.start_on, project.target_on)
    if project.rag != Project.Rag.GREEN and not project.rag_reason.strip():
        raise ValidationError({"rag_reason": "Say why the project is rated amber or red"})
    # Another project given this name at the same moment (a second press of Save, or two
    # people), after this one's checks passed: refused as the form refuses it.
    records.save_unique(
        project, by=by, reason="Project started", refusals={"name": {"name": Project.NAME_TAKEN}}
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, by: AbstractBaseUser, reason: str, **fields: Any
) -> Project:
    """Change a project; a change of RAG rating needs its own reason on the record."""
    unknown = set(fields) - PROJECT_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    reason = records.reason_required(reason)
    project = Project.objects.select_for_update().get(pk=project.pk)
    was = Project(lead_id=project.lead_id, sponsor_id=project.sponsor_id)
    old_rag, old_reason = project.rag, project.rag_reason
    status = fields.pop("status", project.status)
    for name, value in fields.items():
        setattr(project, name, value)
    closing = status != project.status and status == Project.Status.CLOSED
    if status != project.status:
        PROJECT.move(project, status)
    _lead_check(project, was=was)
    _check_dates(project.start_on, project.target_on)
    if project.rag != old_rag and (
        not project.rag_reason.strip() or project.rag_reason == old_reason
    ):
        raise ValidationError({"rag_reason": "Say why the RAG rating changed"})
    records.save(project, by=by, reason=reason)
    if closing:
        # A closed project's open tasks are cancelled (reopen a task if the work goes on).
        for task in WorkItem.objects.filter(project=project, status=WorkItem.Status.OPEN):
            work_item_cancel(item=task, by=by, reason=f"Project closed: {reason}")
        # Its open risks and issues are closed too, so their reviews stop coming.
        for risk in project.risks.filter(status=Risk.Status.OPEN):
            risk_update(
                risk=risk, by=by, reason=f"Project closed: {reason}", status=Risk.Status.CLOSED
            )
    return project


@transaction.atomic
def milestone_add(*, project: Project, title: str, due_on: date, by: AbstractBaseUser) -> Milestone:
    # The same milestone sent twice (a second press of Add milestone) would be on the
    # timeline twice, one left never achieved: the project's row is the lock.
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.milestones.filter(title=title.strip(), due_on=due_on).exists():
        raise ValidationError(
            f"{project} already has the milestone “{title.strip()}” due "
            f"{dates.page_date(due_on)}: it is on the project's timeline."
        )
    milestone = Milestone(project=project, title=title.strip(), due_on=due_on)
    records.save(milestone, by=by, reason="Milestone added")
    return milestone


@transaction.atomic
def milestone_achieve(*, milestone: Milestone, on: date, by: AbstractBaseUser) -> Milestone:
    """Record the date a milestone was reached: once, and never a date still to come."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.achieved_on is not None:
        raise ValidationError(
            f"“{milestone}” was already achieved on {dates.page_date(milestone.achieved_on)}."
        )
    if on > timezone.localdate():
        raise ValidationError({"achieved_on": "The date achieved must be today or in the past"})
    milestone.achieved_on = on
    records.save(milestone, by=by, reason="Milestone achieved")
    return milestone


@transaction.atomic
def risk_add(*, project: Project, by: AbstractBaseUser, **fields: Any) -> Risk:
    # The same entry sent twice (a second press of Add to the log) would be reviewed twice:
    # an open entry of the same kind and description is refused, the project's row the lock.
    _owner_check(fields.get("owner"), field="owner")
    project = Project.objects.select_for_update().get(pk=project.pk)
    risk = Risk(project=project, **fields)
    risk.title = risk.title.strip()
    earlier = (
        project.risks.filter(status=Risk.Status.OPEN, kind=risk.kind, title=risk.title)
        .select_related("owner")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            f"“{earlier}” is already open in the risks and issues log of {project}, owned by "
            f"{earlier.owner.get_full_name() or earlier.owner.get_username()}."
        )
    records.save(risk, by=by, reason="Added to the risks and issues log")
    return risk


RISK_FIELDS = {"likelihood", "impact", "owner", "mitigation", "review_on", "status"}


@transaction.atomic
def risk_update(*, risk: Risk, by: AbstractBaseUser, reason: str, **fields: Any) -> Risk:
    """Change an entry in the risks and issues log; the log keeps why it changed."""
    unknown = set(fields) - RISK_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    reason = records.reason_required(reason)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    old_review_on, old_owner_id = risk.review_on, risk.owner_id
    if "owner" in fields and fields["owner"] is not None and fields["owner"].pk != old_owner_id:
        _owner_check(fields["owner"], field="owner")
    status = fields.pop("status", risk.status)
    for name, value in fields.items():
        setattr(risk, name, value)
    if status != risk.status:
        RISK.move(risk, status)
    records.save(risk, by=by, reason=reason)
    reviews = source_key(RISK_REVIEW, risk.pk)
    if risk.status == Risk.Status.CLOSED or risk.review_on != old_review_on:
        # A closed risk needs no review, and a new review date is the review done: the work
        # for the old date leaves the queue (a new date already passed makes its own).
        work_items_close_for_prefix(reviews, by=by)
    elif risk.owner_id != old_owner_id:
        # The review is the owner's: it follows the risk to its new owner.
        for item in WorkItem.objects.filter(
            Q(source_key__startswith=f"{reviews}:"), status=WorkItem.Status.OPEN
        ).exclude(assignee=risk.owner, assigned_role__isnull=True):
            work_item_reassign(
                item=item, by=by, reason=f"The risk's owner changed: {reason}", assignee=risk.owner
            )
    return risk


@transaction.atomic
def minutes_record(
    *,
    project: Project,
    held_on: date,
    attendees: str,
    notes: str,
    actions: list[dict],
    by: AbstractBaseUser,
) -> Minutes:
    """Record a meeting; each action (title, owner, due) becomes a task on the project."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date of the meeting must be today or in the past"})
    for action in actions:
        _owner_check(action["owner"])
    # The same minutes sent twice (a second press of Save, or two people typing up one
    # meeting) would make every action a task twice: the project's row is the lock, so the
    # second finds the first.
    project = Project.objects.select_for_update().get(pk=project.pk)
    earlier = (
        Minutes.objects.filter(
            project=project,
            held_on=held_on,
            attendees=attendees.strip(),
            notes=notes.strip(),
        )
        .select_related("recorded_by")
        .first()
    )
    if earlier is not None:
        recorder = earlier.recorded_by
        raise ValidationError(
            f"These minutes of the meeting on {dates.page_date(held_on)} were already recorded"
            f" by {recorder.get_full_name() or recorder.get_username()}: they and their actions"
            f" are on the page of {project}."
        )
    minutes = Minutes(
        project=project,
        held_on=held_on,
        attendees=attendees.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )
    records.save(minutes, by=by, reason="Minutes recorded")
    for action in actions:
        work_item_create(
            kind=PROJECT_TASK,
            kind_label=PROJECT_TASK_LABEL,
            title=action["title"],
            due=action["due"],
            assignee=action["owner"],
            project=project,
            notes=f"Action from the meeting on {dates.page_date(held_on)}.",
            by=by,
        )
    return minutes


@transaction.atomic
def project_task_create(
    *, project: Project, by: AbstractBaseUser, title: str, due_on: date, assignee, **fields: Any
) -> WorkItem:
    """Add a task to a project; the same open task (title, owner, due date) is refused."""
    # The same task sent twice (a second press of Save task, or two people adding it) would
    # be in its owner's queue twice: the project's row is the lock, so the second finds it.
    _owner_check(assignee, field="assignee")
    project = Project.objects.select_for_update().get(pk=project.pk)
    earlier = project.tasks.filter(
        status=WorkItem.Status.OPEN, title=title.strip(), assignee=assignee, due_on=due_on
    ).first()
    if earlier is not None:
        raise ValidationError(
            f"{project} already has the open task “{earlier}” for "
            f"{earlier.owner_label}, due {dates.page_date(due_on)}: it is on the project's page."
        )
    return work_item_create(
        kind=PROJECT_TASK,
        kind_label=PROJECT_TASK_LABEL,
        title=title.strip(),
        due=due_on,
        assignee=assignee,
        project=project,
        by=by,
        **fields,
    )


# --- Reminders -------------------------------------------------------------------------------


def _reminds_person(item: WorkItem) -> bool:
    """Work is reminded to its owner; to its role's members when it has no owner, or the
    owner's account is deactivated (nobody else would hear of it)."""
    return bool(item.assignee_id and (item.assignee.is_active or not item.assigned_role_id))


def _recipients(item: WorkItem, members_by_role: dict[int, list]) -> list:
    if _reminds_person(item):
        return [item.assignee] if item.assignee.is_active and item.assignee.email else []
    return members_by_role.get(item.assigned_role_id, [])


def risk_reviews_due(*, today: date, by: AbstractBaseUser) -> list[WorkItem]:
    """A risk past its review date puts a review in its owner's queue (once per review date).

    Each review is made on its own: one that cannot be made is logged and left for the next
    run, and never stops the others, nor the reminders of every other piece of work."""
    items = []
    risks = (
        Risk.objects.filter(status=Risk.Status.OPEN, review_on__lt=today)
        .exclude(project__status=Project.Status.CLOSED)
        .select_related("project", "owner")
    )
    for risk in risks:
        try:
            with transaction.atomic():
                items.append(
                    work_item_create(
                        kind=RISK_REVIEW,
                        kind_label=RISK_REVIEW_LABEL,
                        title=f"Review the risk “{risk.title}” ({risk.project})",
                        due=risk.review_on,
                        about=risk,
                        assignee=risk.owner,
                        source_key=source_key(RISK_REVIEW, risk.pk, risk.review_on.isoformat()),
                        by=by,
                    )
                )
        except Exception:
            logger.exception("The review of risk %s could not be queued", risk.pk)
    return items


def reminders_create(*, today: date, by: AbstractBaseUser) -> int:
    """Make the reminder rows for what is due tomorrow, overdue, or past its review date.

    Idempotent: one row per (work item, what, recipient, due date), however often it runs.
    """
    from django.contrib.auth import get_user_model

    risk_review_ids = {item.pk for item in risk_reviews_due(today=today, by=by)}
    open_items = WorkItem.objects.filter(status=WorkItem.Status.OPEN).select_related("assignee")
    wanted: list[tuple[WorkItem, str]] = []
    for item in open_items.filter(due_on=today + timedelta(days=1)):
        wanted.append((item, Reminder.What.DUE_TOMORROW))
    for item in open_items.filter(due_on__lt=today):
        what = Reminder.What.REVIEW_PASSED if item.pk in risk_review_ids else Reminder.What.OVERDUE
        wanted.append((item, what))
    role_ids = {item.assigned_role_id for item, _ in wanted if not _reminds_person(item)}
    members_by_role: dict[int, list] = {}
    for member in (
        get_user_model()
        .objects.filter(groups__in=role_ids, is_active=True)
        .exclude(email="")
        .prefetch_related("groups")
    ):
        for group in member.groups.all():
            if group.pk in role_ids:
                members_by_role.setdefault(group.pk, []).append(member)
    created = 0
    for item, what in wanted:
        for recipient in _recipients(item, members_by_role):
            _, made = Reminder.objects.get_or_create(
                work_item=item, what=what, recipient=recipient, due_on=item.due_on
            )
            created += made
    return created


def _reminder_email(reminder: Reminder) -> tuple[str, str]:
    """The email says what kind of work is due and links to it. Work about a record (an
    application, an offer, a licence) names the household on the page only: a household's
    name on a Gypsy and Traveller site's list says as much as its ethnicity, and email
    leaves the service. A task or a project's review keeps the title someone typed."""
    item = reminder.work_item
    typed = (
        item.content_type_id is None
        or ContentType.objects.get_for_id(item.content_type_id).app_label == "projects"
    )
    what = item.title if typed else f"{item.kind_label} (work {item.pk})"
    subject = f"{reminder.get_what_display()}: {what}"
    body = (
        f"{reminder.get_what_display()}: {what}\n"
        f"Due: {dates.page_date(item.due_on)}\n"
        f"Kind of work: {item.kind_label}\n\n"
        f"Open it in {settings.SERVICE_NAME}: {item.record_url}\n"
        "It is also in the work queue on your home page.\n"
    )
    return subject, body


def _reminder_claim() -> Reminder | None:
    """Claim the next reminder to send, and commit the claim before anything is sent.

    Unsent reminders not being sent are claimed; so is one whose send was claimed longer ago
    than REMINDER_SEND_INTERRUPTED_AFTER_SECONDS and never marked sent (its worker died in the
    gap between sending and marking: it may or may not have gone), once only, flagged
    `resent`. SKIP LOCKED: two workers at once never claim the same one.

    Under the lock its work is read again (locked too, so a completion being saved is waited
    for): work done, cancelled or given another due date since the reminder was made is not
    reminded of; the reminder is marked not sent, with why, and the next one is claimed.
    """
    interrupted_before = timezone.now() - timedelta(
        seconds=settings.REMINDER_SEND_INTERRUPTED_AFTER_SECONDS
    )
    while True:
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(sent_at__isnull=True, not_sent_at__isnull=True)
                .filter(
                    Q(sending_at__isnull=True) | Q(sending_at__lt=interrupted_before, resent=False)
                )
                .select_related("recipient")
                .order_by("pk")
                .first()
            )
            if reminder is None:
                return None
            item = (
                WorkItem.objects.select_for_update(of=("self",))
                .select_related("assignee", "assigned_role")
                .get(pk=reminder.work_item_id)
            )
            reminder.work_item = item
            stale = _reminder_stale(reminder, item)
            if stale:
                reminder.not_sent_at = timezone.now()
                reminder.not_sent_reason = stale
                reminder.save(update_fields=["not_sent_at", "not_sent_reason"])
                continue
            reminder.resent = reminder.sending_at is not None
            reminder.sending_at = timezone.now()
            reminder.save(update_fields=["sending_at", "resent"])
        return reminder


def _reminder_stale(reminder: Reminder, item: WorkItem) -> str:
    """Why the reminder is no longer due (its work closed or moved), or "" if it is."""
    if item.status != WorkItem.Status.OPEN:
        return f"The work was {item.get_status_display().lower()} before the reminder was sent."
    if item.due_on != reminder.due_on:
        return (
            f"The work's due date changed to {dates.page_date(item.due_on)} "
            "before the reminder was sent."
        )
    if not _still_theirs(item, reminder.recipient):
        return f"The work was given to {item.owner_label} before the reminder was sent."
    return ""


def _still_theirs(item: WorkItem, user: AbstractBaseUser) -> bool:
    """Whether `user` is still among those the work is reminded to."""
    if _reminds_person(item):
        return item.assignee_id == user.pk
    return user.groups.filter(pk=item.assigned_role_id).exists()  # type: ignore[attr-defined]


def reminders_send_unsent() -> int:
    """Send each unsent reminder by email, exactly once as far as email allows.

    Claim (committed), send, mark sent (committed): a crash after the send and before the mark
    sends that one reminder once more, flagged, with the same Message-ID so mail systems can
    drop the repeat; a crash before the send loses nothing. A send that fails with an error
    gives the claim back, so the next run tries again.
    """
    sent = 0
    while (reminder := _reminder_claim()) is not None:
        subject, body = _reminder_email(reminder)
        try:
            mail_send(
                subject=subject,
                body=body,
                to=[reminder.recipient.email],
                message_id=message_id("reminder", reminder.pk),
            )
        except Exception:
            Reminder.objects.filter(pk=reminder.pk).update(sending_at=None)
            raise
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


@transaction.atomic
def reminder_acknowledge(*, reminder: Reminder, by: AbstractBaseUser) -> Reminder:
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.recipient_id != by.pk:
        raise ValidationError("Only the person reminded can acknowledge a reminder.")
    if reminder.acknowledged_at is None:
        reminder.acknowledged_at = timezone.now()
        reminder.save(update_fields=["acknowledged_at"])
    return reminder
