"""Joining the register: a refusal under the policy's qualification rules, and its review.

Housing Act 1996 s.166A(9): an applicant is told a decision that they do not qualify, with
its grounds, and may ask for it to be reviewed; the review is decided by someone who did not
make the first decision, and the applicant is told the outcome with its reasons.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.policies import PolicyVersion
from config.kernel.history_rows import HistoricalRecords


class RegistrationRefusal(models.Model):
    """A decision not to admit a household to the register, with every rule it failed."""

    class Review(models.TextChoices):
        NONE = "none", "No review asked for"
        REQUESTED = "requested", "Review asked for"
        UPHELD = "upheld", "Review decided: refusal upheld"
        OVERTURNED = "overturned", "Review decided: refusal overturned"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="registration_refusals"
    )
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    failed_rules = models.JSONField(
        "qualification rules not met", help_text="[{code, label, refusal, note}, ...]"
    )
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    refused_on = models.DateField("refused on")
    review_by = models.DateField("a review can be asked for until")
    review = models.CharField("review", max_length=10, choices=Review.choices, default=Review.NONE)
    review_requested_on = models.DateField("review asked for on", null=True, blank=True)
    review_grounds = models.TextField("what the household said in asking", blank=True)
    late_reason = models.TextField("why a late request was accepted", blank=True)
    review_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="review request recorded by",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="reviewed by",
    )
    reviewed_on = models.DateField("review decided on", null=True, blank=True)
    review_reasons = models.TextField("reasons for the review decision", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-refused_on", "-pk"]
        verbose_name = "registration refusal"
        constraints = [
            # Whoever refused never reviews their own decision, whatever the code above does.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("refused_by")),
                name="registration_review_not_by_the_refuser",
            ),
        ]
        permissions = [
            ("decide_registration_review", "Can decide a review of a refused registration")
        ]

    def __str__(self) -> str:
        return f"Registration refused: {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:application-detail", args=[self.application_id])

    @property
    def reasons(self) -> list[str]:
        return [rule["refusal"] for rule in self.failed_rules]

    @property
    def review_awaited(self) -> bool:
        return self.review == self.Review.REQUESTED

    @property
    def review_decided(self) -> bool:
        return self.review in {self.Review.UPHELD, self.Review.OVERTURNED}
