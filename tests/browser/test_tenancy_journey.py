"""Tenancy sign-up in a browser: the draft tenancy an approved allocation of a home makes, a
joint tenant named, the tenancy agreement prepared and downloaded, the signing recorded with
the witness and the keys, then the introductory review extended with its reason and the
tenant's review right shown. Every page is scanned against WCAG 2.2 AA."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from config.kernel.documents import document_render
from residents import services
from residents.models import Licence, LicenceDocument, Person
from tests.browser.conftest import assert_accessible, date_fill, sign_in, success_banner
from tests.factories import HomeFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _documents_drawn(tenancy: Licence) -> None:
    """What the Celery worker does with each document the page asked for. A worker started by
    another test in this process may be drawing one already: wait until every one is ready."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for document in LicenceDocument.objects.filter(licence=tenancy, status="requested"):
            document_render(model="residents.LicenceDocument", pk=document.pk)
        if not LicenceDocument.objects.filter(licence=tenancy).exclude(status="ready").exists():
            return
        time.sleep(0.3)
    raise AssertionError("The tenancy's documents were not drawn within a minute")


def test_an_officer_signs_up_a_tenancy_and_reviews_its_introductory_period(page: Page):
    # The test settings' media folder (per xdist process), which a Celery worker started by
    # another test in this process shares: whichever draws a document, the page finds it.
    officer = UserFactory(
        username="tenancy-officer", roles=["officer"], first_name="Olive", last_name="Officer"
    )
    witness = UserFactory(
        username="tenancy-witness", roles=["officer"], first_name="Wes", last_name="Witness"
    )
    home = HomeFactory(
        reference="Flat 7",
        status="void",
        void_date=date(2026, 1, 5),
        void_reason="end_of_licence",
        weekly_charge=Decimal("98.40"),
        service_charge=Decimal("6.15"),
    )
    lead = PersonFactory(first_name="Mary", last_name="Lee")
    PersonFactory(
        household=lead.household,
        first_name="Tom",
        last_name="Lee",
        relationship=Person.Relationship.PARTNER,
        sex="male",
    )
    household = lead.household
    household.easy_read = True
    household.save()
    # What the allocations app does when a team leader approves the allocation of a home.
    tenancy = services.licence_draft_create(
        household=household, unit=home, start_date=timezone.localdate(), by=officer
    )

    sign_in(page, officer)
    page.goto(household.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name=f"Tenancy {tenancy.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tenancy.reference)
    summary = page.locator(".govuk-summary-list").first
    expect(summary).to_contain_text("Introductory tenancy")
    expect(summary).to_contain_text("£98.40")
    expect(summary).to_contain_text("£6.15")
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("Make joint tenant.*Tom Lee")).click()
    success_banner(page, "Tom Lee is now named as tenant")
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the tenancy agreement").click()
    success_banner(page, "The tenancy agreement is being prepared")
    assert_accessible(page)
    _documents_drawn(tenancy)
    page.reload()
    expect(
        page.get_by_role("link", name=re.compile(r"Download tenancy agreement \(PDF\)"))
    ).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download tenancy agreement, easy-read")).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.get_by_role("button", name="Record the tenancy as signed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign tenancy")
    assert_accessible(page)
    page.get_by_label("Witnessing officer").select_option(label=witness.get_full_name())
    date_fill(page, "Date signed", timezone.localdate())
    keys = page.get_by_role("group", name="Date the keys were handed over")
    for part in ("Day", "Month", "Year"):
        keys.get_by_label(part).fill("")
    page.get_by_label("Every tenant has signed the tenancy agreement").check()
    page.get_by_role("button", name="Record tenancy as signed").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the keys were handed over"
    )
    assert_accessible(page)
    date_fill(page, "Date the keys were handed over", timezone.localdate())
    page.get_by_role("button", name="Record tenancy as signed").click()
    success_banner(page, "is signed and live")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Keys handed over")
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "Mary Lee, Tom Lee, witnessed by Wes Witness"
    )
    assert_accessible(page)

    # Another household's tenancy, ten months in: its introductory review, extended.
    other = PersonFactory(first_name="Ann", last_name="Ward").household
    started = timezone.localdate() - relativedelta(months=12) + timedelta(days=70)
    earlier = services.licence_draft_create(
        household=other,
        unit=HomeFactory(
            reference="Flat 9", status="void", void_date=date(2025, 1, 5), void_reason="other"
        ),
        start_date=started,
        by=officer,
    )
    for document in services.licence_documents_request(licence=earlier, by=officer):
        document_render(model="residents.LicenceDocument", pk=document.pk)
    services.licence_sign(
        licence=earlier,
        signed_on=started,
        witnessed_by=witness,
        keys_handed_over_on=started,
        by=officer,
    )
    page.goto(earlier.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Review the introductory period").click()
    assert_accessible(page)
    page.get_by_label("Extend the introductory period by 6 months").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why the introductory period is extended"
    )
    assert_accessible(page)
    page.get_by_label("Why is it extended?").fill("Rent arrears of six weeks")
    page.get_by_role("button", name="Record the review").click()
    success_banner(page, "The introductory period is extended")
    summary = page.locator(".govuk-summary-list").first
    expect(summary).to_contain_text("Rent arrears of six weeks")
    expect(summary).to_contain_text("may ask for a review of the extension until")
    # The notice to the tenants, a letter in the council's wording, is listed on the page.
    expect(page.get_by_text("Introductory tenancy extended to")).to_be_visible()
    assert_accessible(page)
