"""Reviews of a band assessment: a choice-based lettings household told its band, effective
date and bedroom need may ask for the decision to be reviewed.

Housing Act 1996 s.166A(9)(b),(c): an applicant is told a decision about the facts of their
case (its priority under the scheme) and may ask for it to be reviewed, and is told the
outcome with its grounds. The review is decided by a team leader who did not assess.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.assessments import Assessment
from allocations.models.showing import HouseholdSpecialCategory
from config.kernel.history_rows import HistoricalRecords


class BandReview(HouseholdSpecialCategory, models.Model):
    """A household's request for a review of its assessment, and the review's decision."""

    class Outcome(models.TextChoices):
        AWAITED = "awaited", "Review asked for"
        UPHELD = "upheld", "Review decided: assessment upheld"
        CHANGED = "changed", "Review decided: assessment changed"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="band_reviews"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="band_reviews"
    )
    # Copied from the assessment, so the database itself keeps the assessor off the review.
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    review_by = models.DateField("a review can be asked for until")
    requested_on = models.DateField("review asked for on")
    grounds = models.TextField("what the household said in asking")
    late_reason = models.TextField("why a late request was accepted", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="review request recorded by",
    )
    outcome = models.CharField(
        "review", max_length=10, choices=Outcome.choices, default=Outcome.AWAITED
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
    band_before = models.PositiveSmallIntegerField("band before the review", null=True, blank=True)
    points_before = models.IntegerField("points before the review", null=True, blank=True)
    bedroom_need_before = models.PositiveSmallIntegerField(
        "bedroom need before the review", null=True, blank=True
    )
    band_after = models.PositiveSmallIntegerField("band after the review", null=True, blank=True)
    points_after = models.IntegerField("points after the review", null=True, blank=True)
    bedroom_need_after = models.PositiveSmallIntegerField(
        "bedroom need after the review", null=True, blank=True
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    # What the household said and the reasons for the decision speak of the same needs the
    # assessment's criteria do (a medical condition, a social-care priority): special category
    # as the assessment's reasons are.
    SPECIAL_CATEGORY_FIELDS = {"grounds", "late_reason", "review_reasons"}
    SPECIAL_CATEGORY_PREFIX = "band_review"

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = "band review"
        constraints = [
            # One review of each assessment decision (s.166A(9)(c) gives one).
            models.UniqueConstraint(fields=["assessment"], name="one_band_review_per_assessment"),
            # Whoever assessed never reviews their own decision, whatever the code above does.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("assessed_by")),
                name="band_review_not_by_the_assessor",
            ),
        ]
        permissions = [("decide_band_review", "Can decide a review of a band assessment")]

    def __str__(self) -> str:
        return f"Band review: {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:application-detail", args=[self.application_id])

    @property
    def review_awaited(self) -> bool:
        return self.outcome == self.Outcome.AWAITED

    @property
    def review_decided(self) -> bool:
        return self.outcome != self.Outcome.AWAITED
