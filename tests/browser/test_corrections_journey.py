"""Issue 16 in a browser: an officer corrects a household's effective date after the fact and
reads, from the application page, what the correction would have changed (the let home it
would have come first for); a team leader finds it among the corrections awaiting a remedy
and records the remedy with reasons. Every page is scanned with axe-core."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from allocations.models import Correction
from tests.allocations.corrections import two_shortlists
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_correction_is_replayed_and_its_remedy_decided(page: Page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = UserFactory(roles=["officer"])
    leader = UserFactory(roles=["team_leader"])
    scenario = two_shortlists(officer, leader)
    application = scenario.household_application

    sign_in(page, officer)
    page.goto(application.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Change dates").click()
    assert_accessible(page)
    date_fill(page, "Effective date", date(2024, 3, 1))
    page.get_by_label("Reason for this change").fill("The homeless duty began on 1 March 2024")
    page.get_by_role("button", name="Change dates").click()
    success_banner(page, "dates were changed")
    assert_accessible(page)
    page.get_by_role("link", name="what would this correction have changed").click()
    expect(
        page.get_by_role("heading", name="What this correction would have changed")
    ).to_be_visible()
    row = page.get_by_role("row", name=scenario.changed.reference)
    expect(row).to_contain_text("Mary Price")
    expect(row).to_contain_text("Before the household let")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, leader)
    page.goto("/allocations/corrections/")
    assert_accessible(page)
    page.get_by_role("link", name=application.reference).click()
    assert_accessible(page)
    page.get_by_role("button", name="Decide the remedy").click()
    assert_accessible(page)
    page.get_by_label("Offer the next suitable home").check()
    page.get_by_label("Reasons for the remedy decision").fill(
        "She would have been offered the pitch let to Mary Price"
    )
    page.get_by_role("button", name="Record the remedy decision").click()
    success_banner(page, "Remedy decided")
    assert_accessible(page)
    correction = application.corrections.get()
    assert correction.remedy == Correction.Remedy.OFFER_NEXT
    assert correction.remedy_decided_by == leader
