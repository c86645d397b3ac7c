"""The household pages: search that keeps names out of addresses, special-category data shown
only to the roles that need it (and logged), possible duplicates, changes with reasons and
their history. Every page is scanned against WCAG 2.2 AA."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out, success_banner
from tests.browser.test_keyboard import assert_every_control_is_reachable_by_tab
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTHDAY = date(1985, 6, 14)
SPECIAL_CATEGORY_HEADING = "Ethnicity, Traveller status and health"


def _heading(page: Page, name: str | re.Pattern):
    return page.get_by_role("heading", level=1, name=name)


def _error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def _summary_value(page: Page, key: str):
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{key}$"))
    )
    return row.locator(".govuk-summary-list__value")


def _date_fill(scope, day: date) -> None:
    scope.get_by_label("Day").fill(str(day.day))
    scope.get_by_label("Month").fill(str(day.month))
    scope.get_by_label("Year").fill(str(day.year))


def _households_open(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Households").click()
    expect(_heading(page, "Households")).to_be_visible()
    assert_accessible(page)


def test_a_household_search_keeps_names_and_dates_of_birth_out_of_the_address(page, officer):
    mary = PersonFactory(first_name="Mary", last_name="Boswell", date_of_birth=BIRTHDAY)
    PersonFactory(first_name="John", last_name="Boswell", date_of_birth=date(1979, 2, 3))
    PersonFactory(first_name="Mary", last_name="Lee", date_of_birth=BIRTHDAY)
    sign_in(page, officer)
    _households_open(page)
    expect(
        page.get_by_role("table", name="All households").locator("tbody").get_by_role("row")
    ).to_have_count(3)

    # Searching for nothing is a mistake, said plainly.
    with page.expect_response(re.compile(r"/households/$")) as posted:
        page.get_by_role("button", name="Search").click()
    assert posted.value.status == 400
    expect(page).to_have_title(re.compile(r"^Error: Households"))
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter a name, reference, date of birth or postcode to search"]
    )
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Name", exact=True)).to_be_focused()

    page.get_by_label("Name", exact=True).fill("boswell")
    _date_fill(page.get_by_role("group", name="Date of birth"), BIRTHDAY)
    page.get_by_role("button", name="Search").click()

    # Post/Redirect/Get: the results' address holds an opaque key, never what was searched for.
    expect(page).to_have_url(re.compile(r"/households/\?search=[A-Za-z0-9_-]+$"))
    assert "boswell" not in page.url.lower()
    assert "1985" not in page.url
    rows = (
        page.get_by_role("table", name="Households matching your search")
        .locator("tbody")
        .get_by_role("row")
    )
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(mary.household.reference)
    expect(rows.first).to_contain_text("Mary Boswell")
    # The search is kept, so it can be refined.
    expect(page.get_by_label("Name", exact=True)).to_have_value("boswell")
    expect(page.get_by_role("group", name="Date of birth").get_by_label("Year")).to_have_value(
        "1985"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Clear search").click()
    expect(page).to_have_url(re.compile(r"/households/$"))
    expect(
        page.get_by_role("table", name="All households").locator("tbody").get_by_role("row")
    ).to_have_count(3)
    assert_accessible(page)


def test_special_category_data_is_shown_to_an_officer_hidden_from_a_sites_manager_and_logged(
    page, officer, sites_manager, auditor
):
    mary = PersonFactory(
        first_name="Mary",
        last_name="Boswell",
        date_of_birth=BIRTHDAY,
        gypsy_traveller_status="yes",
        health_notes="Asthma; needs a ground-floor home",
    )
    household = mary.household

    sign_in(page, officer)
    page.goto(household.get_absolute_url())
    expect(_heading(page, household.reference)).to_be_visible()
    special = page.get_by_role("heading", level=2, name=SPECIAL_CATEGORY_HEADING)
    expect(special).to_be_visible()
    expect(page.get_by_text("this viewing has been logged")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Mary Boswell")).to_be_visible()
    expect(
        _summary_value(
            page, re.escape("Gypsy or Traveller status (ethnicity, or the planning definition)")
        )
    ).to_have_text("Yes, meets the definition")
    expect(_summary_value(page, "Health and disability")).to_have_text(
        "Asthma; needs a ground-floor home"
    )
    assert_accessible(page)
    sign_out(page)

    sign_in(page, sites_manager)
    page.goto(household.get_absolute_url())
    expect(_heading(page, household.reference)).to_be_visible()
    expect(
        page.get_by_role("table", name=f"People in household {household.reference}")
    ).to_contain_text("Mary Boswell")
    expect(page.get_by_role("heading", name=SPECIAL_CATEGORY_HEADING)).to_have_count(0)
    expect(page.get_by_text("Asthma")).to_have_count(0)
    expect(page.get_by_text("meets the definition")).to_have_count(0)
    expect(page.get_by_role("button", name="Change household details")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Change Mary"))).to_have_count(0)
    expect(page.get_by_role("button", name="Add a person")).to_have_count(0)
    assert_accessible(page)
    sign_out(page)

    # The auditor reads who saw it: the officer's viewing, not the sites manager's page.
    sign_in(page, auditor)
    _households_open(page)
    page.get_by_role("link", name="Who has seen special-category data").click()
    expect(_heading(page, "Who has seen special-category data")).to_be_visible()
    assert_accessible(page)
    rows = (
        page.get_by_role("table", name="Viewings of special-category data")
        .locator("tbody")
        .get_by_role("row")
    )
    expect(rows).to_have_count(1)
    cells = rows.first.get_by_role("cell")
    expect(cells.nth(1)).to_have_text(officer.get_full_name())
    expect(cells.nth(2)).to_have_text(f"Mary Boswell ({household.reference})")
    expect(cells.nth(4)).to_have_text("Household page")
    expect(cells.nth(3)).to_have_text(
        "Ethnic group, Gypsy or Traveller status (ethnicity, or the planning definition), "
        "Health and disability notes, Pregnancy due date, Evidence of pregnancy"
    )


def test_an_officer_adds_a_household_after_checking_a_possible_duplicate(page, officer):
    existing = PersonFactory(first_name="Mary", last_name="Boswell", date_of_birth=BIRTHDAY)
    sign_in(page, officer)
    _households_open(page)
    page.get_by_role("button", name="Add a household").click()
    expect(_heading(page, "Add a household")).to_be_visible()
    assert_accessible(page)

    lead = page.get_by_role("group", name="Lead applicant")
    lead.get_by_label("First name").fill("Mary")
    lead.get_by_label("Last name").fill("Boswell")
    _date_fill(lead.get_by_role("group", name="Date of birth"), BIRTHDAY)
    lead.get_by_role("group", name="Sex", exact=True).get_by_label("Female").check()
    lead.get_by_label("Health and disability notes").fill("None known")
    page.get_by_label("Address line 1").fill("Plot 4, Ashford Road")
    page.get_by_label("Town or city").fill("Ashford")
    page.get_by_label("Postcode").fill("TN24 0PQ")
    page.get_by_label("Telephone number").fill("01233 330000")
    with page.expect_response(re.compile(r"/households/new/$")) as posted:
        page.get_by_role("button", name="Save household").click()
    assert posted.value.status == 400

    # Someone with the same name and birthday is already recorded: look before saving.
    expect(page).to_have_title(re.compile(r"^Error: Add a household"))
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "These people may already be recorded. Check them, then tick to confirm "
            "this is a different person."
        ]
    )
    duplicates = (
        page.get_by_role("table", name="People with the same name and date of birth")
        .locator("tbody")
        .get_by_role("row")
    )
    expect(duplicates).to_have_count(1)
    expect(duplicates.first).to_contain_text("Mary Boswell")
    expect(duplicates.first).to_contain_text("14 June 1985")
    expect(
        duplicates.first.get_by_role(
            "link", name=f"Household {existing.household.reference} (opens in new tab)"
        )
    ).to_be_visible()
    confirmation = page.get_by_label("I have checked these records: this is a different person")
    expect(confirmation).not_to_be_checked()
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(confirmation).to_be_focused()
    # Nothing typed was lost.
    expect(lead.get_by_label("First name")).to_have_value("Mary")
    expect(lead.get_by_label("Health and disability notes")).to_have_value("None known")
    expect(lead.get_by_role("group", name="Date of birth").get_by_label("Day")).to_have_value("14")
    expect(page.get_by_label("Telephone number")).to_have_value("01233 330000")

    confirmation.check()
    page.get_by_role("button", name="Save household").click()
    success_banner(page, "was added.")
    expect(_heading(page, re.compile(r" \(H-\d{6}\)$"))).to_be_visible()
    people = page.get_by_role("table", name=re.compile(r"^People in household H-"))
    expect(people.get_by_role("rowheader")).to_have_text(["Mary Boswell"])
    expect(_summary_value(page, "Telephone")).to_have_text("01233 330000")
    assert_accessible(page)


def test_an_officer_changes_a_household_and_a_person_with_reasons_shown_in_their_history(
    page, officer
):
    mary = PersonFactory(first_name="Mary", last_name="Boswell", date_of_birth=BIRTHDAY)
    household = mary.household
    sign_in(page, officer)
    page.goto(household.get_absolute_url())
    expect(_heading(page, household.reference)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Change household details").click()
    expect(_heading(page, f"Change household Mary Boswell ({household.reference})")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Telephone number").fill("07700 900982")
    with page.expect_response(re.compile(r"/edit/$")) as posted:
        page.get_by_role("button", name="Save household").click()
    assert posted.value.status == 400
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Enter the reason for this change"])
    expect(page.get_by_label("Telephone number")).to_have_value("07700 900982")
    assert_accessible(page)
    page.get_by_label("Reason for this change").fill("New mobile number given at the visit")
    page.get_by_role("button", name="Save household").click()
    success_banner(
        page, f"Your changes to household Mary Boswell ({household.reference}) were saved."
    )
    expect(_summary_value(page, "Telephone")).to_have_text("07700 900982")
    assert_accessible(page)

    page.get_by_role("link", name="Change Mary Boswell").click()
    expect(_heading(page, "Change Mary Boswell")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Other names").fill("Mary Smith")
    page.get_by_label("Reason for this change").fill("Maiden name on her birth certificate")
    page.get_by_role("button", name="Save person").click()
    success_banner(page, "Your changes to Mary Boswell were saved.")
    expect(page.get_by_text("Also known as Mary Smith")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="History of Mary Boswell").click()
    expect(_heading(page, "Mary Boswell")).to_be_visible()
    expect(page.get_by_text("History of this person")).to_be_visible()
    assert_accessible(page)
    change = page.locator(".app-timeline__entry").first
    expect(change.get_by_role("heading", name="Changed")).to_be_visible()
    expect(change).to_contain_text(f"by {officer.get_full_name()} on")
    expect(change).to_contain_text("Reason: Maiden name on her birth certificate")
    other_names = change.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Other names", exact=True)
    )
    expect(other_names.get_by_role("cell")).to_have_text(["(blank)", "Mary Smith"])

    page.get_by_role("link", name="Back to Mary Boswell").click()
    expect(_heading(page, household.reference)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="History of this household").click()
    expect(page.get_by_text("History of this household")).to_be_visible()
    assert_accessible(page)
    # The household's history includes its people's: Mary's later change comes first.
    entries = page.locator(".app-timeline__entry")
    expect(entries.first).to_contain_text("Person: Mary Boswell: changed")
    change = entries.nth(1)
    expect(change).to_contain_text("Reason: New mobile number given at the visit")
    phone = change.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Telephone number", exact=True)
    )
    expect(phone.get_by_role("cell")).to_have_text(["(blank)", "07700 900982"])


def test_every_control_on_the_household_pages_can_be_reached_with_tab(page, officer):
    mary = PersonFactory(first_name="Mary", last_name="Boswell", date_of_birth=BIRTHDAY)
    sign_in(page, officer)
    for path in [
        "/households/",
        mary.household.get_absolute_url(),
        "/households/new/",
        f"/households/{mary.household.pk}/edit/",
        f"/households/people/{mary.pk}/edit/",
    ]:
        page.goto(path)
        assert_accessible(page)
        assert_every_control_is_reachable_by_tab(page)
