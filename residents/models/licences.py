"""Licences, who is named on them, their documents and their signing."""

import hashlib
import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import Q, Value
from django.urls import reverse

from config.kernel.dates import page_date
from config.kernel.documents import RenderedDocument
from config.kernel.files import PrivateFileField, PrivateUpload
from config.kernel.history_rows import HistoricalRecords
from residents.models.households import Household, Person
from sites.models import Unit


class DateRange(models.Func):
    """daterange(start, end, '[)') — a licence's span, open-ended while end is NULL."""

    function = "daterange"
    output_field = DateRangeField()


class Licence(models.Model):
    """An occupancy agreement: who holds which unit, from when, on what terms. Its `kind` says
    which: a pitch licence or a transit pitch licence (Mobile Homes Act 1983, for pitches), or
    an introductory, secure or fixed-term (flexible) tenancy (Housing Acts 1985 and 1996, for
    homes). The model keeps its first name (Licence) and table; what differs by kind (the
    written statement and pitch fee for pitches, rent, service charge and the introductory
    review for homes) lives with the kind.

    At most one live licence per unit at any moment: an exclusion constraint on the unit and
    the date range, so two officers signing at once cannot both succeed. Drafts (prepared,
    not signed) take no part in the constraint.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Being prepared"
        # Signed, but its start date has not come: not live until then (the unit stays
        # allocated, the household not yet living there).
        SIGNED = "signed", "Signed, not started"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"
        CANCELLED = "cancelled", "Did not go ahead"

    class Kind(models.TextChoices):
        """The kind of occupancy agreement (Mobile Homes Act 1983 Sch. 1 Pt 1: Chapter 4 for a
        permanent pitch, Chapter 3 for a transit pitch)."""

        PITCH = "pitch", "Pitch licence"
        TRANSIT = "transit", "Transit pitch licence (fixed term)"
        # Homes (Housing Act 1996 Part 5: introductory for 12 months, then secure; Housing Act
        # 1985: secure; s.107A: flexible, for a fixed term).
        INTRODUCTORY = "introductory", "Introductory tenancy"
        SECURE = "secure", "Secure tenancy"
        FIXED_TERM = "fixed_term", "Fixed-term (flexible) tenancy"

    # The kinds let on a pitch (a licence) and on a home (a tenancy).
    LICENCE_KINDS = (Kind.PITCH, Kind.TRANSIT)
    TENANCY_KINDS = (Kind.INTRODUCTORY, Kind.SECURE, Kind.FIXED_TERM)

    class IntroductoryReview(models.TextChoices):
        """The introductory period's review before it becomes secure (Housing Act 1996 s.125A)."""

        CONFIRMED = "confirmed", "Confirmed: secure from the end of the introductory period"
        EXTENDED = "extended", "Extended by 6 months"

    class EndReason(models.TextChoices):
        NOTICE = "notice", "Notice given by the licence holder (4 weeks)"
        COURT_ORDER = "court_order", "Court order"
        TRANSFER = "transfer", "Transfer to another pitch or home"
        DEATH = "death", "Death of the licence holder or tenant, nobody succeeding"
        SUCCESSION = "succession", "Death of the licence holder or tenant, with a succession"
        # Tenancies only (homes).
        NOTICE_TO_QUIT = "notice_to_quit", "Notice to quit given by the tenant (4 weeks)"
        POSSESSION_ORDER = "possession_order", "Possession order"
        MUTUAL_EXCHANGE = "mutual_exchange", "Mutual exchange"
        FIXED_TERM = "fixed_term", "End of the fixed term"
        # Kept for licences ended before the court route was recorded: the council cannot end
        # an agreement for abandonment itself (it goes to court), so it is never offered now.
        ABANDONMENT = "abandonment", "Abandonment (recorded before the court route)"

    class CourtGround(models.TextChoices):
        """Why the court was asked to end the agreement (MHA 1983 Sch. 1 Pt 1 Ch. 4 para 4-6)."""

        BREACH = "breach", "Breach not remedied after a notice to remedy"
        NOT_MAIN_RESIDENCE = "not_main_residence", "Pitch not the occupier's only or main residence"
        ABANDONMENT = "abandonment", "Suspected abandonment (notices served, no reply)"
        CONDITION = "condition", "Condition of the home harming the site"

    # Statuses that hold the unit: a signing the database's exclusion constraint weighs.
    HOLDING_STATUSES = (Status.SIGNED, Status.LIVE, Status.ENDED)
    # An agreement still to come or running: the unit is allocated or occupied.
    PENDING_STATUSES = (Status.DRAFT, Status.SIGNED)

    reference = models.CharField("agreement reference", max_length=20, unique=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="licences")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="licences")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    kind = models.CharField(
        "kind of agreement", max_length=20, choices=Kind.choices, default=Kind.PITCH
    )
    start_date = models.DateField("start date")
    end_date = models.DateField(
        "end date", null=True, blank=True, help_text="The first day the agreement no longer runs."
    )
    end_reason = models.CharField(
        "why the agreement ended", max_length=20, choices=EndReason.choices, blank=True
    )
    # Pitches: the pitch fee. Homes: the rent and service charges (from the home).
    weekly_fee = models.DecimalField(
        "weekly pitch fee (£)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    weekly_rent = models.DecimalField(
        "weekly rent (£)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    service_charge = models.DecimalField(
        "weekly service charges (£)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    keys_handed_over_on = models.DateField("keys handed over on", null=True, blank=True)
    # An introductory tenancy: the day its introductory period ends and it becomes secure (the
    # anniversary of its start, or 6 months later when extended), and the review's outcome.
    introductory_ends_on = models.DateField("introductory period ends on", null=True, blank=True)
    introductory_review = models.CharField(
        "introductory review",
        max_length=20,
        choices=IntroductoryReview.choices,
        blank=True,
    )
    introductory_reviewed_on = models.DateField(
        "introductory period reviewed on", null=True, blank=True
    )
    introductory_extension_reason = models.TextField("why the period was extended", blank=True)
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
    # s.1(4): the proposed occupier may consent in writing to a shorter period than 28 days.
    short_notice_consent_on = models.DateField(
        "written consent to a shorter period given on", null=True, blank=True
    )
    signed_on = models.DateField("signed on", null=True, blank=True)
    notice_given_on = models.DateField(
        "notice given on",
        null=True,
        blank=True,
        help_text="When the licence holder gave notice to end the licence.",
    )
    end_notes = models.TextField("notes on the ending", blank=True)
    court_ground = models.CharField(
        "ground the court was asked to end it on",
        max_length=20,
        choices=CourtGround.choices,
        blank=True,
    )
    notice_served_on = models.DateField(
        "notice served on",
        null=True,
        blank=True,
        help_text="The notice to remedy, or the abandonment notices, served before going to court.",
    )
    court_order_on = models.DateField("court order made on", null=True, blank=True)
    cancelled_reason = models.TextField("why it did not go ahead", blank=True)
    # Succession on death (MHA 1983 Sch. 1 Pt 1 Ch. 4 para 8): the successor's agreement for
    # the same pitch, linked to the one it follows.
    succeeds = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="succeeded_by",
        verbose_name="succeeds licence",
    )
    successor_relationship = models.CharField(
        "successor's relationship to the licence holder who died", max_length=60, blank=True
    )
    # Which holder died, on the licence their death ended: with joint holders, the one the
    # succession follows (the survivors carry it on) and whose family a successor belongs to.
    holder_died = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="licence holder who died",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-start_date", "reference"]
        verbose_name = "occupancy agreement"
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
                condition=Q(status__in=["signed", "live", "ended"]),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="licence_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="ended_licence_has_end_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="cancelled_licence_has_reason",
            ),
            # A transit pitch is let for a fixed term: its end is known from the start.
            models.CheckConstraint(
                condition=~Q(kind="transit") | Q(end_date__isnull=False),
                name="transit_licence_has_fixed_term",
            ),
            # A pitch has its fee; a home its rent (the unit's; service charges may be none).
            models.CheckConstraint(
                condition=~Q(kind__in=["pitch", "transit"]) | Q(weekly_fee__isnull=False),
                name="licence_has_pitch_fee",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["introductory", "secure", "fixed_term"])
                | (Q(weekly_rent__isnull=False) & Q(service_charge__isnull=False)),
                name="tenancy_has_rent_and_service_charge",
            ),
            models.CheckConstraint(
                condition=~Q(kind="introductory") | Q(introductory_ends_on__isnull=False),
                name="introductory_tenancy_has_its_period",
            ),
            models.CheckConstraint(
                condition=~Q(end_reason="court_order")
                | (~Q(court_ground="") & Q(court_order_on__isnull=False)),
                name="court_order_ending_has_ground_and_date",
            ),
        ]

    # The colour of the status tag on pages (GOV.UK tag colours).
    STATUS_COLOURS = {
        Status.DRAFT: "blue",
        Status.SIGNED: "turquoise",
        Status.LIVE: "green",
        Status.ENDED: "grey",
        Status.CANCELLED: "grey",
    }

    CHANGE_LOG_LABEL = ("reference", "unit")  # as the pages name it (config/changelog.py)

    def __str__(self) -> str:
        return f"{self.agreement_word.capitalize()} {self.reference}: {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("residents:licence-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("residents:licence-history", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS.get(self.status, "")

    @property
    def is_tenancy(self) -> bool:
        return self.kind in self.TENANCY_KINDS

    @property
    def is_introductory(self) -> bool:
        return self.kind == self.Kind.INTRODUCTORY

    @property
    def agreement_word(self) -> str:
        """What the pages call it: a tenancy for a home, a licence for a pitch."""
        return "tenancy" if self.is_tenancy else "licence"

    @property
    def holder_word(self) -> str:
        return "tenant" if self.is_tenancy else "licence holder"

    @property
    def weekly_fee_display(self) -> str:
        return f"£{self.weekly_fee}"

    @property
    def weekly_rent_display(self) -> str:
        return f"£{self.weekly_rent}"

    @property
    def service_charge_display(self) -> str:
        return f"£{self.service_charge}"

    @property
    def deposit_display(self) -> str:
        return f"£{self.deposit}"

    @property
    def terms_display(self) -> str:
        return f"Version {self.terms_version}"

    @property
    def is_transit(self) -> bool:
        return self.kind == self.Kind.TRANSIT


class LicenceEvidence(PrivateUpload):
    """A scan kept with a licence: the occupier's written consent to a shorter period before
    signing, a court order, or the evidence for a succession."""

    class Kind(models.TextChoices):
        SHORT_NOTICE_CONSENT = "short_notice_consent", "Written consent to a shorter period"
        COURT_ORDER = "court_order", "Court order"
        SUCCESSION = "succession", "Evidence for a succession"

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField("what it is", max_length=30, choices=Kind.choices)
    file = PrivateFileField("file", upload_to="licences/evidence/%Y/%m/")

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("licence",)  # as the pages name it (config/changelog.py)

    class Meta(PrivateUpload.Meta):
        verbose_name = "licence evidence"
        verbose_name_plural = "licence evidence"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for licence {self.licence.reference}"


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
    CHANGE_LOG_LABEL = ("person", "licence")  # as the pages name it (config/changelog.py)

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
        return f"{self.person} ({self.role_word}) on {self.licence}"

    @property
    def role_word(self) -> str:
        """A tenancy's people are its tenants and household members."""
        if not self.licence.is_tenancy:
            return self.get_role_display()
        return "Tenant" if self.role == self.Role.HOLDER else "Household member"


class LicenceDocument(RenderedDocument):
    """A licence agreement or written statement drawn to PDF by a Celery task.

    What it says is frozen when it is requested (`context`) and the PDF, once written, is never
    drawn again over it: a change to the licence makes new documents and marks these
    superseded. The agreement that was signed stays linked from the licence for ever.
    """

    class Kind(models.TextChoices):
        WRITTEN_STATEMENT = "written_statement", "Written statement (Mobile Homes Act 1983)"
        AGREEMENT = "agreement", "Licence agreement"
        TRANSIT_AGREEMENT = "transit_agreement", "Transit pitch licence agreement (fixed term)"
        TENANCY_AGREEMENT = "tenancy_agreement", "Tenancy agreement"
        TENANCY_EASY_READ = "tenancy_easy_read", "Tenancy agreement, easy-read version"

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("document", max_length=20, choices=Kind.choices)
    template_version = models.CharField("template version", max_length=40)
    context = models.JSONField("what the document says", help_text="Frozen when requested.")
    file = PrivateFileField("PDF", upload_to="licences/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True)
    superseded_at = models.DateTimeField(
        "superseded at",
        null=True,
        blank=True,
        help_text="Set when the licence changed after this was drawn.",
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("licence",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "licence document"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for licence {self.licence.reference}"

    def document_pdf(self) -> bytes:
        from residents import documents

        return documents.licence_document_pdf(self)

    def document_filename(self) -> str:
        return f"{self.licence_id}-{self.kind}-{uuid.uuid4().hex}.pdf"

    def document_ready(self, pdf: bytes) -> None:
        self.sha256 = hashlib.sha256(pdf).hexdigest()


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
    # Pitches only: a tenancy has no Mobile Homes Act written statement.
    written_statement = models.ForeignKey(
        LicenceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="written statement given",
    )
    agreement_sha256 = models.CharField("SHA-256 of the agreement signed", max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("licence",)  # as the pages name it (config/changelog.py)

    class Meta:
        verbose_name = "licence signing"

    def __str__(self) -> str:
        return f"Licence {self.licence.reference} signed on {page_date(self.signed_on)}"
