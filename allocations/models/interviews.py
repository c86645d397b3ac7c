"""Interviews with shortlisted applicants."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.lettings import Vacancy
from allocations.models.showing import HouseholdSpecialCategory
from config.kernel.dates import page_datetime
from config.kernel.history_rows import HistoricalRecords


class Interview(HouseholdSpecialCategory, models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        NOT_ATTENDED = "not_attended", "Household did not attend"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="interviews"
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="interviews", null=True, blank=True
    )
    starts_at = models.DateTimeField("date and time")
    place = models.CharField("place", max_length=200)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="interviewing officer",
    )
    second_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="second officer",
    )
    interpreter_language = models.CharField(
        "interpreter booked for", max_length=60, blank=True, help_text="The language, if any."
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    outcome_notes = models.TextField("outcome and notes", blank=True)
    # An event recorded once it had already happened (no invitation, no reminder): who wrote it
    # down and when, beside the time it took place.
    recorded_after_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="recorded after the fact by",
    )
    recorded_after_at = models.DateTimeField("recorded after the fact at", null=True, blank=True)

    history = HistoricalRecords()
    # What was found at an interview is written freely and can be health or welfare ("he has
    # MS", "a support worker is needed"): special category, shown only to roles holding
    # `config.view_special_category` (each showing logged), withheld from the change log.
    SPECIAL_CATEGORY_FIELDS = {"outcome_notes"}
    SPECIAL_CATEGORY_PREFIX = "interview"
    CHANGE_LOG_LABEL = ("application", "vacancy")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Interview for {self.application} on {page_datetime(self.starts_at)}"

    def get_absolute_url(self) -> str:
        return self.application.get_absolute_url()

    def get_history_url(self) -> str:
        return reverse("allocations:interview-history", args=[self.pk])

    @property
    def awaiting_outcome(self) -> bool:
        return self.status == self.Status.SCHEDULED
