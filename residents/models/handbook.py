"""The site handbook: sections, printed editions, and which edition each household was given."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from config.kernel.dates import page_date
from config.kernel.documents import RenderedDocument
from config.kernel.files import PrivateFileField
from config.kernel.history_rows import HistoricalRecords
from residents.models.licences import Licence


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
    CHANGE_LOG_LABEL = ("heading", "site")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["site__name", "position", "pk"]
        verbose_name = "handbook section"

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("residents:handbook")

    def get_history_url(self) -> str:
        return reverse("residents:handbook-section-history", args=[self.pk])


class HandbookEdition(RenderedDocument):
    """A site's handbook (the common part and the site's part) as printed to PDF, numbered.

    The text is frozen when requested; the PDF is never drawn again over.
    """

    site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, related_name="handbook_editions"
    )
    number = models.PositiveIntegerField("edition")
    context = models.JSONField("what the handbook says", help_text="Frozen when requested.")
    file = PrivateFileField("PDF", upload_to="handbooks/%Y/%m/", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("number", "site")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["site__name", "-number"]
        verbose_name = "handbook edition"
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="handbook_edition_unique")
        ]

    document_name = "Handbook"

    def __str__(self) -> str:
        return f"{self.site} handbook, edition {self.number}"

    def document_pdf(self) -> bytes:
        from residents import documents

        return documents.handbook_pdf(self.context)

    def document_filename(self) -> str:
        return f"handbook-{self.site_id}-{self.number}.pdf"


class HandbookIssue(models.Model):
    """Which edition of the handbook a household was given, and when."""

    edition = models.ForeignKey(HandbookEdition, on_delete=models.PROTECT, related_name="issues")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="handbook_issues")
    issued_on = models.DateField("issued on")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("licence",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "handbook issued"

    def __str__(self) -> str:
        return f"{self.edition} issued on {page_date(self.issued_on)}"
