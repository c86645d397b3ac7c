"""Reads for joining the register: refused registrations and their reviews."""

from django.db.models import QuerySet

from allocations.models import Application, RegistrationRefusal
from residents.selectors import lead_name


def registration_reviews_awaited() -> QuerySet:
    """Refused registrations whose review was asked for and is not decided: oldest first, so
    none waits past the policy's period."""
    return (
        RegistrationRefusal.objects.filter(review=RegistrationRefusal.Review.REQUESTED)
        .select_related("application__household", "refused_by", "review_recorded_by")
        .annotate(lead_name=lead_name("application__household"))
        .order_by("review_requested_on", "pk")
    )


def application_refusals(application: Application) -> list[RegistrationRefusal]:
    return list(
        application.registration_refusals.select_related(
            "refused_by", "reviewed_by", "review_recorded_by", "policy_version"
        )
    )
