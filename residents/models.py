from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sites.models import Unit, postcode_validator

phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{7,20}$",
    "Enter a telephone number, like 01632 960 001 or +44 7700 900 982",
)

LAWFUL_BASIS_DEFAULT = (
    "UK GDPR art. 9(2)(g) substantial public interest; DPA 2018 Sch. 1 para 6 — statutory function"
)


class Folded(models.Func):
    """A name folded for searching: accents removed and upper-cased (Zoë → ZOE, Seán → SEAN).

    `residents_fold` is an IMMUTABLE wrapper around PostgreSQL's `unaccent` (made in
    migration 0002), so that trigram indexes can be built on it and searches use them.
    """

    function = "residents_fold"
    output_field = models.TextField()


class Household(models.Model):
    """Applicants and residents who live (or want to live) together."""

    class PreferredContact(models.TextChoices):
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone call"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        IN_PERSON = "in_person", "In person"

    reference = models.CharField(
        "household reference",
        max_length=20,
        unique=True,
        help_text="Leave blank to have the next reference made for you, like H-000123.",
    )
    address_line_1 = models.CharField(
        "address line 1",
        max_length=120,
        blank=True,
        help_text="Leave the address blank if the household has no fixed address.",
    )
    address_line_2 = models.CharField("address line 2", max_length=120, blank=True)
    town = models.CharField("town or city", max_length=80, blank=True)
    postcode = models.CharField(
        "postcode", max_length=8, blank=True, validators=[postcode_validator]
    )
    phone = models.CharField(
        "telephone number", max_length=20, blank=True, validators=[phone_validator]
    )
    email = models.EmailField("email address", blank=True)
    # Communication needs: letters that cannot be read are a common cause of missed offers.
    preferred_contact = models.CharField(
        "preferred way to be contacted",
        max_length=20,
        choices=PreferredContact.choices,
        default=PreferredContact.LETTER,
    )
    interpreter_needed = models.BooleanField("needs an interpreter", default=False)
    interpreter_language = models.CharField("interpreter language", max_length=60, blank=True)
    literacy_support = models.BooleanField("needs help with reading and writing", default=False)
    easy_read = models.BooleanField("easy-read letters", default=False)
    large_print = models.BooleanField("large-print letters", default=False)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name="current unit",
    )
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["reference"]
        verbose_name = "household"
        indexes = [
            GinIndex(
                OpClass(Upper("reference"), name="gin_trgm_ops"),
                name="household_reference_trgm",
            ),
            GinIndex(
                OpClass(Upper("postcode"), name="gin_trgm_ops"),
                name="household_postcode_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("residents:household-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("residents:household-history", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        contact = self.PreferredContact
        if self.preferred_contact in {contact.PHONE, contact.TEXT} and not self.phone:
            errors["phone"] = "Enter a telephone number, or choose another way to be contacted"
        if self.preferred_contact == contact.EMAIL and not self.email:
            errors["email"] = "Enter an email address, or choose another way to be contacted"
        if self.preferred_contact == contact.LETTER and not (self.address_line_1 and self.postcode):
            errors["preferred_contact"] = (
                "Letters need an address with a postcode: enter the address, "
                "or choose another way to be contacted"
            )
        if self.interpreter_needed and not self.interpreter_language.strip():
            errors["interpreter_language"] = "Enter the language the household needs"
        if (self.address_line_1 or self.postcode) and not self.town:
            errors["town"] = "Enter the town or city"
        if self.town and not self.address_line_1:
            errors["address_line_1"] = "Enter the first line of the address"
        if errors:
            raise ValidationError(errors)


class Person(models.Model):
    class Relationship(models.TextChoices):
        LEAD = "lead", "Lead applicant"
        PARTNER = "partner", "Partner"
        CHILD = "child", "Child"
        PARENT = "parent", "Parent"
        OTHER_RELATIVE = "other_relative", "Other relative"
        OTHER = "other", "Other"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    class Ethnicity(models.TextChoices):
        # The 2021 census groups for England and Wales, with the Gypsy, Roma and Traveller
        # groups that pitch policies and the caravan count need told apart.
        WHITE_BRITISH = (
            "white_british",
            ("White: English, Welsh, Scottish, Northern Irish or British"),
        )
        WHITE_IRISH = "white_irish", "White: Irish"
        GYPSY_ROMANY = "gypsy_romany", "White: Gypsy or Romany"
        IRISH_TRAVELLER = "irish_traveller", "White: Irish Traveller"
        ROMA = "roma", "White: Roma"
        SCOTTISH_TRAVELLER = "scottish_traveller", "White: Scottish Gypsy or Traveller"
        WELSH_TRAVELLER = "welsh_traveller", "White: Welsh Gypsy or Traveller (Kale)"
        SHOWPERSON = "showperson", "Travelling Showperson"
        NEW_TRAVELLER = "new_traveller", "New Traveller"
        BOAT_DWELLER = "boat_dweller", "Bargee or boat dweller"
        WHITE_OTHER = "white_other", "White: any other White background"
        MIXED_WHITE_BLACK_CARIBBEAN = (
            "mixed_white_black_caribbean",
            ("Mixed: White and Black Caribbean"),
        )
        MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
        MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed: White and Asian"
        MIXED_OTHER = "mixed_other", "Mixed: any other Mixed or multiple ethnic background"
        ASIAN_INDIAN = "asian_indian", "Asian: Indian"
        ASIAN_PAKISTANI = "asian_pakistani", "Asian: Pakistani"
        ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian: Bangladeshi"
        ASIAN_CHINESE = "asian_chinese", "Asian: Chinese"
        ASIAN_OTHER = "asian_other", "Asian: any other Asian background"
        BLACK_AFRICAN = "black_african", "Black: African"
        BLACK_CARIBBEAN = "black_caribbean", "Black: Caribbean"
        BLACK_OTHER = "black_other", "Black: any other Black, Black British or Caribbean background"
        ARAB = "arab", "Other: Arab"
        OTHER = "other", "Other: any other ethnic group"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class GypsyTravellerStatus(models.TextChoices):
        # Housing Act 2004 s.225 (and planning policy's definition): a nomadic habit of life,
        # including those who have stopped travelling for education, health or old age.
        YES = "yes", "Yes, meets the definition"
        NO = "no", "No, does not meet the definition"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    # Special-category data (UK GDPR art. 9): shown only to roles holding
    # config.view_special_category, and every showing is logged (config/history.py).
    SPECIAL_CATEGORY_FIELDS = {"ethnicity", "gypsy_traveller_status", "health_notes"}

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField("first name", max_length=80)
    last_name = models.CharField("last name", max_length=80)
    other_names = models.CharField(
        "other names",
        max_length=200,
        blank=True,
        help_text="Names the person has been known by, such as a maiden name or a family name.",
    )
    # A plain date, never a datetime: a birthday does not move with time zones.
    date_of_birth = models.DateField("date of birth")
    relationship = models.CharField(
        "relationship to lead applicant", max_length=20, choices=Relationship.choices
    )
    sex = models.CharField("sex", max_length=10, choices=Sex.choices)
    # A couple shares a bedroom under the bedroom standard; the link is kept both ways.
    partner = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnered_by",
        verbose_name="partner",
    )
    pregnancy_due_date = models.DateField("pregnancy due date", null=True, blank=True)
    pregnancy_evidence = models.CharField(
        "evidence of pregnancy",
        max_length=200,
        blank=True,
        help_text="What was seen and when, for example MATB1 form seen on 3 March 2026.",
    )
    ethnicity = models.CharField(
        "ethnic group", max_length=40, choices=Ethnicity.choices, blank=True
    )
    gypsy_traveller_status = models.CharField(
        "Gypsy or Traveller status (Housing Act 2004 s.225)",
        max_length=20,
        choices=GypsyTravellerStatus.choices,
        default=GypsyTravellerStatus.NOT_ASSESSED,
    )
    health_notes = models.TextField("health and disability notes", blank=True)
    special_category_basis = models.TextField(
        "lawful basis for holding special-category data", default=LAWFUL_BASIS_DEFAULT
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship="lead"),
                name="person_one_lead_applicant_per_household",
                violation_error_message="This household already has a lead applicant",
            ),
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(partner__isnull=False),
                name="person_partner_unique",
                violation_error_message="That person already has a partner recorded",
            ),
            models.CheckConstraint(
                condition=~Q(partner=models.F("pk")),
                name="person_not_own_partner",
                violation_error_message="A person cannot be their own partner",
            ),
        ]
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
            GinIndex(
                OpClass(Folded("first_name"), name="gin_trgm_ops"), name="person_first_name_trgm"
            ),
            GinIndex(
                OpClass(Folded("last_name"), name="gin_trgm_ops"), name="person_last_name_trgm"
            ),
            GinIndex(
                OpClass(Folded("other_names"), name="gin_trgm_ops"),
                name="person_other_names_trgm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return f"{self.household.get_absolute_url()}#person-{self.pk}"

    def get_history_url(self) -> str:
        return reverse("residents:person-history", args=[self.pk])

    def age_on(self, day: date) -> int:
        had_birthday = (day.month, day.day) >= (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - (0 if had_birthday else 1)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def clean(self) -> None:
        if self.pregnancy_due_date and not self.pregnancy_evidence.strip():
            raise ValidationError(
                {"pregnancy_evidence": "Enter the evidence of pregnancy, for example a MATB1 form"}
            )

    @classmethod
    def special_category_view_log(cls, *, record: "Person", user, fields, where: str) -> None:
        """Record that `user` was shown these special-category fields of `record` (config/views)."""
        from residents.services import special_category_views_record

        special_category_views_record(people=[record], user=user, fields=fields, where=where)


class SpecialCategoryView(models.Model):
    """Who was shown which special-category fields of whom, when, and on which page.

    Append-only evidence for data-protection audits and subject access requests: the app
    never changes or deletes a row, and the database refuses to (migration 0002).
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="special_category_views"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="seen by"
    )
    fields = ArrayField(models.CharField(max_length=40), verbose_name="fields shown")
    where = models.CharField("page", max_length=40)
    viewed_at = models.DateTimeField("when", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = "special-category data viewing"
        # Append-only: there is nothing to add, change or delete by hand.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.person} seen by {self.user} on {self.viewed_at:%d/%m/%Y %H:%M}"


class DateRange(models.Func):
    """daterange(start, end, '[)') — a licence's span, open-ended while end is NULL."""

    function = "daterange"
    output_field = DateRangeField()


class Licence(models.Model):
    """A pitch licence (or a tenancy for a home): who holds which unit, from when, on what terms.

    At most one live licence per unit at any moment: an exclusion constraint on the unit and
    the date range, so two officers signing at once cannot both succeed. Drafts (prepared,
    not signed) take no part in the constraint.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Being prepared"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    class EndReason(models.TextChoices):
        NOTICE = "notice", "Notice given by the licence holder (4 weeks)"
        COURT_ORDER = "court_order", "Court order"
        TRANSFER = "transfer", "Transfer to another pitch or home"
        DEATH = "death", "Death of the licence holder"
        ABANDONMENT = "abandonment", "Abandonment"

    reference = models.CharField("licence reference", max_length=20, unique=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="licences")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="licences")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField("start date")
    end_date = models.DateField(
        "end date", null=True, blank=True, help_text="The first day the licence no longer runs."
    )
    end_reason = models.CharField(
        "why the licence ended", max_length=20, choices=EndReason.choices, blank=True
    )
    weekly_fee = models.DecimalField("weekly pitch fee (£)", max_digits=7, decimal_places=2)
    deposit = models.DecimalField("deposit (£)", max_digits=8, decimal_places=2, default=0)
    terms_version = models.CharField("licence terms version", max_length=40)
    # Mobile Homes Act 1983 s.1: the written statement is given before the agreement is made.
    written_statement_given_on = models.DateField(
        "written statement given on", null=True, blank=True
    )
    written_statement_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="written statement given by",
    )
    signed_on = models.DateField("signed on", null=True, blank=True)
    notice_given_on = models.DateField(
        "notice given on",
        null=True,
        blank=True,
        help_text="When the licence holder gave notice to end the licence.",
    )
    end_notes = models.TextField("notes on the ending", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-start_date", "reference"]
        permissions = [
            ("sign_licence", "Can record a licence as signed"),
            ("end_licence", "Can end a licence"),
        ]
        constraints = [
            ExclusionConstraint(
                name="one_live_licence_per_unit",
                expressions=[
                    ("unit", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", Value("[)")), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status="draft"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="licence_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="ended_licence_has_end_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Licence {self.reference}: {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("residents:licence-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("residents:licence-history", args=[self.pk])


class LicenceOccupant(models.Model):
    """Someone named on a licence: a licence holder, or an authorised occupant of the pitch."""

    class Role(models.TextChoices):
        HOLDER = "holder", "Licence holder"
        OCCUPANT = "occupant", "Authorised occupant"

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="occupants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="licence_roles")
    role = models.CharField("named as", max_length=10, choices=Role.choices)
    from_date = models.DateField("from")
    to_date = models.DateField(
        "until", null=True, blank=True, help_text="Blank while they live there."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["licence", "role", "from_date"]
        verbose_name = "person named on a licence"
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "person"],
                condition=Q(to_date__isnull=True),
                name="licence_person_named_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) on {self.licence}"


class UnauthorisedOccupant(models.Model):
    """Someone found living on a pitch who is not named on its licence (a visit or the census)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        AUTHORISED = "authorised", "Since authorised"
        LEFT = "left", "Has left"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="unauthorised_occupants")
    licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unauthorised_occupants",
    )
    name = models.CharField("name", max_length=120)
    approximate_age = models.PositiveSmallIntegerField("approximate age", null=True, blank=True)
    found_on = models.DateField("found on")
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="found by",
    )
    where_found = models.CharField(
        "found during", max_length=60, help_text="For example: census 2026, new-resident visit."
    )
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField("notes", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-found_on", "name"]

    def __str__(self) -> str:
        return f"{self.name}, found on {self.unit} on {self.found_on:%d/%m/%Y}"


def private_storage() -> FileSystemStorage:
    """Licences, photos and evidence hold personal data: never under a public URL (no
    base_url); served only by permission-checking views."""
    # No location: it follows settings.MEDIA_ROOT. Nothing serves MEDIA_ROOT over HTTP.
    return FileSystemStorage()


class LicenceDocument(models.Model):
    """A licence agreement or written statement drawn to PDF by a Celery task.

    What it says is frozen when it is requested (`context`) and the PDF, once written, is never
    drawn again over it: a change to the licence makes new documents and marks these
    superseded. The agreement that was signed stays linked from the licence for ever.
    """

    class Kind(models.TextChoices):
        WRITTEN_STATEMENT = "written_statement", "Written statement (Mobile Homes Act 1983)"
        AGREEMENT = "agreement", "Licence agreement"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("document", max_length=20, choices=Kind.choices)
    template_version = models.CharField("template version", max_length=40)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    context = models.JSONField("what the document says", help_text="Frozen when requested.")
    file = models.FileField("PDF", storage=private_storage, upload_to="licences/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField("ready at", null=True, blank=True)
    failure = models.TextField("why it could not be prepared", blank=True)
    superseded_at = models.DateTimeField(
        "superseded at",
        null=True,
        blank=True,
        help_text="Set when the licence changed after this was drawn.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "licence document"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for licence {self.licence.reference}"


class LicenceSigning(models.Model):
    """The signing of a licence: when, by whom, witnessed by which officer, and the exact PDF
    versions of the agreement and written statement that were signed. Never changed."""

    licence = models.OneToOneField(Licence, on_delete=models.PROTECT, related_name="signing")
    signed_on = models.DateField("signed on")
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="witnessing officer",
    )
    holders = models.JSONField("licence holders who signed", help_text="[{person_id, name}]")
    agreement = models.ForeignKey(
        LicenceDocument,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="agreement signed",
    )
    written_statement = models.ForeignKey(
        LicenceDocument,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="written statement given",
    )
    agreement_sha256 = models.CharField("SHA-256 of the agreement signed", max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "licence signing"

    def __str__(self) -> str:
        return f"Licence {self.licence.reference} signed on {self.signed_on:%d/%m/%Y}"


class NewResidentVisit(models.Model):
    """The checklist of the new-resident visit after a licence is signed."""

    licence = models.OneToOneField(Licence, on_delete=models.PROTECT, related_name="visit")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="officer"
    )
    due_on = models.DateField("to be completed by")
    visited_on = models.DateField("visited on", null=True, blank=True)
    handbook_issued_on = models.DateField("handbook issued on", null=True, blank=True)
    policies_issued_on = models.DateField("policies issued on", null=True, blank=True)
    pay_card_issued_on = models.DateField("pay card issued on", null=True, blank=True)
    business_support_requested_at = models.DateTimeField(
        "business support asked at", null=True, blank=True
    )
    business_support_notified_at = models.DateTimeField(
        "business support notification sent at", null=True, blank=True
    )
    business_support_notified_to = models.CharField(
        "notification sent to", max_length=500, blank=True
    )
    completed_on = models.DateField("completed on", null=True, blank=True)
    notes = models.TextField("notes", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "new-resident visit"

    def __str__(self) -> str:
        return f"New-resident visit for licence {self.licence.reference}"

    def get_absolute_url(self) -> str:
        return reverse("residents:visit-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("residents:visit-history", args=[self.pk])


class MeterReading(models.Model):
    """An initial meter reading taken on the new-resident visit, with a photo of the meter."""

    class Meter(models.TextChoices):
        ELECTRICITY = "electricity", "Electricity"
        WATER = "water", "Water"
        GAS = "gas", "Gas"

    visit = models.ForeignKey(
        NewResidentVisit, on_delete=models.PROTECT, related_name="meter_readings"
    )
    meter = models.CharField("meter", max_length=12, choices=Meter.choices)
    serial = models.CharField("meter serial number", max_length=40)
    reading = models.DecimalField("reading", max_digits=12, decimal_places=2)
    read_on = models.DateField("read on")
    photo = models.FileField("photo", storage=private_storage, upload_to="meters/%Y/%m/")
    photo_content_type = models.CharField("photo file type", max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meter", "-read_on"]
        verbose_name = "meter reading"

    def __str__(self) -> str:
        return f"{self.get_meter_display()} {self.reading} on {self.read_on:%d/%m/%Y}"


class Breach(models.Model):
    """A suspected breach of licence found by an officer and passed to the sites manager."""

    class Category(models.TextChoices):
        UNAUTHORISED_OCCUPANT = "unauthorised_occupant", "Unauthorised occupant"
        CARAVANS = "caravans", "Too many caravans or unauthorised structures"
        NUISANCE = "nuisance", "Nuisance or anti-social behaviour"
        DAMAGE = "damage", "Damage to the pitch or amenity block"
        FEES = "fees", "Pitch fee arrears"
        NOT_MAIN_RESIDENCE = "not_main_residence", "Pitch not the only or main residence"
        FIRE_SAFETY = "fire_safety", "Fire safety (spacing, gas bottles)"
        WASTE = "waste", "Waste or fly-tipping"
        ANIMALS = "animals", "Animals"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        INVESTIGATING = "investigating", "Under investigation"
        NOTICE_SERVED = "notice_served", "Notice to remedy served"
        REMEDIED = "remedied", "Remedied"
        ESCALATED = "escalated", "Escalated"
        CLOSED = "closed", "Closed"

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="breaches")
    visit = models.ForeignKey(
        NewResidentVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name="raised from visit",
    )
    category = models.CharField("category", max_length=30, choices=Category.choices)
    observed_on = models.DateField("date observed")
    description = models.TextField("what was found")
    evidence = models.FileField(
        "evidence", storage=private_storage, upload_to="breaches/%Y/%m/", blank=True
    )
    evidence_content_type = models.CharField("evidence file type", max_length=100, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    remedy_due_on = models.DateField("remedy due by", null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="raised by",
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    sites_manager_notified_at = models.DateTimeField(
        "sites manager emailed at", null=True, blank=True
    )

    history = HistoricalRecords(excluded_fields=["raised_at"])

    class Meta:
        ordering = ["-observed_on", "-pk"]
        verbose_name = "licence breach"
        verbose_name_plural = "licence breaches"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="notice_served") | Q(remedy_due_on__isnull=False),
                name="breach_notice_has_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} on licence {self.licence.reference}"

    def get_absolute_url(self) -> str:
        return reverse("residents:breach-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("residents:breach-history", args=[self.pk])


class HandbookSection(models.Model):
    """A section of the resident handbook: the common part (no site) or one site's part."""

    class Topic(models.TextChoices):
        GENERAL = "general", "General"
        SITE_RULES = "site_rules", "Site rules"
        CONTACTS = "contacts", "Contacts"
        REFUSE = "refuse", "Refuse and recycling days"
        METERS_AND_PAYMENT = "meters_payment", "Meters and paying"

    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handbook_sections",
        verbose_name="site",
        help_text="Leave blank for the part of the handbook common to every site.",
    )
    topic = models.CharField("topic", max_length=20, choices=Topic.choices, default="general")
    heading = models.CharField("heading", max_length=150)
    body = models.TextField("text", help_text="Leave a blank line between paragraphs.")
    position = models.PositiveSmallIntegerField("order", default=10)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["site__name", "position", "pk"]
        verbose_name = "handbook section"

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("residents:handbook")

    def get_history_url(self) -> str:
        return reverse("residents:handbook-section-history", args=[self.pk])


class HandbookEdition(models.Model):
    """A site's handbook (the common part and the site's part) as printed to PDF, numbered.

    The text is frozen when requested; the PDF is never drawn again over.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, related_name="handbook_editions"
    )
    number = models.PositiveIntegerField("edition")
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    context = models.JSONField("what the handbook says", help_text="Frozen when requested.")
    file = models.FileField(
        "PDF", storage=private_storage, upload_to="handbooks/%Y/%m/", blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField("ready at", null=True, blank=True)
    failure = models.TextField("why it could not be prepared", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["site__name", "-number"]
        verbose_name = "handbook edition"
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="handbook_edition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site} handbook, edition {self.number}"


class HandbookIssue(models.Model):
    """Which edition of the handbook a household was given, and when."""

    edition = models.ForeignKey(HandbookEdition, on_delete=models.PROTECT, related_name="issues")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="handbook_issues")
    issued_on = models.DateField("issued on")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "handbook issued"

    def __str__(self) -> str:
        return f"{self.edition} issued on {self.issued_on:%d/%m/%Y}"
