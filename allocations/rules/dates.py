"""Dates as the rules use them: ages in whole years and dates in words for explanations."""

from __future__ import annotations

from datetime import date
from typing import Any

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# "1 March ": a day and its month in words, by [month][day] and by an ISO date's "-03-01"
# (fixed tables, so that the explanations of a long shortlist put each date into words with
# one lookup).
_DAY_MONTH = tuple(tuple(f"{day} {month} " for day in range(32)) for month in ("", *MONTH_NAMES))
_ISO_DAY_MONTH = {
    f"-{month:02d}-{day:02d}": words
    for month, days in enumerate(_DAY_MONTH)
    for day, words in enumerate(days)
    if month and day
}


def date_in_words(day: date | str) -> str:
    """'1 March 2024': the form letters use. Built by hand, not strftime("%-d"), which is
    platform-specific (it fails on Windows) and locale-dependent. `day` is a date or its ISO
    text ("2024-03-01", as the ranking SQL reads a shortlist's dates).

    The same words as config.kernel.dates.letter_date (a test holds them together); the rules
    keep their own so they stay free of Django, and the explanations frozen with a shortlist
    never change with a template setting."""
    if isinstance(day, str):
        year = day[:4] if day[0] != "0" else day[:4].lstrip("0")
        return _ISO_DAY_MONTH[day[4:]] + year
    return f"{_DAY_MONTH[day.month][day.day]}{day.year}"


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a day.

    Someone born on 29 February is a year older on 1 March in a common year, not on
    28 February: in England and Wales a person attains an age at the start of the
    anniversary of their birth, and a common year has no 29 February to be the anniversary.
    """
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)


def is_whole_number(value: Any) -> bool:
    """A whole number of years, days or points; bool is a subclass of int, and True is not a
    number of years."""
    return isinstance(value, int) and not isinstance(value, bool)
