"""Vulnerability interviews, referrals to partners, and case conferences (issue 15).

What a vulnerability interview finds and why a referral is made are often health or
criminal-record information (special category): only the roles that decide cases read them,
and each showing is logged against the household's people.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from allocations.models.applications import Application
from allocations.models.checks import Partner
from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords
from residents.models import Household


def _log_household_showing(household: Household, *, user, fields, where: str) -> None:
    from residents.services import special_category_views_record

    special_category_views_record(
        people=household.people.all(), user=user, fields=fields, where=where
    )


class VulnerabilityInterview(models.Model):
    """A trauma-informed interview with a lettings customer who may be vulnerable."""

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="vulnerability_interviews"
    )
    held_on = models.DateField("date held")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    interpreter_language = models.CharField("interpreter (language)", max_length=60, blank=True)
    needs_found = models.TextField("needs found")
    risk = models.CharField("risk", max_length=10, choices=Risk.choices)
    support_in_place = models.TextField("support in place", blank=True)
    outcome = models.TextField("outcome")

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("application",)  # as the pages name it (config/changelog.py)

    SPECIAL_CATEGORY_FIELDS = {"needs_found", "risk", "support_in_place", "outcome"}

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Vulnerability interview for {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:vulnerability-detail", args=[self.pk])

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        _log_household_showing(record.application.household, user=user, fields=fields, where=where)


class Referral(models.Model):
    """A referral to a partner where care or support is not adequate."""

    class Agency(models.TextChoices):
        SOCIAL_CARE = "social_care", "Social care"
        TENANCY_SUSTAINMENT = "tenancy_sustainment", "Tenancy sustainment"
        HEALTH = "health", "Health"
        PROBATION = "probation", "Probation"
        SUPPORT_PROVIDER = "support_provider", "Support provider"

    class Basis(models.TextChoices):
        CONSENT = "consent", "The household consented"
        LAWFUL_BASIS = "lawful_basis", "Without consent, on a lawful basis"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    agency = models.CharField("referred to (type)", max_length=30, choices=Agency.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    reason = models.TextField("why")
    basis = models.CharField("consent or lawful basis", max_length=20, choices=Basis.choices)
    basis_detail = models.CharField(
        "consent reference or lawful basis",
        max_length=300,
        help_text="The consent form's reference, or the law or agreement clause relied on.",
    )
    referred_on = models.DateField("referred on")
    response_due = models.DateField("response due")
    response_received_on = models.DateField("response received on", null=True, blank=True)
    outcome = models.TextField("outcome", blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("household", "application")  # as the pages name it (config/changelog.py)

    SPECIAL_CATEGORY_FIELDS = {"reason", "outcome"}

    class Meta:
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"Referral to {self.partner or self.get_agency_display()} ({self.household})"

    def get_absolute_url(self) -> str:
        return reverse("allocations:referral-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("allocations:referral-history", args=[self.pk])

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        _log_household_showing(record.household, user=user, fields=fields, where=where)


class CaseConference(models.Model):
    """A case conference: who attended, the cases discussed, decisions; actions become work."""

    held_on = models.DateField("date held")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name="staff attending"
    )
    partners_attending = models.TextField("partners attending", blank=True)
    applications = models.ManyToManyField(
        Application, related_name="case_conferences", verbose_name="cases discussed"
    )
    decisions = models.TextField("decisions")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("held_on",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Case conference on {page_date(self.held_on)}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:conference-detail", args=[self.pk])
