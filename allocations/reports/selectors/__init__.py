"""Every management report, one module per subject; REPORTS lists them in menu order."""

from collections.abc import Callable
from dataclasses import dataclass

from allocations.reports.filters import Filters
from allocations.reports.selectors.common import ReportResult
from allocations.reports.selectors.lettings import (
    bids_report,
    lets_report,
    refusals_report,
    waits_report,
)
from allocations.reports.selectors.register import casework_report, register_report
from allocations.reports.selectors.sites import occupancy_report
from allocations.reports.selectors.voids import voids_report

LETS_FILTERS = ("scheme", "area", "landlord")


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    summary: str  # what it shows and how it is computed, in a sentence or two
    uses: tuple[str, ...]  # the filters besides the date range
    dates: str  # what the date range selects
    build: Callable[[Filters], ReportResult]


REPORTS = [
    Report(
        "lets",
        "Lets",
        "Lets per month by scheme, band and landlord. A let is an allocation approved by a "
        "team leader whose vacancy is let; a let that fell through before signing is not "
        "counted. The landlord is the advert's, or the council when none is recorded. The "
        "band is the one the household was ranked on for the home.",
        LETS_FILTERS,
        "the day the allocation was approved",
        lets_report,
    ),
    Report(
        "waits",
        "Waiting times",
        "Average and median days from registration, and from the effective (priority) "
        "date, to the let, by band and by the bedroom size of the home let (a pitch has "
        "none). The band and effective date are those the household was ranked on for the "
        "home. Medians are PostgreSQL's PERCENTILE_CONT(0.5).",
        LETS_FILTERS,
        "the day the allocation was approved",
        waits_report,
    ),
    Report(
        "bids",
        "Bids per advert",
        "For every advert that closed in the period (not drafts, not withdrawn adverts): "
        "its bids, not counting withdrawn ones, averaged and the median taken by month.",
        LETS_FILTERS,
        "the advert's closing date",
        bids_report,
    ),
    Report(
        "refusals",
        "Refusals",
        "Refused offers by whether the refusal was judged reasonable, and scheme. The "
        "reasons are free text (they can be a household's health) and are not reported: "
        "each is on its offer's page.",
        LETS_FILTERS,
        "the day the household refused",
        refusals_report,
    ),
    Report(
        "voids",
        "Void turnaround",
        "For each let, the days from the void date to ready to let, from ready to let to the "
        "let, and from void to let, averaged (and the median taken) per site and landlord. "
        "A unit's void dates are read from its history as they stood when it was allocated.",
        LETS_FILTERS,
        "the day the allocation was approved",
        voids_report,
    ),
    Report(
        "casework",
        "Casework outstanding",
        "Due-diligence checks past their due date with no answer, allocation decisions "
        "waiting for a team leader, and renewals due with no answer, as they stand now, by "
        "scheme.",
        ("scheme",),
        "when the check or renewal fell due, or the decision was proposed",
        casework_report,
    ),
    Report(
        "register",
        "Register over time",
        "Households on the register (active or suspended applications) at the end of each "
        "month, by band and bedroom need, read from each application's history: its latest "
        "history row written before the month ended. Months after today are not shown (the "
        "current month shows the register as it stands today).",
        ("scheme",),
        "the months shown",
        register_report,
    ),
    Report(
        "occupancy",
        "Pitch occupancy and census",
        "Each site's pitches as they stand today (occupied, empty, not available; closed sites "
        "are left out), and the findings of the census returns visited in the period: licence "
        "holders not present, occupants who moved out, new people living there, and "
        "differences still to do.",
        ("area",),
        "the census visits",
        occupancy_report,
    ),
]
REPORT_BY_SLUG = {report.slug: report for report in REPORTS}
