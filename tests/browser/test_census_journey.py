"""An officer plans and starts the census on a site, fills in a return part-done (what was
typed survives a page closed before saving), submits returns with differences from the
records, sees the follow-up tasks in their queue, applies one to the records, and exports the
round's reports and the caravan count; the sites manager finds the suspected breach."""

import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from residents.models import UnauthorisedOccupant
from tests.browser.conftest import assert_accessible, sign_in, sign_out, success_banner
from tests.census.factories import licensed_pitch
from tests.factories import SiteFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page: Page, group: str, value) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(value.day))
    fields.get_by_label("Month").fill(str(value.month))
    fields.get_by_label("Year").fill(str(value.year))


def _plan_and_start(page: Page, site) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Census").click()
    expect(page.get_by_role("heading", level=1, name="Site census")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Plan a census round").click()
    assert_accessible(page)
    today = timezone.localdate()
    _fill_date(page, "Planned start date", today)
    _fill_date(page, "Deadline for returns", today + timedelta(days=30))
    page.get_by_role("group", name="Sites to visit").get_by_label(site.name).check()
    page.get_by_role("button", name="Plan the round").click()
    success_banner(page, f"Census {today.year} was planned.")
    assert_accessible(page)
    page.get_by_role("button", name="Start the round").click()
    success_banner(page, "a return is ready for every pitch")
    expect(page.get_by_text("0 of 2 pitches done")).to_be_visible()
    assert_accessible(page)


def _open_return(page: Page, unit) -> None:
    page.get_by_role("link", name=f"{unit.site.name}, {unit.reference}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Fill in the return").or_(
        page.get_by_role("button", name="Continue the return")
    ).click()
    assert_accessible(page)


def test_census_round_with_differences_followed_up_and_exported(page: Page):
    officer = UserFactory(
        username="olivia", first_name="Olivia", last_name="Okafor", roles=["officer"]
    )
    UserFactory(username="owen", first_name="Owen", last_name="Price", roles=["officer"])
    sites_manager = UserFactory(
        username="sam", first_name="Sam", last_name="Hughes", roles=["sites_manager"]
    )
    site = SiteFactory(name="Hop Garden")
    first_unit, _ = licensed_pitch(site=site, occupants=("Tom",), holder_name="Mary")
    second_unit, _ = licensed_pitch(site=site, occupants=(), holder_name="Nora")

    sign_in(page, officer)
    _plan_and_start(page, site)
    round_url = page.url

    # Part-done: the caravans so far, saved to finish later.
    _open_return(page, first_unit)
    page.get_by_label("Number of caravans on the pitch").fill("2")
    page.get_by_role("button", name="Save and finish later").click()
    success_banner(page, "You can finish it later")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In progress")
    assert_accessible(page)

    # Typed, then the page is closed before saving (no signal): it comes back.
    page.get_by_role("button", name="Continue the return").click()
    assert_accessible(page)
    expect(page.get_by_label("Number of caravans on the pitch")).to_have_value("2")
    page.get_by_label("Notes").fill("Second caravan is a tourer")
    page.get_by_label("New person 1: name").fill("John Smith")
    page.reload()
    expect(page.get_by_text("What you typed earlier has been put back.")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Notes")).to_have_value("Second caravan is a tourer")
    expect(page.get_by_label("New person 1: name")).to_have_value("John Smith")

    # Submitted with differences: Tom has moved out, John Smith has moved in.
    page.get_by_role("group", name="Was the licence holder present?").get_by_label("Yes").check()
    page.get_by_role("group", name="Tom Boswell").get_by_label("Has moved out").check()
    page.get_by_label("New person 1: approximate age").fill("30")
    page.get_by_label("Officer", exact=True).select_option(label="Olivia Okafor")
    page.get_by_label("Second officer").select_option(label="Owen Price")
    page.get_by_role("button", name="Submit return").click()
    success_banner(page, "2 differences from the records became follow-up tasks")
    assert_accessible(page)
    expect(page.get_by_text("Suspected breach: passed to the sites manager")).to_be_visible()

    # The kept copy went with the successful save: the form opens clean next time.
    stored = page.evaluate("Object.keys(window.localStorage)")
    assert not [key for key in stored if key.startswith("draft:")]

    # The second pitch: all as recorded.
    page.goto(round_url)
    assert_accessible(page)
    _open_return(page, second_unit)
    page.get_by_role("group", name="Was the licence holder present?").get_by_label("Yes").check()
    page.get_by_label("Number of caravans on the pitch").fill("1")
    page.get_by_label("Officer", exact=True).select_option(label="Owen Price")
    page.get_by_label("Second officer").select_option(label="Olivia Okafor")
    page.get_by_role("button", name="Submit return").click()
    success_banner(page, "It matches the records")
    assert_accessible(page)

    # The follow-up tasks are in the officer's queue.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    assert_accessible(page)
    queue = page.get_by_role("main")
    expect(queue).to_contain_text("Tom Boswell, an authorised occupant, has moved out")
    expect(queue).to_contain_text("John Smith, about 30")

    # Applying one to the records.
    page.get_by_role("link", name="John Smith, about 30", exact=False).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Apply to the records\W+John Smith")).click()
    assert_accessible(page)
    page.get_by_label("Reason").fill("Seen on the visit; says he moved in last month")
    page.get_by_role("button", name="Apply to the records").click()
    success_banner(page, "The records were changed.")
    assert_accessible(page)
    expect(page.get_by_text("Unauthorised occupant: John Smith")).to_be_visible()
    assert UnauthorisedOccupant.objects.get().name == "John Smith"

    # Progress, reports and exports.
    page.goto(round_url)
    expect(page.get_by_text("2 of 2 pitches done")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Reports and downloads").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert "Hop Garden" in download.value.path().read_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Excel (xlsx)").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook["People by site"]["A2"].value == "Hop Garden"

    page.goto(round_url)
    assert_accessible(page)
    page.get_by_role("button", name="Count caravans from this round").click()
    assert_accessible(page)
    # The round gives only its own year's count, taken on one day in January: last year's
    # January is refused. (The 1st of January: a count date still to come is refused too.)
    this_year = timezone.localdate().year
    _fill_date(page, "Count date", date(this_year - 1, 1, 15))
    page.get_by_role("button", name="Count caravans from the census").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"Census {this_year}'s returns can only give the {this_year} count: enter a date in "
        f"January {this_year}"
    )
    assert_accessible(page)
    count_date = date(this_year, 1, 1)
    _fill_date(page, "Count date", count_date)
    page.get_by_role("button", name="Count caravans from the census").click()
    success_banner(page, "Caravans counted on 1 site.")
    assert_accessible(page)

    # Caravans off the council's sites, by where they were.
    page.get_by_role("button", name="Enter caravans off the council's sites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter caravans counted off the council's sites"
    )
    assert_accessible(page)
    _fill_date(page, "Count date", count_date)
    page.get_by_label("Unauthorised, on land not owned by Travellers: not tolerated").check()
    page.get_by_label("Place").fill("Lay-by on the A36")
    page.get_by_label("Number of caravans").fill("2")
    page.get_by_role("button", name="Save count").click()
    success_banner(page, "Saved: Lay-by on the A36: 2 caravans")
    expect(page.get_by_role("table", name="The government return")).to_contain_text(
        "Socially rented sites"
    )
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the government return (CSV)").click()
    lines = download.value.path().read_text().splitlines()
    assert lines[0].split(",")[2] == "Socially rented sites"
    assert lines[1].split(",")[1:] == [count_date.isoformat(), "3", *["0"] * 5, "2", "5"]

    # Anything typed and never saved does not stay behind in a shared browser.
    page.evaluate("window.localStorage.setItem('draft:census-return-99', '{}')")
    sign_out(page)
    stored = page.evaluate("Object.keys(window.localStorage)")
    assert not [key for key in stored if key.startswith("draft:")]

    # The sites manager has the suspected breach, as a licence breach, in their queue.
    sign_in(page, sites_manager)
    # The work names the licence holders as the holders, not as the unauthorised occupant.
    expect(page.get_by_role("main")).to_contain_text(
        re.compile(r"Unauthorised occupant: licence [^\n]+ held by [^\n]+ \(")
    )
