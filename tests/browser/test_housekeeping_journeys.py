"""Issue 15 in a browser: business support uploads five scans and an officer files one; a
renewal not answered is on hold, and the officer records the renewal; a closed application is
reinstated with its effective date kept. Every page is scanned with axe-core."""

import re
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services
from allocations.models import Application, InboxDocument, Renewal
from config.history import system_user
from residents.selectors import household_name
from tests.allocations.factories import ActiveApplicationFactory
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% a scanned letter\n"


def test_business_support_uploads_five_scans_and_an_officer_files_one(
    page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    support = UserFactory(roles=["business_support"])
    officer = UserFactory(roles=["officer"])
    application = ActiveApplicationFactory()
    lead = application.household.people.order_by("pk").first()

    sign_in(page, support)
    page.goto("/allocations/inbox/")
    assert_accessible(page)
    page.get_by_role("button", name="Upload scanned post").click()
    assert_accessible(page)
    page.get_by_label("Scans (PDF, JPEG or PNG, up to 10 MB each)").set_input_files(
        [
            {"name": f"post-{number}.pdf", "mimeType": "application/pdf", "buffer": PDF}
            for number in range(1, 6)
        ]
    )
    # The upload is held on its way so the page can be seen telling how far it has got.
    held = []
    page.route("**/allocations/inbox/upload/", lambda route: held.append(route))
    page.get_by_role("button", name="Upload to the inbox").click()
    expect(page.get_by_role("status")).to_contain_text("Upload")
    expect(page.get_by_role("progressbar", name="Upload progress")).to_be_visible()
    expect(page.get_by_role("button", name="Upload to the inbox")).to_be_disabled()
    assert_accessible(page)
    for _ in range(100):  # the route handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    held[0].continue_()
    success_banner(page, "5 documents uploaded to the inbox")
    expect(page).to_have_url(re.compile(r"/allocations/inbox/$"))
    assert_accessible(page)
    sign_out(page)

    sign_in(page, officer)
    page.goto("/allocations/inbox/")
    assert_accessible(page)
    page.get_by_role("link", name="post-1.pdf").click()
    assert_accessible(page)
    page.get_by_label("Name").fill(lead.last_name)
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_label(
        f"{household_name(application.household)}: application {application.reference}"
    ).check()
    page.get_by_label("Type of document").select_option("address")
    page.get_by_role("button", name="File it").click()
    success_banner(page, "post-1.pdf was filed")
    assert_accessible(page)
    filed = InboxDocument.objects.get(original_name="post-1.pdf")
    assert filed.application == application and filed.kind == "address"
    assert InboxDocument.objects.filter(status="unfiled").count() == 4


def test_a_renewal_on_hold_is_recorded_and_a_closed_one_reinstated_with_its_date(
    page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    officer = UserFactory(roles=["officer"])
    today = timezone.localdate()
    system = system_user()
    held = ActiveApplicationFactory(registration_date=today - relativedelta(years=1, days=3))
    services.renewals_run(today=today, by=system)  # reminded and, the date passed, on hold
    held.refresh_from_db()
    assert held.is_on_hold

    closed = ActiveApplicationFactory(
        registration_date=today - relativedelta(years=1, days=40),
        effective_date=today - relativedelta(years=1, days=30),
    )
    due = closed.registration_date + relativedelta(years=1)
    renewal = services.renewal_remind(
        application=closed, due_on=due, today=due - timedelta(days=28), by=system
    )
    renewal = services.renewal_hold(renewal=renewal, today=due + timedelta(days=1), by=system)
    services.renewal_close(renewal=renewal, today=due + timedelta(days=28), by=system)

    sign_in(page, officer)
    page.goto(held.get_absolute_url())
    assert_accessible(page)
    expect(page.get_by_text("No bids until it is answered")).to_be_visible()
    page.get_by_role("button", name="Record a renewal").click()
    assert_accessible(page)
    date_fill(page, "Date the answer was received", today)
    page.get_by_label("What the household told you").fill("Still on the roadside; no change")
    page.get_by_role("button", name="Record the renewal").click()
    success_banner(page, "renewed")
    assert_accessible(page)
    held.refresh_from_db()
    assert not held.is_on_hold and held.renewals.get().status == Renewal.Status.RENEWED

    page.goto(closed.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Reinstate (renewal received)").click()
    assert_accessible(page)
    date_fill(page, "Date the answer was received", today)
    page.get_by_label("What the household told you").fill("Was in hospital; no change")
    page.get_by_role("button", name="Record the renewal").click()
    success_banner(page, "reinstated after closure")
    assert_accessible(page)
    closed.refresh_from_db()
    assert closed.status == Application.Status.ACTIVE
    assert closed.effective_date == today - relativedelta(years=1, days=30)
