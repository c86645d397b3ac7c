"""What allocations puts on the pages of the apps below it (config/panels.py)."""

from django.http import HttpRequest

from allocations.models import Offer, Vacancy


def unit_letting(request: HttpRequest, *, unit) -> dict | None:
    """The unit's open vacancy and its live offer (or the approved let), for the unit page."""
    if request is None or not request.user.has_perm("allocations.view_vacancy"):
        return None
    vacancy = (
        Vacancy.objects.filter(unit=unit, status__in=[*Vacancy.OPEN_STATUSES, Vacancy.Status.LET])
        .order_by("-created_at", "-pk")
        .first()
    )
    if vacancy is None or (vacancy.status == Vacancy.Status.LET and not unit.is_void):
        return None
    offer = (
        vacancy.offers.filter(status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED])
        .select_related("application__household")
        .first()
    )
    return {"letting_vacancy": vacancy, "letting_offer": offer}


def tenancy_letters(request: HttpRequest, *, licence) -> dict | None:
    """The letters to a tenancy's tenants (the introductory review's notices), for its page."""
    if request is None or not request.user.has_perm("residents.view_licence"):
        return None
    if not licence.is_tenancy:
        return None
    return {"letters": licence.letters.order_by("requested_at", "pk")}
