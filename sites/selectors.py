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


def unit_kind_fixed_by(unit: Unit) -> str:
    """Why the unit's kind cannot change now, in words ("" when it can): an agreement made
    for a pitch (its meters, the census) or a home (its bedrooms) still runs on it."""
    agreement = unit_agreement_running(unit)
    if agreement is None:
        return ""
    return (
        f"{agreement.agreement_word.capitalize()} {agreement.reference} is "
        f"{agreement.get_status_display().lower()} on {unit.reference}: its kind cannot change "
        f"while an agreement is being prepared, signed or live on it"
    )


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
