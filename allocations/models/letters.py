"""Letters to households: requested, drawn by a worker, kept privately."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from simple_history.models import HistoricalRecords

from allocations.models.applications import Application


def letter_storage() -> FileSystemStorage:
    """Letters hold personal data: stored privately and served by a permission-checking view."""
    # No location: it follows settings.MEDIA_ROOT. Nothing serves MEDIA_ROOT over HTTP.
    return FileSystemStorage()


class Letter(models.Model):
    """A letter to a household about its application, rendered to PDF by a Celery task.

    Requested in the same transaction as the decision it explains; the PDF, once written, is
    never regenerated over (a new request makes a new letter).
    """

    class Kind(models.TextChoices):
        INVALID = "invalid", "Application not valid"
        INTERVIEW = "interview", "Invitation to interview"
        OFFER = "offer", "Offer"
        REFUSAL = "refusal", "Refusal recorded"
        SUSPENSION = "suspension", "Application suspended after refusals"
        DECISION = "decision", "Allocation decision"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("letter", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    context = models.JSONField("what the letter says", help_text="Frozen when requested.")
    file = models.FileField("PDF", storage=letter_storage, upload_to="letters/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField("ready at", null=True, blank=True)
    failure = models.TextField("why it could not be prepared", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter for {self.application}"
