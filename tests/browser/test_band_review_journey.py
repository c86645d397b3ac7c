"""A choice-based lettings band assessment reviewed in a browser (Housing Act 1996
s.166A(9)(b),(c)): an officer records the household's review request from the application
page (first sending it empty), and a team leader who did not assess changes the band from the
reviews list. Every page is scanned with axe-core, with and without its errors."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from allocations import services
from allocations.models import Application, BandReview, Scheme
from tests.allocations.factories import ActiveApplicationFactory
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_band_assessment_is_reviewed_and_changed(page: Page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = UserFactory(roles=["officer"])
    leader = UserFactory(roles=["team_leader"])
    application = ActiveApplicationFactory(scheme=Scheme.CBL)
    services.application_assess(
        application=application,
        criteria=[{"code": "lacking_or_sharing_facilities", "evidence": "Shared kitchen"}],
        by=officer,
    )

    sign_in(page, officer)
    page.goto(application.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Record a review request").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the review request").click()
    assert_accessible(page)  # with its errors
    date_fill(page, "Date the household asked for the review", timezone.localdate())
    page.get_by_label("What the household said").fill("We also have no working bathroom")
    page.get_by_role("button", name="Record the review request").click()
    success_banner(page, "review request was recorded")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, leader)
    page.goto("/allocations/band-reviews/")
    assert_accessible(page)
    page.get_by_role("link", name=application.reference).click()
    assert_accessible(page)
    page.get_by_role("button", name="Decide the review").click()
    assert_accessible(page)
    page.get_by_label("Change the assessment").check()
    page.get_by_label("Reasons for the review decision").fill("No bathroom: serious disrepair")
    page.get_by_role("button", name="Record the review decision").click()
    assert_accessible(page)  # with its errors: no new band given
    page.get_by_label("New band").fill("3")
    page.get_by_role("button", name="Record the review decision").click()
    success_banner(page, "assessment changed")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.band == 3
    assert application.band_reviews.get().outcome == BandReview.Outcome.CHANGED
    assert application.status == Application.Status.ACTIVE
