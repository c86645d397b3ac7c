"""The management reports in a browser (issue 16): a team leader opens Reports from the menu,
reads each report with its chart and table, filters one (and sees a bad date refused in
words), and the download links carry the filters. Every page is scanned with axe-core."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations.reports.selectors import REPORTS
from tests.allocations.reports.data import a_let, a_refusal
from tests.browser.conftest import assert_accessible, date_fill, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_leader_reads_every_report_and_filters_one(page: Page, officer, team_leader):
    today = timezone.localdate()
    a_let(officer, team_leader, on=today - timedelta(days=40), band=1, landlord="Northshire Homes")
    a_let(officer, team_leader, on=today - timedelta(days=10), band=2)
    a_refusal(officer, on=today - timedelta(days=5), reason="Too far from school", reasonable=False)

    sign_in(page, team_leader)
    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Reports")).to_be_visible()
    assert_accessible(page)
    for report in REPORTS:
        page.goto(f"/reports/{report.slug}/")
        expect(page.get_by_role("heading", level=1, name=report.title)).to_be_visible()
        assert_accessible(page)

    page.goto("/reports/lets/")
    assert_accessible(page)
    expect(page.get_by_role("img", name="Lets per month")).to_be_visible()
    expect(page.get_by_role("table", name="Lets per month")).to_be_visible()
    page.get_by_label("Landlord").select_option("Northshire Homes")
    page.get_by_role("button", name="Show the report").click()
    rows = page.get_by_role("table", name="Lets by month, scheme, band and landlord")
    expect(rows.locator("tbody tr")).to_have_count(1)
    expect(rows).to_contain_text("Northshire Homes")
    expect(page.get_by_role("button", name="Download CSV")).to_have_attribute(
        "href", re.compile(r"^/reports/lets\.csv\?.*landlord=Northshire\+Homes")
    )
    assert_accessible(page)

    date_fill(page, "From", date(2026, 2, 1))
    to = page.get_by_role("group", name="To")
    to.get_by_label("Day").fill("31")
    to.get_by_label("Month").fill("2")
    to.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show the report").click()
    expect(page).to_have_title(re.compile(r"^Error: Lets"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("To must be a real date")
    assert_accessible(page)
