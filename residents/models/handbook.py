"""The site handbook: sections, printed editions, and which edition each household was given."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from residents.models.licences import Licence
from residents.models.storage import private_storage


class HandbookSection(models.Model):
    """A section of the resident handbook: the common part (no site) or one site's part."""

    class Topic(models.TextChoices):
        GENERAL = "general", "General"
        SITE_RULES = "site_rules", "Site rules"
        CONTACTS = "contacts", "Contacts"
        REFUSE = "refuse", "Refuse and recycling days"
        METERS_AND_PAYMENT = "meters_payment", "Meters and paying"

    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handbook_sections",
        verbose_name="site",
        help_text="Leave blank for the part of the handbook common to every site.",
    )
    topic = models.CharField("topic", max_length=20, choices=Topic.choices, default="general")
    heading = models.CharField("heading", max_length=150)
    body = models.TextField("text", help_text="Leave a blank line between paragraphs.")
    position = models.PositiveSmallIntegerField("order", default=10)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["site__name", "position", "pk"]
        verbose_name = "handbook section"

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("residents:handbook")

    def get_history_url(self) -> str:
        return reverse("residents:handbook-section-history", args=[self.pk])


class HandbookEdition(models.Model):
    """A site's handbook (the common part and the site's part) as printed to PDF, numbered.

    The text is frozen when requested; the PDF is never drawn again over.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, related_name="handbook_editions"
    )
    number = models.PositiveIntegerField("edition")
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    context = models.JSONField("what the handbook says", help_text="Frozen when requested.")
    file = models.FileField(
        "PDF", storage=private_storage, upload_to="handbooks/%Y/%m/", blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField("ready at", null=True, blank=True)
    failure = models.TextField("why it could not be prepared", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["site__name", "-number"]
        verbose_name = "handbook edition"
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="handbook_edition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site} handbook, edition {self.number}"


class HandbookIssue(models.Model):
    """Which edition of the handbook a household was given, and when."""

    edition = models.ForeignKey(HandbookEdition, on_delete=models.PROTECT, related_name="issues")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="handbook_issues")
    issued_on = models.DateField("issued on")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "handbook issued"

    def __str__(self) -> str:
        return f"{self.edition} issued on {self.issued_on:%d/%m/%Y}"
