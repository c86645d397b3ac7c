"""Keeping the register true: bedroom-need changes seen coming, and yearly renewals."""

from django.db import models
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.showing import HouseholdSpecialCategory
from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords


class BedroomNeedChange(models.Model):
    """A day the bedroom need of an application changes under its policy's standard (a child
    turning 10, 16 or 21; an expected child), found ahead by the nightly task; a due date
    passed with no birth recorded, for the officer to check; or, on a pitch application, a day
    a young person reaches the age for a caravan of their own, for the officer to reassess."""

    class Kind(models.TextChoices):
        CHANGE = "change", "Bedroom need changes"
        BIRTH_CHECK = "birth_check", "Check the household's circumstances"
        # A pitch application: a young person reaches the policy's age for a caravan of their
        # own; need_before/need_after count caravans; the officer reassesses (never applied).
        PITCH_CHECK = "pitch_check", "Pitch need may change"

    class Status(models.TextChoices):
        COMING = "coming", "Coming"
        APPLIED = "applied", "Recorded on the day"
        CHECKED = "checked", "Checked"
        NO_LONGER = "no_longer", "No longer expected"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="need_changes"
    )
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.CHANGE)
    change_on = models.DateField("changes on")
    need_before = models.PositiveSmallIntegerField("need before (bedrooms, or caravans)")
    need_after = models.PositiveSmallIntegerField("need after (bedrooms, or caravans)")
    reasons = models.JSONField("why", default=list, blank=True)
    # An expected child is pregnancy, which is health data: pages say "a change in the
    # household" to roles that may not read it.
    expected_child = models.BooleanField("about an expected child", default=False)
    effects = models.JSONField("what else it changes", default=list, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.COMING
    )
    applied_on = models.DateField("recorded on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    # The reasons can name an expected child, and `expected_child` says there is one: both
    # pregnancy, health data. The History page shows them only to roles that read
    # special-category data, and logs the showing; the change log withholds them.
    SPECIAL_CATEGORY_FIELDS = {"reasons", "expected_child"}

    class Meta:
        ordering = ["change_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "change_on"], name="need_change_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:need-change-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:need-change-history", args=[self.pk])

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        if not record.expected_child:
            return
        from residents.services import special_category_views_record

        special_category_views_record(
            people=record.application.household.people.exclude(pregnancy_due_date=None),
            user=user,
            fields=["pregnancy_due_date"],
            where=where,
        )


class Renewal(HouseholdSpecialCategory, models.Model):
    """One year's renewal of an application: due on the registration anniversary; a reminder
    letter before it; no answer by the date puts the application on hold with a second letter;
    no answer by the policy's period closes it, with a letter and the review right."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        REMINDED = "reminded", "Reminder sent"
        ON_HOLD = "on_hold", "On hold: no answer"
        CLOSED = "closed", "Closed: no answer"
        RENEWED = "renewed", "Renewed"
        REINSTATED = "reinstated", "Reinstated after closure"
        # The application left the register (withdrawn, housed, lapsed or refused) while
        # this renewal was open: nothing left to renew, and nothing to reinstate from.
        ENDED = "ended", "Ended: the application left the register"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="renewals")
    due_on = models.DateField("renewal due on")
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DUE)
    reminded_on = models.DateField("reminder sent on", null=True, blank=True)
    held_on = models.DateField("put on hold on", null=True, blank=True)
    closed_on = models.DateField("closed on", null=True, blank=True)
    answered_on = models.DateField("answer received on", null=True, blank=True)
    circumstances = models.TextField("what the household told us", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)
    # What the household said at renewal ("who lives with them now and anything that has
    # changed") is written freely and is often health or pregnancy ("expecting in March",
    # "my son was diagnosed…"): special category, shown only to roles holding
    # `config.view_special_category` (each showing logged), withheld from the change log.
    SPECIAL_CATEGORY_FIELDS = {"circumstances"}
    SPECIAL_CATEGORY_PREFIX = "renewal"

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "due_on"], name="renewal_once_a_year")
        ]

    def __str__(self) -> str:
        return f"Renewal of {self.application} due {page_date(self.due_on)}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:renewal-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:renewal-history", args=[self.pk])
