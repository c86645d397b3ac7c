"""The document inbox (scanned post, filed to a household's application) and the contacts an
officer records (calls, visits): with the letters, one communications log per household."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from allocations.models.applications import Application, EvidenceDocument
from config.kernel.files import PrivateFileField, PrivateUpload
from config.kernel.history_rows import HistoricalRecords
from residents.models import Household


class InboxDocument(PrivateUpload):
    """A scanned letter or form, uploaded by business support, filed by an officer."""

    class Status(models.TextChoices):
        UNFILED = "unfiled", "Not filed yet"
        FILED = "filed", "Filed"

    file = PrivateFileField("file", upload_to="inbox/%Y/%m/")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.UNFILED
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_documents",
    )
    kind = models.CharField(
        "type of document", max_length=20, choices=EvidenceDocument.Kind.choices, blank=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField("filed at", null=True, blank=True)
    forwarded_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="forwarded to",
    )
    forward_note = models.TextField("note for the colleague", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("household", "application")  # as the pages name it (config/changelog.py)
    # The type it was filed as may be special-category data (pregnancy evidence is health
    # data): withheld from the change log, and on the History page shown only to roles with
    # special-category access, each showing logged (business support, who scan the post,
    # have none).
    SPECIAL_CATEGORY_FIELDS = {"kind"}

    class Meta(PrivateUpload.Meta):
        verbose_name = "inbox document"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Scan {self.original_name}"

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        """Log the showing against the people of the household it was filed to."""
        from residents.services import special_category_views_record

        household = record.household or (record.application and record.application.household)
        if household is None:
            return
        special_category_views_record(
            people=list(household.people.all()),
            user=user,
            fields=[f"inbox document:{name}" for name in fields],
            where=where,
        )

    def get_absolute_url(self) -> str:
        return reverse("allocations:inbox-file", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:inbox-history", args=[self.pk])


class Contact(models.Model):
    """A phone call, visit or other contact with a household, recorded by an officer."""

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone call"
        VISIT = "visit", "Home or site visit"
        OFFICE = "office", "At the office"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"

    class Direction(models.TextChoices):
        IN = "in", "From the household"
        OUT = "out", "To the household"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    channel = models.CharField("how", max_length=10, choices=Channel.choices)
    direction = models.CharField("who made contact", max_length=5, choices=Direction.choices)
    occurred_at = models.DateTimeField("when")
    summary = models.TextField("what was said or done")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("household", "application")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} with {self.household}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:communications", args=[self.household_id])
