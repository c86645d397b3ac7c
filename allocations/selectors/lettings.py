"""Vacancies, shortlists, and who is next in order for an offer."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from allocations.models import (
    Application,
    Bid,
    Offer,
    ShortlistEntry,
    Vacancy,
)
from config.kernel.present import has_rows
from residents.selectors import lead_name


def next_in_order(vacancy: Vacancy) -> ShortlistEntry | None:
    """The highest-placed applicant who can still be offered this vacancy."""
    return (
        vacancy.shortlist.filter(
            eligible=True,
            removed_reason="",
            offers__isnull=True,
            application__status=Application.Status.ACTIVE,
            application__on_hold_reason="",  # a renewal not answered: no offer until it is
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
    """The frozen shortlist as its page shows it, each line with its lead's name and whether
    it was ever offered (`has_offer`), for `next_in_shortlist`. The household itself is not
    joined: the lead's name reads the application's household id."""
    return list(
        vacancy.shortlist.select_related("application", "bypassed_by", "bypass_agreed_by")
        .defer("snapshot")
        .annotate(
            lead_name=lead_name("application__household"),
            has_offer=Exists(Offer.objects.filter(entry=OuterRef("pk"))),
        )
        .order_by("eligible", "position", "id")
    )


def next_in_shortlist(entries: list[ShortlistEntry]) -> ShortlistEntry | None:
    """`next_in_order`, read from the lines `shortlist` loaded (no query)."""
    waiting = [
        entry
        for entry in entries
        if entry.eligible
        and entry.removed_reason == ""
        and not entry.has_offer
        and entry.application.status == Application.Status.ACTIVE
        and entry.bypass_status != ShortlistEntry.Bypass.BYPASSED
    ]
    return min(waiting, key=lambda entry: entry.position, default=None)


def vacancy_detail_queryset() -> QuerySet:
    """The vacancy with what its page shows beside it, and whether it has any photos, direct
    lets, Extra Care lets, offers and a published let result (`has_<kind>`, in the same query:
    most have none). Few homes have a registered provider or a local lettings plan: each is
    read when there is one (`vacancy_detail_get`), so the query joins few tables, which
    PostgreSQL plans in a third of the time."""
    return Vacancy.objects.annotate(
        **has_rows(Vacancy, "photos", "direct_lets", "extra_care_lets", "offers", "let_result")
    ).select_related("unit__site", "policy_version", "frozen_by", "cycle")


def vacancy_detail_get(pk: int) -> Vacancy:
    vacancy = get_object_or_404(vacancy_detail_queryset(), pk=pk)
    if not vacancy.has_let_result:  # known: none, so no query to ask
        Vacancy._meta.get_field("let_result").set_cached_value(vacancy, None)
    return vacancy


def vacancy_bids(vacancy: Vacancy) -> list[Bid]:
    return list(
        # The lead's name reads the application's household id: no join to every household.
        vacancy.bids.select_related("application", "placed_by")
        .annotate(lead_name=lead_name("application__household"))
        .order_by("placed_at")
    )


def vacancy_offers(vacancy: Vacancy) -> list[Offer]:
    return list(
        vacancy.offers.select_related("application", "entry")
        .annotate(lead_name=lead_name("application__household"))
        .order_by("made_at", "pk")
    )
