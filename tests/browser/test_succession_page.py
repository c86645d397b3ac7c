"""The succession page of a jointly held licence, in a browser: it asks which holder died,
refuses an empty form with every problem linked to its field, and records the succession.
Every page is scanned against WCAG 2.2 AA."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, date_fill, sign_in, success_banner
from tests.factories import PNG
from tests.residents.test_succession_holder_died import _joint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_joint_licences_succession_names_the_holder_who_died(page: Page, officer, tmp_path):
    licence = _joint(officer)
    sign_in(page, officer)
    page.goto(licence.get_absolute_url() + "succession/")
    expect(page.get_by_label("Which licence holder died")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record the succession").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select which licence holder died")
    assert_accessible(page)
    summary.get_by_role("link", name="Select which licence holder died").click()
    expect(page.get_by_label("Which licence holder died")).to_be_focused()

    page.get_by_label("Which licence holder died").select_option(label="Mary Lee")
    page.get_by_label("Who succeeds").select_option(label="Tom Lee")
    page.get_by_label("Husband, wife or civil partner").check()
    date_fill(page, "Date of death", timezone.localdate())
    certificate = tmp_path / "certificate.png"
    certificate.write_bytes(PNG)
    page.get_by_label("Evidence (for example the death certificate)").set_input_files(certificate)
    page.get_by_role("button", name="Record the succession").click()
    success_banner(page, "on Mary Lee's death")
    assert_accessible(page)
