"""The census's downloads: the round's report (CSV and Excel) and the caravan count return.

The caravan count return
------------------------
The government's count of Traveller caravans (the MHCLG count, twice a year until 2025 and
once a year, in January, from 2026) asks each local authority for the caravans on sites it
owns. The council's sites are all authorised, socially rented sites, so the return has one
row per site type, in this layout (one header row, then the rows, then a total row):

    Local authority, Count date, Site type, Number of sites, Number of pitches,
    Authorised sites (with planning permission): socially rented caravans,
    Authorised sites (with planning permission): private caravans,
    Unauthorised developments, Unauthorised encampments, Total caravans

Site types are "Permanent residential site", "Transit site" and "Emergency stopping place"
(CaravanCount.SiteType). Private and unauthorised columns are 0: they are counted by the
planning and enforcement teams, not from the council's own sites, and kept so the file
matches the government's columns. Counts come from CaravanCount rows for the date (entered by
hand or derived from a census round).

Every cell a spreadsheet could read as a formula is made plain (starts with '): the files are
written by config.kernel.exports, which holds the one formula guard.
"""

from datetime import date

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse

from census import selectors
from census.models import CaravanCount, CensusRound
from config.kernel import exports

CARAVAN_COUNT_HEADER = [
    "Local authority",
    "Count date",
    "Site type",
    "Number of sites",
    "Number of pitches",
    "Authorised sites (with planning permission): socially rented caravans",
    "Authorised sites (with planning permission): private caravans",
    "Unauthorised developments",
    "Unauthorised encampments",
    "Total caravans",
]


def caravan_count_rows(count_date: date) -> list[list]:
    counts = list(selectors.caravan_counts(count_date).prefetch_related("site__units"))
    rows = [CARAVAN_COUNT_HEADER]
    totals = [0, 0, 0, 0]
    for site_type, label in CaravanCount.SiteType.choices:
        of_type = [count for count in counts if count.site_type == site_type]
        caravans = sum(count.caravans for count in of_type)
        pitches = sum(
            1 for count in of_type for unit in count.site.units.all() if unit.kind == "pitch"
        )
        rows.append(
            [
                settings.COUNCIL_NAME,
                count_date.isoformat(),
                label,
                len(of_type),
                pitches,
                caravans,
                0,
                0,
                0,
                caravans,
            ]
        )
        totals = [totals[0] + len(of_type), totals[1] + pitches, totals[2] + caravans, 0]
    rows.append(
        [
            settings.COUNCIL_NAME,
            count_date.isoformat(),
            "Total",
            totals[0],
            totals[1],
            totals[2],
            0,
            0,
            0,
            totals[2],
        ]
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
