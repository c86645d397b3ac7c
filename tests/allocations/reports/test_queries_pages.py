"""Every report is one or two queries however many rows it reads; every report page, CSV and
workbook works for the roles that read reports, with or without figures."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from allocations.reports.filters import Filters, ReportFilterForm
from allocations.reports.selectors import REPORTS
from tests.allocations.factories import ActiveApplicationFactory
from tests.allocations.reports.data import a_let, a_refusal, advert_closing, bids_on

pytestmark = pytest.mark.django_db

AUTUMN = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 11, 30))
# The queries each report makes (the page adds the filter form's one query for its choices).
QUERIES = {
    "lets": 1,
    "waits": 2,
    "bids": 1,
    "refusals": 1,
    "voids": 1,
    "casework": 1,
    "register": 1,
    "occupancy": 2,
}


def _history(officer, team_leader, n: int) -> None:
    """n of each kind of thing the reports count, in October and November."""
    for i in range(n):
        day = date(2026, 10 + i % 2, 3 + i)
        a_let(officer, team_leader, on=day, band=1 + i % 3, landlord=["", "HA"][i % 2])
        a_refusal(officer, on=day, reason=f"Reason {i % 2}", reasonable=bool(i % 2))
        bids_on(advert_closing(day), officer, 1 + i)
        ActiveApplicationFactory(band=i % 3 + 1)
        a_let(officer, team_leader, on=day, band=1, approve=False)  # waiting for a decision


def test_every_report_is_listed_with_its_query_count():
    assert set(QUERIES) == {report.slug for report in REPORTS}


def _page_queries(client) -> dict[str, int]:
    counts = {}
    for report in REPORTS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"reports:{report.slug}"), AUTUMN_QUERY).status_code == 200
        counts[report.slug] = len(queries)
    return counts


AUTUMN_QUERY = {
    "date_from_0": "1", "date_from_1": "9", "date_from_2": "2026",
    "date_to_0": "30", "date_to_1": "11", "date_to_2": "2026",
}  # fmt: skip


def test_no_report_makes_more_queries_as_its_rows_grow(
    client, auditor, officer, team_leader, django_assert_num_queries
):
    client.force_login(auditor)
    client.get(reverse("reports:index"))  # the menu, cached once per user
    _history(officer, team_leader, 1)
    for report in REPORTS:
        with django_assert_num_queries(QUERIES[report.slug]):
            report.build(AUTUMN)
    pages = _page_queries(client)
    _history(officer, team_leader, 3)
    for report in REPORTS:
        with django_assert_num_queries(QUERIES[report.slug]):
            assert report.build(AUTUMN).table.rows
    # The pages too: the same number of queries with four times the rows.
    assert _page_queries(client) == pages


@pytest.mark.parametrize("report", REPORTS, ids=lambda report: report.slug)
def test_each_report_page_and_download_works_with_no_figures(client, auditor, report):
    client.force_login(auditor)
    page = client.get(reverse(f"reports:{report.slug}"))
    assert page.status_code == 200
    html = page.content.decode()
    assert report.title in html and "No figures to chart for these filters." in html
    download = client.get(reverse(f"reports:{report.slug}-csv"))
    first, headers = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    shown = ReportFilterForm(None, uses=report.uses).filters().describe()  # the last 12 months
    assert first == [f"{report.build(AUTUMN).table.caption}: {shown}"]
    assert headers == report.build(AUTUMN).table.headers
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse(f"reports:{report.slug}-xlsx")).content)
    )
    assert len(workbook.sheetnames) == 2


def test_the_reports_index_lists_every_report(client, head_of_service):
    client.force_login(head_of_service)
    html = client.get(reverse("reports:index")).content.decode()
    for report in REPORTS:
        assert f'href="{reverse(f"reports:{report.slug}")}"' in html


def test_officers_cannot_read_reports(client, officer):
    client.force_login(officer)
    assert client.get(reverse("reports:lets")).status_code == 403
    assert client.get(reverse("reports:lets-csv")).status_code == 403


NASTY = [
    {"date_from_0": "9" * 20, "date_from_1": "9" * 20, "date_from_2": "9" * 20},
    {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"},
    {"date_from_0": "1", "date_from_1": "1", "date_from_2": "1900", "date_to_0": "1",
     "date_to_1": "1", "date_to_2": "2100"},
    {"date_from_0": "1", "date_from_1": "1", "date_from_2": "2090"},
    {"date_to_0": "-1", "date_to_1": "13", "date_to_2": "-2026"},
    {"scheme": "[[[]]]", "area": "' OR 1=1 --", "landlord": "x" * 5000},
    {"date_to_0": "1", "date_to_1": "1"},  # no year
]  # fmt: skip


@pytest.mark.parametrize("report", REPORTS, ids=lambda report: report.slug)
def test_bad_filters_are_errors_on_the_page_never_a_failure(client, auditor, report):
    client.force_login(auditor)
    for data in NASTY:
        for suffix in ("", "-csv", "-xlsx"):
            response = client.get(reverse(f"reports:{report.slug}{suffix}"), data)
            assert response.status_code == 200, (suffix, data)
            html = response.content.decode()
            assert "There is a problem" in html, (suffix, data)


def test_a_from_date_alone_is_held_to_the_ten_year_limit_too(client, auditor):
    """With no 'to' date the report runs to today: a 'from' date in 1900 would make a
    126-year month axis (and the register report a query per month of it)."""
    client.force_login(auditor)
    long_ago = {"date_from_0": "1", "date_from_1": "1", "date_from_2": "1900"}
    for suffix in ("", "-csv", "-xlsx"):
        response = client.get(reverse(f"reports:register{suffix}"), long_ago)
        assert response.status_code == 200, suffix
        html = response.content.decode()
        assert "There is a problem" in html, suffix
        assert "no more than 10 years before the ‘to’ date" in html, suffix
    form = ReportFilterForm(long_ago, uses=())
    assert not form.is_valid()
    # Nine years back is still a report.
    recent = ReportFilterForm(
        {"date_from_0": "1", "date_from_1": "1", "date_from_2": str(date.today().year - 9)},
        uses=(),
    )
    assert recent.is_valid(), recent.errors
