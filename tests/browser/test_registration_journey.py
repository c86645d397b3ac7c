"""Issue 13 in a browser: an officer validates a lettings application that fails two of the
policy's qualification rules (refused, with the reasons on its page), records the household's
review request, and a team leader overturns the refusal from the reviews list. Every page is
scanned with axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations.models import Application, RegistrationRefusal, Scheme
from tests.allocations.factories import ApplicationFactory
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILING = (
    "Has a connection to the council's area (or is exempt from the test)",
    "Income and savings within the policy's limit",
)


def test_a_refused_registration_is_reviewed_and_overturned(page: Page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = UserFactory(roles=["officer"])
    leader = UserFactory(roles=["team_leader"])
    application = ApplicationFactory(scheme=Scheme.CBL, status=Application.Status.SUBMITTED)

    sign_in(page, officer)
    page.goto(application.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Validate").click()
    assert_accessible(page)
    for group in page.locator("form fieldset:has(legend)").all():
        legend = group.locator("legend").inner_text()
        no = legend.startswith(FAILING) or "Does this exclusion apply?" in legend
        group.get_by_label("No" if no else "Yes", exact=True).check()
    page.get_by_role("button", name="Save validation").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Refused registration")).to_be_visible()
    expect(page.get_by_text("You do not have a connection to our area").first).to_be_visible()

    page.get_by_role("link", name="Record a review request").click()
    assert_accessible(page)
    date_fill(page, "Date the household asked for the review", timezone.localdate())
    page.get_by_label("What the household said").fill("My daughter lives in Cheriton")
    page.get_by_role("button", name="Record the review request").click()
    success_banner(page, "review request was recorded")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, leader)
    page.goto("/allocations/registration-reviews/")
    assert_accessible(page)
    page.get_by_role("link", name=application.reference).click()
    assert_accessible(page)
    page.get_by_role("button", name="Decide the review").click()
    assert_accessible(page)
    page.get_by_label("Overturn the refusal: admit the household to the register").check()
    page.get_by_label("Reasons for the review decision").fill("Family connection evidenced")
    page.get_by_role("button", name="Record the review decision").click()
    success_banner(page, "refusal overturned")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    assert application.registration_refusals.get().review == RegistrationRefusal.Review.OVERTURNED
