"""What every report is made of: its table, its chart, and the SQL pieces they share."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Aggregate, FloatField, Func, IntegerField

from allocations.reports.charts import Chart


class Median(Aggregate):
    """The median, computed by PostgreSQL: PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """later − earlier for two dates, in whole days (PostgreSQL's date − date is an integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Any]]
    numeric: set[int] = field(default_factory=set)  # column indexes right-aligned


@dataclass
class ReportResult:
    chart: Chart
    chart_table: Table  # the chart's own figures, shown beside it
    table: Table  # the full breakdown, as downloaded


def months_between(start: date, end: date) -> list[date]:
    """The first day of each month from start's month to end's month, inclusive."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


def band_label(band: int | None) -> str:
    return "No band" if band is None else f"Band {band}"
