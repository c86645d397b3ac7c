"""Choice-based lettings' "done when" journey, in a browser: an officer records a household's
bid by phone (found by name), is refused a fourth bid in the week with the reason, closes last
week's cycle by hand with a reason and reads its frozen shortlist with the tier per home; then,
from the household's Bids page, ends its connection (the household moved away), sets up
its auto-bidding and records its exemption from the connection test (a care leaver); and,
from an application's page, records the household's access needs.

The browser runs on the real clock, so the council's week is set (a new policy version) to
open each cycle on today's weekday: this week's cycle is open now, last week's has passed."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services
from allocations.selectors import application_named
from tests.allocations.cbl import advert, applicant, connect, week_starting_today
from tests.browser.conftest import assert_accessible, date_fill, sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_bid_fourth_refused_close_and_read_the_tiers(page: Page, officer):
    today = timezone.localdate()
    week_starting_today(officer)
    this_week = services.cycle_create(opens_on=today, by=officer)
    household, rival = applicant(band=3), applicant(band=1)  # rival: better band, no connection
    connect(household, "Cheriton")
    lead = household.household.people.get(relationship="lead")
    with time_machine.travel(this_week.opens_at - timedelta(days=7, hours=-10), tick=False):
        last_week = services.cycle_create(opens_on=today - timedelta(days=7), by=officer)
        closed_home = advert(last_week, officer, parish="Cheriton")
        for application in (rival, household):
            services.place_bid(
                application=application, advert=closed_home, channel="phone", by=officer
            )
    homes = [advert(this_week, officer, parish="Cheriton") for _ in range(4)]
    for home in homes[:2]:
        services.place_bid(application=household, advert=home, channel="phone", by=officer)

    sign_in(page, officer)
    page.goto(homes[2].get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Place a bid for a household").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Place a bid for {homes[2].reference}"
    )
    assert_accessible(page)
    page.get_by_label("Household's name or reference").fill(lead.last_name)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Households found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Place the bid for {lead}, {household.reference}").click()
    success_banner(page, f"bid for {homes[2].reference} is placed")
    expect(page.get_by_text("By an officer, on the phone").first).to_be_visible()
    assert_accessible(page)

    page.goto(homes[3].get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Place a bid for a household").click()
    expect(page.get_by_label("Household's name or reference")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Household's name or reference").fill(household.reference)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Households found")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("In person").check()
    page.get_by_role("button", name=f"Place the bid for {lead}, {household.reference}").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "You have already placed 3 bids this week"
    )
    assert_accessible(page)

    # The week's cycles are in the menu.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bidding cycles").click()
    assert_accessible(page)
    page.get_by_role("link", name=last_week.reference).click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.get_by_label("Why you are closing this cycle by hand")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why you are closing this cycle by hand").fill(
        "The scheduled close did not run over the bank holiday"
    )
    page.get_by_role("button", name="Close the cycle and freeze every shortlist").click()
    success_banner(page, "1 shortlist frozen.")
    assert_accessible(page)

    page.goto(closed_home.get_absolute_url())
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(household.reference)
    expect(rows.nth(0)).to_contain_text(re.compile(r"Tier 1: Own parish"))
    expect(rows.nth(1)).to_contain_text(rival.reference)
    expect(rows.nth(1)).to_contain_text("Tier 3: No qualifying connection to Cheriton")
    assert_accessible(page)

    # The household moved away: its connection is ended from its Bids page, and stays listed.
    page.goto(household.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Bids and local connections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bids of {household.reference}")
    assert_accessible(page)
    page.get_by_role("link", name="End connection to Cheriton").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"End the connection to Cheriton for {household}"
    )
    assert_accessible(page)
    page.get_by_role("button", name="End the connection").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the connection ended"
    )
    assert_accessible(page)
    date_fill(page, "Date the connection ended", today)
    page.get_by_label("Why it ended: the evidence seen").fill("Tenancy ended, new address in Hythe")
    page.get_by_role("button", name="End the connection").click()
    success_banner(page, "The connection to Cheriton ended on")
    ended = page.get_by_role("cell", name=re.compile(r"^Ended on "))
    expect(ended).to_contain_text("Tenancy ended, new address in Hythe")
    assert_accessible(page)

    # The household cannot bid for itself now: the council bids for it when each cycle opens.
    expect(page.get_by_text("Not auto-bidding")).to_be_visible()
    page.get_by_role("button", name="Set up auto-bidding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Auto-bidding for {household}")
    assert_accessible(page)
    page.get_by_label("Vulnerable and unable to bid for themselves").check()
    page.get_by_label("Areas, in order of preference").fill("Hythe\nCheriton")
    page.get_by_label("Flat", exact=True).check()
    page.get_by_label("Why you are making this change").fill(
        "Cannot bid for themselves: support worker's letter"
    )
    page.get_by_role("button", name="Save auto-bidding").click()
    success_banner(page, f"Auto-bidding for {application_named(household)} is on.")
    expect(
        page.get_by_text(
            "Auto-bidding on: vulnerable and unable to bid for themselves; "
            "areas Hythe, Cheriton; flats; any floor"
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Change auto-bidding")).to_be_visible()
    assert_accessible(page)

    # A care leaver, as the leaving care team's letter shows: exempt from the connection
    # test, so tier 1 for every home, recorded beside the connections.
    expect(page.locator("#connection-exemption")).to_contain_text("Not exempt")
    page.get_by_role("button", name="Record an exemption").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Record an exemption from the connection test for {household}"
    )
    assert_accessible(page)
    page.get_by_label("The evidence seen").fill("Letter from the leaving care team")
    page.get_by_role("button", name="Record the exemption").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the group the household is exempt as"
    )
    expect(page.get_by_label("The evidence seen")).to_have_value(
        "Letter from the leaving care team"
    )
    assert_accessible(page)
    page.get_by_label("Care leavers").check()
    page.get_by_role("button", name="Record the exemption").click()
    success_banner(page, "is exempt from the connection test as Care leavers")
    exemption = page.locator("#connection-exemption")
    expect(exemption).to_contain_text("Exempt from the local connection test: Care leavers")
    expect(exemption).to_contain_text(": Letter from the leaving care team")  # who, when, why
    expect(exemption).to_contain_text("Tier 1 for every home")
    assert_accessible(page)


def test_a_newsletter_recipient_is_stopped_with_a_reason(page: Page, officer):
    services.newsletter_recipient_add(
        name="Folkestone Library",
        kind="library",
        email="library.folkestone@example.org",
        edition="easy_read",
        by=officer,
    )
    sign_in(page, officer)
    page.goto("/allocations/newsletter-recipients/")
    assert_accessible(page)
    expect(page.get_by_role("cell", name="Easy read")).to_be_visible()
    page.get_by_role("link", name="Stop sending to Folkestone Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop sending the newsletter to Folkestone Library?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Stop sending the newsletter").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Why the newsletter is no longer sent to them").fill("The library closed")
    page.get_by_role("button", name="Stop sending the newsletter").click()
    success_banner(page, "Folkestone Library is no longer sent")
    expect(page.get_by_role("cell", name="No longer sent")).to_be_visible()
    assert_accessible(page)


def test_an_officer_records_a_households_access_needs_from_its_application_page(
    page: Page, officer
):
    application = applicant()
    sign_in(page, officer)
    page.goto(application.get_absolute_url())
    row = page.locator(".govuk-summary-list__row", has_text="Access needs")
    expect(row).to_contain_text("Not assessed")
    assert_accessible(page)
    row.get_by_role("link", name="Record access needs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Record access needs for {application}"
    )
    assert_accessible(page)
    assessment = page.get_by_label("The assessment: who assessed, when and what they found")
    assessment.fill("Occupational therapist, 12 October 2026: needs level access")
    page.get_by_role("button", name="Record the access needs").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the household's access category"
    )
    expect(assessment).to_have_value("Occupational therapist, 12 October 2026: needs level access")
    assert_accessible(page)
    page.get_by_label("C: step-free or level access").check()
    page.get_by_role("button", name="Record the access needs").click()
    success_banner(page, "access category C: step-free or level access recorded")
    row = page.locator(".govuk-summary-list__row", has_text="Access needs")
    expect(row).to_contain_text("C: step-free or level access")
    expect(row).to_contain_text("Assessment: Occupational therapist, 12 October 2026")
    assert_accessible(page)
