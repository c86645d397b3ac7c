"""Nominations to registered providers: the provider's answer date in working days, and the
report's figures (pure: no database)."""

from datetime import date, timedelta
from statistics import median


def working_days_after(start: date, days: int) -> date:
    """The day `days` working days (Monday to Friday) after `start`."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def median_days(durations: list[timedelta]) -> float | None:
    """The median time to answer, in days to one decimal place (None when nothing answered)."""
    if not durations:
        return None
    return round(median(d.total_seconds() for d in durations) / 86400, 1)


def share_percent(nominated: int, lets: int) -> int | None:
    """The share of the provider's lets the council actually nominated to, as a whole
    percentage (None when the provider had no lets)."""
    if lets == 0:
        return None
    return round(100 * nominated / lets)
