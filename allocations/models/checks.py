"""Partners (agencies asked for information), due-diligence checks and exceptions to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.showing import HouseholdSpecialCategory
from config.kernel.history_rows import HistoricalRecords

# --------------------------------------------------------------------------------------------
# From a frozen shortlist to an approved allocation (allocations/services/ writes these)
# --------------------------------------------------------------------------------------------


class Partner(models.Model):
    """An agency the council asks for due-diligence information, under a sharing agreement."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        PREVIOUS_LANDLORD = "previous_landlord", "Previous landlord"
        OTHER_COUNCIL = "other_council", "Another council"
        SOCIAL_CARE = "social_care", "Social care"
        PROBATION = "probation", "Probation service"
        OTHER = "other", "Other"

    # What these partners answer can be criminal-record information (UK GDPR art. 10).
    CRIMINAL_RECORD_KINDS = frozenset({Kind.POLICE, Kind.PROBATION})
    # Asked only with the household's consent to enquiries of the police and other councils,
    # a condition of pitch eligibility (DOMAIN: Gypsy and Traveller pitches); probation
    # answers criminal-record information as the police do.
    CONSENT_KINDS = frozenset({Kind.POLICE, Kind.PROBATION, Kind.OTHER_COUNCIL})

    name = models.CharField("name", max_length=120, unique=True)
    kind = models.CharField("type of partner", max_length=20, choices=Kind.choices)
    contact_name = models.CharField("contact name", max_length=120, blank=True)
    email = models.EmailField("email address", blank=True)
    phone = models.CharField("telephone number", max_length=20, blank=True)
    address = models.TextField("postal address", blank=True)
    agreement = models.CharField(
        "information-sharing agreement",
        max_length=200,
        help_text="The agreement checks are made under, for example: Northshire ISA 2024/03.",
    )
    active = models.BooleanField("still used", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("allocations:partner-list")

    def get_history_url(self) -> str:
        return reverse("allocations:partner-history", args=[self.pk])


class DueDiligenceCheck(HouseholdSpecialCategory, models.Model):
    """A request to a partner for information about an applicant household, and its answer."""

    class Outcome(models.TextChoices):
        CLEAR = "clear", "Clear"
        CONCERNS = "concerns", "Concerns raised"
        REFUSED = "refused", "Refused to disclose"

    # Outcomes from the police or probation are criminal-record data: shown only to roles
    # holding config.view_special_category, and each showing is logged.
    SPECIAL_CATEGORY_FIELDS = {"outcome", "outcome_notes"}
    SPECIAL_CATEGORY_PREFIX = "check"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="checks")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="checks")
    purpose = models.CharField("purpose", max_length=200)
    legal_basis = models.CharField(
        "legal basis or agreement clause",
        max_length=200,
        help_text="For example: ISA 2024/03 clause 4.2; DPA 2018 Sch. 1 para 6.",
    )
    consent_reference = models.CharField(
        "consent reference",
        max_length=60,
        blank=True,
        help_text="Where the household's signed consent is kept, if consent is the basis.",
    )
    requested_on = models.DateField("requested on")
    due_on = models.DateField("answer due by")
    returned_on = models.DateField("answer received on", null=True, blank=True)
    outcome = models.CharField("outcome", max_length=10, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField("what the partner said", blank=True)
    retention_until = models.DateField("keep until", help_text="Delete the answer after this date.")
    # A check asked on the household's consent is stopped when the consent is withdrawn before
    # the answer comes: no answer is recorded for it afterwards, and the partner is told.
    stopped_on = models.DateField("stopped on", null=True, blank=True)
    stopped_reason = models.CharField("why it was stopped", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["requested_on", "pk"]
        verbose_name = "due-diligence check"
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("requested_on")),
                name="check_due_after_requested",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True, outcome="")
                | (Q(returned_on__isnull=False) & ~Q(outcome="")),
                name="check_returned_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True, stopped_reason="")
                | Q(stopped_on__isnull=False, returned_on__isnull=True) & ~Q(stopped_reason=""),
                name="check_stopped_has_reason_and_no_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} check for {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:check-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:check-history", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        """Asked, not answered, not stopped: the partner's answer is still to come."""
        return self.returned_on is None and self.stopped_on is None

    @property
    def is_criminal_record(self) -> bool:
        return self.partner.kind in Partner.CRIMINAL_RECORD_KINDS


class CheckException(models.Model):
    """A team leader's decision that a case may go to offer without all its checks back."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="check_exceptions"
    )
    reason = models.TextField("reason")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = "exception to the required checks"

    def __str__(self) -> str:
        return f"Checks exception for {self.application}"
