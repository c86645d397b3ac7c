"""Households, the people in them, and the log of who saw special-category data."""

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from config.kernel.dates import page_datetime
from config.kernel.history_rows import HistoricalRecords
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


# The names a person is searched by, each kept folded beside it (`Person.<name>_folded`).
FOLDED_NAMES = ("first_name", "last_name", "other_names")
# The first name's index has the last name as its second key: the people with a pair of
# names (a first name with one term of a search, a last name with another) are looked up by
# both, without reading the others who have one of them.
NAME_PAIR = ("first_name", "last_name")


def _name_index(name: str) -> models.Index:
    """The index on a folded name (the first name's: then the last name), holding the other
    names, the date of birth and the household."""
    keys = [f"{key}_folded" for key in (NAME_PAIR if name == NAME_PAIR[0] else (name,))]
    return models.Index(
        fields=keys,
        include=[
            *(f"{other}_folded" for other in FOLDED_NAMES if f"{other}_folded" not in keys),
            "date_of_birth",
            "household",
        ],
        name=f"person_{name}_folded",
        # An empty name holds no term: most people's other names are empty.
        condition=~Q(**{f"{name}_folded": ""}),
    )


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
        # By ethnicity (Romany Gypsies and Irish Travellers), or by the planning definition
        # (Planning policy for traveller sites, Annex 1): a nomadic habit of life. Not the
        # Housing Act 2004 s.225, whose duty was repealed (Housing and Planning Act 2016 s.124).
        YES = "yes", "Yes, meets the definition"
        NO = "no", "No, does not meet the definition"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    # Special-category data (UK GDPR art. 9): shown only to roles holding
    # config.view_special_category, and every showing is logged (config/history.py). A
    # pregnancy is health data: its due date and its evidence (a MATB1 form) too.
    SPECIAL_CATEGORY_FIELDS = {
        "ethnicity",
        "gypsy_traveller_status",
        "health_notes",
        "pregnancy_due_date",
        "pregnancy_evidence",
    }

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
    # A couple who will start living together (a partner moving in, say) share a room only
    # from that day: the bedroom need changes then, and the nightly alert says so ahead.
    couple_from = models.DateField("living as a couple from", null=True, blank=True)
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
        "Gypsy or Traveller status (ethnicity, or the planning definition)",
        max_length=20,
        choices=GypsyTravellerStatus.choices,
        default=GypsyTravellerStatus.NOT_ASSESSED,
    )
    health_notes = models.TextField("health and disability notes", blank=True)
    special_category_basis = models.TextField(
        "lawful basis for holding special-category data", default=LAWFUL_BASIS_DEFAULT
    )
    # The names folded for search (residents_fold), kept by the database as the names change:
    # a search compares them with the folded names that contain its terms (PersonName).
    first_name_folded = models.GeneratedField(
        expression=Folded("first_name"), output_field=models.TextField(), db_persist=True
    )
    last_name_folded = models.GeneratedField(
        expression=Folded("last_name"), output_field=models.TextField(), db_persist=True
    )
    other_names_folded = models.GeneratedField(
        expression=Folded("other_names"), output_field=models.TextField(), db_persist=True
    )

    history = HistoricalRecords(
        excluded_fields=["first_name_folded", "last_name_folded", "other_names_folded"]
    )

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
            # A name search's people, each found by one of their folded names (PersonName has
            # the names containing a term), or by a first and a last name together, and read
            # from the index alone: it holds the other names (for a search's other terms), the
            # date of birth and the household.
            *(_name_index(name) for name in FOLDED_NAMES),
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
        problems = {}
        if self.pregnancy_due_date and not self.pregnancy_evidence.strip():
            problems["pregnancy_evidence"] = (
                "Enter the evidence of pregnancy, for example a MATB1 form"
            )
        if self.couple_from and not self.partner_id:
            problems["couple_from"] = "Choose the partner they will live with as a couple"
        if problems:
            raise ValidationError(problems)

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
    fields = ArrayField(models.CharField(max_length=80), verbose_name="fields shown")
    where = models.CharField("page", max_length=40)
    viewed_at = models.DateTimeField("when", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = "special-category data viewing"
        # Append-only: there is nothing to add, change or delete by hand.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.person} seen by {self.user} on {page_datetime(self.viewed_at)}"
