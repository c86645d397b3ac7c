"""Forms with mistakes: the GOV.UK error summary, focus, and nothing the person typed lost."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import SiteFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def test_a_site_form_with_mistakes_shows_the_error_summary_and_keeps_what_was_typed(page, officer):
    sign_in(page, officer)
    page.goto("/sites/new/")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Bramble Field")
    page.get_by_label("Reference").fill("GT-10")
    page.get_by_label("Address line 1").fill("3 Bramble Lane")
    page.get_by_label("Postcode").fill("XYZ")
    opened = page.get_by_role("group", name="Date opened")
    opened.get_by_label("Day").fill("31")
    opened.get_by_label("Month").fill("2")
    opened.get_by_label("Year").fill("2024")
    page.get_by_label("Notes").fill("Near the old orchard.")
    with page.expect_response(re.compile(r"/sites/new/$")) as posted:
        page.get_by_role("button", name="Save site").click()
    assert posted.value.status == 400

    expect(page).to_have_title(re.compile(r"^Error: Add a site"))
    summary = _error_summary(page)
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Select the type of site",
            "Enter the town or city",
            "Enter a real postcode, like NR1 2AB",
            "Date opened must be a real date, like 27 3 2024",
        ]
    )
    expect(page.locator("#div_id_town .govuk-error-message")).to_have_text(
        re.compile(r"Error:\s*Enter the town or city")
    )
    assert_accessible(page)

    # What was typed is still there, mistakes included, so it can be corrected.
    expect(page.get_by_label("Name", exact=True)).to_have_value("Bramble Field")
    expect(page.get_by_label("Reference")).to_have_value("GT-10")
    expect(page.get_by_label("Address line 1")).to_have_value("3 Bramble Lane")
    expect(page.get_by_label("Postcode")).to_have_value("XYZ")
    expect(opened.get_by_label("Day")).to_have_value("31")
    expect(opened.get_by_label("Month")).to_have_value("2")
    expect(opened.get_by_label("Year")).to_have_value("2024")
    expect(page.get_by_label("Notes")).to_have_value("Near the old orchard.")
    expect(page.get_by_role("group", name="Status").get_by_label("Open")).to_be_checked()

    # Each message in the summary takes the person to the answer to fix.
    summary.get_by_role("link", name="Enter the town or city").click()
    expect(page.get_by_label("Town or city")).to_be_focused()
    summary.get_by_role("link", name="Select the type of site").click()
    kinds = page.get_by_role("group", name="Type of site")
    expect(kinds.get_by_role("radio").first).to_be_focused()
    summary.get_by_role("link", name="Date opened must be a real date, like 27 3 2024").click()
    expect(opened.get_by_label("Day")).to_be_focused()

    kinds.get_by_label("Stopping place").check()
    page.get_by_label("Town or city").fill("Dover")
    page.get_by_label("Postcode").fill("CT16 2HN")
    opened.get_by_label("Day").fill("29")
    page.get_by_role("button", name="Save site").click()
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(
        "Bramble Field was added."
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("29 February 2024")
    assert_accessible(page)


def test_a_postcode_typed_in_lower_case_is_accepted(page, officer):
    site = SiteFactory()
    sign_in(page, officer)
    page.goto(f"/sites/{site.pk}/edit/")
    assert_accessible(page)
    page.get_by_label("Postcode").fill("tn23 4qp")
    page.get_by_label("Reason for this change").fill("Postcode corrected")
    page.get_by_role("button", name="Save site").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert _error_summary(page).count() == 0, _error_summary(page).inner_text()
    expect(page.locator(".govuk-summary-list")).to_contain_text("TN23 4QP")


def test_a_change_without_a_reason_is_refused_and_the_change_kept(page, officer):
    unit = UnitFactory(site__name="Hop Garden", reference="Pitch 4")
    sign_in(page, officer)
    page.goto(f"/sites/units/{unit.pk}/edit/")
    expect(page.get_by_role("heading", level=1, name="Change Pitch 4")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Reason for this change")).to_have_accessible_description(
        re.compile("Auditors will see this in the record's history")
    )
    page.get_by_label("Most caravans allowed").fill("3")
    page.get_by_role("button", name="Save unit").click()

    expect(page).to_have_title(re.compile(r"^Error: Change Pitch 4"))
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Enter the reason for this change"])
    expect(page.get_by_label("Most caravans allowed")).to_have_value("3")
    assert_accessible(page)

    summary.get_by_role("link", name="Enter the reason for this change").click()
    expect(page.get_by_label("Reason for this change")).to_be_focused()
    page.get_by_label("Reason for this change").fill("Pitch extended")
    page.get_by_role("button", name="Save unit").click()
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(
        "Your changes to Pitch 4 were saved."
    )
    assert_accessible(page)


def test_a_unit_form_reports_the_rules_a_pitch_breaks_next_to_the_answers(page, officer):
    site = SiteFactory(name="Marsh Road")
    sign_in(page, officer)
    page.goto(f"/sites/{site.pk}/units/new/")
    assert_accessible(page)
    page.get_by_label("Unit reference").fill("Pitch 7")
    page.get_by_role("group", name="Type of unit").get_by_label("Pitch", exact=True).check()
    page.get_by_role("group", name="Status").get_by_label("Void (empty)").check()
    page.get_by_label("Weekly pitch fee or rent (£)").fill("-5")
    page.get_by_label("Has an amenity block").check()
    page.get_by_role("button", name="Save unit").click()

    # The form's own checks and the unit's rules (model validation) are reported together.
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Weekly pitch fee or rent cannot be negative",
            "Select the amenity block's condition",
            "Enter the date the unit became void",
            "Select why the unit is void",
        ]
    )
    expect(page.get_by_label("Weekly pitch fee or rent (£)")).to_have_value("-5")
    expect(page.get_by_role("group", name="Status").get_by_label("Void (empty)")).to_be_checked()
    expect(page.get_by_label("Has an amenity block")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Weekly pitch fee or rent (£)").fill("80.00")
    summary.get_by_role("link", name="Enter the date the unit became void").click()
    void_date = page.get_by_role("group", name="Void date")
    expect(void_date.get_by_label("Day")).to_be_focused()
    void_date.get_by_label("Day").fill("3")
    void_date.get_by_label("Month").fill("10")
    void_date.get_by_label("Year").fill("2026")
    page.get_by_label("Void reason").select_option(
        label="Licence or tenancy ended: moved to private or other accommodation"
    )
    page.get_by_label("Amenity block condition").select_option(label="Fair")
    page.get_by_role("button", name="Save unit").click()
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(
        "Pitch 7 was added to Marsh Road."
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("3 October 2026")
    assert_accessible(page)


def test_a_double_click_on_save_sends_the_form_once(page, officer):
    # GOV.UK Frontend's button module ignores a second press within a second: an impatient
    # double click sends the form once (one site, one visit booked, one letter).
    sign_in(page, officer)
    page.goto("/sites/new/")
    assert_accessible(page)
    save = page.get_by_role("button", name="Save site")
    # Count the form's submissions, and keep the page where it is to count them.
    page.evaluate(
        """() => {
            window.submits = 0;
            document.querySelector('input[type=submit][name=save]').form.addEventListener(
                'submit', (event) => { window.submits += 1; event.preventDefault(); });
        }"""
    )
    save.dblclick()
    assert page.evaluate("window.submits") == 1
    page.wait_for_timeout(1100)  # a second later, a press is a press again
    save.click()
    assert page.evaluate("window.submits") == 2
