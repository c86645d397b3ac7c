"""Extra Care panels in a browser: an officer finds the referrals, refers a household (told
what is missing, keeping what was typed), opens the panel with its agenda and assessments, and
records the panel's decision for the minutes. Every page is scanned."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services
from tests.allocations.factories import ActiveApplicationFactory
from tests.browser.conftest import assert_accessible, sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_refers_a_household_and_records_the_panels_decision(page: Page, officer):
    today = timezone.localdate()
    referral = services.extracare_referral_make(
        application=ActiveApplicationFactory(),
        referred_by="J. Patel, Adult Social Care",
        referred_on=today - timedelta(days=7),
        care_hours_per_week=Decimal("14"),
        needs_summary="Help with medication twice a day",
        by=officer,
    )
    panel = services.extracare_panel_record(
        held_on=today,
        staff=[officer],
        partner_members="Aisha Khan, Adult Social Care",
        referrals=[referral],
        by=officer,
    )
    sign_in(page, officer)
    page.goto("/allocations/extra-care/referrals/")
    expect(page.get_by_role("heading", level=1, name="Extra Care referrals")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Refer a household to Extra Care").click()
    assert_accessible(page)
    page.get_by_label("Referred by").fill("M. Osei, Adult Social Care")
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_label("Referred by")).to_have_value("M. Osei, Adult Social Care")
    assert_accessible(page)

    page.goto(referral.get_absolute_url())
    expect(page.get_by_text("Help with medication twice a day")).to_be_visible()
    assert_accessible(page)
    page.goto("/allocations/extra-care/panels/")
    assert_accessible(page)
    page.get_by_role("button", name="Arrange a panel").click()
    assert_accessible(page)
    page.goto(panel.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Record the decision").click()
    assert_accessible(page)
    page.get_by_label("Approved", exact=True).check()
    page.get_by_label("Reasons").fill("Eligible: stairs at home are unsafe")
    page.get_by_label("Position in the panel's ranking (approved referrals only)").fill("1")
    page.get_by_role("button", name="Record the decision").click()
    success_banner(page, "The panel's decision was recorded.")
    expect(page.get_by_text("Eligible: stairs at home are unsafe")).to_be_visible()
    assert_accessible(page)
