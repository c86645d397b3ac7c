"""Setting up two-step sign-in in a real browser: the QR code page passes the accessibility
scan and the CSP (an inline script or style would show on the console)."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible

pytestmark = pytest.mark.browser


def test_a_new_officer_sets_up_two_step_sign_in_and_keeps_the_recovery_codes(page, officer):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=officer)
    page.get_by_label("Code", exact=True).fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="Two-step sign-in is set up")).to_be_visible()
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()
    assert_accessible(page)
