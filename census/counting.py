"""The government's caravan count: the council's own sites (entered by hand or derived from a
census round's returns) and caravans counted off them, all on one day in January.

The count is a snapshot: every figure of a year's return is for the same count date, never
added up across the days officers were out (census/exports.py writes the return).
"""

import calendar
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from census.models import CaravanCount, CensusReturn, CensusRound, OffSiteCount
from config.kernel import dates, records
from config.kernel.locks import in_turn
from sites.models import Site, Unit


def _site_type(site: Site) -> str:
    """The count's category for a site: a stopping place is an emergency stopping place; a
    site whose pitches are all transit pitches is a transit site; any other is permanent
    (an officer entering the count by hand can say otherwise)."""
    if site.kind == Site.Kind.STOPPING_PLACE:
        return CaravanCount.SiteType.EMERGENCY
    pitches = site.units.filter(kind__in=(Unit.Kind.PITCH, Unit.Kind.TRANSIT_PITCH))
    if pitches.exists() and not pitches.exclude(kind=Unit.Kind.TRANSIT_PITCH).exists():
        return CaravanCount.SiteType.TRANSIT
    return CaravanCount.SiteType.PERMANENT


def _year_lock(count_date: date) -> None:
    """Take the count writes for count_date's year one at a time, until the transaction ends:
    a double press of Save (or two officers at once) updates the one figure instead of failing
    on the database's one-count-per-place rule, and two people entering different days of
    the same January cannot both pass the one-day check."""
    in_turn("census.caravan_count", count_date.year)


def count_date_problems(count_date: date) -> list[str]:
    """Why a count can't be recorded on this date: it is still to come, it falls outside the
    collection month, or the year's count was taken on another day."""
    month = settings.CARAVAN_COUNT_MONTH
    if count_date > timezone.localdate():
        # A count is what officers saw: a date ahead (2062 for 2026) would stand as that
        # year's count and be shown first on the page.
        return ["The count date must be today or in the past"]
    if count_date.month != month:
        return [
            f"The caravan count is taken in {calendar.month_name[month]}: enter a date in "
            f"{calendar.month_name[month]} {count_date.year}"
        ]
    taken = {
        *CaravanCount.objects.filter(count_date__year=count_date.year)
        .exclude(count_date=count_date)
        .values_list("count_date", flat=True),
        *OffSiteCount.objects.filter(count_date__year=count_date.year)
        .exclude(count_date=count_date)
        .values_list("count_date", flat=True),
    }
    if taken:
        day = dates.page_date(min(taken))
        return [
            f"The {count_date.year} count was taken on {day}: enter that date (the count is "
            "what was there on one day, not added up across days)"
        ]
    return []


def _count_put(
    *, count_date: date, site: Site, caravans: int, source: str, by, census_round=None
) -> CaravanCount:
    count = (
        CaravanCount.objects.select_for_update().filter(count_date=count_date, site=site).first()
    )
    reason = "Caravans counted" if count is None else "Caravan count changed"
    if count is None:
        count = CaravanCount(count_date=count_date, site=site)
    count.site_type = _site_type(site) if not count.site_type else count.site_type
    count.caravans = caravans
    count.source = source
    count.census_round = census_round
    if source == CaravanCount.Source.CENSUS:
        reason = f"Derived from {census_round}"
    records.save(count, by=by, reason=reason)
    return count


@transaction.atomic
def caravan_count_record(
    *,
    count_date: date,
    site: Site,
    caravans: int,
    by: AbstractBaseUser,
    site_type: str = "",
) -> CaravanCount:
    """Enter (or correct) a site's caravans on a count date by hand."""
    _year_lock(count_date)
    problems: dict[str, list[str]] = {}
    if caravans < 0:
        problems["caravans"] = ["The number of caravans must be 0 or more"]
    if date_problems := count_date_problems(count_date):
        problems["count_date"] = date_problems
    if problems:
        raise ValidationError(problems)
    count = _count_put(
        count_date=count_date,
        site=site,
        caravans=caravans,
        source=CaravanCount.Source.ENTERED,
        by=by,
    )
    if site_type and count.site_type != site_type:
        count.site_type = site_type
        records.save(count, by=by, reason="Site type for the count")
    return count


@transaction.atomic
def caravan_counts_derive(
    *, census_round: CensusRound, count_date: date, by: AbstractBaseUser
) -> list[CaravanCount]:
    """A count per site from the round's submitted returns (the sum of their caravans).

    Only the round of the count's own year: last year's returns are not what was on the
    sites this January."""
    _year_lock(count_date)
    problems = count_date_problems(count_date)
    if count_date.year != census_round.year:
        month = calendar.month_name[settings.CARAVAN_COUNT_MONTH]
        problems = [
            f"{census_round}'s returns can only give the {census_round.year} count: enter a "
            f"date in {month} {census_round.year}"
        ]
    if problems:
        raise ValidationError({"count_date": problems})
    totals = (
        census_round.returns.filter(status=CensusReturn.Status.SUBMITTED)
        .values("unit__site")
        .annotate(caravans=Sum("caravans"))
    )
    if not totals:
        raise ValidationError(f"{census_round} has no submitted returns to count from.")
    sites = Site.objects.in_bulk([row["unit__site"] for row in totals])
    return [
        _count_put(
            count_date=count_date,
            site=sites[row["unit__site"]],
            caravans=row["caravans"] or 0,
            source=CaravanCount.Source.CENSUS,
            census_round=census_round,
            by=by,
        )
        for row in totals
    ]


@transaction.atomic
def off_site_count_record(
    *,
    count_date: date,
    category: str,
    location: str,
    caravans: int,
    by: AbstractBaseUser,
    travelling_showpeople: bool = False,
    notes: str = "",
) -> OffSiteCount:
    """Enter (or correct) caravans counted off the council's sites: a place counted again in
    the same category on the same date replaces the earlier figure."""
    _year_lock(count_date)
    problems: dict[str, list[str]] = {}
    location = location.strip()
    if not location:
        problems["location"] = ["Enter where the caravans were, like a road or a field's name"]
    if category not in OffSiteCount.Category.values:
        problems["category"] = ["Select the category the caravans were counted in"]
    if caravans < 0:
        problems["caravans"] = ["The number of caravans must be 0 or more"]
    if date_problems := count_date_problems(count_date):
        problems["count_date"] = date_problems
    if problems:
        raise ValidationError(problems)
    count = (
        OffSiteCount.objects.select_for_update()
        .filter(count_date=count_date, category=category, location__iexact=location)
        .first()
    )
    reason = "Caravans counted off the council's sites"
    if count is None:
        count = OffSiteCount(count_date=count_date, category=category, location=location)
    else:
        reason = "Caravan count off the council's sites changed"
    count.caravans = caravans
    count.travelling_showpeople = travelling_showpeople
    count.notes = notes
    records.save(count, by=by, reason=reason)
    return count
