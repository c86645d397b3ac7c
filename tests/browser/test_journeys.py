"""An officer records a site and a pitch; an auditor reads what changed, who changed it and why."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out, success_banner
from tests.factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGE_OR_ADD = re.compile(r"^(Change|Add)\b")


def _officer_adds_site(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sites").click()
    expect(page.get_by_role("heading", level=1, name="Sites")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a site").click()
    expect(page.get_by_role("heading", level=1, name="Add a site")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Primrose Meadow")
    page.get_by_label("Reference").fill("GT-09")
    page.get_by_role("group", name="Type of site").get_by_label("Gypsy and Traveller site").check()
    page.get_by_role("group", name="Status").get_by_label("Open").check()
    page.get_by_label("Address line 1").fill("2 Primrose Lane")
    page.get_by_label("Town or city").fill("Ashford")
    page.get_by_label("Postcode").fill("TN23 4QP")
    page.get_by_label("Parish").fill("Kingsnorth")
    opened = page.get_by_role("group", name="Date opened")
    opened.get_by_label("Day").fill("1")
    opened.get_by_label("Month").fill("4")
    opened.get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Save site").click()

    success_banner(page, "Primrose Meadow was added.")
    expect(page.get_by_role("heading", level=1, name="Primrose Meadow")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("TN23 4QP")
    expect(page.locator(".govuk-summary-list")).to_contain_text("1 April 2019")
    assert_accessible(page)


def _officer_adds_pitch(page: Page) -> None:
    page.get_by_role("button", name="Add a unit").click()
    expect(
        page.get_by_role("heading", level=1, name="Add a unit to Primrose Meadow")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Unit reference").fill("Pitch 1")
    page.get_by_role("group", name="Type of unit").get_by_label("Pitch", exact=True).check()
    page.get_by_role("group", name="Status").get_by_label("Occupied").check()
    page.get_by_label("Weekly pitch fee or rent (£)").fill("82.50")
    page.get_by_label("Has an electricity meter").check()
    page.get_by_label("Most caravans allowed").fill("2")
    page.get_by_role("button", name="Save unit").click()

    success_banner(page, "Pitch 1 was added to Primrose Meadow.")
    expect(page.get_by_role("heading", level=1, name="Pitch 1")).to_be_visible()
    assert_accessible(page)


def _officer_changes_pitch(page: Page) -> None:
    page.get_by_role("button", name="Change unit details").click()
    expect(page.get_by_role("heading", level=1, name="Change Pitch 1")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Weekly pitch fee or rent (£)")).to_have_value("82.50")
    page.get_by_label("Weekly pitch fee or rent (£)").fill("85.00")
    page.get_by_label("Has a water meter").check()
    page.get_by_label("Reason for this change").fill("Annual pitch fee review")
    page.get_by_role("button", name="Save unit").click()

    success_banner(page, "Your changes to Pitch 1 were saved.")
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("£85.00")
    expect(summary).to_contain_text("Water")
    assert_accessible(page)


def _auditor_finds_site(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sites").click()
    expect(page.get_by_role("heading", level=1, name="Sites")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button", name=CHANGE_OR_ADD)).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Search by name, reference, town or postcode").fill("Primrose")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("table", name="Sites").get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("main").get_by_role("button", name=CHANGE_OR_ADD)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Primrose Meadow").click()
    expect(page.get_by_role("heading", level=1, name="Primrose Meadow")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button", name=CHANGE_OR_ADD)).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("link", name=CHANGE_OR_ADD)).to_have_count(0)
    assert_accessible(page)


def _auditor_reads_pitch_history(page: Page, officer_name: str) -> None:
    page.get_by_role("link", name="Pitch 1").click()
    expect(page.get_by_role("heading", level=1, name="Pitch 1")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button", name=CHANGE_OR_ADD)).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("link", name=CHANGE_OR_ADD)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="History of this unit").click()
    expect(page.get_by_role("heading", level=1, name="Pitch 1, Primrose Meadow")).to_be_visible()
    assert_accessible(page)
    entries = page.locator(".app-timeline__entry")
    expect(entries).to_have_count(2)
    change = entries.first
    expect(change.get_by_role("heading", name="Changed")).to_be_visible()
    expect(change).to_contain_text(f"by {officer_name} on")
    expect(change).to_contain_text("Reason: Annual pitch fee review")
    fee = change.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Weekly pitch fee or rent (£)", exact=True)
    )
    expect(fee.get_by_role("cell")).to_have_text(["82.50", "85.00"])
    water = change.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Has a water meter", exact=True)
    )
    expect(water.get_by_role("cell")).to_have_text(["No", "Yes"])
    expect(change.get_by_role("rowheader")).to_have_count(2)
    created = entries.last
    expect(created.get_by_role("heading", name="Created")).to_be_visible()
    expect(created).to_contain_text(f"by {officer_name} on")


def _auditor_reads_change_log(page: Page, officer_name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Change log").click()
    expect(page.get_by_role("heading", level=1, name="Change log")).to_be_visible()
    assert_accessible(page)
    # Signing in is a change to the user record too, so keep to the rows about the site.
    rows = (
        page.get_by_role("table", name="Changes")
        .locator("tbody")
        .get_by_role("row")
        .filter(has_text="Primrose Meadow")
    )
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row).to_contain_text(officer_name)
    expect(rows.nth(0)).to_contain_text("Unit: Pitch 1, Primrose Meadow")
    expect(rows.nth(0)).to_contain_text("Changed")
    expect(rows.nth(0)).to_contain_text("Annual pitch fee review")
    expect(rows.nth(1)).to_contain_text("Unit: Pitch 1, Primrose Meadow")
    expect(rows.nth(1)).to_contain_text("Created")
    expect(rows.nth(2)).to_contain_text("Site: Primrose Meadow")
    expect(rows.nth(2)).to_contain_text("Created")

    page.get_by_role("link", name="Primrose Meadow", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Primrose Meadow")).to_be_visible()
    expect(page.get_by_text("History of this site")).to_be_visible()
    assert_accessible(page)
    expect(page.locator(".app-timeline__entry")).to_have_count(1)
    expect(page.locator(".app-timeline__entry")).to_contain_text(f"by {officer_name} on")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Change log").click()
    expect(page.get_by_role("heading", level=1, name="Change log")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Person").select_option(label=officer_name)
    page.get_by_label("Record type").select_option(label="Unit")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"record_type=sites\.unit"))
    rows = page.get_by_role("table", name="Changes").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Record type")).to_have_value("sites.unit")
    assert_accessible(page)


def test_officer_records_a_pitch_and_an_auditor_reads_its_history(page, officer, auditor):
    officer_name = officer.get_full_name()

    sign_in(page, officer)
    _officer_adds_site(page)
    _officer_adds_pitch(page)
    _officer_changes_pitch(page)
    sign_out(page)

    sign_in(page, auditor)
    _auditor_finds_site(page)
    _auditor_reads_pitch_history(page, officer_name)
    _auditor_reads_change_log(page, officer_name)


def test_an_auditor_is_refused_the_forms_that_change_records(page, auditor):
    unit = UnitFactory()
    sign_in(page, auditor)
    for path in ["/sites/new/", f"/sites/{unit.site_id}/edit/", f"/sites/units/{unit.pk}/edit/"]:
        response = page.goto(path)
        assert response.status == 403
        expect(
            page.get_by_role(
                "heading", level=1, name="You do not have permission to view this page"
            )
        ).to_be_visible()
        assert_accessible(page)
