"""The new-resident visit and its meter readings."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from config.kernel.dates import page_date
from config.kernel.files import PrivateFileField
from config.kernel.history_rows import HistoricalRecords
from residents.models.licences import Licence


class NewResidentVisit(models.Model):
    """The checklist of the new-resident visit after a licence is signed."""

    licence = models.OneToOneField(Licence, on_delete=models.PROTECT, related_name="visit")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="officer"
    )
    due_on = models.DateField("to be completed by")
    visited_on = models.DateField("visited on", null=True, blank=True)
    handbook_issued_on = models.DateField("handbook issued on", null=True, blank=True)
    policies_issued_on = models.DateField("policies issued on", null=True, blank=True)
    pay_card_issued_on = models.DateField("pay card issued on", null=True, blank=True)
    business_support_requested_at = models.DateTimeField(
        "business support asked at", null=True, blank=True
    )
    business_support_notified_at = models.DateTimeField(
        "business support notification sent at", null=True, blank=True
    )
    business_support_notified_to = models.CharField(
        "notification sent to", max_length=500, blank=True
    )
    completed_on = models.DateField("completed on", null=True, blank=True)
    notes = models.TextField("notes", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("licence",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "new-resident visit"

    def __str__(self) -> str:
        return f"New-resident visit for licence {self.licence.reference}"

    def get_absolute_url(self) -> str:
        return reverse("residents:visit-detail", args=[self.pk])

    def get_history_url(self) -> str:
        return reverse("residents:visit-history", args=[self.pk])


class MeterReading(models.Model):
    """An initial meter reading taken on the new-resident visit, with a photo of the meter."""

    class Meter(models.TextChoices):
        ELECTRICITY = "electricity", "Electricity"
        WATER = "water", "Water"
        GAS = "gas", "Gas"

    visit = models.ForeignKey(
        NewResidentVisit, on_delete=models.PROTECT, related_name="meter_readings"
    )
    meter = models.CharField("meter", max_length=12, choices=Meter.choices)
    serial = models.CharField("meter serial number", max_length=40)
    reading = models.DecimalField("reading", max_digits=12, decimal_places=2)
    read_on = models.DateField("read on")
    photo = PrivateFileField("photo", upload_to="meters/%Y/%m/")
    photo_content_type = models.CharField("photo file type", max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = ("visit",)  # as the pages name it (config/changelog.py)

    class Meta:
        ordering = ["meter", "-read_on"]
        verbose_name = "meter reading"

    def __str__(self) -> str:
        return f"{self.get_meter_display()} {self.reading} on {page_date(self.read_on)}"
