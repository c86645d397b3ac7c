"""Low-cost home ownership resales: the register of eligible purchasers, each resale case
opened by a seller's notice, the buyers the council nominates, and each step's communication."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from allocations.rules import resales as rules
from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords


class Purchaser(models.Model):
    """Someone on the council's register of people who want to buy a low-cost home."""

    name = models.CharField("name", max_length=200)
    household_income = models.DecimalField(
        "household income (a year)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    local_connection = models.BooleanField("has a local connection", default=False)
    parish = models.CharField("parish of the local connection", max_length=120, blank=True)
    first_time_buyer = models.BooleanField("first-time buyer", default=False)
    # Where their letters go (a nomination, or why they are not eligible); without one the
    # officer hands the letter over.
    address = models.TextField("postal address", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The register, found by name: its one page that every reader of it may open.
        return f"{reverse('allocations:purchaser-list')}?{urlencode({'q': self.name})}"

    def get_history_url(self) -> str:
        return reverse("allocations:purchaser-history", args=[self.pk])

    def buyer(self) -> rules.Buyer:
        return rules.Buyer(
            name=self.name,
            household_income=self.household_income,
            local_connection=self.local_connection,
            parish=self.parish,
            first_time_buyer=self.first_time_buyer,
        )


class ResaleCase(models.Model):
    """One home's resale under its planning agreement, from the seller's notice to a sale to a
    nominee or the release to the open market."""

    class Product(models.TextChoices):
        SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"
        DISCOUNT_MARKET_SALE = "discount_market_sale", "Discount market sale"
        FIRST_HOMES = "first_homes", "First Homes"

    class Status(models.TextChoices):
        OPEN = "open", "Nomination window open"
        PROCEEDING = "proceeding", "Buyer proceeding"
        SOLD = "sold", "Sold to a nominee"
        RELEASED = "released", "Released to the open market"

    product = models.CharField("product", max_length=30, choices=Product.choices)
    address = models.CharField("address of the home", max_length=300)
    seller_name = models.CharField("seller", max_length=200)
    notice_on = models.DateField("notice received on")
    # The planning agreement's terms for this home.
    discount_percent = models.DecimalField(
        "discount (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    local_connection_parish = models.CharField(
        "local connection asked for (parish)", max_length=120, blank=True
    )
    income_cap = models.DecimalField(
        "household income cap", max_digits=10, decimal_places=2, null=True, blank=True
    )
    first_time_buyers_only = models.BooleanField("first-time buyers only", default=False)
    price_cap = models.DecimalField(
        "price cap after the discount", max_digits=10, decimal_places=2, null=True, blank=True
    )
    window_weeks = models.PositiveSmallIntegerField(
        "nomination window (weeks)",
        default=rules.DEFAULT_WINDOW_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    valuation_valid_weeks = models.PositiveSmallIntegerField(
        "a valuation is valid for (weeks)",
        default=rules.DEFAULT_VALUATION_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    valuation_amount = models.DecimalField(
        "valuation", max_digits=10, decimal_places=2, null=True, blank=True
    )
    valued_on = models.DateField("valued on", null=True, blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField("sold or released on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("address",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-notice_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_product_display()} resale of {self.address}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:resale-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:resale-history", args=[self.pk])

    def terms(self) -> rules.AgreementTerms:
        return rules.AgreementTerms(
            product=self.product,
            discount_percent=self.discount_percent,
            local_connection_parish=self.local_connection_parish,
            income_cap=self.income_cap,
            first_time_buyers_only=self.first_time_buyers_only,
            price_cap=self.price_cap,
        )

    @property
    def window_ends(self) -> date:
        return rules.window_ends(self.notice_on, self.window_weeks)

    @property
    def valuation_expires(self) -> date | None:
        if self.valued_on is None:
            return None
        return rules.valuation_expires(self.valued_on, self.valuation_valid_weeks)

    @property
    def discounted_price(self) -> Decimal | None:
        if self.valuation_amount is None:
            return None
        return rules.discounted_price(self.valuation_amount, self.discount_percent)

    @property
    def asking_price(self) -> Decimal | None:
        """The price a nominated buyer pays: after the discount, held to any price cap."""
        if self.valuation_amount is None:
            return None
        return rules.asking_price(self.terms(), self.valuation_amount)


class ResaleNomination(models.Model):
    """A buyer from the register the council nominated to a resale."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        PROCEEDING = "proceeding", "Proceeding"
        WITHDRAWN = "withdrawn", "Withdrawn"

    case = models.ForeignKey(ResaleCase, on_delete=models.PROTECT, related_name="nominations")
    purchaser = models.ForeignKey(Purchaser, on_delete=models.PROTECT, related_name="nominations")
    nominated_on = models.DateField("nominated on")
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.NOMINATED
    )
    decided_on = models.DateField("proceeded or withdrew on", null=True, blank=True)
    withdrawal_reason = models.TextField("why the buyer withdrew", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("purchaser", "case")

    class Meta:
        ordering = ["nominated_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "purchaser"], name="resale_nominates_a_buyer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purchaser} nominated to {self.case.address}"


class ResaleStep(models.Model):
    """Each step of a resale and what was sent about it, and to whom, with the letters drawn
    for it (allocations.Letter, addressed to the seller or the purchaser by name)."""

    class Kind(models.TextChoices):
        NOTICE = "notice", "Notice received"
        VALUATION = "valuation", "Valuation recorded"
        NOMINATION = "nomination", "Buyer nominated"
        NOT_ELIGIBLE = "not_eligible", "Buyer told they are not eligible"
        PROCEEDING = "proceeding", "Buyer proceeding"
        WITHDRAWAL = "withdrawal", "Buyer withdrew"
        SOLD = "sold", "Sold to a nominee"
        RELEASE = "release", "Released to the open market"

    case = models.ForeignKey(ResaleCase, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("step", max_length=20, choices=Kind.choices)
    on = models.DateField("on")
    sent_to = models.CharField("told", max_length=300)
    communication = models.TextField("what they were told")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("kind", "case")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {page_date(self.on)}"
