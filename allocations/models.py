"""The allocation engine's records: policy versions, applications and their assessments,
vacancies, bids and frozen shortlists. Rules live in allocations/rules.py (pure) and every
write goes through allocations/services.py."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from residents.models import Household
from sites.models import Unit


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
        return f"{self.name}, version {self.version} (from {self.effective_from:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("allocations:policy-detail", args=[self.pk])


class Application(models.Model):
    """A household's request to be allocated a pitch or a home."""

    class Kind(models.TextChoices):
        NEW = "new", "New applicant"
        TRANSFER = "transfer", "Transfer (existing licence holder or tenant)"
        ADULT_CHILD = "adult_child", "Adult child of a resident"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted, awaiting validation"
        INVALID = "invalid", "Invalid"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        LAPSED = "lapsed", "Lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        HOUSED = "housed", "Housed"

    class LocalConnection(models.IntegerChoices):
        OWN_PARISH = 1, "Own parish"
        ADJACENT_PARISH = 2, "Adjacent parish"
        COUNTY = 3, "Elsewhere in the county"

    reference = models.CharField("application reference", max_length=20, unique=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="applications")
    scheme = models.CharField("scheme", max_length=10, choices=Scheme.choices)
    kind = models.CharField("type of application", max_length=20, choices=Kind.choices)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Two different dates (DOMAIN.md): registration is when the household joined; the
    # effective (priority) date orders equal priority. Either changes only through an
    # audited action with a reason.
    registration_date = models.DateField("registration date")
    effective_date = models.DateField("effective date")
    local_connection = models.PositiveSmallIntegerField(
        "local connection", choices=LocalConnection.choices, null=True, blank=True
    )
    band = models.PositiveSmallIntegerField("band", null=True, blank=True)
    points = models.IntegerField("points", null=True, blank=True)
    bedroom_need = models.PositiveSmallIntegerField("bedroom need", null=True, blank=True)
    renewal_date = models.DateField("renewal date", null=True, blank=True)
    status_reason = models.TextField("reason for the current status", blank=True)
    suspended_until = models.DateField("suspended until", null=True, blank=True)
    needs_accessible_home = models.BooleanField("needs an accessible home", default=False)
    consent_to_enquiries = models.BooleanField(
        "consent to enquiries of police and other councils", default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-registration_date", "reference"]
        permissions = [
            ("validate_application", "Can validate an application"),
            ("assess_application", "Can assess an application"),
            ("change_priority", "Can change an application's dates or band with a reason"),
        ]

    def __str__(self) -> str:
        return f"Application {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:application-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:application-history", args=[self.pk])


# Which status an application may move to from each status; services refuse the rest.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    Application.Status.DRAFT: {Application.Status.SUBMITTED, Application.Status.WITHDRAWN},
    Application.Status.SUBMITTED: {
        Application.Status.ACTIVE,
        Application.Status.INVALID,
        Application.Status.WITHDRAWN,
    },
    Application.Status.INVALID: {Application.Status.SUBMITTED, Application.Status.WITHDRAWN},
    Application.Status.ACTIVE: {
        Application.Status.SUSPENDED,
        Application.Status.LAPSED,
        Application.Status.WITHDRAWN,
        Application.Status.HOUSED,
    },
    Application.Status.SUSPENDED: {
        Application.Status.ACTIVE,
        Application.Status.LAPSED,
        Application.Status.WITHDRAWN,
    },
    Application.Status.LAPSED: {Application.Status.ACTIVE, Application.Status.WITHDRAWN},
    Application.Status.WITHDRAWN: set(),
    Application.Status.HOUSED: set(),
}


def evidence_storage() -> FileSystemStorage:
    """Evidence never sits under a public URL (no base_url); a view checks permissions."""
    # No location: it follows settings.MEDIA_ROOT. Nothing serves MEDIA_ROOT over HTTP.
    return FileSystemStorage()


class EvidenceDocument(models.Model):
    """A document seen as evidence, stored privately and served only to authorised users."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", "Proof of identity"
        ADDRESS = "address", "Proof of address"
        REFERENCE = "reference", "Reference"
        MEDICAL = "medical", "Medical or welfare evidence"
        PREGNANCY = "pregnancy", "Pregnancy (for example MATB1)"
        CONNECTION = "connection", "Local connection"
        OTHER = "other", "Other"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField("type of evidence", max_length=20, choices=Kind.choices)
    description = models.CharField("description", max_length=200)
    file = models.FileField("file", storage=evidence_storage, upload_to="evidence/%Y/%m/")
    original_name = models.CharField("file name", max_length=200)
    content_type = models.CharField("file type", max_length=100)
    size = models.PositiveIntegerField("size in bytes")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "evidence document"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


def letter_storage() -> FileSystemStorage:
    """Letters hold personal data: stored privately and served by a permission-checking view."""
    # No location: it follows settings.MEDIA_ROOT. Nothing serves MEDIA_ROOT over HTTP.
    return FileSystemStorage()


class Letter(models.Model):
    """A letter to a household about its application, rendered to PDF by a Celery task.

    Requested in the same transaction as the decision it explains; the PDF, once written, is
    never regenerated over (a new request makes a new letter).
    """

    class Kind(models.TextChoices):
        INVALID = "invalid", "Application not valid"
        INTERVIEW = "interview", "Invitation to interview"
        OFFER = "offer", "Offer"
        REFUSAL = "refusal", "Refusal recorded"
        SUSPENSION = "suspension", "Application suspended after refusals"
        DECISION = "decision", "Allocation decision"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("letter", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    context = models.JSONField("what the letter says", help_text="Frozen when requested.")
    file = models.FileField("PDF", storage=letter_storage, upload_to="letters/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField("ready at", null=True, blank=True)
    failure = models.TextField("why it could not be prepared", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter for {self.application}"


class ApplicationValidation(models.Model):
    """The validation checklist answered for an application under a policy version."""

    class Outcome(models.TextChoices):
        VALID = "valid", "Valid"
        INVALID = "invalid", "Invalid"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="validations"
    )
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField("answers", help_text="[{code, label, met, note}, ...]")
    outcome = models.CharField("outcome", max_length=10, choices=Outcome.choices)
    reasons = models.JSONField("reasons", default=list, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-validated_at"]

    def __str__(self) -> str:
        return f"Validation of {self.application}: {self.get_outcome_display()}"


class Assessment(models.Model):
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
        return f"Assessment of {self.application} ({self.assessed_at:%d/%m/%Y})"


class Vacancy(models.Model):
    """A unit offered for allocation: its advert, dates and who is eligible."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADVERTISED = "advertised", "Advertised"
        CLOSED = "closed", "Closed, shortlist frozen"
        LET = "let", "Let"
        WITHDRAWN = "withdrawn", "Withdrawn"

    reference = models.CharField("vacancy reference", max_length=20, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="vacancies")
    scheme = models.CharField("scheme", max_length=10, choices=Scheme.choices)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    advert_text = models.TextField("advert text")
    opens_on = models.DateField("opening date")
    closes_on = models.DateField("closing date")
    min_household_size = models.PositiveSmallIntegerField(
        "smallest household", null=True, blank=True
    )
    max_household_size = models.PositiveSmallIntegerField(
        "largest household", null=True, blank=True
    )
    min_bedroom_need = models.PositiveSmallIntegerField(
        "smallest bedroom need", null=True, blank=True
    )
    max_bedroom_need = models.PositiveSmallIntegerField(
        "largest bedroom need", null=True, blank=True
    )
    min_age = models.PositiveSmallIntegerField(
        "lead applicant's minimum age", null=True, blank=True
    )
    requires_accessible = models.BooleanField(
        "only for households needing an accessible home", default=False
    )
    local_connection_required = models.BooleanField(
        "only for households with a local connection", default=False
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies",
        verbose_name="policy version ranked under",
    )
    frozen_at = models.DateTimeField("shortlist frozen at", null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="shortlist frozen by",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-closes_on", "reference"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="vacancy_closes_after_it_opens",
            )
        ]
        permissions = [("freeze_shortlist", "Can close a vacancy and freeze its shortlist")]

    def __str__(self) -> str:
        return f"Vacancy {self.reference}: {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:vacancy-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:vacancy-history", args=[self.pk])


class Bid(models.Model):
    """An application's expression of interest in a vacancy."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="bids")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="bids")
    placed_at = models.DateTimeField(auto_now_add=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn = models.BooleanField("withdrawn", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "application"], name="one_bid_per_application_per_vacancy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} for {self.vacancy.reference}"


class ShortlistEntry(models.Model):
    """One line of a frozen shortlist: the values it was ranked on, its place and why.

    Written once when the vacancy closes; the snapshot makes replay possible even after the
    application is later corrected.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="shortlist")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="shortlist_entries"
    )
    position = models.PositiveIntegerField("position", null=True, blank=True)
    eligible = models.BooleanField("eligible")
    ineligible_reason = models.TextField("why not eligible", blank=True)
    snapshot = models.JSONField("values ranked on")
    explanation = models.TextField("explanation", blank=True)
    bypass_reason = models.TextField("reason for bypassing", blank=True)
    bypassed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bypassed by",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["vacancy", "position", "id"]
        verbose_name = "shortlist entry"
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "application"], name="shortlist_one_entry_per_application"
            ),
            models.UniqueConstraint(
                fields=["vacancy", "position"], name="shortlist_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(eligible=True, position__isnull=False)
                | Q(eligible=False, position__isnull=True),
                name="shortlist_only_eligible_are_ranked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position or '—'}: {self.application}"


# --------------------------------------------------------------------------------------------
# From a frozen shortlist to an approved allocation (allocations/casework.py writes these)
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


class DueDiligenceCheck(models.Model):
    """A request to a partner for information about an applicant household, and its answer."""

    class Outcome(models.TextChoices):
        CLEAR = "clear", "Clear"
        CONCERNS = "concerns", "Concerns raised"
        REFUSED = "refused", "Refused to disclose"

    # Outcomes from the police or probation are criminal-record data: shown only to roles
    # holding config.view_special_category, and each showing is logged.
    SPECIAL_CATEGORY_FIELDS = {"outcome", "outcome_notes"}

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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

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
        ]

    def __str__(self) -> str:
        return f"{self.partner} check for {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:check-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:check-history", args=[self.pk])

    @property
    def is_criminal_record(self) -> bool:
        return self.partner.kind in Partner.CRIMINAL_RECORD_KINDS

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        """Log the showing against the household's people (the data is about them)."""
        from residents.services import special_category_views_record

        people = list(record.application.household.people.all())
        special_category_views_record(
            people=people, user=user, fields=[f"check:{name}" for name in fields], where=where
        )


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

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = "exception to the required checks"

    def __str__(self) -> str:
        return f"Checks exception for {self.application}"


class Interview(models.Model):
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Interview for {self.application} on {self.starts_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return self.application.get_absolute_url()

    def get_history_url(self) -> str:
        return reverse("allocations:interview-history", args=[self.pk])


class SiteVisit(models.Model):
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

    history = HistoricalRecords()

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
        return f"Site visit to {self.site} on {self.starts_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return self.application.get_absolute_url()

    def get_history_url(self) -> str:
        return reverse("allocations:sitevisit-history", args=[self.pk])


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

    history = HistoricalRecords()

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

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = "quality review"

    def __str__(self) -> str:
        return f"Review of {self.decision}"
