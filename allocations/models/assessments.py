"""Assessments: the points, band and bedroom need an application was given, and overrides."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from allocations.models.applications import Application
from allocations.models.policies import PolicyVersion
from allocations.models.showing import HouseholdSpecialCategory
from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords


class Assessment(HouseholdSpecialCategory, models.Model):
    """The scoring of an application under one policy version, with the evidence seen."""

    class Override(models.TextChoices):
        NONE = "none", "No override"
        PENDING = "pending", "Override awaiting a team leader"
        APPROVED = "approved", "Override approved"
        REJECTED = "rejected", "Override rejected"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assessments"
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    criteria_met = models.JSONField(
        "criteria met", default=list, blank=True, help_text="[{code, evidence, note}, ...]"
    )
    points = models.IntegerField("points", null=True, blank=True)
    band = models.PositiveSmallIntegerField("band", null=True, blank=True)
    reasons = models.JSONField("reasons", default=list, blank=True)
    bedroom_need = models.PositiveSmallIntegerField("bedroom need")
    bedroom_reasons = models.JSONField("bedroom need reasons", default=list, blank=True)
    is_current = models.BooleanField("current assessment", default=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)
    override_status = models.CharField(
        "override", max_length=10, choices=Override.choices, default=Override.NONE
    )
    override_points = models.IntegerField("overridden points", null=True, blank=True)
    override_band = models.PositiveSmallIntegerField("overridden band", null=True, blank=True)
    override_reason = models.TextField("reason for the override", blank=True)
    # Who asked for the pending (or last) override: the four-eyes rule reads it here.
    override_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="override requested by",
    )
    override_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="override decided by",
    )
    override_decision_note = models.TextField("override decision note", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    # The bedroom need's reasons may name an expected child, and a pregnancy is health data
    # (UK GDPR art. 9): shown on history pages only to roles holding special-category access,
    # every showing logged, and withheld from the change log (the application page tells
    # other readers "another member of the household" instead).
    # The criteria met (with the evidence seen) and the priority's reasons can be health or
    # welfare ("Urgent medical or welfare need", a GP's letter): special category too.
    # An override's reason and its decision note say why the priority should change, in the
    # officer's words ("worsening MS, OT letter"): special category as the reasons are.
    SPECIAL_CATEGORY_FIELDS = {
        "bedroom_reasons",
        "criteria_met",
        "reasons",
        "override_reason",
        "override_decision_note",
    }
    SPECIAL_CATEGORY_PREFIX = "assessment"

    class Meta:
        ordering = ["-assessed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(is_current=True),
                name="one_current_assessment_per_application",
            )
        ]
        permissions = [("approve_override", "Can approve or reject an assessment override")]

    def __str__(self) -> str:
        return f"Assessment of {self.application} ({page_date(self.assessed_at)})"

    @property
    def has_override(self) -> bool:
        return self.override_status != self.Override.NONE

    @property
    def override_pending(self) -> bool:
        return self.override_status == self.Override.PENDING
