"""The scan itself: it must run under the service's CSP and catch a real violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_scan_fails_a_page_that_breaks_a_wcag_rule(page):
    page.goto("/accounts/login/")
    assert_accessible(page)
    # An unlabelled input in the real page, under the real Content-Security-Policy.
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML(
            'beforeend', '<input type="text" name="unlabelled">')"""
    )
    expect(page.locator("input[name=unlabelled]")).to_be_attached()
    with pytest.raises(pytest.fail.Exception, match=r"(?s)not accessible.*label"):
        assert_accessible(page)
