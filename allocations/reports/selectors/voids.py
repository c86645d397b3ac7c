"""Void turnaround: void date → ready to let → let, per site and landlord, in one query.

A unit's void and ready-to-let dates are cleared once it is occupied, so they are read from the
unit's history (django-simple-history): the row written when the unit was first allocated
after its advert opened still carries the dates of that void."""

from django.db.models import Avg, Count, DateField, F, OuterRef, Subquery
from django.db.models.functions import TruncDate

from allocations.reports.charts import bar_chart
from allocations.reports.filters import Filters, landlord_of
from allocations.reports.selectors.common import DaysBetween, Median, ReportResult, Table, rounded
from allocations.reports.selectors.lettings import LET, lets_queryset
from sites.models import Unit


def _at_allocation(field: str) -> Subquery:
    return Subquery(
        Unit.history.filter(
            id=OuterRef(f"{LET}unit_id"),
            status=Unit.Status.ALLOCATED,
            history_date__date__gte=OuterRef(f"{LET}opens_on"),
        )
        .order_by("history_date", "history_id")
        .values(field)[:1],
        output_field=DateField(),
    )


def voids_report(filters: Filters) -> ReportResult:
    let_on = TruncDate("decided_at")
    void_on, ready_on = _at_allocation("void_date"), _at_allocation("ready_to_let_date")
    rows = list(
        lets_queryset(filters)
        .values(site=F(f"{LET}unit__site__name"), landlord=landlord_of(LET))
        .annotate(
            lets=Count("pk"),
            void_to_ready=Avg(DaysBetween(ready_on, void_on)),
            ready_to_let=Avg(DaysBetween(let_on, ready_on)),
            void_to_let=Avg(DaysBetween(let_on, void_on)),
            median_void_to_let=Median(DaysBetween(let_on, void_on)),
        )
        .order_by("site", "landlord")
    )
    table_rows = [
        [
            r["site"],
            r["landlord"],
            r["lets"],
            rounded(r["void_to_ready"]),
            rounded(r["ready_to_let"]),
            rounded(r["void_to_let"]),
            rounded(r["median_void_to_let"]),
        ]
        for r in rows
    ]
    labels = [f"{r['site']} ({r['landlord']})" for r in rows]
    values = [rounded(r["void_to_let"]) or 0 for r in rows]
    return ReportResult(
        chart=bar_chart(
            title="Average days from void to let, by site and landlord",
            description=f"Bar chart of the average days each unit stood empty before it was "
            f"let, {filters.describe()}. "
            + "; ".join(
                f"{label}: {value} days" for label, value in zip(labels, values, strict=True)
            ),
            labels=labels,
            values=values,
            unit="days",
        ),
        chart_table=Table(
            "Average days from void to let",
            ["Site (landlord)", "Days"],
            [list(pair) for pair in zip(labels, values, strict=True)],
            {1},
        ),
        table=Table(
            "Void turnaround by site and landlord",
            [
                "Site",
                "Landlord",
                "Lets",
                "Average days void to ready",
                "Average days ready to let",
                "Average days void to let",
                "Median days void to let",
            ],
            table_rows,
            {2, 3, 4, 5, 6},
        ),
    )
