"""Extra Care panels in a browser: an officer finds the referrals, refers a household (told
what is missing, keeping what was typed), opens the panel with its agenda and assessments,
records the panel's decision for the minutes, then offers a vacant Extra Care flat from the
panel's ranking (told what is missing first). Every page is scanned."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services
from allocations.models import ExtraCareLet, Scheme
from sites.models import Unit
from tests.allocations.casework import checks_back
from tests.allocations.cbl import applicant
from tests.browser.conftest import assert_accessible, date_fill, sign_in, success_banner
from tests.factories import HomeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_refers_a_household_and_records_the_panels_decision(page: Page, officer):
    today = timezone.localdate()
    application = applicant(band=2)
    checks_back(application, officer)
    flat = HomeFactory(
        reference="Flat 4",
        extra_care=True,
        bedrooms=1,
        status=Unit.Status.VOID,
        void_date=today - timedelta(days=9),
        void_reason=Unit.VoidReason.CARE_HOME,
    )
    vacancy = services.vacancy_create(
        unit=flat,
        scheme=Scheme.CBL,
        advert_text="A one-bedroom Extra Care flat",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        by=officer,
    )
    referral = services.extracare_referral_make(
        application=application,
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

    # The offer from the panel's ranking: the reply date forgotten first, the vacancy kept.
    page.get_by_role("button", name="Offer an Extra Care home from the ranking").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("from the panel's ranking")
    assert_accessible(page)
    page.get_by_label("Vacancy reference").fill(vacancy.reference)
    page.get_by_role("button", name="Make the offer").click()
    expect(page.get_by_label("Vacancy reference")).to_have_value(vacancy.reference)
    expect(page.get_by_role("radio", name=f"Number 1 at the {panel}", exact=False)).to_be_checked()
    assert_accessible(page)
    date_fill(page, "Reply needed by", today + timedelta(days=7))
    page.get_by_role("button", name="Make the offer").click()
    let = ExtraCareLet.objects.get()
    success_banner(page, f"from the panel's ranking ({let.reference})")
    expect(page.get_by_text("Waiting for a reply")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="History", exact=True).click()
    assert_accessible(page)
    page.goto(panel.get_absolute_url())
    expect(page.get_by_role("link", name="Flat 4", exact=False)).to_be_visible()
    assert_accessible(page)
