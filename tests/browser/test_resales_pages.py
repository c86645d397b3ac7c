"""Low-cost home ownership resales in a browser (issue 14): an officer reads the list and a
case's clock, nominates an eligible buyer, releases a case whose window has ended, and opens
tells a buyer they are not eligible (a letter, listed on the case with the step's others), and
opens every other resale and purchaser page. Every page is scanned with axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations.models import Letter, ResaleNomination
from config.kernel.documents import document_render
from tests.allocations.resales import purchaser, resale_case
from tests.browser.conftest import assert_accessible, date_fill, sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _letters_drawn() -> None:
    """What the Celery worker does with each letter the pages asked for. A worker started by
    another test in this process may be drawing one already: wait until none is left being
    prepared, so that the test's teardown never empties tables under a worker's transaction."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for letter in Letter.objects.filter(status=Letter.Status.REQUESTED):
            document_render(model="allocations.Letter", pk=letter.pk)
        if not Letter.objects.filter(status=Letter.Status.REQUESTED).exists():
            return
        time.sleep(0.3)
    raise AssertionError("The resale's letters were not drawn within a minute")


def _visit(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_an_officer_works_a_resale_through_every_page(page: Page, officer):
    today = timezone.localdate()
    inside = resale_case(officer, notice_on=today - timedelta(days=20), address="4 Sandgate Court")
    ended = resale_case(officer, notice_on=today - timedelta(weeks=9), address="9 Quay Street")
    buyer = purchaser(officer)
    purchaser(officer, name="Ellen Marsh", local_connection=False, parish="")

    sign_in(page, officer)
    _visit(page, "/allocations/cycles/")
    page.get_by_role("link", name="Low-cost home ownership resales").click()
    expect(page.get_by_role("cell", name="36 (ends", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="4 Sandgate Court").click()
    expect(page.get_by_text("36 days left in the nomination window")).to_be_visible()
    expect(
        page.get_by_text("No local connection: the agreement asks for one to Cheriton")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nominate a buyer").click()
    assert_accessible(page)
    page.get_by_label("Buyer from the register").select_option(label="Priya Shah")
    date_fill(page, "Date of the nomination", today)
    page.get_by_role("button", name="Nominate the buyer").click()
    success_banner(page, "Priya Shah nominated.")
    assert_accessible(page)

    # A buyer who asked about the home is told why they are not eligible, by letter; the
    # case lists its letters (the notice, the valuation, the nomination's two, and this one).
    page.get_by_role("link", name="Tell a buyer they are not eligible").click()
    assert_accessible(page)
    page.get_by_label("Buyer from the register who is not eligible").select_option(
        label="Ellen Marsh"
    )
    date_fill(page, "Date they asked about this home", today)
    page.get_by_role("button", name="Send the letter").click()
    success_banner(page, "Ellen Marsh will be sent the letter.")
    expect(page.get_by_text("Resale: buyer not eligible to Ellen Marsh")).to_be_visible()
    expect(
        page.get_by_text("Resale: you are nominated (to the buyer) to Priya Shah")
    ).to_be_visible()
    assert_accessible(page)

    nomination = ResaleNomination.objects.get(purchaser=buyer)
    _visit(page, f"/allocations/resales/nominations/{nomination.pk}/proceed/")
    _visit(page, f"/allocations/resales/nominations/{nomination.pk}/withdraw/")
    _visit(page, f"/allocations/resales/{inside.pk}/valuation/")
    _visit(page, f"/allocations/resales/{inside.pk}/sold/")

    _visit(page, ended.get_absolute_url())
    page.get_by_role("link", name="Release to the open market").click()
    assert_accessible(page)
    date_fill(page, "Date of the release", today)
    page.get_by_role("button", name="Release to the open market").click()
    success_banner(page, "Released to the open market.")
    assert_accessible(page)

    _visit(page, "/allocations/resales/new/")
    page.get_by_role("button", name="Open the resale case").click()
    expect(page.get_by_text("Enter the address of the home").first).to_be_visible()
    assert_accessible(page)
    _visit(page, "/allocations/resales/?status=sold")
    _visit(page, "/allocations/purchasers/")
    _visit(page, "/allocations/purchasers/new/")
    _visit(page, f"/allocations/purchasers/{buyer.pk}/")
    # Each resale and each purchaser has its History page.
    _visit(page, inside.get_absolute_url())
    page.get_by_role("link", name="History of this resale").click()
    expect(page.get_by_text("Seller's notice received")).to_be_visible()
    assert_accessible(page)
    _visit(page, "/allocations/purchasers/")
    page.get_by_role("link", name="History of Priya Shah").click()
    expect(page.get_by_text("Purchaser registered")).to_be_visible()
    assert_accessible(page)
    _letters_drawn()
