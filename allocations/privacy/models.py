"""Data protection (UK GDPR): subject access requests, retention batches and the purge register.

A subject access request is about one person (residents.Person) and must be answered within
one calendar month of receipt (UK GDPR art. 12(3)). A retention batch is what the nightly task
found due under the schedule in settings.RETENTION_SCHEDULE; once a team leader confirms it,
the purge deletes it (history, logs and files included) and writes one register row per rule,
which holds counts, never personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords
from residents.models import Person


class SubjectAccessRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"

    # The subject: a person on our records, or a would-be buyer on the low-cost home
    # ownership register (allocations.Purchaser), who may be nobody else here. One of the two.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="subject_access_requests",
        null=True,
        blank=True,
    )
    purchaser = models.ForeignKey(
        "allocations.Purchaser",
        on_delete=models.PROTECT,
        related_name="subject_access_requests",
        null=True,
        blank=True,
    )
    received_on = models.DateField("received on")
    deadline = models.DateField("answer by", help_text="One calendar month after receipt.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="officer answering it",
    )
    how_received = models.CharField("how it was received", max_length=200)
    answered_on = models.DateField("answered on", null=True, blank=True)
    exported_at = models.DateTimeField("last exported at", null=True, blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("person", "purchaser")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "subject access request"
        default_permissions = ("view", "add", "change")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("received_on")),
                name="subject_access_deadline_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(purchaser__isnull=True),
                name="subject_access_has_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request SAR-{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:sar-detail", args=[self.pk])

    @property
    def subject(self):
        """Whom the request is from: the person, or the purchaser."""
        return self.person if self.person_id else self.purchaser

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.deadline < timezone.localdate()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def status_words(self) -> str:
        return "Overdue" if self.is_overdue else self.get_status_display()

    @property
    def status_colour(self) -> str:
        if self.is_overdue:
            return "red"
        return "" if self.is_open else "green"


class SubjectAccessExemption(models.Model):
    """An item withheld from the export, and why (DPA 2018 Schedule 2 and 3)."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="exemptions"
    )
    item = models.CharField("what is withheld", max_length=300)
    reason = models.TextField("why it is withheld")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("request",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["pk"]
        verbose_name = "withheld item"
        default_permissions = ("view", "add")

    def __str__(self) -> str:
        return f"Withheld: {self.item}"


class RetentionBatch(models.Model):
    """What the nightly retention task found due, waiting for a team leader to confirm it.

    No history of its own: its items name the people to be purged, and once purged nothing
    of them may remain; who confirmed it and why is kept on it and in the purge register."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for confirmation"
        PURGED = "purged", "Purged"
        CANCELLED = "cancelled", "Cancelled"

    found_on = models.DateField("found on")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="confirmed or cancelled by",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("reason", blank=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = "retention batch"
        default_permissions = ("view",)
        permissions = [("confirm_retentionbatch", "Can confirm a retention batch for purging")]

    def __str__(self) -> str:
        return f"Retention batch {self.pk} found {page_date(self.found_on)}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:batch-detail", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    @property
    def status_colour(self) -> str:
        return {"waiting": "yellow", "purged": "grey"}.get(self.status, "")


class RetentionBatchItem(models.Model):
    """One record due under one rule. The label names it for the reviewer; the item is
    deleted by the purge (the register keeps only the count)."""

    batch = models.ForeignKey(RetentionBatch, on_delete=models.CASCADE, related_name="items")
    rule = models.CharField(max_length=60)
    record_type = models.CharField(max_length=100)
    record_id = models.BigIntegerField()
    label = models.CharField(max_length=300)
    due_since = models.DateField("due since")

    class Meta:
        ordering = ["rule", "due_since", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "record_type", "record_id"], name="retention_item_once"
            )
        ]

    def __str__(self) -> str:
        return self.label


class PurgeRegisterEntry(models.Model):
    """One rule's purge: what kind of record, how many, when and who confirmed it. No personal
    data about the people purged. Append-only: the application may only add and read rows."""

    rule = models.CharField(max_length=60)
    record_type = models.CharField(max_length=100)
    count = models.PositiveIntegerField()
    rows_deleted = models.PositiveIntegerField("rows deleted, history and logs included")
    files_deleted = models.PositiveIntegerField()
    purged_at = models.DateTimeField(default=timezone.now)
    batch_id = models.BigIntegerField("retention batch")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-purged_at", "-pk"]
        verbose_name = "purge register entry"
        verbose_name_plural = "purge register"
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.count} × {self.record_type} purged under {self.rule}"
