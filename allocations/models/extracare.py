"""Extra Care housing panels (issue 14): referrals with the social care assessment, the panel
that meets (often monthly) to decide them, its minutes and ranking, and the panel pack.

The assessment (care hours and needs) is health information (special category): only roles
with `config.view_special_category` are shown it, and each showing is logged against the
household's people.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from allocations.models.applications import Application
from config.kernel.dates import page_date
from config.kernel.documents import RenderedDocument
from config.kernel.files import PrivateFileField
from config.kernel.history_rows import HistoricalRecords


class ExtraCareReferral(models.Model):
    """A household referred to Extra Care housing, with social care's assessment."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="extra_care_referrals"
    )
    referred_by = models.CharField(
        "referred by",
        max_length=200,
        help_text="The social worker or team, for example: J. Patel, Adult Social Care",
    )
    referred_on = models.DateField("referred on")
    care_hours_per_week = models.DecimalField(
        "assessed care (hours a week)", max_digits=5, decimal_places=1
    )
    needs_summary = models.TextField("needs (from the social care assessment)")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    SPECIAL_CATEGORY_FIELDS = {"care_hours_per_week", "needs_summary"}

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = "Extra Care referral"

    def __str__(self) -> str:
        return f"Extra Care referral for {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:extracare-referral-detail", args=[self.pk])

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        from residents.services import special_category_views_record

        special_category_views_record(
            people=record.application.household.people.all(),
            user=user,
            fields=fields,
            where=where,
        )


class ExtraCarePanel(models.Model):
    """A meeting of the Extra Care panel: social care, the care provider and the landlord."""

    held_on = models.DateField("date of the panel")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name="council staff on the panel"
    )
    partner_members = models.TextField(
        "partner members", help_text="One a line, with their organisation"
    )
    referrals: models.ManyToManyField = models.ManyToManyField(
        ExtraCareReferral,
        through="ExtraCarePanelItem",
        related_name="panels",
        verbose_name="referrals on the agenda",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("held_on",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "Extra Care panel"

    def __str__(self) -> str:
        return f"Extra Care panel on {page_date(self.held_on)}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:extracare-panel-detail", args=[self.pk])

    @property
    def partner_member_lines(self) -> list[str]:
        return [line.strip() for line in self.partner_members.splitlines() if line.strip()]


class ExtraCarePanelItem(models.Model):
    """One referral on a panel's agenda: the panel's decision and reasons are the minutes;
    an approved referral has its place in the panel's ranking, from which offers are made."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        DECLINE = "decline", "Declined"
        DEFER = "defer", "Deferred"

    panel = models.ForeignKey(ExtraCarePanel, on_delete=models.PROTECT, related_name="items")
    referral = models.ForeignKey(
        ExtraCareReferral, on_delete=models.PROTECT, related_name="panel_items"
    )
    decision = models.CharField("decision", max_length=10, choices=Decision.choices, blank=True)
    reasons = models.TextField("reasons", blank=True)
    ranking = models.PositiveSmallIntegerField(
        "position in the panel's ranking", null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("referral", "panel")  # as the pages name it (config/changelog.py)
    # A referral's decisions, the one that counts first: the latest panel's (minutes put right
    # at an earlier panel do not overrule a later one's deferral).
    LATEST_FIRST = ("-panel__held_on", "-panel_id", "-pk")

    class Meta:
        ordering = ["panel", "ranking", "pk"]
        verbose_name = "Extra Care panel item"
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "referral"], name="extracare_item_once_per_panel"
            ),
            models.UniqueConstraint(
                fields=["panel", "ranking"],
                condition=models.Q(ranking__isnull=False),
                name="extracare_ranking_unique_per_panel",
            ),
            models.CheckConstraint(
                condition=models.Q(ranking__isnull=True) | models.Q(decision="approve"),
                name="extracare_only_approved_are_ranked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral.application} at the {self.panel}"


class ExtraCarePanelPack(RenderedDocument):
    """The panel pack for the members: the referrals with their assessments (special
    category), drawn by the worker."""

    document_name = "Panel pack"

    panel = models.ForeignKey(ExtraCarePanel, on_delete=models.PROTECT, related_name="packs")
    context = models.JSONField("what the pack says")
    file = PrivateFileField("PDF", upload_to="extracare/%Y/%m/", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("panel",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "Extra Care panel pack"

    def __str__(self) -> str:
        return f"Panel pack, {self.panel}"

    def document_pdf(self) -> bytes:
        from allocations.documents import extracare_pack_pdf

        return extracare_pack_pdf(self)

    def document_filename(self) -> str:
        return f"extra-care-panel-{self.panel.held_on:%Y-%m-%d}-pack.pdf"


class ExtraCareLet(models.Model):
    """An Extra Care home offered from the panel's ranking, outside the bidding cycle: the
    approved referral it went to, and any approved referrals ranked above who were skipped
    for this home, with the officer's reason.

    The vacancy is closed with the household as a shortlist entry (as a direct let does), so
    the normal offer, decision and tenancy steps follow. A refused offer leaves the vacancy
    for the next referral in the ranking: another let on the same vacancy."""

    reference = models.CharField("Extra Care let reference", max_length=20, unique=True)
    vacancy = models.ForeignKey(
        "allocations.Vacancy", on_delete=models.PROTECT, related_name="extra_care_lets"
    )
    item = models.ForeignKey(
        ExtraCarePanelItem,
        on_delete=models.PROTECT,
        related_name="lets",
        verbose_name="the panel's approval it was offered on",
    )
    skipped = models.ManyToManyField(
        ExtraCarePanelItem,
        related_name="skipped_in",
        blank=True,
        verbose_name="approved referrals ranked above, skipped for this home",
    )
    skip_reason = models.TextField("why those ranked above were skipped", blank=True)
    entry = models.OneToOneField(
        "allocations.ShortlistEntry",
        on_delete=models.PROTECT,
        related_name="extra_care_let",
        verbose_name="shortlist entry it made",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField("offered at", auto_now_add=True)

    # The skipped referrals are set once, with the let; its history row names them in its
    # reason, with the officer's reason for skipping.
    history = HistoricalRecords(excluded_fields=["made_at"])

    CHANGE_LOG_LABEL = ("reference",)

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = "Extra Care let"

    def __str__(self) -> str:
        return f"Extra Care let {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:extracare-let-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:extracare-let-history", args=[self.pk])
