from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

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
        END_OF_LICENCE = "end_of_licence", "Licence or tenancy ended"
        TRANSFER = "transfer", "Resident transferred"
        DEATH = "death", "Death of resident"
        ABANDONMENT = "abandonment", "Abandoned"
        EVICTION = "eviction", "Court order"
        NEW_BUILD = "new_build", "Newly built"
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
    # Voids
    void_date = models.DateField("void date", null=True, blank=True)
    ready_to_let_date = models.DateField("ready-to-let date", null=True, blank=True)
    void_reason = models.CharField(
        "void reason", max_length=20, choices=VoidReason.choices, blank=True
    )
    notes = models.TextField("notes", blank=True)
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
        if errors:
            raise ValidationError(errors)
