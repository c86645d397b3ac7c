"""Work items (tasks and reminders, linked to any record), the work queue built from them,
and service-development projects with their milestones, risks and minutes.

This app imports no other app of ours: other apps create work through projects/services.py.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from config.kernel.dates import page_date
from config.kernel.files import PrivateFileField, PrivateUpload
from config.kernel.history_rows import HistoricalRecords


class Project(models.Model):
    """A service-development project, led by the head of service or someone they name."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"

    class Rag(models.TextChoices):
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"

    # What a person is told when the name is another project's (the form's check, and the
    # service's when another project took it at the same moment).
    NAME_TAKEN = "A project with this name already exists"

    name = models.CharField("name", max_length=150, unique=True)
    description = models.TextField("description", blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="projects_led",
        verbose_name="project lead",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="projects_sponsored",
        verbose_name="sponsor",
        null=True,
        blank=True,
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    rag_reason = models.TextField("reason for the RAG rating", blank=True)
    start_on = models.DateField("start date", null=True, blank=True)
    target_on = models.DateField("target date", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = "project"
        permissions = [("view_team_queue", "Can see the team's work queue")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("projects:project-history", args=[self.pk])

    @property
    def rag_colour(self) -> str:
        """The colour of the RAG rating's tag (GOV.UK has no amber: orange)."""
        return {self.Rag.RED: "red", self.Rag.AMBER: "orange"}.get(self.rag, "green")


class WorkItem(models.Model):
    """The one kind of work item: a task for a person or a role, due on a date, about a record.

    Project tasks are work items with a project; other apps' items (checks due, offers awaiting
    a response, breaches to pass on) are work items whose `about` is their own record.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"

    kind = models.CharField(
        "kind", max_length=50, help_text="Chosen by the app that creates it, e.g. project_task."
    )
    kind_label = models.CharField("kind of work", max_length=100)
    title = models.CharField("title", max_length=200)
    due_on = models.DateField("due date")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="work_items",
        verbose_name="owner",
        null=True,
        blank=True,
    )
    assigned_role = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="work_items",
        verbose_name="role",
        null=True,
        blank=True,
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPEN)
    priority = models.PositiveSmallIntegerField(
        "priority", choices=Priority.choices, default=Priority.NORMAL
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    # The page of the record it is about, stored when the work is created: the queue links to
    # it without reading another app's tables (a query per kind of record otherwise).
    about_url = models.CharField("link to the record", max_length=300, blank=True)
    # NULL, not "", for work without a key (the constraint below compares keys).
    source_key = models.CharField(  # noqa: DJ001
        "source key",
        max_length=200,
        db_index=True,
        null=True,
        blank=True,
        help_text="Set by the creating app so that creating twice makes one item.",
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
        verbose_name="project",
    )
    notes = models.TextField("notes", blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        verbose_name="depends on",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="completed by",
    )
    completed_at = models.DateTimeField("completed at", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["due_on", "-priority", "pk"]
        verbose_name = "task"
        permissions = [
            ("complete_workitem", "Can complete work assigned to them"),
            ("reassign_workitem", "Can give open work a new owner or role"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(assigned_role__isnull=False),
                name="workitem_has_assignee_or_role",
            ),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="workitem_about_is_whole",
            ),
            # One live (open or done) item per source key: cancelled work does not hold its
            # key, so the step that needs the work again gets a fresh item.
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(status="cancelled"),
                name="workitem_source_key_live",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="workitem_status_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:task-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("projects:task-history", args=[self.pk])

    @property
    def record_url(self) -> str:
        """Where the work is done: the record it is about, or the task's own page."""
        if self.about_url:
            return self.about_url
        about = self.about if self.content_type_id else None
        if about is not None and hasattr(about, "get_absolute_url"):
            return about.get_absolute_url()
        return self.get_absolute_url()

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()

    @property
    def owner_label(self) -> str:
        if self.assignee_id:
            return self.assignee.get_full_name() or self.assignee.get_username()
        return self.assigned_role.name.replace("_", " ").capitalize()


class TaskAttachment(PrivateUpload):
    """A document attached to a task, stored privately and served only to authorised users."""

    work_item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="attachments")
    file = PrivateFileField("file", upload_to="tasks/%Y/%m/")

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("work_item",)  # as the pages name it (config/changelog.py)

    class Meta(PrivateUpload.Meta):
        verbose_name = "task attachment"

    def __str__(self) -> str:
        return self.description


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField("title", max_length=200)
    due_on = models.DateField("due date")
    achieved_on = models.DateField("date achieved", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "milestone"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()

    @property
    def is_overdue(self) -> bool:
        return self.achieved_on is None and self.due_on < timezone.localdate()


class Risk(models.Model):
    """An entry in a project's risks and issues log."""

    class Kind(models.TextChoices):
        RISK = "risk", "Risk"
        ISSUE = "issue", "Issue"

    class Level(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="risks")
    kind = models.CharField("risk or issue", max_length=10, choices=Kind.choices, default="risk")
    title = models.CharField("title", max_length=200)
    likelihood = models.PositiveSmallIntegerField("likelihood", choices=Level.choices)
    impact = models.PositiveSmallIntegerField("impact", choices=Level.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="owner"
    )
    mitigation = models.TextField("mitigation", blank=True)
    review_on = models.DateField("review date")
    status = models.CharField("status", max_length=10, choices=Status.choices, default="open")

    history = HistoricalRecords()

    class Meta:
        ordering = ["review_on", "pk"]
        verbose_name = "risk or issue"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def review_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.review_on < timezone.localdate()


class Minutes(models.Model):
    """The minutes of a project meeting; its actions become tasks."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="minutes")
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField("attendees")
    notes = models.TextField("notes")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("held_on", "project")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "meeting minutes"
        verbose_name_plural = "meeting minutes"

    def __str__(self) -> str:
        return f"Meeting on {page_date(self.held_on)}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class Reminder(models.Model):
    """One reminder to one person about one work item, sent once by email."""

    class What(models.TextChoices):
        DUE_TOMORROW = "due_tomorrow", "Due tomorrow"
        OVERDUE = "overdue", "Overdue"
        REVIEW_PASSED = "review_passed", "Review date passed"

    work_item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="reminders")
    what = models.CharField("reminder", max_length=20, choices=What.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    due_on = models.DateField("due date reminded of")
    created_at = models.DateTimeField(auto_now_add=True)
    # Sending is claimed and committed first (sending_at), then the email goes, then sent_at:
    # a crash in between leaves sending_at without sent_at, and such a reminder is sent once
    # more, flagged `resent` (projects.services.reminders_send_unsent).
    sending_at = models.DateTimeField("being sent since", null=True, blank=True)
    sent_at = models.DateTimeField("sent at", null=True, blank=True)
    resent = models.BooleanField(
        "sent again after an interrupted send (may have arrived twice)", default=False
    )
    acknowledged_at = models.DateTimeField("acknowledged at", null=True, blank=True)
    # Checked under the lock when its turn to be sent came: the work was done, cancelled or
    # given another due date since the reminder was made, so it was not emailed.
    not_sent_at = models.DateTimeField("not sent, decided at", null=True, blank=True)
    not_sent_reason = models.CharField("why it was not sent", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "reminder"
        constraints = [
            models.UniqueConstraint(
                fields=["work_item", "what", "recipient", "due_on"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()}: {self.work_item}"
