from datetime import UTC, date, datetime

from django.template import Context, Template

from config.kernel.dates import letter_date, page_date, page_datetime


def test_pages_and_letters_write_dates_the_gov_uk_way():
    assert page_date(date(2026, 12, 3)) == "3 December 2026"
    assert letter_date(date(2026, 1, 31)) == "31 January 2026"
    assert page_date(None) == letter_date(None) == ""


def test_a_moment_is_shown_in_local_time():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    assert page_datetime(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026, 00:30"


def test_the_template_filters_say_the_same():
    rendered = Template("{% load govuk %}{{ d|page_date }}|{{ d|letter_date }}").render(
        Context({"d": date(2026, 3, 27)})
    )
    assert rendered == "27 March 2026|27 March 2026"
