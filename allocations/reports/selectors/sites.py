"""Pitch occupancy and census findings by site: two queries (the pitches as they stand now,
and the census returns visited in the period)."""

from django.db.models import Count, F, Q

from allocations.reports.charts import bar_chart
from allocations.reports.filters import Filters
from allocations.reports.selectors.common import ReportResult, Table
from census.models import CensusDifference, CensusReturn
from sites.models import Site, Unit

PITCHES = (Unit.Kind.PITCH, Unit.Kind.TRANSIT_PITCH)


def occupancy_report(filters: Filters) -> ReportResult:
    area = Q(town__iexact=filters.area) if filters.area else Q()
    on_site = Q(units__kind__in=PITCHES)
    # A closed site lets no pitches: its pitches would count as empty or not available and
    # pull down the share occupied of the sites the council runs, which the report is for.
    sites = list(
        Site.objects.filter(area)
        .exclude(status=Site.Status.CLOSED)
        .annotate(
            pitches=Count("units", filter=on_site),
            occupied=Count("units", filter=on_site & Q(units__status=Unit.Status.OCCUPIED)),
            empty=Count("units", filter=on_site & Q(units__status__in=Unit.EMPTY_STATES)),
            unavailable=Count("units", filter=on_site & Q(units__status=Unit.Status.UNAVAILABLE)),
        )
        .filter(pitches__gt=0)
        .values("pk", "name", "pitches", "occupied", "empty", "unavailable")
        .order_by("name")
    )
    kinds = CensusDifference.Kind
    findings = {
        row["site"]: row
        for row in CensusReturn.objects.filter(
            Q(unit__site__town__iexact=filters.area) if filters.area else Q(),
            status=CensusReturn.Status.SUBMITTED,
            visited_on__range=(filters.date_from, filters.date_to),
        )
        .values(site=F("unit__site_id"))
        .annotate(
            returns=Count("pk", distinct=True),
            absent=Count("pk", filter=Q(holder_present=False), distinct=True),
            gone=Count("differences", filter=Q(differences__kind=kinds.OCCUPANT_GONE)),
            new=Count("differences", filter=Q(differences__kind=kinds.NEW_OCCUPANT)),
            open=Count("differences", filter=Q(differences__status=CensusDifference.Status.OPEN)),
        )
        .order_by()
    }
    none = {"returns": 0, "absent": 0, "gone": 0, "new": 0, "open": 0}
    rows = []
    for site in sites:
        found = findings.get(site["pk"], none)
        share = round(100 * site["occupied"] / site["pitches"], 1)
        rows.append(
            [
                site["name"],
                site["pitches"],
                site["occupied"],
                site["empty"],
                site["unavailable"],
                share,
                found["returns"],
                found["absent"],
                found["gone"],
                found["new"],
                found["open"],
            ]
        )
    labels = [row[0] for row in rows]
    shares = [row[5] for row in rows]
    return ReportResult(
        chart=bar_chart(
            title="Pitches occupied, per cent, by site",
            description="Bar chart of the share of each site's pitches occupied today. "
            + "; ".join(f"{label}: {share}%" for label, share in zip(labels, shares, strict=True)),
            labels=labels,
            values=shares,
            unit="% occupied",
        ),
        chart_table=Table(
            "Pitches occupied by site",
            ["Site", "Per cent occupied"],
            [list(pair) for pair in zip(labels, shares, strict=True)],
            {1},
        ),
        table=Table(
            "Occupancy today and census findings in the period, by site",
            [
                "Site",
                "Pitches",
                "Occupied",
                "Empty",
                "Not available",
                "Per cent occupied",
                "Census returns",
                "Licence holder not present",
                "Occupants moved out",
                "New people living there",
                "Differences still to do",
            ],
            rows,
            set(range(1, 11)),
        ),
    )
