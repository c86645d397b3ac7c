"""Every read the site and unit pages need, with their joins."""

from datetime import date

from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Length

from sites.models import Site, Unit


def _unit_count(**filters) -> Coalesce:
    """The site's units (matching `filters`), counted for the rows on the page only: a
    correlated subquery on the unit index, left out of the paginator's COUNT."""
    counted = (
        Unit.objects.filter(site=OuterRef("pk"), **filters)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def site_list(*, search: str = "", kind: str = "", status: str = "") -> QuerySet[Site]:
    sites = Site.objects.annotate(
        unit_count=_unit_count(),
        void_count=_unit_count(status__in=Unit.EMPTY_STATES),
    )
    if search:
        term = search.strip()
        sites = sites.filter(
            Q(name__icontains=term)
            | Q(reference__iexact=term)
            | Q(town__icontains=term)
            | Q(postcode__istartswith=term.upper())
            | Q(parish__icontains=term)
        )
    if kind:
        sites = sites.filter(kind=kind)
    if status:
        sites = sites.filter(status=status)
    return sites.order_by("name")


def site_get_queryset() -> QuerySet[Site]:
    return Site.objects.all()


def site_units(*, site: Site, search: str = "", status: str = "") -> QuerySet[Unit]:
    units = site.units.select_related("site")
    if search:
        units = units.filter(reference__icontains=search.strip())
    if status:
        units = units.filter(status=status)
    return units.order_by("reference")


def site_units_in_order(*, site: Site, status: str = "") -> QuerySet[Unit]:
    """The site page's units: Pitch 2 before Pitch 10 (shorter references first)."""
    return site_units(site=site, status=status).order_by(Length("reference"), "reference")


def unit_get_queryset() -> QuerySet[Unit]:
    return Unit.objects.select_related("site", "provider")


# An agreement (residents' licence or tenancy) being prepared, signed or live holds the unit
# as the kind it was made for. Named here: sites reads residents' rows only through the unit.
AGREEMENT_RUNNING_STATUSES = ("draft", "signed", "live")


def unit_agreement_running(unit: Unit):
    """The agreement being prepared, signed or live on the unit, if any."""
    return (
        unit.licences.filter(status__in=AGREEMENT_RUNNING_STATUSES)  # type: ignore[attr-defined]
        .order_by("-pk")
        .first()
    )


# A vacancy open on the unit (allocations' Vacancy.OPEN_STATUSES) and an offer of it still
# live (waiting for a reply, or accepted while its vacancy is open) are for the kind the unit
# was advertised as. Named here for the same reason; tests/sites hold them to allocations'.
VACANCY_OPEN_STATUSES = ("draft", "advertised", "closed")
OFFER_LIVE_STATUSES = ("open", "accepted")
KIND_FIXED = "its kind cannot change while a vacancy is open or an offer is live on it"


def unit_offer_live(unit: Unit):
    """An offer of the unit waiting for a reply, or accepted while its vacancy is still open
    (an accepted offer of a vacancy since let, or fallen through, holds nothing)."""
    vacancy = (
        unit.vacancies.filter(  # type: ignore[attr-defined]
            Q(offers__status="open")
            | Q(offers__status__in=OFFER_LIVE_STATUSES, status__in=VACANCY_OPEN_STATUSES)
        )
        .order_by("-pk")
        .first()
    )
    if vacancy is None:
        return None
    return vacancy.offers.filter(status__in=OFFER_LIVE_STATUSES).order_by("-pk").first()


def unit_kind_fixed_by(unit: Unit) -> str:
    """Why the unit's kind cannot change now, in words ("" when it can): an agreement made
    for a pitch (its meters, the census) or a home (its bedrooms) still runs on it, or it is
    being let as the kind it is (an offer live, a vacancy open: its advert, shortlist and
    offers were for that kind)."""
    agreement = unit_agreement_running(unit)
    if agreement is not None:
        return (
            f"{agreement.agreement_word.capitalize()} {agreement.reference} is "
            f"{agreement.get_status_display().lower()} on {unit.reference}: its kind cannot "
            "change while an agreement is being prepared, signed or live on it"
        )
    offer = unit_offer_live(unit)
    if offer is not None:
        return (
            f"An offer of {unit.reference} (vacancy {offer.vacancy.reference}) is "
            f"{offer.get_status_display().lower()}: {KIND_FIXED}"
        )
    vacancy = (
        unit.vacancies.filter(status__in=VACANCY_OPEN_STATUSES)  # type: ignore[attr-defined]
        .order_by("-pk")
        .first()
    )
    if vacancy is not None:
        return (
            f"Vacancy {vacancy.reference} is {vacancy.get_status_display().lower()} on "
            f"{unit.reference}: {KIND_FIXED}"
        )
    return ""


def void_units(
    *,
    today: date,
    site: Site | None = None,
    reason: str = "",
    advertised: str = "",
    ready: str = "",
) -> QuerySet[Unit]:
    """Every unit nobody lives in, across sites, longest void first, with its days void.

    `advertised`: "yes" (a vacancy is open: advertised or under offer), "no" (void, not
    advertised) or "allocated" (let, agreement being prepared). `ready`: "yes" when its
    ready-to-let date has come, "no" when it has not or is not known."""
    units = Unit.objects.filter(status__in=Unit.EMPTY_STATES).select_related("site")
    if site is not None:
        units = units.filter(site=site)
    if reason:
        units = units.filter(void_reason=reason)
    if advertised == "yes":
        units = units.filter(status__in=[Unit.Status.ADVERTISED, Unit.Status.UNDER_OFFER])
    elif advertised == "no":
        units = units.filter(status=Unit.Status.VOID)
    elif advertised == "allocated":
        units = units.filter(status=Unit.Status.ALLOCATED)
    if ready == "yes":
        units = units.filter(ready_to_let_date__lte=today)
    elif ready == "no":
        units = units.filter(Q(ready_to_let_date__gt=today) | Q(ready_to_let_date__isnull=True))
    # Date minus date: a duration (its .days on the page).
    days = Value(today, output_field=DateField()) - F("void_date")
    return units.annotate(void_for=days).order_by("void_date", "site__name", Length("reference"))
