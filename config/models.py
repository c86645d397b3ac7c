from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from simple_history import register

from config.kernel.history_rows import HistoricalRecords


class Access(models.Model):
    """Holds the service-wide permissions that belong to no single record type."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_change_log", "Can read the change log across the whole system"),
            (
                "view_whole_change_log",
                "Can read every record's changes in the change log, not only those of the "
                "record types they may view",
            ),
            ("view_special_category", "Can see special-category personal data"),
            ("view_criminal_records", "Can see criminal-record (Article 10) information"),
        ]

    def __str__(self) -> str:
        return "Service-wide access"


class PasswordResetRequest(models.Model):
    """A request for a password reset email, kept to limit them per address and per account
    (config/accounts/throttling.py)."""

    ip_address = models.CharField("address", max_length=45, blank=True)
    email = models.EmailField("email asked for")
    requested_at = models.DateTimeField("when", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "password reset request"
        default_permissions = ()
        indexes = [
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_address"),
            models.Index(fields=["email", "requested_at"], name="reset_request_email"),
        ]

    def __str__(self) -> str:
        return f"Password reset for {self.email}"


# Who can do what is itself audited: changes to accounts and roles keep a history row, with
# the roles and direct permissions each held (a change to those alone makes a row too).
register(
    get_user_model(),
    app=__package__,
    records_class=HistoricalRecords,
    table_name="config_historicaluser",
    m2m_fields=["groups", "user_permissions"],
)
register(
    Group,
    app=__package__,
    records_class=HistoricalRecords,
    table_name="config_historicalgroup",
    m2m_fields=["permissions"],
)


class OutboxJob(models.Model):
    """A job for a Celery worker, written in the same transaction as the data it is about
    (config/kernel/outbox.py): sent to the broker once that commits, and again by the beat
    sweep until a worker has done it, so nothing queued is lost when Redis or a worker is.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        DONE = "done", "Done"
        FAILED = "failed", "Could not be done"

    task = models.CharField("Celery task", max_length=200)
    kwargs = models.JSONField("arguments", default=dict)
    what = models.CharField("what it makes, in words", max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField("last sent to the broker", null=True, blank=True)
    dispatches = models.PositiveIntegerField("times sent to the broker", default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = "background job"
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="outbox_job_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.status})"


class ChangeLogEntry(models.Model):
    """One row per history row of any record, written by a database trigger in the same
    transaction (config/changelog.py). Append-only: the database refuses UPDATE and DELETE."""

    class Action(models.TextChoices):
        CREATED = "+", "Created"
        CHANGED = "~", "Changed"
        DELETED = "-", "Deleted"

    when = models.DateTimeField()
    record_type = models.CharField(max_length=100)
    record_id = models.BigIntegerField()
    history_id = models.BigIntegerField()
    action = models.CharField(max_length=1, choices=Action.choices)
    # No foreign key: a log row outlives any account, and the name is kept as it was then.
    user_id = models.IntegerField(null=True)
    user_name = models.CharField(max_length=300, null=True)  # noqa: DJ001 - null: no one
    reason = models.TextField(blank=True)
    label = models.CharField(max_length=200, null=True)  # noqa: DJ001 - null: no name column
    changes = models.JSONField(default=dict)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["-when", "-id"], name="changelog_when"),
            models.Index(fields=["user_id", "-when", "-id"], name="changelog_user_when"),
            models.Index(fields=["record_type", "-when", "-id"], name="changelog_type_when"),
            models.Index(fields=["record_type", "record_id", "-when"], name="changelog_record"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.record_type} #{self.record_id}"


class RecordView(models.Model):
    """Who opened which household or application page, and when: evidence for auditors,
    kept apart from changes. One cheap insert per page view, no history of its own;
    append-only (the database refuses UPDATE and DELETE)."""

    user = models.ForeignKey(
        get_user_model(), on_delete=models.PROTECT, related_name="+", verbose_name="viewed by"
    )
    record_type = models.CharField(max_length=100)
    record_id = models.BigIntegerField()
    label = models.CharField(max_length=200)
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["-viewed_at", "-id"], name="recordview_when"),
            models.Index(
                fields=["record_type", "record_id", "-viewed_at"], name="recordview_record"
            ),
            models.Index(fields=["user", "-viewed_at"], name="recordview_user"),
        ]

    def __str__(self) -> str:
        return f"{self.label} viewed by {self.user_id} at {self.viewed_at}"
