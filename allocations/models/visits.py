"""Familiarisation site visits (always two officers)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.lettings import Vacancy
from allocations.models.showing import HouseholdSpecialCategory
from config.kernel.dates import page_datetime
from config.kernel.history_rows import HistoricalRecords


class SiteVisit(HouseholdSpecialCategory, models.Model):
    """A familiarisation visit to the site: never fewer than two officers (DOMAIN.md)."""

    class Status(models.TextChoices):
        ARRANGED = "arranged", "Arranged"
        HELD = "held", "Held"
        NOT_ATTENDED = "not_attended", "Household did not attend"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="site_visits"
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="site_visits", null=True, blank=True
    )
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField("date and time")
    first_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    second_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.ARRANGED
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
    # What was found at a site visit is written freely and can be health or welfare ("he has
    # MS", "a support worker is needed"): special category, shown only to roles holding
    # `config.view_special_category` (each showing logged), withheld from the change log.
    SPECIAL_CATEGORY_FIELDS = {"outcome_notes"}
    SPECIAL_CATEGORY_PREFIX = "sitevisit"
    CHANGE_LOG_LABEL = ("application", "vacancy")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "site visit"
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_officer=models.F("second_officer")),
                name="site_visit_two_different_officers",
            )
        ]

    def __str__(self) -> str:
        return f"Site visit to {self.site} on {page_datetime(self.starts_at)}"

    def get_absolute_url(self) -> str:
        return self.application.get_absolute_url()

    def get_history_url(self) -> str:
        return reverse("allocations:sitevisit-history", args=[self.pk])

    @property
    def awaiting_outcome(self) -> bool:
        return self.status == self.Status.ARRANGED
