"""Lets, waiting times, bids per advert and refusals: each one or two aggregate queries.

A let is an approved allocation decision whose vacancy is let (a let that fell through before
signing is not one); its date is the day the team leader approved it. Its band and effective
date are those the household was ranked on for the home (the frozen shortlist line the offer
came from), not the application's today: a band corrected or reassessed after the let does not
move it."""

from collections import Counter

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    F,
    Field,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth

from allocations.models import AllocationDecision, Bid, Offer, Scheme, Vacancy
from allocations.reports.charts import bar_chart
from allocations.reports.filters import Filters, landlord_of
from allocations.reports.selectors.common import (
    DaysBetween,
    Median,
    ReportResult,
    Table,
    band_label,
    month_label,
    months_between,
    rounded,
)

LET = "offer__vacancy__"


def _ranked_on(key: str, output_field: Field) -> Case:
    """A value the household was ranked on for the home let: its frozen shortlist line's
    snapshot, else (a line whose snapshot does not hold it) the application's today."""
    return Case(
        When(
            offer__entry__snapshot__has_key=key,
            then=Cast(KeyTextTransform(key, "offer__entry__snapshot"), output_field),
        ),
        default=F(f"offer__application__{key}"),
        output_field=output_field,
    )


def lets_queryset(filters: Filters):
    return AllocationDecision.objects.filter(
        filters.lets_q(LET),
        status=AllocationDecision.Status.APPROVED,
        offer__vacancy__status=Vacancy.Status.LET,
        decided_at__date__range=(filters.date_from, filters.date_to),
    )


def _scheme(value: str) -> str:
    return Scheme(value).label if value else ""


def lets_report(filters: Filters) -> ReportResult:
    """Lets per month by scheme, band and landlord: one query."""
    rows = list(
        lets_queryset(filters)
        .annotate(
            month=TruncMonth("decided_at", output_field=DateField()),
            scheme=F(f"{LET}scheme"),
            band=_ranked_on("band", IntegerField()),
            landlord=landlord_of(LET),
        )
        .values("month", "scheme", "band", "landlord")
        .annotate(lets=Count("pk"))
        .order_by("month", "scheme", "band", "landlord")
    )
    per_month: Counter = Counter()
    for row in rows:
        per_month[row["month"]] += row["lets"]
    months = months_between(filters.date_from, filters.date_to)
    labels = [month_label(m) for m in months]
    values = [per_month[m] for m in months]
    return ReportResult(
        chart=bar_chart(
            title="Lets per month",
            description=f"Bar chart of lets per month, {filters.describe()}: "
            f"{sum(values)} lets in all, most in one month {max(values, default=0)}.",
            labels=labels,
            values=values,
            unit="lets",
        ),
        chart_table=Table(
            "Lets per month",
            ["Month", "Lets"],
            [list(p) for p in zip(labels, values, strict=True)],
            {1},
        ),
        table=Table(
            "Lets by month, scheme, band and landlord",
            ["Month", "Scheme", "Band", "Landlord", "Lets"],
            [
                [
                    month_label(r["month"]),
                    _scheme(r["scheme"]),
                    band_label(r["band"]),
                    r["landlord"],
                    r["lets"],
                ]
                for r in rows
            ],
            {4},
        ),
    )


def _bedrooms(value: int | None) -> str:
    return "Pitch" if value is None else f"{value} bedroom{'s' if value != 1 else ''}"


def waits_report(filters: Filters) -> ReportResult:
    """Average and median days from registration, and from the effective date, to the let, by
    band and bedroom size of the home (pitches have none): two queries (by band and size, and
    by band alone for the chart, whose medians cannot be added up from the first)."""
    let_date = TruncDate("decided_at")
    from_registration = DaysBetween(let_date, F("offer__application__registration_date"))
    from_effective = DaysBetween(let_date, _ranked_on("effective_date", DateField()))
    figures = {
        "lets": Count("pk"),
        "average_registration": Avg(from_registration),
        "median_registration": Median(from_registration),
        "average_effective": Avg(from_effective),
        "median_effective": Median(from_effective),
    }
    lets = lets_queryset(filters).annotate(
        band=_ranked_on("band", IntegerField()), bedrooms=F(f"{LET}unit__bedrooms")
    )
    rows = list(lets.values("band", "bedrooms").annotate(**figures).order_by("band", "bedrooms"))
    bands = list(lets.values("band").annotate(**figures).order_by("band"))
    labels = [band_label(b["band"]) for b in bands]
    medians = [rounded(b["median_registration"]) or 0 for b in bands]

    def line(first: list, row: dict) -> list:
        return [
            *first,
            row["lets"],
            rounded(row["average_registration"]),
            rounded(row["median_registration"]),
            rounded(row["average_effective"]),
            rounded(row["median_effective"]),
        ]

    headers = [
        "Lets",
        "Average days from registration",
        "Median days from registration",
        "Average days from effective date",
        "Median days from effective date",
    ]
    return ReportResult(
        chart=bar_chart(
            title="Median wait from registration to let, by band",
            description=f"Bar chart of the median number of days from registration to let "
            f"for each band, {filters.describe()}. "
            + "; ".join(
                f"{label}: {value} days" for label, value in zip(labels, medians, strict=True)
            ),
            labels=labels,
            values=medians,
            unit="days",
        ),
        chart_table=Table(
            "Waiting time by band",
            ["Band", *headers],
            [line([band_label(b["band"])], b) for b in bands],
            {1, 2, 3, 4, 5},
        ),
        table=Table(
            "Waiting time by band and bedroom size",
            ["Band", "Bedroom size", *headers],
            [line([band_label(r["band"]), _bedrooms(r["bedrooms"])], r) for r in rows],
            {2, 3, 4, 5, 6},
        ),
    )


def bids_report(filters: Filters) -> ReportResult:
    """Bids per advert, by the month the advert closed and scheme: one query. A bid counts
    unless it was withdrawn; an advert counts once it was advertised (not drafts, not
    withdrawn)."""
    bid_count = Coalesce(
        Subquery(
            Bid.objects.filter(vacancy=OuterRef("pk"), withdrawn=False)
            .order_by()
            .values("vacancy")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    rows = list(
        Vacancy.objects.filter(
            filters.lets_q(""),
            closes_on__range=(filters.date_from, filters.date_to),
        )
        .exclude(status__in=[Vacancy.Status.DRAFT, Vacancy.Status.WITHDRAWN])
        .annotate(month=TruncMonth("closes_on"), bid_count=bid_count)
        .values("month", "scheme")
        .annotate(
            adverts=Count("pk"),
            bids=Sum("bid_count"),
            average=Avg("bid_count"),
            median=Median("bid_count"),
        )
        .order_by("month", "scheme")
    )
    adverts: Counter = Counter()
    bids: Counter = Counter()
    for row in rows:
        adverts[row["month"]] += row["adverts"]
        bids[row["month"]] += row["bids"]
    months = months_between(filters.date_from, filters.date_to)
    labels = [month_label(m) for m in months]
    averages = [round(bids[m] / adverts[m], 1) if adverts[m] else 0 for m in months]
    return ReportResult(
        chart=bar_chart(
            title="Average bids per advert, by the month the advert closed",
            description=f"Bar chart of the average number of bids per advert each month, "
            f"{filters.describe()}: {sum(adverts.values())} adverts, "
            f"{sum(bids.values())} bids.",
            labels=labels,
            values=averages,
            unit="bids per advert",
        ),
        chart_table=Table(
            "Bids per advert by month",
            ["Month", "Adverts", "Bids", "Average bids per advert"],
            [
                [label, adverts[m], bids[m], avg]
                for label, m, avg in zip(labels, months, averages, strict=True)
            ],
            {1, 2, 3},
        ),
        table=Table(
            "Bids per advert by month and scheme",
            [
                "Month",
                "Scheme",
                "Adverts",
                "Bids",
                "Average bids per advert",
                "Median bids per advert",
            ],
            [
                [
                    month_label(r["month"]),
                    _scheme(r["scheme"]),
                    r["adverts"],
                    r["bids"],
                    rounded(r["average"]),
                    rounded(r["median"]),
                ]
                for r in rows
            ],
            {2, 3, 4, 5},
        ),
    )


def _reasonable(value: bool | None) -> str:
    return {True: "Reasonable", False: "Not reasonable"}.get(value, "Not judged")  # type: ignore[arg-type]


def refusals_report(filters: Filters) -> ReportResult:
    """Refused offers by whether the refusal was judged reasonable, and scheme, by the date of
    the refusal: one query. Figures, no words: the officer's reason is free text (it can be a
    household's health, "she is pregnant and cannot manage stairs"), so it is on each offer's
    page, never in the report; offers have no structured refusal category to group by."""
    rows = list(
        Offer.objects.filter(
            filters.lets_q("vacancy__"),
            status=Offer.Status.REFUSED,
            responded_on__range=(filters.date_from, filters.date_to),
        )
        .values("reasonable_refusal", scheme=F("vacancy__scheme"))
        .annotate(refusals=Count("pk"))
        .order_by("reasonable_refusal", "scheme")
    )
    by_judgement: dict[str, int] = {_reasonable(value): 0 for value in (False, True, None)}
    for row in rows:
        by_judgement[_reasonable(row["reasonable_refusal"])] += row["refusals"]
    ranked = [(judged, n) for judged, n in by_judgement.items() if n]
    return ReportResult(
        chart=bar_chart(
            title="Refusals by judgement",
            description=f"Bar chart of refused offers by judgement, {filters.describe()}: "
            + "; ".join(f"{judged}: {n}" for judged, n in ranked),
            labels=[judged for judged, _ in ranked],
            values=[n for _, n in ranked],
            unit="refusals",
        ),
        chart_table=Table(
            "Refusals by judgement", ["Judged", "Refusals"], [list(item) for item in ranked], {1}
        ),
        table=Table(
            "Refusals by judgement and scheme (the reasons, in the officers' words, are on "
            "each offer's page)",
            ["Judged", "Scheme", "Refusals"],
            [
                [_reasonable(r["reasonable_refusal"]), _scheme(r["scheme"]), r["refusals"]]
                for r in rows
            ],
            {2},
        ),
    )
