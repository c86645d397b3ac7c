"""Schemes and published policy versions (insert-only: a database trigger refuses changes)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from allocations.rules.policy import Policy, policy_of
from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords


class Scheme(models.TextChoices):
    PITCH = "pitch", "Gypsy and Traveller pitches"
    CBL = "cbl", "Choice-based lettings"


class PolicyVersion(models.Model):
    """One published version of an allocation policy, as data.

    Published versions never change (a database trigger refuses UPDATE and DELETE); a change
    of policy is a new version with its own effective-from date. Shortlists record the version
    they were ranked under, so any of them can be replayed years later.
    """

    scheme = models.CharField("scheme", max_length=10, choices=Scheme.choices)
    version = models.PositiveIntegerField("version")
    name = models.CharField("name", max_length=120)
    effective_from = models.DateField("effective from")
    rules = models.JSONField("policy rules")
    summary_of_changes = models.TextField("summary of changes", blank=True)
    published_at = models.DateTimeField("published at", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="published by",
    )

    # Insert-only (the trigger refuses changes): the history row is the publication's record.
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "-effective_from"]
        verbose_name = "policy version"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["scheme", "effective_from"], name="policy_effective_from_unique"
            ),
        ]
        permissions = [("publish_policyversion", "Can publish a new policy version")]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version} (from {page_date(self.effective_from)})"

    def get_absolute_url(self) -> str:
        return reverse("allocations:policy-detail", args=[self.pk])

    @cached_property
    def policy(self) -> Policy:
        """The rules as a typed Policy, read once per instance (the stored JSON never changes),
        and once per process for the same rules (`policy_of`)."""
        return policy_of(self.rules)
