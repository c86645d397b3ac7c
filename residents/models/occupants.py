"""Unauthorised occupants: people found on a pitch who are not named on its licence."""

from django.conf import settings
from django.db import models

from config.kernel.dates import page_date
from config.kernel.history_rows import HistoricalRecords
from residents.models.licences import Licence
from sites.models import Unit


class UnauthorisedOccupant(models.Model):
    """Someone found living on a pitch who is not named on its licence (a visit or the census)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        AUTHORISED = "authorised", "Since authorised"
        LEFT = "left", "Has left"
        # The licence they were found under ended: nobody lives on the pitch under it now, so
        # there is nothing left to authorise them on (closed by the licence's ending).
        LICENCE_ENDED = "ended", "Closed when the licence ended"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="unauthorised_occupants")
    licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unauthorised_occupants",
    )
    name = models.CharField("name", max_length=120)
    approximate_age = models.PositiveSmallIntegerField("approximate age", null=True, blank=True)
    found_on = models.DateField("found on")
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="found by",
    )
    where_found = models.CharField(
        "found during", max_length=60, help_text="For example: census 2026, new-resident visit."
    )
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField("notes", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-found_on", "name"]

    def __str__(self) -> str:
        return f"{self.name}, found on {self.unit} on {page_date(self.found_on)}"

    def get_absolute_url(self) -> str:
        """The page that lists the record (with its update link): the licence's, else the
        unit's."""
        return (self.licence or self.unit).get_absolute_url()
