"""Vacancies, shortlists, and who is next in order for an offer."""

from django.db.models import Count, Q, QuerySet

from allocations.models import (
    Application,
    Bid,
    Offer,
    ShortlistEntry,
    Vacancy,
)
from residents.selectors import lead_name


def next_in_order(vacancy: Vacancy) -> ShortlistEntry | None:
    """The highest-placed applicant who can still be offered this vacancy."""
    return (
        vacancy.shortlist.filter(
            eligible=True,
            removed_reason="",
            offers__isnull=True,
            application__status=Application.Status.ACTIVE,
        )
        # A bypass waiting for a team leader's agreement keeps the applicant next in line.
        .exclude(bypass_status=ShortlistEntry.Bypass.BYPASSED)
        .order_by("position")
        .first()
    )


def vacancy_list(*, status: str = "", scheme: str = "") -> QuerySet:
    vacancies = Vacancy.objects.select_related("unit__site").annotate(
        bid_count=Count("bids", filter=Q(bids__withdrawn=False), distinct=True)
    )
    if status:
        vacancies = vacancies.filter(status=status)
    if scheme:
        vacancies = vacancies.filter(scheme=scheme)
    return vacancies.order_by("-closes_on", "reference")


def shortlist(vacancy: Vacancy) -> list[ShortlistEntry]:
    return list(
        vacancy.shortlist.select_related(
            "application__household", "bypassed_by", "bypass_agreed_by"
        )
        .annotate(lead_name=lead_name("application__household"))
        .order_by("eligible", "position", "id")
    )


def vacancy_detail_queryset() -> QuerySet:
    return Vacancy.objects.select_related(
        "unit__site",
        "unit__provider",
        "policy_version",
        "frozen_by",
        "cycle",
        "local_lettings_plan",
    )


def vacancy_bids(vacancy: Vacancy) -> list[Bid]:
    return list(
        vacancy.bids.select_related("application__household", "placed_by")
        .annotate(lead_name=lead_name("application__household"))
        .order_by("placed_at")
    )


def vacancy_offers(vacancy: Vacancy) -> list[Offer]:
    return list(
        vacancy.offers.select_related("application", "entry")
        .annotate(lead_name=lead_name("application__household"))
        .order_by("made_at", "pk")
    )
