"""Vacancies, the bids placed on them and their frozen, explained shortlists."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.policies import PolicyVersion, Scheme
from config.kernel.history_rows import HistoricalRecords
from sites.models import Unit


class NeedsType(models.TextChoices):
    GENERAL = "general", "General needs"
    SUPPORTED = "supported", "Supported housing"


class RentType(models.TextChoices):
    """The rent a home is let at, in CORE's terms (questions/rent_type.rb)."""

    SOCIAL = "social", "Social rent"
    AFFORDABLE = "affordable", "Affordable rent"
    LONDON_AFFORDABLE = "london_affordable", "London Affordable Rent"
    RENT_TO_BUY = "rent_to_buy", "Rent to Buy"
    LONDON_LIVING = "london_living", "London Living Rent"
    OTHER_INTERMEDIATE = "other_intermediate", "Other intermediate rent product"
    SPECIFIED = "specified", "Specified (exempt) accommodation"


def _range_words(low: int | None, high: int | None, noun: str) -> str:
    """Like "2 to 4 people", "up to 1 bedroom", "3 or more bedrooms"; "" for no limit."""
    low = low or None
    plural = "people" if noun == "person" else f"{noun}s"

    def counted(n: int) -> str:
        return f"{n} {noun if n == 1 else plural}"

    if low is None and high is None:
        return ""
    if low is None:
        return f"up to {counted(high)}" if high else ""
    if high is None:
        return f"{low} or more {plural}"
    if low == high:
        return counted(high)
    return f"{low} to {counted(high)}"


class Vacancy(models.Model):
    """A unit offered for allocation: its advert, dates and who is eligible."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADVERTISED = "advertised", "Advertised"
        CLOSED = "closed", "Closed, shortlist frozen"
        LET = "let", "Let"
        FELL_THROUGH = "fell_through", "Let fell through before signing"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Open: the unit is being let through this vacancy (one per unit; see the constraint).
    OPEN_STATUSES = (Status.DRAFT, Status.ADVERTISED, Status.CLOSED)

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
    closed_on = models.DateField("closed on", null=True, blank=True)
    closed_early_reason = models.TextField(
        "why it was closed before its advertised closing date", blank=True
    )
    ranked_on = models.DateField(
        "ranked as on",
        null=True,
        blank=True,
        help_text="The advertised closing date, or the day it closed if that was earlier.",
    )
    withdrawal_reason = models.TextField("why it was withdrawn", blank=True)
    fell_through_reason = models.TextField("why the let fell through", blank=True)
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
    # Choice-based lettings: the weekly cycle the advert is published into, and what the
    # advert says about the home and who it is for (the policy's restrictions).
    cycle = models.ForeignKey(
        "allocations.BiddingCycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverts",
        verbose_name="bidding cycle",
    )

    class HomeType(models.TextChoices):
        FLAT = "flat", "Flat"
        MAISONETTE = "maisonette", "Maisonette"
        HOUSE = "house", "House"
        BUNGALOW = "bungalow", "Bungalow"
        SHELTERED = "sheltered", "Sheltered flat"

    home_type = models.CharField(
        "type of home", max_length=20, choices=HomeType.choices, blank=True
    )
    parish = models.CharField("parish", max_length=80, blank=True)
    area = models.CharField("area", max_length=80, blank=True)
    landlord = models.CharField(
        "landlord", max_length=120, blank=True, help_text="Blank for the council's own homes."
    )
    weekly_rent = models.DecimalField(
        "weekly rent", max_digits=7, decimal_places=2, null=True, blank=True
    )
    weekly_charges = models.DecimalField(
        "weekly service charges", max_digits=7, decimal_places=2, null=True, blank=True
    )
    access_categories = ArrayField(
        models.CharField(max_length=1),
        default=list,
        blank=True,
        verbose_name="access categories it suits",
    )
    # How CORE classes the let (allocations/core): general needs or supported housing, and
    # the rent it is let at.
    needs_type = models.CharField(
        "needs type", max_length=10, choices=NeedsType.choices, blank=True
    )
    rent_type = models.CharField("rent type", max_length=30, choices=RentType.choices, blank=True)
    local_lettings_plan = models.ForeignKey(
        "allocations.LocalLettingsPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverts",
        verbose_name="local lettings plan",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-closes_on", "reference"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="vacancy_closes_after_it_opens",
            ),
            # A unit is let once: one open vacancy per unit at a time.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status__in=["draft", "advertised", "closed"]),
                name="one_open_vacancy_per_unit",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="withdrawn_vacancy_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="fell_through") | ~Q(fell_through_reason=""),
                name="fallen_through_let_has_reason",
            ),
        ]
        permissions = [("freeze_shortlist", "Can close a vacancy and freeze its shortlist")]

    CHANGE_LOG_LABEL = ("reference", "unit")  # as the pages name it (config/changelog.py)

    def __str__(self) -> str:
        return f"Vacancy {self.reference}: {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:vacancy-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:vacancy-history", args=[self.pk])

    @property
    def taking_bids(self) -> bool:
        return self.status == self.Status.ADVERTISED

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def size_and_need_words(self) -> list[str]:
        """The advert's household size and bedroom need limits as applicants read them, on its
        page and in the newsletter: "Households needing 2 or 3 bedrooms", never "0 to 1"."""
        lines = []
        if size := _range_words(self.min_household_size, self.max_household_size, "person"):
            lines.append(f"Households of {size}")
        if need := _range_words(self.min_bedroom_need, self.max_bedroom_need, "bedroom"):
            lines.append(f"Households needing {need}")
        return lines

    @property
    def closed_early(self) -> bool:
        return bool(self.closed_on and self.closed_on < self.closes_on)

    @property
    def plan_applies(self) -> bool:
        """Its local lettings plan is approved and in date on the day it opens."""
        plan = self.local_lettings_plan if self.local_lettings_plan_id else None
        return plan is not None and plan.applies_on(self.opens_on)

    @property
    def is_closed(self) -> bool:
        """Closed with its shortlist frozen, not yet let: offers are made now."""
        return self.status == self.Status.CLOSED


class Bid(models.Model):
    """An application's expression of interest in a vacancy."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="bids")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="bids")
    placed_at = models.DateTimeField(auto_now_add=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn = models.BooleanField("withdrawn", default=False)

    class Channel(models.TextChoices):
        PHONE = "phone", "By an officer, on the phone"
        IN_PERSON = "in_person", "By an officer, in person"
        AUTO = "auto", "By the auto-bidder"
        APPLICANT = "applicant", "By the applicant"

    channel = models.CharField(
        "how the bid was placed", max_length=20, choices=Channel.choices, default=Channel.PHONE
    )
    cycle = models.ForeignKey(
        "allocations.BiddingCycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bids",
        verbose_name="bidding cycle",
    )
    match_reason = models.TextField("why the auto-bidder chose it", blank=True)
    withdrawn_at = models.DateTimeField("withdrawn at", null=True, blank=True)
    withdrawal_reason = models.TextField("reason for withdrawing", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application", "vacancy")  # as the pages name it (config/changelog.py)

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

    class Bypass(models.TextChoices):
        NONE = "", "Not bypassed"
        # Asked for by an officer; waits for a team leader where the policy says so.
        REQUESTED = "requested", "Bypass awaiting a team leader's agreement"
        BYPASSED = "bypassed", "Bypassed"

    bypass_status = models.CharField(
        "bypass", max_length=10, choices=Bypass.choices, default=Bypass.NONE, blank=True
    )
    bypass_reason = models.TextField("reason for bypassing", blank=True)
    bypassed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bypass asked for by",
    )
    bypass_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bypass agreed by",
    )
    bypass_agreed_at = models.DateTimeField("bypass agreed at", null=True, blank=True)
    # Local connection is per home: the tier for this advert's parish, and why.
    connection_tier = models.PositiveSmallIntegerField("connection tier", null=True, blank=True)
    connection_reason = models.TextField("why this tier", blank=True)
    # Ranked first for this home, or after those who are (adapted homes first to those who
    # need them; a local lettings plan's priority), and why.
    priority_reason = models.TextField("priority for this home", blank=True)
    # A household that accepts another offer in the same cycle leaves this shortlist; one
    # that refuses it comes back (both in the history).
    removed_reason = models.TextField("why taken off this shortlist", blank=True)
    # The accepted offer that took the household off (none when something else did): only
    # withdrawing that offer puts the household back.
    removed_by_offer = models.ForeignKey(
        "allocations.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries_removed",
        verbose_name="taken off by accepting the offer",
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application", "vacancy")  # as the pages name it (config/changelog.py)

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
            # A bypass always has its reason, and a reason is always a bypass's.
            models.CheckConstraint(
                condition=Q(bypass_status="", bypass_reason="")
                | (~Q(bypass_status="") & ~Q(bypass_reason="")),
                name="shortlist_bypass_has_its_reason",
            ),
            # Whoever agrees to a bypass is not the person who asked for it.
            models.CheckConstraint(
                condition=Q(bypass_agreed_by__isnull=True)
                | ~Q(bypass_agreed_by=models.F("bypassed_by")),
                name="shortlist_bypass_agreed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position or '—'}: {self.application}"

    @property
    def is_bypassed(self) -> bool:
        """Passed over, in effect: the next applicant may be offered the vacancy."""
        return self.bypass_status == self.Bypass.BYPASSED

    @property
    def bypass_awaiting_agreement(self) -> bool:
        return self.bypass_status == self.Bypass.REQUESTED
