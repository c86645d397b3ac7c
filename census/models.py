"""The annual site census and the government's caravan count.

Every year officers visit every pitch on the chosen sites and confirm who lives there. A
round holds one return per pitch, pre-filled from the records (the live licence, its holder
and authorised occupants). A submitted return is reconciled with the records: each
difference is a row here, becomes a follow-up task (and, where census/rules.py says so, a
suspected breach for the sites manager), and is then applied to the records or dismissed,
each an audited action with a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords
from residents.models import Licence, LicenceOccupant, UnauthorisedOccupant
from sites.models import Site, Unit


class CensusRound(models.Model):
    """One year's census, covering the sites chosen for it."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        STARTED = "started", "Started"
        CLOSED = "closed", "Closed"

    year = models.PositiveSmallIntegerField("year", unique=True)
    sites = models.ManyToManyField(Site, related_name="census_rounds", verbose_name="sites")
    planned_start = models.DateField("planned start date")
    deadline = models.DateField("deadline for returns")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    started_on = models.DateField("started on", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("year",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-year"]
        verbose_name = "census round"
        permissions = [("view_census_report", "Can read census reports and exports")]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("planned_start")),
                name="census_round_deadline_after_start",
                violation_error_message="The deadline must be on or after the planned start date",
            )
        ]

    def __str__(self) -> str:
        return f"Census {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("census:round-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("census:round-history", args=[self.pk])

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def status_colour(self) -> str:
        """The colour of the round's status tag (GOV.UK tag colours)."""
        return {self.Status.PLANNED: "grey", self.Status.STARTED: "blue"}.get(self.status, "green")


class CensusReturn(models.Model):
    """What officers found on one pitch in one round. Saved part-done, then submitted."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    round = models.ForeignKey(CensusRound, on_delete=models.PROTECT, related_name="returns")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="census_returns")
    # The live licence when the round started: what the return was pre-filled from.
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="census_returns"
    )
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    holder_present = models.BooleanField("licence holder present", null=True, blank=True)
    caravans = models.PositiveSmallIntegerField("number of caravans", null=True, blank=True)
    amenity_block_condition = models.CharField(
        "amenity block condition", max_length=10, choices=Unit.Condition.choices, blank=True
    )
    notes = models.TextField("notes", blank=True)
    visited_on = models.DateField("date of visit", null=True, blank=True)
    # Site visits: two officers always attend together (DOMAIN.md).
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="officer",
    )
    second_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="second officer",
    )
    submitted_at = models.DateTimeField("submitted at", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="submitted by",
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("unit", "round")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["round", "unit__site__name", "unit__reference"]
        verbose_name = "census return"
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="census_one_return_per_pitch")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("census:return-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("census:return-history", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def status_colour(self) -> str:
        return {self.Status.SUBMITTED: "green", self.Status.IN_PROGRESS: "yellow"}.get(
            self.status, "grey"
        )


class ReturnOccupant(models.Model):
    """An authorised occupant on the licence, as found on the visit."""

    class Finding(models.TextChoices):
        CONFIRMED = "confirmed", "Still lives here"
        MOVED_OUT = "moved_out", "Has moved out"

    census_return = models.ForeignKey(
        CensusReturn, on_delete=models.CASCADE, related_name="occupants"
    )
    licence_occupant = models.ForeignKey(
        LicenceOccupant, on_delete=models.PROTECT, related_name="census_findings"
    )
    finding = models.CharField("finding", max_length=10, choices=Finding.choices, blank=True)

    history = HistoricalRecords()
    # The person, as their place on the licence is named (LicenceOccupant), then the return:
    # a name and a licence, nothing special-category; purged with the household's records.
    CHANGE_LOG_LABEL = ("licence_occupant", "census_return")

    class Meta:
        ordering = ["licence_occupant__person__last_name", "licence_occupant__person__first_name"]
        verbose_name = "occupant on a census return"
        constraints = [
            models.UniqueConstraint(
                fields=["census_return", "licence_occupant"], name="census_occupant_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.licence_occupant.person)


class NewPerson(models.Model):
    """Someone living on the pitch who is not named on its licence."""

    census_return = models.ForeignKey(
        CensusReturn, on_delete=models.CASCADE, related_name="new_people"
    )
    name = models.CharField("name", max_length=120)
    approximate_age = models.PositiveSmallIntegerField("approximate age", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = "new person found in the census"
        verbose_name_plural = "new people found in the census"

    def __str__(self) -> str:
        return self.name


class CensusDifference(models.Model):
    """A difference between a submitted return and the records, and what was done about it."""

    class Kind(models.TextChoices):
        HOLDER_ABSENT = "holder_absent", "Licence holder not present"
        OCCUPANT_GONE = "occupant_gone", "Authorised occupant has moved out"
        NEW_OCCUPANT = "new_occupant", "New person living on the pitch"

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        APPLIED = "applied", "Applied to the records"
        DISMISSED = "dismissed", "Dismissed"

    census_return = models.ForeignKey(
        CensusReturn, on_delete=models.PROTECT, related_name="differences"
    )
    kind = models.CharField("difference", max_length=20, choices=Kind.choices)
    licence_occupant = models.ForeignKey(
        LicenceOccupant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_person = models.ForeignKey(
        NewPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="differences"
    )
    description = models.CharField("description", max_length=300)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPEN)
    suspected_breach = models.BooleanField("passed to the sites manager", default=False)
    resolution_reason = models.TextField("reason", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="resolved by",
    )
    resolved_at = models.DateTimeField("resolved at", null=True, blank=True)
    # Made when a new person's difference is applied to the records.
    unauthorised_occupant = models.ForeignKey(
        UnauthorisedOccupant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="census_differences",
    )

    history = HistoricalRecords()
    # Its kind and its return, not its description (which names the people found).
    CHANGE_LOG_LABEL = ("kind", "census_return")

    class Meta:
        ordering = ["census_return", "pk"]
        verbose_name = "census difference"
        constraints = [
            models.UniqueConstraint(
                fields=["census_return", "kind", "licence_occupant"],
                condition=Q(licence_occupant__isnull=False),
                name="census_difference_occupant_once",
            ),
            models.UniqueConstraint(
                fields=["new_person"],
                condition=Q(new_person__isnull=False),
                name="census_difference_new_person_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.census_return.unit}: {self.description}"

    def get_absolute_url(self) -> str:
        return f"{self.census_return.get_absolute_url()}#difference-{self.pk}"

    def get_history_url(self) -> str:
        return reverse("census:difference-history", args=[self.pk])

    @property
    def is_resolved(self) -> bool:
        return self.status != self.Status.OPEN

    @property
    def status_colour(self) -> str:
        return {self.Status.OPEN: "yellow", self.Status.APPLIED: "green"}.get(self.status, "grey")

    @property
    def can_apply(self) -> bool:
        """Only some differences change the records; an absent holder is followed up instead."""
        return self.kind in {self.Kind.OCCUPANT_GONE, self.Kind.NEW_OCCUPANT}


class CaravanCount(models.Model):
    """Caravans on one of the council's sites on a count date (the government's count)."""

    class SiteType(models.TextChoices):
        # The count's categories for authorised, socially rented sites (census/exports.py).
        PERMANENT = "permanent", "Permanent residential site"
        TRANSIT = "transit", "Transit site"
        EMERGENCY = "emergency", "Emergency stopping place"

    class Source(models.TextChoices):
        ENTERED = "entered", "Entered by hand"
        CENSUS = "census", "Derived from the census"

    count_date = models.DateField("count date")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="caravan_counts")
    site_type = models.CharField("site type", max_length=12, choices=SiteType.choices)
    caravans = models.PositiveIntegerField("number of caravans")
    source = models.CharField("source", max_length=10, choices=Source.choices)
    census_round = models.ForeignKey(
        CensusRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caravan_counts",
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("site", "census_round")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-count_date", "site__name"]
        verbose_name = "caravan count"
        constraints = [
            models.UniqueConstraint(
                fields=["count_date", "site"], name="caravan_count_one_per_site_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site}: {self.caravans} caravans on {page_date(self.count_date)}"

    def get_absolute_url(self) -> str:
        return reverse("census:count-list") + f"?date={self.count_date.isoformat()}"

    def get_history_url(self) -> str:
        return reverse("census:count-history", args=[self.pk])


class OffSiteCount(models.Model):
    """Caravans counted on the count date anywhere but the council's own sites, in the
    government's categories: private sites with planning permission, and unauthorised
    caravans on Travellers' own land or on other land, tolerated or not (census/exports.py)."""

    class Category(models.TextChoices):
        PRIVATE_TEMPORARY = "private_temporary", "Private site with temporary planning permission"
        PRIVATE_PERMANENT = "private_permanent", "Private site with permanent planning permission"
        OWN_LAND_TOLERATED = "own_tolerated", "Unauthorised, on land owned by Travellers: tolerated"
        OWN_LAND_NOT_TOLERATED = (
            "own_not_tolerated",
            "Unauthorised, on land owned by Travellers: not tolerated",
        )
        OTHER_LAND_TOLERATED = (
            "other_tolerated",
            "Unauthorised, on land not owned by Travellers: tolerated",
        )
        OTHER_LAND_NOT_TOLERATED = (
            "other_not_tolerated",
            "Unauthorised, on land not owned by Travellers: not tolerated",
        )

    count_date = models.DateField("count date")
    category = models.CharField("category", max_length=20, choices=Category.choices)
    location = models.CharField("where", max_length=200)
    caravans = models.PositiveIntegerField("number of caravans")
    travelling_showpeople = models.BooleanField("Travelling Showpeople", default=False)
    notes = models.TextField("notes", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("location", "count_date")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-count_date", "category", "location"]
        verbose_name = "caravan count off the council's sites"
        constraints = [
            models.UniqueConstraint(
                fields=["count_date", "category", "location"],
                name="off_site_count_one_per_place_and_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.caravans} caravans on {page_date(self.count_date)}"

    def get_absolute_url(self) -> str:
        return reverse("census:count-list") + f"?date={self.count_date.isoformat()}"
