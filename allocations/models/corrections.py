"""Corrections made after the fact: an application's effective date, band or bedroom need put
right from a date in the past (the ombudsman's commonest finding), and the remedy a team
leader decides once the frozen shortlists have been replayed with the corrected value."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords


class Correction(models.Model):
    """A value of an application corrected from a date earlier than the day it was made."""

    class Field(models.TextChoices):
        EFFECTIVE_DATE = "effective_date", "Effective date"
        REGISTRATION_DATE = "registration_date", "Registration date"
        BAND = "band", "Band"
        BEDROOM_NEED = "bedroom_need", "Bedroom need"

    class Remedy(models.TextChoices):
        AWAITING = "", "Awaiting a remedy decision"
        OFFER_NEXT = "offer_next", "Offer the next suitable home"
        DIRECT_OFFER = "direct_offer", "Make a direct offer outside the bidding cycles"
        NO_REMEDY_STILL_FIRST = (
            "no_remedy_still_first",
            "No remedy: each home went to a household that would still have been first",
        )
        NO_REMEDY_UNCHANGED = "no_remedy_unchanged", "No remedy: no shortlist would have changed"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="corrections"
    )
    field = models.CharField("value corrected", max_length=20, choices=Field.choices)
    # Kept as written on the page's form (ISO dates, whole numbers), typed by `value()`.
    value_before = models.CharField("value before", max_length=20, blank=True)
    value_after = models.CharField("corrected value", max_length=20)
    applies_from = models.DateField("correct from")
    reason = models.TextField("why it was corrected")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("recorded at")
    remedy = models.CharField(
        "remedy", max_length=30, choices=Remedy.choices, default=Remedy.AWAITING, blank=True
    )
    remedy_reason = models.TextField("reasons for the remedy decision", blank=True)
    remedy_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="remedy decided by",
    )
    remedy_decided_at = models.DateTimeField("remedy decided at", null=True, blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = "correction"
        indexes = [
            models.Index(
                fields=["recorded_at"],
                condition=Q(remedy=""),
                name="correction_awaiting_remedy",
            )
        ]
        constraints = [
            # A remedy decision always has its reasons and who made it.
            models.CheckConstraint(
                condition=Q(remedy="", remedy_decided_by__isnull=True)
                | (~Q(remedy="") & ~Q(remedy_reason="") & Q(remedy_decided_by__isnull=False)),
                name="correction_remedy_has_who_and_why",
            ),
        ]
        permissions = [
            (
                "decide_correction_remedy",
                "Can decide the remedy for a correction made after the fact",
            )
        ]

    def __str__(self) -> str:
        corrected_from = page_date(self.applies_from)
        return f"{self.get_field_display()} of {self.application} corrected from {corrected_from}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:correction-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:correction-history", args=[self.pk])

    @property
    def awaiting_remedy(self) -> bool:
        return self.remedy == self.Remedy.AWAITING

    DATES = frozenset({Field.EFFECTIVE_DATE, Field.REGISTRATION_DATE})

    @property
    def is_date(self) -> bool:
        return self.field in self.DATES

    def value(self, text: str) -> date | int | None:
        """A stored value in its type: a date for the effective or registration date, else a
        number."""
        if not text:
            return None
        if self.is_date:
            return date.fromisoformat(text)
        return int(text)

    @property
    def corrected_value(self) -> date | int | None:
        return self.value(self.value_after)

    @property
    def previous_value(self) -> date | int | None:
        return self.value(self.value_before)
