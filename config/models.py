from django.contrib.auth import get_user_model
from django.db import models
from simple_history import register


class Access(models.Model):
    """Holds the service-wide permissions that belong to no single record type."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_change_log", "Can read the change log across the whole system"),
            ("view_special_category", "Can see special-category personal data"),
            ("view_criminal_records", "Can see criminal-record (Article 10) information"),
        ]

    def __str__(self) -> str:
        return "Service-wide access"


# Who can do what is itself audited: changes to accounts keep a history row.
register(get_user_model(), app=__package__, table_name="config_historicaluser")


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
