"""Letters to households: requested, drawn by a worker, kept privately."""

from django.db import models
from simple_history.models import HistoricalRecords

from allocations.models.applications import Application
from config.kernel.documents import RenderedDocument
from config.kernel.files import PrivateFileField


class Letter(RenderedDocument):
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
        RENEWAL_REMINDER = "renewal_reminder", "Renewal reminder"
        RENEWAL_HOLD = "renewal_hold", "Renewal not answered: on hold"
        RENEWAL_CLOSED = "renewal_closed", "Closed: renewal not answered"
        SUSPENSION_ENDED = "suspension_ended", "Suspension ended"
        REGISTRATION_REFUSED = "registration_refused", "Registration refused"
        REGISTRATION_REVIEW = "registration_review", "Review of a refused registration"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("letter", max_length=20, choices=Kind.choices)
    context = models.JSONField("what the letter says", help_text="Frozen when requested.")
    file = PrivateFileField("PDF", upload_to="letters/%Y/%m/", blank=True)

    history = HistoricalRecords()

    document_name = "Letter"

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter for {self.application}"

    def document_pdf(self) -> bytes:
        from allocations import documents

        return documents.letter_pdf(self)

    def document_filename(self) -> str:
        return f"letter-{self.pk}.pdf"
