"""Suspected breaches of a licence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.kernel.files import PrivateFileField
from config.kernel.history_rows import HistoricalRecords
from residents.models.licences import Licence
from residents.models.visits import NewResidentVisit


class Breach(models.Model):
    """A suspected breach of licence found by an officer and passed to the sites manager."""

    class Category(models.TextChoices):
        UNAUTHORISED_OCCUPANT = "unauthorised_occupant", "Unauthorised occupant"
        CARAVANS = "caravans", "Too many caravans or unauthorised structures"
        NUISANCE = "nuisance", "Nuisance or anti-social behaviour"
        DAMAGE = "damage", "Damage to the pitch or amenity block"
        FEES = "fees", "Pitch fee arrears"
        NOT_MAIN_RESIDENCE = "not_main_residence", "Pitch not the only or main residence"
        FIRE_SAFETY = "fire_safety", "Fire safety (spacing, gas bottles)"
        WASTE = "waste", "Waste or fly-tipping"
        ANIMALS = "animals", "Animals"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        INVESTIGATING = "investigating", "Under investigation"
        NOTICE_SERVED = "notice_served", "Notice to remedy served"
        REMEDIED = "remedied", "Remedied"
        ESCALATED = "escalated", "Escalated"
        CLOSED = "closed", "Closed"

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="breaches")
    visit = models.ForeignKey(
        NewResidentVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name="raised from visit",
    )
    category = models.CharField("category", max_length=30, choices=Category.choices)
    observed_on = models.DateField("date observed")
    description = models.TextField("what was found")
    evidence = PrivateFileField("evidence", upload_to="breaches/%Y/%m/", blank=True)
    evidence_content_type = models.CharField("evidence file type", max_length=100, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    remedy_due_on = models.DateField("remedy due by", null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="raised by",
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    sites_manager_notified_at = models.DateTimeField(
        "sites manager emailed at", null=True, blank=True
    )

    history = HistoricalRecords(excluded_fields=["raised_at"])
    CHANGE_LOG_LABEL = ("licence",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-observed_on", "-pk"]
        verbose_name = "licence breach"
        verbose_name_plural = "licence breaches"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="notice_served") | Q(remedy_due_on__isnull=False),
                name="breach_notice_has_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} on licence {self.licence.reference}"

    def get_absolute_url(self) -> str:
        return reverse("residents:breach-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("residents:breach-history", args=[self.pk])
