"""The register over time, and the casework waiting to be done: one query each."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, F, Min, Q, Value
from django.utils import timezone

from allocations.models import (
    AllocationDecision,
    Application,
    DueDiligenceCheck,
    Renewal,
    Scheme,
)
from allocations.reports.charts import bar_chart, line_chart
from allocations.reports.filters import Filters
from allocations.reports.selectors.common import (
    ReportResult,
    Table,
    band_label,
    month_label,
    months_between,
)

# On the register: admitted and not housed, withdrawn or lapsed (suspended households stay on
# it; they cannot be offered until the suspension ends).
ON_REGISTER = (Application.Status.ACTIVE, Application.Status.SUSPENDED)

# Each application's state at the end of each month, from its history rows (simple-history
# writes one on every change): the latest row written before the month ended, unless that row
# is a deletion. One query for the whole range, however many months or applications.
REGISTER_SQL = """
WITH ends AS (
    SELECT month_start::date AS month_start,
           LEAST(month_start + interval '1 month', %(last)s::date + 1)::timestamp
               AT TIME ZONE %(zone)s AS ends_at
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS month_start
)
SELECT ends.month_start, latest.band, latest.bedroom_need, count(*)
FROM ends
CROSS JOIN LATERAL (
    SELECT DISTINCT ON (h.id) h.history_type, h.status, h.band, h.bedroom_need, h.scheme
    FROM allocations_historicalapplication h
    WHERE h.history_date < ends.ends_at
    ORDER BY h.id, h.history_date DESC, h.history_id DESC
) AS latest
WHERE latest.history_type <> '-'
  AND latest.status = ANY(%(statuses)s)
  AND (%(scheme)s = '' OR latest.scheme = %(scheme)s)
GROUP BY ends.month_start, latest.band, latest.bedroom_need
ORDER BY ends.month_start, latest.band NULLS LAST, latest.bedroom_need NULLS LAST
"""


def _need(value: int | None) -> str:
    return "Not assessed" if value is None else str(value)


def register_report(filters: Filters) -> ReportResult:
    # Up to today: a month still to come would only repeat today's register as if it were
    # that month's (the current month shows the register as it stands today).
    last = min(filters.date_to, timezone.localdate())
    months = months_between(filters.date_from, last) if filters.date_from <= last else []
    rows = []
    if months:
        with connection.cursor() as cursor:
            cursor.execute(
                REGISTER_SQL,
                {
                    "first": months[0],
                    "last": last,
                    "zone": settings.TIME_ZONE,
                    "statuses": list(ON_REGISTER),
                    "scheme": filters.scheme,
                },
            )
            rows = cursor.fetchall()
    counts: defaultdict = defaultdict(int)
    bands = sorted({band for _, band, _, _ in rows}, key=lambda b: (b is None, b or 0))
    for month, band, _, households in rows:
        counts[(month, band)] += households
    labels = [month_label(m) for m in months]
    series = [(band_label(b), [counts[(m, b)] for m in months]) for b in bands]
    totals = [sum(counts[(m, b)] for b in bands) for m in months]
    return ReportResult(
        chart=line_chart(
            title="Households on the register at the end of each month, by band",
            description=f"Line chart of the register's size by band at the end of each month, "
            f"{filters.describe()}. At the end of the period: "
            + "; ".join(f"{name}: {values[-1]}" for name, values in series)
            + f"; {totals[-1] if totals else 0} in all.",
            labels=labels,
            series=series,
            unit="households",
        ),
        chart_table=Table(
            "Register by band at the end of each month",
            ["Month", *(name for name, _ in series), "All"],
            [
                [label, *(values[i] for _, values in series), totals[i]]
                for i, label in enumerate(labels)
            ],
            set(range(1, len(series) + 2)),
        ),
        table=Table(
            "Register by band and bedroom need at the end of each month",
            ["Month", "Band", "Bedroom need", "Households"],
            [[month_label(m), band_label(b), _need(n), c] for m, b, n, c in rows],
            {3},
        ),
    )


CASEWORK_LABELS = {
    "checks": "Due-diligence checks overdue",
    "decisions": "Allocation decisions waiting for a team leader",
    "renewals": "Renewals due, not yet answered",
}


def casework_report(filters: Filters) -> ReportResult:
    """What is outstanding now among the work that fell due (or, for decisions, was proposed)
    in the period, by scheme: one query (three grouped counts joined by UNION ALL)."""
    today = timezone.localdate()
    scheme = Q(application__scheme=filters.scheme) if filters.scheme else Q()

    def grouped(queryset, kind: str, scheme_path: str, since: str):
        return (
            queryset.annotate(
                kind=Value(kind, output_field=CharField()), scheme_code=F(scheme_path)
            )
            .values("kind", "scheme_code")
            .annotate(number=Count("pk"), oldest=Min(since))
            .values_list("kind", "scheme_code", "number", "oldest")
            .order_by()
        )

    checks = DueDiligenceCheck.objects.filter(
        scheme,
        returned_on__isnull=True,
        stopped_on__isnull=True,
        due_on__range=(filters.date_from, min(filters.date_to, today - timedelta(days=1))),
    )
    decisions = AllocationDecision.objects.filter(
        Q(offer__application__scheme=filters.scheme) if filters.scheme else Q(),
        status=AllocationDecision.Status.AWAITING,
        proposed_at__date__range=(filters.date_from, filters.date_to),
    )
    renewals = Renewal.objects.filter(
        scheme,
        status__in=[Renewal.Status.DUE, Renewal.Status.REMINDED],
        due_on__range=(filters.date_from, filters.date_to),
    )
    rows = list(
        grouped(checks, "checks", "application__scheme", "due_on").union(
            grouped(decisions, "decisions", "offer__application__scheme", "proposed_at__date"),
            grouped(renewals, "renewals", "application__scheme", "due_on"),
            all=True,
        )
    )
    rows.sort(key=lambda r: (list(CASEWORK_LABELS).index(r[0]), r[1]))
    per_kind = dict.fromkeys(CASEWORK_LABELS, 0)
    for kind, _, number, _ in rows:
        per_kind[kind] += number
    return ReportResult(
        chart=bar_chart(
            title="Casework outstanding",
            description=f"Bar chart of outstanding casework, {filters.describe()}: "
            + "; ".join(f"{CASEWORK_LABELS[k]}: {n}" for k, n in per_kind.items()),
            labels=["Checks overdue", "Decisions waiting", "Renewals due"],
            values=list(per_kind.values()),
            unit="items",
        ),
        chart_table=Table(
            "Casework outstanding",
            ["What", "Number"],
            [[CASEWORK_LABELS[k], n] for k, n in per_kind.items()],
            {1},
        ),
        table=Table(
            "Casework outstanding by scheme",
            ["What", "Scheme", "Number", "Oldest (due or proposed)"],
            [
                [CASEWORK_LABELS[kind], Scheme(code).label, number, oldest]
                for kind, code, number, oldest in rows
            ],
            {2},
        ),
    )
