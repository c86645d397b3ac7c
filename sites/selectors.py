"""Every read the site and unit pages need, with their joins."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
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
        void_count=_unit_count(status=Unit.Status.VOID),
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
    return Unit.objects.select_related("site")
