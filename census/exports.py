"""The census's downloads: the round's report (CSV and Excel) and the caravan count return.

The caravan count return
------------------------
The government's count of Traveller caravans (the MHCLG count: twice a year until 2025, once a
year in January from 2026, Travelling Showpeople's caravans included) is one row per local
authority, in this layout (as ../shared/DOMAIN.md, "Caravan count", gives it):

    Local authority, Count date, Socially rented sites,
    Private sites with temporary planning permission,
    Private sites with permanent planning permission,
    Unauthorised on land owned by Travellers: tolerated,
    Unauthorised on land owned by Travellers: not tolerated,
    Unauthorised on land not owned by Travellers: tolerated,
    Unauthorised on land not owned by Travellers: not tolerated,
    Total

Socially rented is the council's own sites (CaravanCount rows for the date, entered by hand or
derived from a census round); the other columns are what officers counted off those sites
(OffSiteCount, by category). Every figure is for the one count date: a snapshot, never added up
across days (census/counting.py refuses a second date in a year). The per-site and per-site-type
detail stays on the count's page for the council's own reports.

Every cell a spreadsheet could read as a formula is made plain (starts with '): the files are
written by config.kernel.exports, which holds the one formula guard.
"""

from datetime import date

from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse, StreamingHttpResponse

from census import selectors
from census.models import CaravanCount, CensusRound, OffSiteCount
from config.kernel import exports
from sites.models import Unit

CARAVAN_COUNT_HEADER = [
    "Local authority",
    "Count date",
    "Socially rented sites",
    "Private sites with temporary planning permission",
    "Private sites with permanent planning permission",
    "Unauthorised on land owned by Travellers: tolerated",
    "Unauthorised on land owned by Travellers: not tolerated",
    "Unauthorised on land not owned by Travellers: tolerated",
    "Unauthorised on land not owned by Travellers: not tolerated",
    "Total",
]
# The off-site categories in the order of the return's columns after "Socially rented sites".
OFF_SITE_COLUMNS = [
    OffSiteCount.Category.PRIVATE_TEMPORARY,
    OffSiteCount.Category.PRIVATE_PERMANENT,
    OffSiteCount.Category.OWN_LAND_TOLERATED,
    OffSiteCount.Category.OWN_LAND_NOT_TOLERATED,
    OffSiteCount.Category.OTHER_LAND_TOLERATED,
    OffSiteCount.Category.OTHER_LAND_NOT_TOLERATED,
]


def caravan_count_rows(count_date: date) -> list[list]:
    """The government's return for one count date: the header and the authority's row."""
    socially_rented = (
        selectors.caravan_counts(count_date).aggregate(total=Sum("caravans"))["total"] or 0
    )
    off_site = dict(
        selectors.off_site_counts(count_date)
        .order_by()
        .values("category")
        .annotate(total=Sum("caravans"))
        .values_list("category", "total")
    )
    figures = [socially_rented, *(off_site.get(category, 0) for category in OFF_SITE_COLUMNS)]
    return [
        CARAVAN_COUNT_HEADER,
        [settings.COUNCIL_NAME, count_date.isoformat(), *figures, sum(figures)],
    ]


def caravan_count_by_site_type(count_date: date) -> list[dict]:
    """The council's own sites by site type, for its own reports (not part of the return)."""
    counts = list(selectors.caravan_counts(count_date).prefetch_related("site__units"))
    rows = []
    for site_type, label in CaravanCount.SiteType.choices:
        of_type = [count for count in counts if count.site_type == site_type]
        rows.append(
            {
                "site_type": label,
                "sites": len(of_type),
                "pitches": sum(
                    1
                    for count in of_type
                    for unit in count.site.units.all()
                    # Transit pitches too (a transit site has no other); a pitch out of
                    # use (not available to let, e.g. under repair) is no capacity of the site.
                    if unit.is_pitch and unit.status != Unit.Status.UNAVAILABLE
                ),
                "caravans": sum(count.caravans for count in of_type),
            }
        )
    return rows


def caravan_count_csv(count_date: date) -> StreamingHttpResponse:
    return exports.csv_response(
        f"caravan-count-{count_date.isoformat()}.csv", caravan_count_rows(count_date)
    )


# --- The round's report ----------------------------------------------------------------------


def report_tables(census_round: CensusRound) -> list[tuple[str, list[list]]]:
    """The report as named tables (a CSV section or an Excel sheet each)."""
    report = selectors.round_report(census_round)
    by_site = [
        [
            "Site",
            "Pitches",
            "Returns submitted",
            "Households",
            "Licence holders present",
            "Authorised occupants",
            "Unauthorised occupants",
            "Caravans",
        ]
    ]
    for site in report["sites"]:
        by_site.append(
            [
                site.site.name,
                site.pitches,
                site.returns_submitted,
                site.households,
                site.holders_present,
                site.authorised,
                site.unauthorised,
                site.caravans,
            ]
        )
    totals = report["totals"]
    by_site.append(
        [
            "All sites",
            totals["pitches"],
            totals["returns_submitted"],
            totals["households"],
            totals["holders_present"],
            totals["authorised"],
            totals["unauthorised"],
            totals["caravans"],
        ]
    )
    ages = [["Site", *report["bands"]]]
    for site in report["sites"]:
        ages.append([site.site.name, *[site.age_bands[band] for band in report["bands"]]])
    ages.append(["All sites", *[count for _, count in report["age_bands"]]])
    tables = [("People by site", by_site), ("People by age band", ages)]
    if report["previous"] is not None:
        changes = [
            [
                "Site",
                f"Households {report['previous'].year}",
                f"Households {census_round.year}",
                f"Authorised occupants {report['previous'].year}",
                f"Authorised occupants {census_round.year}",
                f"Unauthorised occupants {report['previous'].year}",
                f"Unauthorised occupants {census_round.year}",
                f"Caravans {report['previous'].year}",
                f"Caravans {census_round.year}",
            ]
        ]
        for change in report["changes"]:
            row = [change["site"].name]
            for name in ("households", "authorised", "unauthorised", "caravans"):
                before = change[name]["before"]
                row += ["" if before is None else before, change[name]["now"]]
            changes.append(row)
        tables.append((f"Changes since {report['previous'].year}", changes))
    return tables


def report_csv(census_round: CensusRound) -> StreamingHttpResponse:
    """The report's tables one after another, each under its title."""
    rows: list[list] = [[f"{census_round} report"]]
    for title, table in report_tables(census_round):
        rows += [[], [title], *table]
    return exports.csv_response(f"census-{census_round.year}.csv", rows)


def report_xlsx(census_round: CensusRound) -> HttpResponse:
    """The report as a workbook, a sheet per table."""
    return exports.xlsx_response(f"census-{census_round.year}.xlsx", report_tables(census_round))
