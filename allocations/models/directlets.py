"""Direct lets: a home let to a named household outside the bidding cycle, with the policy's
reason, approved by a team leader before any offer is made."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.lettings import ShortlistEntry, Vacancy
from allocations.models.showing import HouseholdSpecialCategory
from config.kernel.history_rows import HistoricalRecords


class DirectLet(HouseholdSpecialCategory, models.Model):
    """An officer's proposal to let a vacancy to one named application without bidding, and a
    team leader's decision on it (never the proposer's: a database constraint holds it).

    Approved, the vacancy is closed with a shortlist of that one household (the entry below),
    and the normal offer, decision and agreement steps follow."""

    class Reason(models.TextChoices):
        # The allocation scheme's grounds for letting outside the cycle (Housing Act 1996
        # Part 6 schemes commonly name these; the council's policy says which it uses).
        EMERGENCY = "emergency", "Emergency move (risk to life or safety)"
        MANAGEMENT = "management", "Management move"
        DECANT = "decant", "Decant (the home is to be repaired, redeveloped or demolished)"
        STATUTORY = "statutory", "Statutory duty (for example the homelessness duty)"
        NO_SUITABLE_BIDDER = "no_suitable_bidder", "A home no bidder suits"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a team leader"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        # Approved but never let: the offer was not made and accepted by its lapse date
        # (the nightly run), or an officer closed it with a reason. Either way the home and
        # the household are free again.
        LAPSED = "lapsed", "Lapsed (not let in time)"
        CLOSED = "closed", "Closed by an officer"

    # Live: holding the vacancy (one per vacancy at a time; see the constraint).
    LIVE_STATUSES = (Status.PROPOSED, Status.APPROVED)
    ENDED_STATUSES = (Status.LAPSED, Status.CLOSED)

    reference = models.CharField("direct let reference", max_length=20, unique=True)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="direct_lets")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="direct_lets"
    )
    reason = models.CharField("reason", max_length=20, choices=Reason.choices)
    details = models.TextField("why this household and this home")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("proposed at", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField("decided at", null=True, blank=True)
    decision_reason = models.TextField("team leader's reason", blank=True)
    # An approved let is a promise of one home to one household; kept open for ever it would
    # hold the home off bidding and other lets (DIRECT_LET_LAPSE_DAYS after approval).
    lapses_on = models.DateField("lapses on, unless let by then", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ended_at = models.DateTimeField("lapsed or closed at", null=True, blank=True)
    end_reason = models.TextField("why it lapsed or was closed", blank=True)
    entry = models.OneToOneField(
        ShortlistEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_let",
        verbose_name="shortlist entry it made",
    )

    history = HistoricalRecords(excluded_fields=["proposed_at"])
    # Why this household needs this home now is written freely and is often health, welfare
    # or violence ("Fleeing domestic abuse: MARAC referral", "can no longer manage stairs"):
    # special category, shown only to roles holding `config.view_special_category` (each
    # showing logged), withheld from the change log and from others' History pages.
    SPECIAL_CATEGORY_FIELDS = {"details"}
    SPECIAL_CATEGORY_PREFIX = "directlet"

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = "direct let"
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=["proposed", "approved"]),
                name="one_live_direct_let_per_vacancy",
            ),
            # Four eyes: the proposer never decides their own proposal, whatever the code does.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                name="direct_let_not_decided_by_its_proposer",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_by__isnull=True)
                | (~Q(status="proposed") & Q(decided_by__isnull=False) & ~Q(decision_reason="")),
                name="direct_let_decided_with_who_and_why",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(entry__isnull=False),
                name="approved_direct_let_has_its_entry",
            ),
            # Ended only after approval, with who, when and why.
            models.CheckConstraint(
                condition=~Q(status__in=["lapsed", "closed"])
                | (
                    Q(entry__isnull=False, ended_by__isnull=False, ended_at__isnull=False)
                    & ~Q(end_reason="")
                ),
                name="ended_direct_let_says_who_and_why",
            ),
        ]
        permissions = [("decide_directlet", "Can approve or decline a direct let")]

    CHANGE_LOG_LABEL = ("reference",)

    def __str__(self) -> str:
        return f"Direct let {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:direct-let-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:direct-let-history", args=[self.pk])

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_ended(self) -> bool:
        return self.status in self.ENDED_STATUSES

    @property
    def status_colour(self) -> str:
        """The GOV.UK tag colour for the status (pages never compare status strings)."""
        return {
            self.Status.APPROVED: "green",
            self.Status.DECLINED: "red",
            self.Status.LAPSED: "grey",
            self.Status.CLOSED: "grey",
        }.get(self.status, "yellow")
