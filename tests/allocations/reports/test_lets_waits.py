"""The lets and waiting-time reports: their numbers on a small history, their filters, their
downloads, and a query count that does not grow with the rows."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from allocations.reports.filters import Filters
from allocations.reports.selectors.lettings import lets_report, waits_report
from tests.allocations.reports.data import a_let

pytestmark = pytest.mark.django_db

AUTUMN = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 11, 30))


@pytest.fixture
def lets(officer, team_leader):
    """Three lets in October and November (two council, one a housing association's), and
    one in August, outside the autumn."""
    return [
        a_let(officer, team_leader, on=date(2026, 10, 15), band=1, registered=date(2026, 1, 14),
              effective=date(2026, 4, 15)),
        a_let(officer, team_leader, on=date(2026, 10, 20), band=2, registered=date(2025, 10, 20),
              landlord="Northshire Homes", area="Cheriton"),
        a_let(officer, team_leader, on=date(2026, 11, 3), band=1, registered=date(2026, 8, 5)),
        a_let(officer, team_leader, on=date(2026, 8, 3), band=1, registered=date(2026, 1, 1)),
    ]  # fmt: skip


def _chart_values(result) -> dict:
    return {bar.label: bar.value for bar in result.chart.bars}


def test_lets_are_counted_by_month_scheme_band_and_landlord(lets):
    result = lets_report(AUTUMN)
    assert _chart_values(result) == {"Sep 2026": 0, "Oct 2026": 2, "Nov 2026": 1}
    assert result.table.rows == [
        ["Oct 2026", "Gypsy and Traveller pitches", "Band 1", "Council", 1],
        ["Oct 2026", "Gypsy and Traveller pitches", "Band 2", "Northshire Homes", 1],
        ["Nov 2026", "Gypsy and Traveller pitches", "Band 1", "Council", 1],
    ]


def test_the_landlord_area_and_scheme_filters_narrow_the_lets(lets):
    council = Filters(date_from=AUTUMN.date_from, date_to=AUTUMN.date_to, landlord="Council")
    assert [row[3] for row in lets_report(council).table.rows] == ["Council", "Council"]
    cheriton = Filters(date_from=AUTUMN.date_from, date_to=AUTUMN.date_to, area="cheriton")
    assert [row[3] for row in lets_report(cheriton).table.rows] == ["Northshire Homes"]
    homes = Filters(date_from=AUTUMN.date_from, date_to=AUTUMN.date_to, scheme="cbl")
    result = lets_report(homes)
    assert result.table.rows == []
    assert result.chart.empty


def test_waits_are_averaged_and_their_medians_taken_by_band(lets):
    result = waits_report(AUTUMN)
    # Band 1: 274 days (14 Jan → 15 Oct) and 90 days (5 Aug → 3 Nov); from the effective
    # date 183 and 90. Band 2: 365 days (20 Oct 2025 → 20 Oct 2026).
    assert result.chart_table.rows == [
        ["Band 1", 2, 182.0, 182.0, 136.5, 136.5],
        ["Band 2", 1, 365.0, 365.0, 365.0, 365.0],
    ]
    assert result.table.rows == [
        ["Band 1", "Pitch", 2, 182.0, 182.0, 136.5, 136.5],
        ["Band 2", "Pitch", 1, 365.0, 365.0, 365.0, 365.0],
    ]
    assert _chart_values(result) == {"Band 1": 182.0, "Band 2": 365.0}


def test_the_median_is_the_middle_wait_not_the_average(officer, team_leader):
    for registered in (date(2026, 10, 1), date(2026, 9, 21), date(2026, 6, 3)):
        a_let(officer, team_leader, on=date(2026, 10, 11), band=3, registered=registered)
    (row,) = waits_report(AUTUMN).chart_table.rows
    # 10, 20 and 130 days: the average is 53.3, the median 20.
    assert row == ["Band 3", 3, 53.3, 20.0, 53.3, 20.0]


def test_each_report_is_one_or_two_queries_however_many_lets(
    officer, team_leader, django_assert_num_queries
):
    a_let(officer, team_leader, on=date(2026, 10, 15), band=1)
    with django_assert_num_queries(1):
        lets_report(AUTUMN)
    with django_assert_num_queries(2):
        waits_report(AUTUMN)
    for day in (2, 9, 16, 23):
        a_let(officer, team_leader, on=date(2026, 11, day), band=day % 3, landlord=f"HA {day}")
    with django_assert_num_queries(1):
        assert len(lets_report(AUTUMN).table.rows) == 5
    with django_assert_num_queries(2):
        waits_report(AUTUMN)


# --- The pages and downloads -----------------------------------------------------------------

AUTUMN_QUERY = {
    "date_from_0": "1", "date_from_1": "9", "date_from_2": "2026",
    "date_to_0": "30", "date_to_1": "11", "date_to_2": "2026",
}  # fmt: skip


def test_the_lets_page_shows_the_chart_and_its_table(client, team_leader, lets):
    client.force_login(team_leader)
    response = client.get(reverse("reports:lets"), AUTUMN_QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="img"' in page
    assert '<title id="chart-lets-title">Lets per month</title>' in page
    assert "3 lets in all" in page
    assert "Northshire Homes" in page
    assert 'style="' not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_a_bad_filter_is_an_error_on_the_page_not_a_failure(client, head_of_service):
    client.force_login(head_of_service)
    response = client.get(
        reverse("reports:lets"),
        {**AUTUMN_QUERY, "date_to_0": "31", "date_to_1": "2", "landlord": "Nobody at all"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "To must be a real date" in page
    assert "Select a valid choice" in page
    assert 'role="img"' not in page


def test_the_from_date_must_not_be_after_the_to_date(client, auditor):
    client.force_login(auditor)
    response = client.get(
        reverse("reports:waits"), {**AUTUMN_QUERY, "date_from_1": "12", "date_to_1": "1"}
    )
    assert "The ‘to’ date must be the same as or after the ‘from’ date" in response.content.decode()


def test_the_lets_csv_has_the_filters_and_every_row(client, auditor, lets):
    client.force_login(auditor)
    response = client.get(reverse("reports:lets-csv"), AUTUMN_QUERY)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["Lets by month, scheme, band and landlord: 1 September 2026 to 30 November 2026"],
        ["Month", "Scheme", "Band", "Landlord", "Lets"],
        ["Oct 2026", "Gypsy and Traveller pitches", "Band 1", "Council", "1"],
        ["Oct 2026", "Gypsy and Traveller pitches", "Band 2", "Northshire Homes", "1"],
        ["Nov 2026", "Gypsy and Traveller pitches", "Band 1", "Council", "1"],
    ]


def test_the_waits_workbook_has_the_breakdown_and_the_charted_figures(client, auditor, lets):
    client.force_login(auditor)
    response = client.get(reverse("reports:waits-xlsx"), AUTUMN_QUERY)
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Breakdown", "Charted figures"]
    by_band = [list(row) for row in workbook["Charted figures"].iter_rows(values_only=True)]
    assert by_band[0] == ["Waiting time by band: 1 September 2026 to 30 November 2026"] + [None] * 5
    assert by_band[1][0] == "Band"
    assert by_band[2:] == [
        ["Band 1", 2, 182, 182, 136.5, 136.5],
        ["Band 2", 1, 365, 365, 365, 365],
    ]


def test_a_download_with_bad_filters_shows_the_errors_instead(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("reports:lets-csv"), {"scheme": "flats"})
    assert response["Content-Type"].startswith("text/html")
    assert "Select a valid choice" in response.content.decode()


def test_a_let_counts_in_the_band_and_wait_the_household_was_ranked_on_not_todays(
    officer, team_leader
):
    """A band (or effective date) changed after the let, by a correction or a later
    reassessment, does not move the let: the report reads the frozen shortlist line the
    home was let from."""
    from config.kernel.records import save

    decision = a_let(
        officer, team_leader, on=date(2026, 10, 15), band=2, registered=date(2026, 1, 14),
        effective=date(2026, 4, 15),
    )  # fmt: skip
    application = decision.offer.application
    application.band = 1
    application.effective_date = date(2026, 6, 1)
    save(application, by=officer, reason="Band corrected after the let", database_checks=False)

    assert lets_report(AUTUMN).table.rows == [
        ["Oct 2026", "Gypsy and Traveller pitches", "Band 2", "Council", 1]
    ]
    # 274 days from registration; 183 from the effective date the household was ranked on.
    assert waits_report(AUTUMN).chart_table.rows == [["Band 2", 1, 274.0, 274.0, 183.0, 183.0]]
