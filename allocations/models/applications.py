"""Applications, their lifecycle, the evidence seen for them and their validations."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse

from allocations.models.policies import PolicyVersion, Scheme
from config.kernel.files import PrivateFileField, PrivateUpload
from config.kernel.history_rows import HistoricalRecords
from residents.models import Household


class PitchSize(models.TextChoices):
    SMALL = "small", "Small: one caravan and a vehicle"
    MEDIUM = "medium", "Medium: two caravans and vehicles"
    LARGE = "large", "Large: three or more caravans, or a work vehicle"


class ReasonablePreference(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't know"


class PreferenceGround(models.TextChoices):
    """The reasonable-preference groups of Housing Act 1996 s.166A(3), as CORE asks them."""

    HOMELESS = "homeless", "Homeless or about to lose their home (within 56 days)"
    INSANITARY = "insanitary", "Living in unsanitary, overcrowded or unsatisfactory housing"
    MEDICAL_WELFARE = "medical_welfare", "Needed to move for medical or welfare reasons"
    HARDSHIP = "hardship", "Needed to move to avoid hardship to themselves or others"
    DONT_KNOW = "dont_know", "Don't know"


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
        # Not admitted to the register: it failed the policy's qualification rules.
        REFUSED = "refused", "Refused registration"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        LAPSED = "lapsed", "Lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        HOUSED = "housed", "Housed"

    class LocalConnection(models.IntegerChoices):
        OWN_PARISH = 1, "Own parish"
        ADJACENT_PARISH = 2, "Adjacent parish"
        COUNTY = 3, "Elsewhere in the county"

    # Health data (UK GDPR art. 9): the occupational therapist's or medical findings the access
    # category comes from. Shown only with config.view_special_category, every showing logged
    # (config/history.py); withheld from the change log. So are the grounds of reasonable
    # preference, one of which is moving for medical or welfare reasons.
    SPECIAL_CATEGORY_FIELDS = {"access_assessment", "reasonable_preference_grounds"}

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
    # Why the effective date is what it is (the registration date, a band rise the policy
    # dates from, a policy exception with its evidence, a change with its reason).
    effective_date_reason = models.TextField("why the effective date is this date", blank=True)
    effective_date_evidence = models.ForeignKey(
        "EvidenceDocument",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="evidence for an effective date before registration",
    )
    local_connection = models.PositiveSmallIntegerField(
        "local connection", choices=LocalConnection.choices, null=True, blank=True
    )
    band = models.PositiveSmallIntegerField("band", null=True, blank=True)
    points = models.IntegerField("points", null=True, blank=True)
    bedroom_need = models.PositiveSmallIntegerField("bedroom need", null=True, blank=True)
    # A pitch application's need is for space for caravans and vehicles, not bedrooms.
    caravans = models.PositiveSmallIntegerField("caravans", null=True, blank=True)
    vehicles = models.PositiveSmallIntegerField("vehicles", null=True, blank=True)
    pitch_size = models.CharField(
        "pitch size needed", max_length=10, choices=PitchSize.choices, blank=True
    )
    renewal_date = models.DateField("renewal date", null=True, blank=True)
    status_reason = models.TextField("reason for the current status", blank=True)
    suspended_until = models.DateField("suspended until", null=True, blank=True)
    # On hold (a renewal not answered): still on the register, but no bids until it is
    # answered. Shown with its reason wherever the application is.
    on_hold_reason = models.TextField("why the application is on hold", blank=True)
    on_hold_since = models.DateField("on hold since", null=True, blank=True)
    # A refusal penalty where the policy says "lowest band for 12 months" instead of suspending.
    band_penalty_until = models.DateField("in the lowest band until", null=True, blank=True)
    band_before_penalty = models.PositiveSmallIntegerField(
        "band before the penalty", null=True, blank=True
    )
    needs_accessible_home = models.BooleanField("needs an accessible home", default=False)
    consent_to_enquiries = models.BooleanField(
        "consent to enquiries of police and other councils", default=False
    )
    # Accessible-housing category (the policy's list, A to F), from an occupational
    # therapist's or medical assessment recorded here.
    access_category = models.CharField("access category", max_length=1, blank=True)
    access_assessment = models.TextField(
        "access assessment (who assessed, when, findings)", blank=True
    )
    # A group the policy exempts from the local connection test (armed forces, care leavers...).
    connection_exempt_group = models.CharField(
        "exempt from the local connection test as", max_length=40, blank=True
    )
    # Who recorded the exemption, when and why (the evidence seen), kept with it for the Bids
    # page and cleared when it ends (allocations.services.connection_exemption_record). As
    # sensitive as the group (people fleeing violence): shown only where it is.
    connection_exempt_reason = models.TextField(
        "evidence seen for the exemption from the local connection test", blank=True
    )
    connection_exempt_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="exemption from the local connection test recorded by",
    )
    connection_exempt_recorded_at = models.DateTimeField(
        "exemption from the local connection test recorded at", null=True, blank=True
    )
    # Reasonable preference (Housing Act 1996 s.166A(3)): whether the household had it and on
    # which statutory grounds; CORE asks both for every let (allocations/core).
    reasonable_preference = models.CharField(
        "given reasonable preference",
        max_length=10,
        choices=ReasonablePreference.choices,
        blank=True,
    )
    reasonable_preference_grounds = ArrayField(
        models.CharField(max_length=20, choices=PreferenceGround.choices),
        default=list,
        blank=True,
        verbose_name="reasonable preference grounds",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("reference", "household")  # as the pages name it (config/changelog.py)

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

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        """Log the showing against the household's people (the findings are about them)."""
        from residents.services import special_category_views_record

        special_category_views_record(
            people=list(record.household.people.all()),
            user=user,
            fields=[f"application:{name}" for name in fields],
            where=where,
        )

    @property
    def is_pitch(self) -> bool:
        return self.scheme == "pitch"

    @property
    def effective_date_words(self) -> str:
        """Why the effective date is what it is, as the application page says it."""
        if self.effective_date_reason:
            return self.effective_date_reason
        if self.effective_date == self.registration_date:
            return "The registration date"
        return "Set when the application was recorded"

    @property
    def is_on_hold(self) -> bool:
        return bool(self.on_hold_reason)

    @property
    def bidding_blocked_reason(self) -> str:
        """Why this application cannot bid now, in words; "" when it can. The one predicate
        bidding asks (allocations.selectors.application_can_bid). Said to the household, as a
        refused bid is ("you", "your application"): an officer placing a bid reads it out
        beside the household's name, and a bare application reference means nothing to it."""
        if self.status != self.Status.ACTIVE:
            return (
                f"Your application is {self.get_status_display().lower()}, not active, so you "
                "cannot bid."
            )
        if self.on_hold_reason:
            why = self.on_hold_reason.strip().rstrip(".")
            return f"You cannot bid while your application is on hold: {why}."
        return ""

    @property
    def is_open_case(self) -> bool:
        """Active: the case can go through interviews, checks, visits and offers."""
        return self.status == self.Status.ACTIVE


class EvidenceDocument(PrivateUpload):
    """A document seen as evidence, stored privately and served only to authorised users."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", "Proof of identity"
        ADDRESS = "address", "Proof of address"
        REFERENCE = "reference", "Reference"
        MEDICAL = "medical", "Medical or welfare evidence"
        PREGNANCY = "pregnancy", "Pregnancy (for example MATB1)"
        CONNECTION = "connection", "Local connection"
        OTHER = "other", "Other"

    # The types whose very name is special-category data (a pregnancy, a medical or welfare
    # letter: health data, UK GDPR art. 9): shown only with config.view_special_category, each
    # showing logged in the special-category log as the field named here.
    SPECIAL_CATEGORY_KINDS = {
        Kind.MEDICAL: "medical_evidence",
        Kind.PREGNANCY: "pregnancy_evidence",
    }

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField("type of evidence", max_length=20, choices=Kind.choices)
    file = PrivateFileField("file", upload_to="evidence/%Y/%m/")

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)
    # The change log keeps one set of columns for every row of a table, so it withholds the
    # type, description and file name of every document, as __str__ does for the special
    # types: "Pregnancy (for example MATB1)", "MATB1: due 3 March" and "matb1.pdf" say it.
    SPECIAL_CATEGORY_FIELDS = {"kind", "description", "original_name"}

    class Meta(PrivateUpload.Meta):
        verbose_name = "evidence document"

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        """Log a showing of a special type's document against the applicant's household."""
        if record.kind not in cls.SPECIAL_CATEGORY_KINDS:
            return
        from residents.services import special_category_views_record

        special_category_views_record(
            people=list(record.application.household.people.all()),
            user=user,
            fields=[cls.SPECIAL_CATEGORY_KINDS[record.kind]],
            where=where,
        )

    def __str__(self) -> str:
        # What a History page, a message or a form's list carries, whoever reads it: a
        # special-category type is withheld, and with it the description and the file name,
        # which can say as much ("MATB1.pdf"). The pages show the type through their own
        # fields, to the roles allowed.
        if self.kind in self.SPECIAL_CATEGORY_KINDS:
            return f"Evidence document {self.pk}" if self.pk else "Evidence document"
        return f"{self.get_kind_display()}: {self.description}"


class ApplicationValidation(models.Model):
    """The validation checklist answered for an application under a policy version."""

    class Outcome(models.TextChoices):
        VALID = "valid", "Valid"
        INVALID = "invalid", "Invalid"
        REFUSED = "refused", "Refused registration: does not qualify"

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
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-validated_at"]

    def __str__(self) -> str:
        return f"Validation of {self.application}: {self.get_outcome_display()}"
