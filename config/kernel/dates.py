"""One date format for pages and one for letters (Django's date format characters).

Both follow the GOV.UK style ("3 December 2026": no ordinal, no leading zero, the month in
full); they are named apart so a letter's style can change without every page's. Pages with a
time add it after a comma ("3 December 2026, 14:05"). Templates: `{{ value|page_date }}`,
`{{ value|page_datetime }}` and `{{ value|letter_date }}` (`{% load govuk %}`); Django's own
`{{ value|date }}` uses settings.DATE_FORMAT, which is PAGE_DATE.
"""

from datetime import date, datetime

from django.utils import dateformat, timezone

PAGE_DATE = "j F Y"  # 3 December 2026
PAGE_DATETIME = "j F Y, H:i"  # 3 December 2026, 14:05 (local time)
PAGE_TIME = "H:i"  # 14:05 (local time)
LETTER_DATE = "j F Y"  # 3 December 2026


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def page_date(value: date | datetime | None) -> str:
    return dateformat.format(_local(value), PAGE_DATE) if value else ""


def page_datetime(value: datetime | None) -> str:
    return dateformat.format(_local(value), PAGE_DATETIME) if value else ""


def page_time(value: datetime | None) -> str:
    return dateformat.format(_local(value), PAGE_TIME) if value else ""


def letter_date(value: date | datetime | None) -> str:
    return dateformat.format(_local(value), LETTER_DATE) if value else ""


PAGE_MOMENT = r"H:i:s \o\n l j F Y"  # 23:59:59 on Monday 7 December 2026 (UK time)


def page_moment(value: datetime | None) -> str:
    """A moment exact to the second, in UK time: for deadlines such as a cycle's close."""
    return dateformat.format(_local(value), PAGE_MOMENT) if value else ""
