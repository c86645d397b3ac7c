"""What CORE asks about a let that the allocation itself does not record: the sign-up answers.

CORE (the government's lettings log, allocations/core) asks the new tenant questions at
sign-up that no step of the allocation needs: nationality, working situation, armed forces,
illness, where they lived, income and benefits. The officer records them here, one record per
let (the approved allocation decision), in CORE's own answer codes (allocations/core/year2026.py
names the CORE file each list comes from), with one row per person for the per-person questions.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse

from allocations.core import year2026 as core
from allocations.core.countries import COUNTRIES
from allocations.models.decisions import AllocationDecision
from config.kernel.history_rows import HistoricalRecords
from residents.models import Person


def _choices(codes: dict) -> list[tuple[int, str]]:
    return list(codes.items())


class CoreLetAnswers(models.Model):
    """A let's answers to CORE's questions, as recorded at sign-up."""

    class Referral(models.TextChoices):
        """How the household came to this let (CORE field 131, questions/referral_register.rb)."""

        REGISTER = "register", "From the housing register (waiting list)"
        TRANSFER = "transfer", "Internal transfer of an existing council tenant"
        DIRECT = "direct", "Applied directly (not through the register)"

    class ConditionEffect(models.TextChoices):
        """How a long-term condition affects the person (CORE fields 101-110)."""

        DEXTERITY = "dexterity", "Dexterity"
        LEARNING = "learning", "Learning, understanding or concentrating"
        HEARING = "hearing", "Hearing"
        MEMORY = "memory", "Memory"
        MENTAL_HEALTH = "mental_health", "Mental health"
        MOBILITY = "mobility", "Mobility"
        SOCIAL = "social", "Socially or behaviourally"
        STAMINA = "stamina", "Stamina, breathing or fatigue"
        VISION = "vision", "Vision"
        OTHER = "other", "Another way"

    # The let: the council's own (an approved allocation decision) or a registered
    # provider's on the council's nomination; one of the two.
    decision = models.OneToOneField(
        AllocationDecision,
        on_delete=models.PROTECT,
        related_name="core_answers",
        null=True,
        blank=True,
    )
    nomination = models.OneToOneField(
        "allocations.Nomination",
        on_delete=models.PROTECT,
        related_name="core_answers",
        null=True,
        blank=True,
    )
    privacy_notice_seen = models.BooleanField(
        "tenant has seen the government's (MHCLG) privacy notice", default=False
    )
    referral = models.CharField(
        "source of referral", max_length=10, choices=Referral.choices, blank=True
    )
    # A provider's let on the council's nomination: who referred the household to the
    # council (CORE field 134); the rest of its referral (fields 132-133) is the nomination.
    referral_org = models.PositiveSmallIntegerField(
        "who referred the household to the council",
        choices=_choices(core.REFERRAL_ORG_LA),
        null=True,
        blank=True,
    )
    # How the let was allocated (fields 127-130); blank until the officer says.
    via_cbl = models.BooleanField("let through choice-based lettings", null=True, blank=True)
    via_common_allocation_policy = models.BooleanField(
        "let under a common allocation policy", null=True, blank=True
    )
    via_common_housing_register = models.BooleanField(
        "let from a common housing register", null=True, blank=True
    )
    via_accessible_register = models.BooleanField(
        "let from an accessible housing register", null=True, blank=True
    )
    # For a let whose unit's void reason maps to none of CORE's (the old "court order"):
    # the void's reason in CORE's words. The unit's own reason is used when it maps.
    vacancy_reason = models.PositiveSmallIntegerField(
        "reason the home was empty, in CORE's words",
        choices=_choices(core.VACANCY_REASON),
        null=True,
        blank=True,
        help_text="Only if the unit's void reason does not say it (an old 'court order').",
    )
    nationality = models.PositiveSmallIntegerField(
        "lead tenant's nationality", choices=sorted(COUNTRIES.items()), null=True, blank=True
    )
    armed_forces = models.PositiveSmallIntegerField(
        "links to the UK armed forces",
        choices=_choices(core.ARMED_FORCES),
        null=True,
        blank=True,
    )
    still_serving = models.PositiveSmallIntegerField(
        "still serving in the UK armed forces",
        choices=_choices(core.STILL_SERVING),
        null=True,
        blank=True,
    )
    injured_in_service = models.PositiveSmallIntegerField(
        "seriously injured or ill as a result of serving",
        choices=_choices(core.INJURED),
        null=True,
        blank=True,
    )
    illness = models.PositiveSmallIntegerField(
        "anyone with a condition expected to last 12 months or more",
        choices=_choices(core.PREFERS_NOT),
        null=True,
        blank=True,
    )
    condition_effects = ArrayField(
        models.CharField(max_length=20, choices=ConditionEffect.choices),
        default=list,
        blank=True,
        verbose_name="how the condition affects them",
    )
    time_in_area = models.PositiveSmallIntegerField(
        "time lived in the area", choices=_choices(core.TIME_IN_AREA), null=True, blank=True
    )
    leaving_reason = models.PositiveSmallIntegerField(
        "main reason for leaving their last settled home",
        choices=_choices(core.LEAVING_REASON),
        null=True,
        blank=True,
    )
    leaving_reason_other = models.CharField(
        "the other reason for leaving", max_length=200, blank=True
    )
    previous_tenure = models.PositiveSmallIntegerField(
        "where the household lived immediately before",
        choices=_choices(core.PREVIOUS_TENURE),
        null=True,
        blank=True,
    )
    homeless = models.PositiveSmallIntegerField(
        "homeless immediately before this let",
        choices=_choices(core.HOMELESS),
        null=True,
        blank=True,
    )
    previous_postcode = models.CharField(
        "postcode of the last settled home",
        max_length=8,
        blank=True,
        help_text="Leave blank if not known.",
    )
    income_known = models.PositiveSmallIntegerField(
        "household's income after tax known",
        choices=_choices(core.INCOME_KNOWN),
        null=True,
        blank=True,
    )
    income_frequency = models.PositiveSmallIntegerField(
        "income received", choices=_choices(core.INCOME_FREQUENCY), null=True, blank=True
    )
    income = models.DecimalField(
        "income after tax (£)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    housing_benefit = models.PositiveSmallIntegerField(
        "housing-related benefit likely",
        choices=_choices(core.HOUSING_BENEFITS),
        null=True,
        blank=True,
    )
    benefits_share = models.PositiveSmallIntegerField(
        "income from Universal Credit, state pensions or benefits",
        choices=_choices(core.BENEFITS_SHARE),
        null=True,
        blank=True,
    )
    rent_shortfall = models.PositiveSmallIntegerField(
        "still to pay rent after housing benefit",
        choices=_choices(core.RENT_SHORTFALL),
        null=True,
        blank=True,
    )
    shortfall = models.DecimalField(
        "expected outstanding amount (£ a week)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("recorded at", auto_now=True)

    history = HistoricalRecords(excluded_fields=["recorded_at"])
    CHANGE_LOG_LABEL = ("decision", "nomination")  # as the pages name it (config/changelog.py)

    # Health (UK GDPR art. 9), a serious injury or illness from serving included: shown and
    # recorded only by roles holding config.view_special_category, each showing logged.
    SPECIAL_CATEGORY_FIELDS = {"illness", "condition_effects", "injured_in_service"}

    class Meta:
        verbose_name = "CORE answers for a let"
        verbose_name_plural = "CORE answers for lets"
        permissions = [("export_core", "Can export CORE lettings logs")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__isnull=True) ^ models.Q(nomination__isnull=True),
                name="core_answers_for_one_let",
            )
        ]

    def __str__(self) -> str:
        return f"CORE answers for {self.decision or self.nomination}"

    def get_absolute_url(self) -> str:
        if self.nomination_id:
            return reverse("allocations:nomination-core-answers", args=[self.nomination_id])
        return reverse("allocations:core-answers", args=[self.decision_id])

    @property
    def household(self):
        """The household let to: the council's own let's, or the nominated one's."""
        if self.nomination_id:
            return self.nomination.application.household
        return self.decision.offer.application.household

    @classmethod
    def special_category_view_log(cls, *, record, user, fields, where: str) -> None:
        from residents.services import special_category_views_record

        special_category_views_record(
            people=record.household.people.all(),
            user=user,
            fields=fields,
            where=where,
        )


class CorePersonAnswers(models.Model):
    """One household member's answers to CORE's per-person questions."""

    answers = models.ForeignKey(CoreLetAnswers, on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    working_situation = models.PositiveSmallIntegerField(
        "working situation", choices=_choices(core.WORKING_SITUATION), null=True, blank=True
    )
    gender_same_as_sex = models.PositiveSmallIntegerField(
        "gender the same as sex registered at birth",
        choices=_choices(core.GENDER_SAME_AS_SEX),
        null=True,
        blank=True,
    )
    gender_description = models.CharField("gender identity", max_length=100, blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("person",)  # as the pages name it (config/changelog.py)

    class Meta:
        verbose_name = "CORE answers for a person"
        constraints = [
            models.UniqueConstraint(fields=["answers", "person"], name="core_person_once_per_let")
        ]

    def __str__(self) -> str:
        return f"CORE answers for {self.person}"
