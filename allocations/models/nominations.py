"""Nominations to registered providers: a provider's home is advertised in the cycle like any
other; from its frozen shortlist the council nominates, in order, one household at a time;
the provider accepts or rejects each (a rejection reviewed by the council's officer) and
confirms the let with its tenancy start date. Every showing of a nomination to the provider
is logged with the agreement's lawful basis."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from allocations.core import year2026 as core
from allocations.models.applications import Application
from allocations.models.lettings import ShortlistEntry, Vacancy
from config.kernel.dates import page_datetime
from config.kernel.history_rows import HistoricalRecords
from sites.models import RegisteredProvider


class Nomination(models.Model):
    """One household nominated from a vacancy's frozen shortlist to the provider whose home
    it is. Plain field names (provider, status, tenancy_start_date): the CORE export reads
    them for the provider's lets."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent, waiting for the provider"
        ACCEPTED = "accepted", "Accepted by the provider"
        REJECTED = "rejected", "Rejected, for the council to review"
        REJECTION_ACCEPTED = "rejection_accepted", "Rejected (rejection accepted)"
        LET = "let", "Let: tenancy start date confirmed"
        WITHDRAWN = "withdrawn", "Withdrawn by the council"

    # The nomination the vacancy is with now: one at a time.
    LIVE_STATUSES = (Status.SENT, Status.ACCEPTED, Status.REJECTED)

    class RejectionReason(models.TextChoices):
        AFFORDABILITY = "affordability", "Cannot afford the rent and charges"
        TENANCY_HISTORY = "tenancy_history", "Rent arrears or tenancy history"
        SUPPORT_NEEDS = "support_needs", "Support needs the provider cannot meet"
        HOME_UNSUITABLE = "home_unsuitable", "The home does not suit the household"
        NO_CONTACT = "no_contact", "No contact with the household"
        HOUSEHOLD_REFUSED = "household_refused", "The household turned the home down"
        OTHER = "other", "Another reason"

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="nominations")
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.PROTECT, related_name="nominations")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="nominations"
    )
    provider = models.ForeignKey(
        RegisteredProvider, on_delete=models.PROTECT, related_name="nominations"
    )
    position = models.PositiveIntegerField("shortlist position")
    first_let = models.BooleanField("first let of a new home", default=False)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField("sent at", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="sent by"
    )
    respond_by = models.DateField("provider to answer by")
    responded_at = models.DateTimeField("answered at", null=True, blank=True)
    responded_by_name = models.CharField("answered by", max_length=200, blank=True)
    rejection_reason = models.CharField(
        "reason for rejecting", max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_detail = models.TextField("the provider's explanation", blank=True)
    challenge_note = models.TextField("the council's challenge", blank=True)
    challenges = models.PositiveSmallIntegerField("times challenged", default=0)
    reviewed_at = models.DateTimeField("rejection reviewed at", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rejection reviewed by",
    )
    tenancy_start_date = models.DateField("tenancy start date", null=True, blank=True)
    # The provider's tenancy, as CORE asks it (fields 36-38 and 40): given when the let is
    # confirmed, the tenancy being the provider's and not on an agreement of ours.
    tenancy_type = models.PositiveSmallIntegerField(
        "type of tenancy",
        choices=[(code, core.TENANCY_TYPE[code]) for code in core.PROVIDER_TENANCY_TYPES],
        null=True,
        blank=True,
    )
    starter_tenancy = models.BooleanField("starter or introductory tenancy", null=True, blank=True)
    tenancy_length = models.PositiveSmallIntegerField(
        "length of the fixed term (years)", null=True, blank=True
    )
    joint_tenancy = models.BooleanField("joint tenancy", null=True, blank=True)
    withdrawal_reason = models.TextField("why the council withdrew it", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application", "vacancy")  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "nomination"
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=["sent", "accepted", "rejected"]),
                name="one_live_nomination_per_vacancy",
            ),
            models.UniqueConstraint(
                fields=["vacancy", "application"], name="one_nomination_per_household_per_vacancy"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "rejection_accepted"])
                | ~Q(rejection_reason=""),
                name="nomination_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="let") | Q(tenancy_start_date__isnull=False),
                name="nomination_let_has_tenancy_start_date",
            ),
        ]
        permissions = [
            ("answer_nomination", "Can answer nominations to their own provider's homes"),
            ("view_provider_report", "Can see the nominations report for a provider"),
        ]

    def __str__(self) -> str:
        return f"Nomination of {self.application.reference} for {self.vacancy.reference}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:nomination-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:nomination-history", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.SENT and timezone.localdate() > self.respond_by

    @property
    def rejection_words(self) -> str:
        if not self.rejection_reason:
            return ""
        label = self.get_rejection_reason_display()
        return f"{label}: {self.rejection_detail}" if self.rejection_detail else label


class NominationShowing(models.Model):
    """Who at the provider was shown a nomination (an account, or the secure link emailed to
    the provider's contact), what it disclosed and under which lawful basis. Append-only
    evidence for the information-sharing agreement."""

    class Via(models.TextChoices):
        ACCOUNT = "account", "The provider's account"
        SECURE_LINK = "secure_link", "The emailed secure link"

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="showings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="seen by",
    )
    via = models.CharField("how", max_length=20, choices=Via.choices)
    fields = ArrayField(models.CharField(max_length=40), verbose_name="what was disclosed")
    lawful_basis = models.TextField("lawful basis")
    shown_at = models.DateTimeField("when", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-shown_at", "-pk"]
        verbose_name = "nomination showing"
        default_permissions = ("view",)

    def __str__(self) -> str:
        who = self.user or self.get_via_display()
        return f"{self.nomination} shown to {who} on {page_datetime(self.shown_at)}"
