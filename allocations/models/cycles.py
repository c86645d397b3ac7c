"""Choice-based lettings: weekly bidding cycles, what adverts carry beyond the vacancy (photos,
published let results), households' parish connections, auto-bid preferences, and the
advertising newsletter with who it is sent to."""

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from allocations.models.applications import Application, EvidenceDocument
from allocations.models.lettings import Vacancy
from config.kernel.dates import page_datetime
from config.kernel.documents import RenderedDocument
from config.kernel.files import PrivateFileField, PrivateUpload
from config.kernel.history_rows import HistoricalRecords
from residents.models import Household


class BiddingCycle(models.Model):
    """One week's bidding: adverts are published into it, take bids while it is open and
    close with it. Times are exact to the second (a bid at 23:59:59 on the closing day counts,
    one at 00:00:00 does not); stored in UTC, always shown in UK time."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", "Not open yet"
        OPEN = "open", "Open for bids"
        CLOSING = "closing", "Closed, shortlists not yet frozen"
        CLOSED = "closed", "Closed, shortlists frozen"

    reference = models.CharField("cycle reference", max_length=20, unique=True)
    opens_at = models.DateTimeField("opens at")
    closes_at = models.DateTimeField("closes at", help_text="The last second that bids count.")
    auto_bids_placed_at = models.DateTimeField("auto-bids placed at", null=True, blank=True)
    frozen_at = models.DateTimeField("shortlists frozen at", null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="shortlists frozen by",
    )
    close_reason = models.TextField("why an officer closed it", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = "bidding cycle"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="cycle_closes_after_it_opens"
            )
        ]

    def __str__(self) -> str:
        return f"Bidding cycle {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:cycle-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:cycle-history", args=[self.pk])

    def phase_at(self, moment=None) -> str:
        moment = (moment or timezone.now()).replace(microsecond=0)
        if self.frozen_at:
            return self.Phase.CLOSED
        if moment < self.opens_at:
            return self.Phase.UPCOMING
        if moment <= self.closes_at:
            return self.Phase.OPEN
        return self.Phase.CLOSING

    @property
    def phase(self) -> str:
        return self.phase_at()

    @property
    def phase_label(self) -> str:
        return self.Phase(self.phase).label

    @property
    def is_open(self) -> bool:
        return self.phase == self.Phase.OPEN

    @property
    def dates_words(self) -> str:
        return f"{page_datetime(self.opens_at)} to {page_datetime(self.closes_at)}"


class AdvertPhoto(PrivateUpload):
    """A photo of the advertised home, kept privately and shown on the advert's page."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="photos")
    file = PrivateFileField("photo", upload_to="adverts/%Y/%m/")

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("vacancy",)  # as the pages name it (config/changelog.py)

    class Meta(PrivateUpload.Meta):
        verbose_name = "advert photo"

    def __str__(self) -> str:
        return f"Photo of {self.vacancy}"


class HouseholdConnection(models.Model):
    """A household's connection to a parish, with the evidence seen: it gives the household's
    tier for each advertised home (own parish 1, adjacent 2, elsewhere 3)."""

    class Kind(models.TextChoices):
        RESIDENCE = "residence", "Lives in the parish"
        FAMILY = "family", "Close family live in the parish"
        WORK = "work", "Works in the parish"
        # Not a connection for the tier: a local lettings plan's "in work or volunteering".
        VOLUNTEERING = "volunteering", "Volunteers in the parish"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="connections")
    kind = models.CharField("type of connection", max_length=20, choices=Kind.choices)
    parish = models.CharField("parish", max_length=80)
    since = models.DateField("since")
    evidence = models.ForeignKey(
        EvidenceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="evidence document",
    )
    evidence_seen = models.CharField("evidence seen", max_length=200)
    ended_on = models.DateField("ended on", null=True, blank=True)
    # Shown with the date on the Bids page (also the change reason of the history row).
    end_reason = models.TextField("why it ended", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("household",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["household", "parish", "kind"]
        verbose_name = "household connection"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.parish}"


# One local lettings plan to a name, whatever its capitals.
LETTINGS_PLAN_NAME_UNIQUE = "lettings_plan_name_unique_ignoring_case"


class LocalLettingsPlan(models.Model):
    """A local lettings plan: policy data an advert can name, for a new-build estate or a
    village, say. Each criterion is either required (a bid that fails it is refused, saying
    why) or a priority (bidders who meet every priority criterion rank first at the close,
    before band and date, and the frozen shortlist says so). A share for working households
    is a quota: a priority for households in work only while the plan's lets fall short."""

    class Use(models.TextChoices):
        NOT_USED = "", "Not used"
        REQUIRED = "required", "Required to bid"
        PRIORITY = "priority", "Ranks first at the close"

    # One plan to a name, whatever its capitals (see Meta.constraints).
    name = models.CharField("name", max_length=120)
    area = models.CharField("parish or area", max_length=80)
    description = models.TextField("what the plan is for", blank=True)
    local_connection = models.CharField(
        "local connection to the advert's parish",
        max_length=10,
        choices=Use.choices,
        blank=True,
    )
    work_or_volunteering = models.CharField(
        "someone in the household in work or volunteering",
        max_length=10,
        choices=Use.choices,
        blank=True,
    )
    min_age = models.PositiveSmallIntegerField(
        "lead applicant's minimum age", null=True, blank=True
    )
    min_age_use = models.CharField("minimum age", max_length=10, choices=Use.choices, blank=True)
    # Conduct: a proven anti-social behaviour record (a nuisance breach of the household's
    # licence or tenancy with a notice to remedy served) within the last N months.
    no_recent_asb = models.CharField(
        "no one in the household with a proven anti-social behaviour record",
        max_length=10,
        choices=Use.choices,
        blank=True,
    )
    asb_months = models.PositiveSmallIntegerField(
        "months an anti-social behaviour record counts for", null=True, blank=True
    )
    # A council or provider tenant moving from a home with more bedrooms than they need.
    under_occupation = models.CharField(
        "tenants releasing a home larger than they need",
        max_length=10,
        choices=Use.choices,
        blank=True,
    )
    # A quota, not a criterion: while fewer than this share of the plan's lets so far went to
    # households in work, those in work rank first at the close; once met, it does not reorder.
    working_share = models.PositiveSmallIntegerField(
        "share of lets to households in work (%)", null=True, blank=True
    )
    active = models.BooleanField("can be put on new adverts", default=True)
    # Officers draft a plan; it applies only once a team leader approves it, and only to
    # adverts that open between its start and end dates.
    starts_on = models.DateField("start date", null=True, blank=True)
    ends_on = models.DateField("end date", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="approved by",
    )
    approved_at = models.DateTimeField("approved at", null=True, blank=True)
    approval_reason = models.TextField("reason for approving", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "local lettings plan"
        constraints = [
            # "Shorncliffe" and "shorncliffe" are one plan, as the form says.
            models.UniqueConstraint(
                Lower("name"),
                name=LETTINGS_PLAN_NAME_UNIQUE,
                # The service's words (it checks first): never "Constraint ... is violated".
                violation_error_message="There is already a plan with that name",
            ),
            models.CheckConstraint(
                condition=Q(min_age_use="") | Q(min_age__isnull=False),
                name="lettings_plan_age_criterion_has_an_age",
            ),
            models.CheckConstraint(
                condition=Q(no_recent_asb="") | Q(asb_months__isnull=False),
                name="lettings_plan_asb_criterion_has_months",
            ),
            models.CheckConstraint(
                condition=Q(working_share__isnull=True)
                | Q(working_share__gte=1, working_share__lte=100),
                name="lettings_plan_working_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="lettings_plan_ends_after_it_starts",
            ),
            # An approval always has its start date and its reason.
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True)
                | (Q(starts_on__isnull=False) & ~Q(approval_reason="")),
                name="lettings_plan_approval_has_start_and_reason",
            ),
        ]
        permissions = [("approve_locallettingsplan", "Can approve a local lettings plan")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("allocations:lettings-plan-edit", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def status_on(self, day: date) -> str:
        """ "draft", "approved" (including not yet started) or "ended", as on that day."""
        if not self.is_approved:
            return "draft"
        if self.ends_on is not None and self.ends_on < day:
            return "ended"
        return "approved"

    def applies_on(self, day: date) -> bool:
        """Approved and in date on that day (an advert's opening day)."""
        return (
            self.is_approved
            and self.starts_on is not None
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )

    def criteria(self):
        from allocations import rules

        return rules.PlanCriteria(
            name=self.name,
            local_connection=self.local_connection,
            work_or_volunteering=self.work_or_volunteering,
            min_age=self.min_age,
            min_age_use=self.min_age_use,
            no_recent_asb=self.no_recent_asb,
            asb_months=self.asb_months,
            under_occupation=self.under_occupation,
            working_share=self.working_share,
        )

    def criteria_lines(self) -> list[str]:
        """Each criterion in plain words, as the plan's list and the advert page show them."""
        return self.criteria().lines()


class AutoBidPreference(models.Model):
    """For a household the policy lets the auto-bidder bid for: why, and what it wants."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="auto_bid_preference"
    )
    group = models.CharField("why the council bids for them", max_length=40)
    areas = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    home_types = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    highest_floor = models.SmallIntegerField("highest floor", null=True, blank=True)
    active = models.BooleanField("auto-bidding on", default=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    class Meta:
        verbose_name = "auto-bid preference"

    def __str__(self) -> str:
        return f"Auto-bids for {self.application}"


class LetResult(models.Model):
    """The published result of a let advert: how many bid, and the band and effective date of
    the successful bidder, never who they are."""

    vacancy = models.OneToOneField(Vacancy, on_delete=models.PROTECT, related_name="let_result")
    bid_count = models.PositiveIntegerField("number of bids")
    band = models.PositiveSmallIntegerField("successful bidder's band", null=True, blank=True)
    points = models.IntegerField("successful bidder's points", null=True, blank=True)
    effective_date = models.DateField("successful bidder's effective date")
    connection_tier = models.PositiveSmallIntegerField(
        "successful bidder's connection tier", null=True, blank=True
    )
    published_at = models.DateTimeField("published at")

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("vacancy",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = "let result"

    def __str__(self) -> str:
        return f"Result of {self.vacancy.reference}"


class NewsletterRecipient(models.Model):
    """Who the advertising newsletter is sent to: partners, libraries, support agencies."""

    class Kind(models.TextChoices):
        PARTNER = "partner", "Partner"
        LIBRARY = "library", "Library"
        SUPPORT_AGENCY = "support_agency", "Support agency"
        OTHER = "other", "Other"

    name = models.CharField("name", max_length=120)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    email = models.EmailField("email address")
    edition = models.CharField("edition", max_length=20, default="standard")
    active = models.BooleanField("still sent", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "newsletter recipient"

    def __str__(self) -> str:
        return self.name

    @property
    def edition_words(self) -> str:
        """The edition as the newsletter names it ("Easy read"), not its stored code."""
        editions = dict(CycleNewsletter.Edition.choices)
        return str(editions.get(self.edition, self.edition))


class CycleNewsletter(RenderedDocument):
    """The advertising newsletter of one cycle in one edition, drawn by the worker."""

    class Edition(models.TextChoices):
        STANDARD = "standard", "Standard"
        EASY_READ = "easy_read", "Easy read"
        LARGE_PRINT = "large_print", "Large print"

    document_name = "Newsletter"

    cycle = models.ForeignKey(BiddingCycle, on_delete=models.PROTECT, related_name="newsletters")
    edition = models.CharField("edition", max_length=20, choices=Edition.choices)
    context = models.JSONField("what the newsletter says")
    file = PrivateFileField("PDF", upload_to="newsletters/%Y/%m/", blank=True)
    emailed_at = models.DateTimeField("emailed at", null=True, blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("edition", "cycle")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["cycle", "edition", "-requested_at"]
        verbose_name = "cycle newsletter"

    def __str__(self) -> str:
        return f"{self.get_edition_display()} newsletter, {self.cycle.reference}"

    def document_pdf(self) -> bytes:
        from allocations.documents import newsletter_pdf

        return newsletter_pdf(self)

    def document_filename(self) -> str:
        return f"{self.cycle.reference}-{self.edition}-newsletter.pdf"
