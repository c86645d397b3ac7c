"""Offers of a vacancy to one shortlisted applicant at a time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.lettings import ShortlistEntry, Vacancy
from config.kernel.history_rows import HistoricalRecords


class Offer(models.Model):
    """An offer of a vacancy to one application on its frozen shortlist.

    One open (or accepted) offer per vacancy at a time: a partial unique index, with the
    vacancy row locked while an offer is made, so twenty officers at once make one offer.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="offers")
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.PROTECT, related_name="offers")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPEN)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField("made at", auto_now_add=True)
    respond_by = models.DateField("reply needed by")
    responded_on = models.DateField("replied on", null=True, blank=True)
    refusal_reason = models.TextField("reason for refusing", blank=True)
    reasonable_refusal = models.BooleanField(
        "reasonable refusal", null=True, blank=True, help_text="Reasonable refusals do not count."
    )
    withdrawal_reason = models.TextField("reason for withdrawing", blank=True)
    # A home's adaptations are never wasted without a reason: an adapted home offered to a
    # household that does not need them says why (shown to the team leader who decides).
    adaptations_reason = models.TextField(
        "why an adapted home goes to a household that does not need its adaptations",
        blank=True,
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application", "vacancy")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["made_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=["open", "accepted"]),
                name="one_live_offer_per_vacancy",
            ),
            models.UniqueConstraint(fields=["entry"], name="one_offer_per_shortlist_entry"),
            models.CheckConstraint(
                condition=~Q(status="refused")
                | (~Q(refusal_reason="") & Q(reasonable_refusal__isnull=False)),
                name="refusal_has_reason_and_judgement",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.vacancy.reference} to {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:offer-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:offer-history", args=[self.pk])
