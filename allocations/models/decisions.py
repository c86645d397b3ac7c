"""The team leader's allocation decision and its later quality reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.offers import Offer
from allocations.models.policies import PolicyVersion
from config.kernel.history_rows import HistoricalRecords


class AllocationDecision(models.Model):
    """The officer's proposal to allocate, and the team leader's decision on it."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting a team leader"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Sent back"

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="decisions")
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    checklist = models.JSONField("checklist", help_text="[{code, label, met, note}, ...]")
    reasons = models.TextField("reasons for the allocation")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.AWAITING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("proposed at", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField("decided at", null=True, blank=True)
    comments = models.TextField("team leader's comments", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("offer",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = "allocation decision"
        constraints = [
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(status__in=["awaiting", "approved"]),
                name="one_live_decision_per_offer",
            ),
            # The proposer never decides their own proposal, whatever the code above does.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                name="decision_not_by_its_proposer",
            ),
        ]
        permissions = [("approve_allocationdecision", "Can approve or send back a decision")]

    def __str__(self) -> str:
        return f"Allocation of {self.offer.vacancy.reference} to {self.offer.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:decision-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:decision-history", args=[self.pk])

    @property
    def is_awaiting(self) -> bool:
        return self.status == self.Status.AWAITING

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class DecisionReview(models.Model):
    """A team leader's quality review of a sampled past decision."""

    class Finding(models.TextChoices):
        SOUND = "sound", "Sound: policy followed and recorded"
        LEARNING = "learning", "Sound, with learning points"
        CONCERN = "concern", "Concern: refer for review"

    decision = models.ForeignKey(
        AllocationDecision, on_delete=models.PROTECT, related_name="reviews"
    )
    finding = models.CharField("finding", max_length=10, choices=Finding.choices)
    notes = models.TextField("notes")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("decision",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = "quality review"

    def __str__(self) -> str:
        return f"Review of {self.decision}"
