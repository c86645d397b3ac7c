"""Reads for reviews of choice-based lettings band assessments."""

from django.db.models import QuerySet

from allocations.models import Application, BandReview
from residents.selectors import lead_name


def band_reviews_awaited() -> QuerySet:
    """Band assessments whose review was asked for and is not decided: oldest first, so none
    waits past the policy's period."""
    return (
        BandReview.objects.filter(
            outcome=BandReview.Outcome.AWAITED,
            # Off the register, its review is not decided (its work is cancelled).
            application__status__in=[
                Application.Status.SUBMITTED,
                Application.Status.ACTIVE,
                Application.Status.SUSPENDED,
            ],
        )
        .select_related("application__household", "assessed_by", "assessment")
        .annotate(lead_name=lead_name("application__household"))
        .order_by("requested_on", "pk")
    )
