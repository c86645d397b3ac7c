from django.db import models
from simple_history.models import HistoricalRecords

from sites.models import Unit


class Household(models.Model):
    """Applicants and residents who live (or want to live) together. Issue 3 fills this out."""

    reference = models.CharField("household reference", max_length=20, unique=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name="current unit",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference


class Person(models.Model):
    class Relationship(models.TextChoices):
        LEAD = "lead", "Lead applicant"
        PARTNER = "partner", "Partner"
        CHILD = "child", "Child"
        PARENT = "parent", "Parent"
        OTHER_RELATIVE = "other_relative", "Other relative"
        OTHER = "other", "Other"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField("first name", max_length=80)
    last_name = models.CharField("last name", max_length=80)
    # A plain date, never a datetime: a birthday does not move with time zones.
    date_of_birth = models.DateField("date of birth")
    relationship = models.CharField(
        "relationship to lead applicant", max_length=20, choices=Relationship.choices
    )
    sex = models.CharField("sex", max_length=10, choices=Sex.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
