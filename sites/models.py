from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from config.kernel.history_rows import HistoricalRecords

postcode_validator = RegexValidator(
    r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$",
    "Enter a real postcode, like NR1 2AB",
)


class Site(models.Model):
    """A Gypsy and Traveller site, a stopping place, or a housing scheme."""

    class Kind(models.TextChoices):
        GYPSY_TRAVELLER_SITE = "gypsy_traveller_site", "Gypsy and Traveller site"
        STOPPING_PLACE = "stopping_place", "Stopping place"
        HOUSING_SCHEME = "housing_scheme", "Housing scheme"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UNDER_DEVELOPMENT = "under_development", "Under development"
        CLOSED = "closed", "Closed"

    # What a person is told when the name or reference is another site's (the form's check,
    # and the service's when another site took it at the same moment).
    NAME_TAKEN = "A site with this name already exists"
    REFERENCE_TAKEN = "A site with this reference already exists"

    name = models.CharField("name", max_length=120, unique=True)
    reference = models.CharField(
        "reference",
        max_length=20,
        unique=True,
        help_text="The council's short code for the site, for example GT-04.",
    )
    kind = models.CharField("type of site", max_length=30, choices=Kind.choices)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.OPEN)
    address_line_1 = models.CharField("address line 1", max_length=120)
    address_line_2 = models.CharField("address line 2", max_length=120, blank=True)
    town = models.CharField("town or city", max_length=80)
    postcode = models.CharField("postcode", max_length=8, validators=[postcode_validator])
    parish = models.CharField(
        "parish",
        max_length=80,
        blank=True,
        help_text="Used for local-connection priority in lettings policies.",
    )
    opened_on = models.DateField("date opened", null=True, blank=True)
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = "site"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites:site-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("sites:site-history", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RegisteredProvider(models.Model):
    """A housing association with its own homes, and the council's nomination agreement with
    it: the share of its first lets and of its relets the council nominates to, how long it has
    to answer a nomination, and the information-sharing agreement's lawful basis for what a
    nomination discloses."""

    name = models.CharField("name", max_length=120, unique=True)
    contact_email = models.EmailField(
        "nominations contact email",
        help_text="Nominations go here with a secure link when no one at the provider has an "
        "account.",
    )
    first_lets_share = models.PositiveSmallIntegerField(
        "share of first lets nominated (%)",
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        default=100,
    )
    relets_share = models.PositiveSmallIntegerField(
        "share of relets nominated (%)",
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        default=50,
    )
    response_working_days = models.PositiveSmallIntegerField(
        "working days to answer a nomination",
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        default=5,
    )
    lawful_basis = models.TextField(
        "lawful basis for sharing (information-sharing agreement)",
        help_text="Logged with every showing of a nomination to the provider.",
    )
    active = models.BooleanField("nominations made to it", default=True)
    core_organisation_id = models.CharField(
        "CORE organisation ID",
        max_length=20,
        blank=True,
        help_text="Its ID in the government's CORE service (for example ORG1234): the owner "
        "and manager of its lets in the CORE export. The council must be set up in CORE as "
        "able to submit lettings logs for it (a stock-owner relationship).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "registered provider"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_lets_share__lte=100, relets_share__lte=100),
                name="provider_shares_are_percentages",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProviderStaff(models.Model):
    """A person at a registered provider with an account: they belong to that one provider and
    see only its homes' nominations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider_staff"
    )
    provider = models.ForeignKey(RegisteredProvider, on_delete=models.PROTECT, related_name="staff")

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("provider",)  # as the pages name it (config/changelog.py)

    class Meta:
        verbose_name = "provider staff member"
        verbose_name_plural = "provider staff"

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"


class Unit(models.Model):
    """What is let: a pitch on a site or a home in a housing scheme."""

    class Kind(models.TextChoices):
        PITCH = "pitch", "Pitch"
        # Short stays on different implied terms (Mobile Homes Act 1983 as applied): let on a
        # fixed-term transit licence, never the residential pitch licence.
        TRANSIT_PITCH = "transit_pitch", "Transit pitch"
        HOME = "home", "Home"

    class Status(models.TextChoices):
        """Where the unit is in the letting process: the one letting state every step reads
        and moves (sites.lifecycles.UNIT_LETTING). The database checks it against the unit's
        vacancies, offers and agreements when each transaction commits."""

        VOID = "void", "Void (empty)"
        ADVERTISED = "advertised", "Void, advertised"
        UNDER_OFFER = "under_offer", "Void, under offer"
        ALLOCATED = "allocated", "Allocated, agreement being prepared"
        OCCUPIED = "occupied", "Occupied"
        UNAVAILABLE = "unavailable", "Not available to let"

    class Condition(models.TextChoices):
        GOOD = "good", "Good"
        FAIR = "fair", "Fair"
        POOR = "poor", "Poor"

    class Accessibility(models.TextChoices):
        # The London accessible housing register's categories, as choice-based lettings
        # policies use them (the policy names them for matching; these are the home's).
        A = "a", "A – wheelchair accessible throughout"
        B = "b", "B – wheelchair accessible essential rooms"
        C = "c", "C – step-free access"
        D = "d", "D – minimal steps"
        E = "e", "E – ground floor or lift"
        F = "f", "F – general needs"

    class VoidReason(models.TextChoices):
        """Why the unit is empty. Each reason but the old "court order" maps to one of CORE's
        reasons for a vacancy (allocations/core/sources.py VOID_REASON_TO_CORE): a court order
        must now say what it was for, as CORE asks."""

        END_OF_LICENCE = (
            "end_of_licence",
            "Licence or tenancy ended: moved to private or other accommodation",
        )
        TRANSFER = "transfer", "Resident transferred to another of the council's homes"
        MOVED_TO_PROVIDER = "moved_to_provider", "Resident moved to another social landlord"
        CARE_HOME = "care_home", "Resident moved to a care home"
        HOSPITAL = "hospital", "Resident moved to a long-stay hospital or similar"
        DEATH = "death", "Death of resident, nobody succeeding"
        SUCCESSION_DOWNSIZE = (
            "succession_downsize",
            "Death of resident, the successor moved to a smaller home",
        )
        ABANDONMENT = "abandonment", "Abandoned"
        EVICTION_ARREARS = "eviction_arrears", "Eviction for rent arrears"
        EVICTION_ASB = "eviction_asb", "Eviction for anti-social behaviour"
        EVICTION_BOTH = "eviction_both", "Eviction for rent arrears and anti-social behaviour"
        # Recorded before evictions said why; never offered now (sites/forms.py).
        EVICTION = "eviction", "Court order (reason not recorded)"
        NEW_BUILD = "new_build", "Newly built (first let)"
        OTHER = "other", "Other"

    # Nobody lives there yet: the states a void unit passes through until an agreement starts.
    EMPTY_STATES = (
        Status.VOID,
        Status.ADVERTISED,
        Status.UNDER_OFFER,
        Status.ALLOCATED,
    )
    # Moved only by the letting steps (vacancies, offers, decisions, agreements), never by hand.
    LETTING_STATES = (Status.ADVERTISED, Status.UNDER_OFFER, Status.ALLOCATED)

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="units")
    # What a person is told when the reference is another unit's on the same site (the
    # service's check, and its refusal when another unit took it at the same moment).
    REFERENCE_TAKEN = "{site} already has a unit with the reference {reference}"

    reference = models.CharField(
        "unit reference", max_length=30, help_text="For example Pitch 12 or Flat 3."
    )
    kind = models.CharField("type of unit", max_length=20, choices=Kind.choices)
    status = models.CharField("status", max_length=20, choices=Status.choices)
    weekly_charge = models.DecimalField(
        "weekly pitch fee or rent (£)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    # Homes let on a tenancy: the weekly service charges on top of the rent (caretaking,
    # communal cleaning, lighting...), copied to the tenancy when it is prepared.
    service_charge = models.DecimalField(
        "weekly service charges (£)",
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    # Pitches
    has_amenity_block = models.BooleanField("has an amenity block", default=False)
    amenity_block_condition = models.CharField(
        "amenity block condition", max_length=10, choices=Condition.choices, blank=True
    )
    has_electricity_meter = models.BooleanField("has an electricity meter", default=False)
    has_water_meter = models.BooleanField("has a water meter", default=False)
    has_gas_meter = models.BooleanField("has a gas meter", default=False)
    max_caravans = models.PositiveSmallIntegerField("most caravans allowed", null=True, blank=True)
    # Homes
    bedrooms = models.PositiveSmallIntegerField("bedrooms", null=True, blank=True)
    floor_level = models.SmallIntegerField(
        "floor level", null=True, blank=True, help_text="0 for the ground floor."
    )
    accessibility = models.CharField(
        "accessibility category", max_length=1, choices=Accessibility.choices, blank=True
    )
    adaptations = models.TextField("adaptations", blank=True)
    # Extra Care (issue 14): a home with care on site, let to the approved referrals in the
    # Extra Care panel's ranking, never through the bidding cycle.
    extra_care = models.BooleanField(
        "Extra Care home",
        default=False,
        help_text="Let from the Extra Care panel's ranking, not through bidding.",
    )
    # Voids
    void_date = models.DateField("void date", null=True, blank=True)
    ready_to_let_date = models.DateField("ready-to-let date", null=True, blank=True)
    void_reason = models.CharField(
        "void reason", max_length=20, choices=VoidReason.choices, blank=True
    )
    # CORE counts the days vacant from here when the home had major repairs while void.
    major_repairs_date = models.DateField(
        "major repairs completed on",
        null=True,
        blank=True,
        help_text="Only if major repairs were done while the home was empty.",
    )
    notes = models.TextField("notes", blank=True)
    # A registered provider's home, let by nomination; blank for the council's own.
    provider = models.ForeignKey(
        RegisteredProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name="landlord (registered provider)",
        help_text="Leave blank for the council's own homes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["site__name", "reference"]
        verbose_name = "unit"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "reference"], name="unit_reference_unique_on_site"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["void", "advertised", "under_offer", "allocated"])
                | models.Q(void_date__isnull=False),
                name="unit_void_has_void_date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="home") | models.Q(bedrooms__isnull=True),
                name="unit_only_homes_have_bedrooms",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["pitch", "transit_pitch"])
                | models.Q(bedrooms__isnull=False),
                name="unit_home_has_bedrooms",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="home") | models.Q(extra_care=False),
                name="unit_only_homes_are_extra_care",
            ),
        ]

    CHANGE_LOG_LABEL = ("reference", "site")  # as the pages name it (config/changelog.py)

    def __str__(self) -> str:
        return f"{self.reference}, {self.site.name}"

    def get_absolute_url(self) -> str:
        return reverse("sites:unit-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("sites:unit-history", args=[self.pk])

    @property
    def is_void(self) -> bool:
        """Nobody lives there (void, advertised, under offer, or allocated but not started)."""
        return self.status in self.EMPTY_STATES

    @property
    def is_open_to_advertise(self) -> bool:
        return self.status == self.Status.VOID

    @property
    def is_pitch(self) -> bool:
        return self.kind in (self.Kind.PITCH, self.Kind.TRANSIT_PITCH)

    @property
    def is_transit(self) -> bool:
        return self.kind == self.Kind.TRANSIT_PITCH

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.HOME and self.bedrooms is None:
            errors["bedrooms"] = "Enter the number of bedrooms"
        if self.is_pitch:
            if self.bedrooms is not None:
                errors["bedrooms"] = "A pitch has no bedrooms: leave this blank"
            if self.has_amenity_block and not self.amenity_block_condition:
                errors["amenity_block_condition"] = "Select the amenity block's condition"
        if self.status in self.EMPTY_STATES:
            if not self.void_date:
                errors["void_date"] = "Enter the date the unit became void"
            if not self.void_reason:
                errors["void_reason"] = "Select why the unit is void"
        if self.void_date and self.ready_to_let_date and self.ready_to_let_date < self.void_date:
            errors["ready_to_let_date"] = "The ready-to-let date must be on or after the void date"
        if self.major_repairs_date:
            if self.void_date and self.major_repairs_date < self.void_date:
                errors["major_repairs_date"] = (
                    "The major repairs date must be on or after the void date"
                )
            if self.void_reason == self.VoidReason.NEW_BUILD:
                errors["major_repairs_date"] = (
                    "A newly built home's first let has no major repairs date"
                )
        if errors:
            raise ValidationError(errors)
