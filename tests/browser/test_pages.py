"""Every kind of page, in its states that look different, scanned against WCAG 2.2 AA."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.template.loader import render_to_string
from playwright.sync_api import Page, expect

from sites import services
from sites.models import Site, Unit
from tests.browser.conftest import PASSWORD, assert_accessible, sign_in
from tests.conftest import two_step_code
from tests.factories import HomeFactory, SiteFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heading(page: Page, name: str):
    return page.get_by_role("heading", level=1, name=name)


def _result_count(page: Page):
    return page.locator(".app-result-count")


def _table_rows(page: Page, name: str):
    return page.get_by_role("table", name=name).locator("tbody").get_by_role("row")


# --- Signing in and out ------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in_and_told_plainly_when_it_fails(page, officer):
    code = two_step_code(officer)
    page.goto("/sites/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/sites/$"))
    expect(_heading(page, "Sign in")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.get_by_label("Username")).to_have_value(officer.username)
    assert_accessible(page)

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next=%2Fsites%2F$"))
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/sites/$"))
    expect(_heading(page, "Sites")).to_be_visible()
    assert_accessible(page)


def test_too_many_failed_sign_ins_show_the_locked_out_page(page, officer):
    page.goto("/accounts/login/")
    assert_accessible(page)
    for _ in range(5):
        page.get_by_label("Username").fill(officer.username)
        page.get_by_label("Password", exact=True).fill("wrong-every-time")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert_accessible(page)
        if _heading(page, "Too many failed attempts").count():
            break
    expect(_heading(page, "Too many failed attempts")).to_be_visible()


def test_the_password_reset_pages(page, officer):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(_heading(page, "Reset your password")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send reset link").click()
    expect(page).to_have_title(re.compile(r"^Error: Reset your password"))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Email", exact=True).fill(officer.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(_heading(page, "Check your email")).to_be_visible()
    assert_accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(_heading(page, "Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password confirmation").fill("different")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_title(re.compile(r"^Error: Choose a new password"))
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("a-longer-passphrase-2026")
    page.get_by_label("New password confirmation").fill("a-longer-passphrase-2026")
    page.get_by_role("button", name="Change password").click()
    expect(_heading(page, "Your password has been changed")).to_be_visible()
    assert_accessible(page)

    page.goto(link)
    expect(_heading(page, "This link is not valid")).to_be_visible()
    assert_accessible(page)


# --- Home, by role ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "not_shown"),
    [
        ("officer", ["Home", "Sites", "Bidding cycles"], ["Change log", "Administration"]),
        ("auditor", ["Home", "Sites", "Change log"], ["Administration"]),
        ("business_support", ["Home", "Sites"], ["Change log", "Administration"]),
        ("administrator", ["Home", "Sites", "Change log", "Administration"], []),
        (
            "provider_staff",
            ["Home", "Your nominations"],
            [
                "Sites",
                "Households",
                "Vacancies",
                "Bidding cycles",
                "Nominations",
                "Change log",
                "Administration",
            ],
        ),
    ],
)
def test_home_shows_each_role_its_own_menu(page, user_for_role, role, shown, not_shown):
    SiteFactory()
    sign_in(page, user_for_role(role))
    menu = page.get_by_role("navigation", name="Menu")
    for label in shown:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in not_shown:
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_count(0)
    expect(menu.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    if "Sites" in shown:
        expect(page.locator(".govuk-summary-list")).to_contain_text("Sites")
    else:  # a provider's staff see no counts of the council's records
        expect(page.locator(".govuk-summary-list")).to_have_count(0)


def test_home_for_someone_with_no_role_yet(page):
    sign_in(page, UserFactory(username="newstarter"))
    expect(page.get_by_text("You have no role in this service yet.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link")).to_have_text(["Home"])


# --- Sites ------------------------------------------------------------------------------------


def test_the_site_list_searches_filters_and_pages(page, officer):
    SiteFactory.create_batch(30)
    SiteFactory(name="Hop Garden", reference="GT-03", town="Canterbury", postcode="CT4 7AB")
    SiteFactory(name="Bramble Way", reference="SP-01", kind=Site.Kind.STOPPING_PLACE)
    SiteFactory(name="Elm Court", reference="HS-01", kind=Site.Kind.HOUSING_SCHEME)
    sign_in(page, officer)

    page.goto("/sites/")
    expect(_result_count(page)).to_have_text("Showing 1 to 25 of 33 results")
    expect(_table_rows(page, "Sites")).to_have_count(25)
    assert_accessible(page)
    pagination = page.get_by_role("navigation", name="Pagination")
    pagination.get_by_role("link", name="Next page").click()
    expect(_result_count(page)).to_have_text("Showing 26 to 33 of 33 results")
    expect(pagination.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(pagination.get_by_role("link", name="Previous page")).to_be_visible()
    assert_accessible(page)

    search = page.get_by_label("Search by name, reference, town or postcode")
    search.fill("canterbury")
    page.get_by_role("button", name="Search").click()
    expect(_table_rows(page, "Sites")).to_have_count(1)
    expect(_table_rows(page, "Sites")).to_contain_text("Hop Garden")
    expect(search).to_have_value("canterbury")
    expect(_result_count(page)).to_have_count(0)
    assert_accessible(page)

    search.fill("")
    page.get_by_label("Type of site").select_option(label="Stopping place")
    page.get_by_role("button", name="Search").click()
    expect(_table_rows(page, "Sites")).to_have_text([re.compile("Bramble Way")])
    expect(page.get_by_label("Type of site")).to_have_value("stopping_place")
    assert_accessible(page)

    # A search that spans pages keeps its terms from page to page.
    page.get_by_label("Type of site").select_option(label="Any type")
    search.fill("Test site")
    page.get_by_role("button", name="Search").click()
    expect(_result_count(page)).to_have_text("Showing 1 to 25 of 30 results")
    assert_accessible(page)
    pagination.get_by_role("link", name="Page 2").click()
    expect(_result_count(page)).to_have_text("Showing 26 to 30 of 30 results")
    expect(search).to_have_value("Test site")
    assert_accessible(page)

    search.fill("Nowhere at all")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No sites match your search.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Show all sites").click()
    expect(_table_rows(page, "Sites")).to_have_count(25)
    assert_accessible(page)


def test_an_empty_site_list(page, business_support):
    sign_in(page, business_support)
    page.goto("/sites/")
    expect(page.get_by_text("No sites have been recorded yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Add a site")).to_have_count(0)
    assert_accessible(page)


def test_a_site_page_lists_its_units_by_status_and_in_pages(page, officer):
    site = SiteFactory(name="Willow Park", parish="Boughton Monchelsea", notes="Gate code 1234")
    UnitFactory.create_batch(26, site=site)
    UnitFactory(
        site=site,
        reference="Pitch 99",
        status=Unit.Status.VOID,
        void_date=date(2026, 9, 1),
        void_reason=Unit.VoidReason.TRANSFER,
    )
    empty = SiteFactory(name="New Meadow", status=Site.Status.UNDER_DEVELOPMENT)
    sign_in(page, officer)

    page.goto(f"/sites/{site.pk}/")
    expect(_heading(page, "Willow Park")).to_be_visible()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Sites")
    expect(_table_rows(page, "Units on Willow Park")).to_have_count(25)
    assert_accessible(page)
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    expect(_table_rows(page, "Units on Willow Park")).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("Show units that are").select_option(label="Void (empty)")
    page.get_by_role("button", name="Show").click()
    expect(_table_rows(page, "Units on Willow Park")).to_have_text([re.compile("Pitch 99")])
    expect(page.get_by_label("Show units that are")).to_have_value("void")
    assert_accessible(page)
    page.get_by_label("Show units that are").select_option(label="Not available to let")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No units with that status on this site yet.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/sites/{empty.pk}/")
    expect(page.get_by_text("No units on this site yet.")).to_be_visible()
    assert_accessible(page)
    page.goto("/sites/")
    expect(page.get_by_role("row", name=re.compile("New Meadow"))).to_contain_text(
        "Under development"
    )
    assert_accessible(page)


def test_the_unit_pages_for_a_pitch_a_home_and_a_void(page, officer):
    pitch = UnitFactory(reference="Pitch 3", has_amenity_block=True, amenity_block_condition="fair")
    home = HomeFactory(reference="Flat 2", floor_level=1, accessibility="c", adaptations="Ramp")
    void = UnitFactory(
        reference="Pitch 8",
        status=Unit.Status.VOID,
        void_date=date(2026, 8, 3),
        ready_to_let_date=date(2026, 9, 14),
        void_reason=Unit.VoidReason.END_OF_LICENCE,
    )
    sign_in(page, officer)
    for unit, shown in [
        (pitch, "Yes, condition fair"),
        (home, "C – step-free access"),
        (void, "3 August 2026 (licence or tenancy ended: moved to private or other accommodation)"),
    ]:
        page.goto(f"/sites/units/{unit.pk}/")
        expect(_heading(page, unit.reference)).to_be_visible()
        expect(page.locator(".govuk-summary-list")).to_contain_text(shown)
        assert_accessible(page)
        page.get_by_role("button", name="Change unit details").click()
        expect(_heading(page, f"Change {unit.reference}")).to_be_visible()
        assert_accessible(page)

    page.goto(f"/sites/{home.site_id}/edit/")
    expect(_heading(page, f"Change {home.site.name}")).to_be_visible()
    expect(page.get_by_label("Reason for this change")).to_be_visible()
    assert_accessible(page)


# --- History and the change log --------------------------------------------------------------


def test_a_long_history_comes_in_pages(page, officer, auditor):
    unit = UnitFactory(reference="Pitch 5")
    for pence in range(21):
        services.unit_update(
            unit=unit,
            by=officer,
            reason=f"Fee review {pence}",
            weekly_charge=Decimal("80.00") + Decimal(pence) / 100,
        )
    sign_in(page, auditor)
    page.goto(f"/sites/units/{unit.pk}/history/")
    entries = page.locator(".app-timeline__entry")
    expect(entries).to_have_count(20)
    expect(entries.first).to_contain_text("Reason: Fee review 20")
    assert_accessible(page)
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    expect(entries).to_have_count(2)
    # The oldest change on page 1 still says what it changed from, across the page break.
    expect(entries.first).to_contain_text("Reason: Fee review 0")
    expect(entries.first.get_by_role("cell")).to_have_text(["82.50", "80.00"])
    expect(entries.last.get_by_role("heading", name="Created")).to_be_visible()
    expect(entries.last).to_contain_text("Unknown (no signed-in user)")
    assert_accessible(page)
    page.get_by_role("link", name="Back to Pitch 5").click()
    expect(_heading(page, "Pitch 5")).to_be_visible()
    assert_accessible(page)


def test_the_change_log_filters_and_its_mistakes(page, officer, auditor):
    site = services.site_create(
        by=officer,
        name="Oak Lane",
        reference="GT-01",
        kind=Site.Kind.GYPSY_TRAVELLER_SITE,
        address_line_1="1 Oak Lane",
        town="Ashford",
        postcode="TN23 4QP",
    )
    services.site_update(site=site, by=officer, reason="Renamed by committee", name="Oak Lane Park")
    sign_in(page, auditor)
    page.goto("/change-log/")
    # Each row names the record as it was called then, and the rename says before → after.
    expect(_table_rows(page, "Changes").filter(has_text="Oak Lane")).to_have_count(2)
    expect(
        _table_rows(page, "Changes").filter(has_text="Name: Oak Lane → Oak Lane Park")
    ).to_have_count(1)
    assert_accessible(page)

    date_from = page.get_by_role("group", name="From", exact=True)
    date_to = page.get_by_role("group", name="To", exact=True)
    for group, (day, month, year) in [
        (date_from, ("2", "1", "2026")),
        (date_to, ("1", "1", "2026")),
    ]:
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Filter").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["The ‘to’ date must be the same as or after the ‘from’ date"]
    )
    expect(date_to.get_by_label("Day")).to_have_value("1")
    assert_accessible(page)

    date_to.get_by_label("Month").fill("13")
    page.get_by_role("button", name="Filter").click()
    expect(summary.get_by_role("link")).to_have_text(["To must be a real date, like 27 3 2024"])
    assert_accessible(page)

    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    csv = download.value.path().read_text()
    assert csv.splitlines()[0] == (
        "When,Who,Record type,Record,Record id,Action,Changes (field: before → after),Reason"
    )
    assert "Renamed by committee" in csv


# --- Refusals and errors ------------------------------------------------------------------------


def test_the_permission_denied_page(page, business_support, officer):
    site = SiteFactory()
    sign_in(page, business_support)
    response = page.goto(f"/sites/{site.pk}/edit/")
    assert response.status == 403
    expect(_heading(page, "You do not have permission to view this page")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the start of the service")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    assert_accessible(page)
    sign_in(page, officer)
    response = page.goto("/change-log/")
    assert response.status == 403
    assert_accessible(page)


def test_the_page_not_found_page_signed_in_and_out(page, officer):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(_heading(page, "Page not found")).to_be_visible()
    assert_accessible(page)

    sign_in(page, officer)
    for path in ["/sites/999999/", "/sites/units/999999/history/"]:
        response = page.goto(path)
        assert response.status == 404
        expect(_heading(page, "Page not found")).to_be_visible()
        assert_accessible(page)


def test_the_server_error_page(page):
    # 500.html is only rendered when something breaks; serve it as the server would.
    page.route(
        "**/broken/",
        lambda route: route.fulfill(
            status=500, content_type="text/html", body=render_to_string("500.html")
        ),
    )
    page.goto("/broken/")
    expect(_heading(page, "Sorry, there is a problem with the service")).to_be_visible()
    assert_accessible(page)
