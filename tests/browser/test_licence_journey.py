"""The licence "done when" journey, in a browser, with a real Celery worker drawing the PDFs and
sending the emails: from the draft licence an approved allocation makes, the officer prepares
the written statement and agreement, records the statement as given, downloads the agreement
and records the signing; then does the new-resident visit (handbook printed and issued, meter
readings with photos, pay card, business support notified) and reports a breach seen on the
visit, which reaches the sites manager by email and in their work queue. Every page is scanned
against WCAG 2.2 AA."""

import re
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from config.kernel.documents import document_render
from residents import services
from residents.models import Licence, Person
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.browser.test_keyboard import assert_every_control_is_reachable_by_tab
from tests.factories import PNG, PersonFactory, UnitFactory, UserFactory
from tests.residents.helpers import witness

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

WORKER_WAIT_S = 60


def _reload_until(page: Page, locator_of, what: str) -> None:
    """The worker draws or sends in the background: refresh as a person would until it shows."""
    deadline = time.monotonic() + WORKER_WAIT_S
    while True:
        if locator_of(page).count():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"The worker did not finish: {what}")
        time.sleep(0.5)
        page.reload()
        assert_accessible(page)


def _mail(mail_dir, subject_contains: str) -> str:
    deadline = time.monotonic() + WORKER_WAIT_S
    while time.monotonic() < deadline:
        for path in mail_dir.iterdir():
            text = path.read_text()
            if subject_contains in text:
                return text
        time.sleep(0.3)
    pytest.fail(f"No email with {subject_contains!r} was sent")


@pytest.fixture
def journey(celery_worker_process):
    for old in celery_worker_process.mail_dir.iterdir():
        old.unlink()
    officer = UserFactory(
        username="licence-officer", roles=["officer"], first_name="Olive", last_name="Officer"
    )
    witness = UserFactory(
        username="witness", roles=["officer"], first_name="Wes", last_name="Witness"
    )
    sites_manager = UserFactory(username="sites-boss", roles=["sites_manager"])
    business_support = UserFactory(username="accounts", roles=["business_support"])
    unit = UnitFactory(
        reference="Pitch 7",
        status="void",
        void_date=date(2026, 1, 5),
        void_reason="end_of_licence",
        weekly_charge=Decimal("84.00"),
        has_electricity_meter=True,
        has_water_meter=True,
    )
    lead = PersonFactory(first_name="Mary", last_name="Lee")
    PersonFactory(
        household=lead.household,
        first_name="Tom",
        last_name="Lee",
        relationship=Person.Relationship.PARTNER,
        sex="male",
    )
    services.handbook_section_create(
        heading="Welcome",
        body="Welcome to your new home.\n\nThe site office is open daily.",
        by=sites_manager,
    )
    services.handbook_section_create(
        site=unit.site,
        topic="refuse",
        heading="Refuse days",
        body="Bins go out on Tuesdays.",
        by=sites_manager,
    )
    # What the allocations app does when a team leader approves the allocation decision.
    licence = services.licence_draft_create(
        household=lead.household, unit=unit, start_date=timezone.localdate(), by=officer
    )
    return {
        "officer": officer,
        "witness": witness,
        "sites_manager": sites_manager,
        "business_support": business_support,
        "licence": licence,
        "mail_dir": celery_worker_process.mail_dir,
    }


def _sign_up(page: Page, licence: Licence, witness) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Households").click()
    assert_accessible(page)
    page.goto(licence.household.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name=f"Licence {licence.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(licence.reference)
    assert_accessible(page)
    # The couple hold the pitch jointly: both are named, and both sign.
    page.get_by_role("button", name=re.compile("Make joint licence holder.*Tom Lee")).click()
    success_banner(page, "Tom Lee is now named as licence holder")
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the written statement and agreement").click()
    success_banner(page, "being prepared")
    assert_accessible(page)
    _reload_until(
        page,
        lambda p: p.get_by_role("link", name=re.compile("Download licence agreement")),
        "licence agreement",
    )
    expect(page.get_by_role("link", name=re.compile("Download written statement"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download licence agreement")).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Signing before the statement is given is refused (Mobile Homes Act 1983).
    page.get_by_role("button", name="Record the licence as signed").click()
    assert_accessible(page)
    page.get_by_label("Witnessing officer").select_option(label=witness.get_full_name())
    date_fill(page, "Date signed", timezone.localdate())
    page.get_by_label("Every licence holder has signed the agreement").check()
    page.get_by_role("button", name="Record licence as signed").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("written statement must be given")
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    assert_accessible(page)

    page.get_by_role("button", name="Record the written statement as given").click()
    assert_accessible(page)
    # A statement drawn up today cannot have been given four weeks ago (which would have let
    # it be signed at once, past the Mobile Homes Act 1983's 28 days).
    today = timezone.localdate()
    date_fill(page, "Date the written statement was given", today - timedelta(days=28))
    page.get_by_role("button", name="Record statement as given").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "it cannot have been given before it was drawn up"
    )
    assert_accessible(page)
    date_fill(page, "Date the written statement was given", today)
    page.get_by_role("button", name="Record statement as given").click()
    success_banner(page, "written statement was recorded as given")
    assert_accessible(page)

    # The couple consent in writing to a shorter period (s.1(4)): recorded with a scan.
    page.get_by_role("button", name="Record written consent to less than 28 days").click()
    assert_accessible(page)
    date_fill(page, "Date the licence holder consented in writing", today)
    page.get_by_label(re.compile("Scan of the signed consent")).set_input_files(
        files=[{"name": "consent.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    page.get_by_role("button", name="Record consent").click()
    success_banner(page, "The written consent was recorded.")
    assert_accessible(page)

    page.get_by_role("button", name="Record the licence as signed").click()
    assert_accessible(page)
    page.get_by_label("Witnessing officer").select_option(label=witness.get_full_name())
    date_fill(page, "Date signed", timezone.localdate())
    page.get_by_label("Every licence holder has signed the agreement").check()
    page.get_by_role("button", name="Record licence as signed").click()
    success_banner(page, "is signed and live")
    expect(page.get_by_text("Signed version")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "Mary Lee, Tom Lee, witnessed by Wes Witness"
    )
    assert_accessible(page)


def _print_handbook(page: Page, site_name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Handbook").click()
    expect(page.get_by_role("heading", level=1, name="Resident handbook")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Print the {site_name} handbook").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Print edition 1")
    assert_accessible(page)
    page.get_by_role("button", name="Print edition 1").click()
    success_banner(page, "Edition 1")
    assert_accessible(page)
    _reload_until(
        page,
        lambda p: p.get_by_role("link", name=f"Download the {site_name} handbook, edition 1 (PDF)"),
        "handbook",
    )


def _visit(page: Page, licence: Licence, mail_dir, business_support) -> None:
    page.goto(licence.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Open the visit checklist").click()
    expect(page.get_by_role("heading", level=1, name="New-resident visit")).to_be_visible()
    assert_accessible(page)
    still_to_do = page.get_by_role("list", name="Still to do")
    expect(still_to_do).to_contain_text("Take the water meter reading")
    expect(still_to_do).not_to_contain_text("gas")

    page.get_by_role("link", name="Issue the handbook").click()
    assert_accessible(page)
    date_fill(page, "Date the handbook was given", timezone.localdate())
    page.get_by_role("button", name="Record handbook as issued").click()
    success_banner(page, "Handbook edition 1 was issued")
    assert_accessible(page)

    page.get_by_role("button", name="Record visit dates").click()
    assert_accessible(page)
    today = timezone.localdate()
    date_fill(page, "Date of the visit", today)
    date_fill(page, "Policies issued on", today)
    date_fill(page, "Pay card issued on", today)
    page.get_by_role("button", name="Save checklist").click()
    success_banner(page, "checklist was saved")
    assert_accessible(page)

    for meter, serial, reading in (
        ("Electricity", "E-20931", "10512.4"),
        ("Water", "W-771", "331"),
    ):
        page.get_by_role("button", name="Record a meter reading").click()
        assert_accessible(page)
        page.get_by_role("group", name="Meter").get_by_label(meter).check()
        page.get_by_label("Meter serial number").fill(serial)
        page.get_by_label("Reading").fill(reading)
        date_fill(page, "Date read", today)
        page.get_by_label(re.compile("Photo of the meter")).set_input_files(
            files=[{"name": f"{serial}.png", "mimeType": "image/png", "buffer": PNG}]
        )
        page.get_by_role("button", name="Save meter reading").click()
        success_banner(page, f"{meter.lower()} reading was saved")
        assert_accessible(page)
    expect(page.get_by_role("table", name="Meter readings")).to_contain_text("W-771")

    page.get_by_role("button", name="Ask business support to open the account").click()
    success_banner(page, "Business support is being asked")
    assert_accessible(page)
    _reload_until(page, lambda p: p.get_by_text(re.compile("email sent")), "business support email")
    email = _mail(mail_dir, f"Open a resident account: licence {licence.reference}")
    assert business_support.email in email


def _breach_from_visit(page: Page, licence: Licence, mail_dir, sites_manager) -> None:
    page.get_by_role("link", name="Report something that may breach the licence").click()
    assert_accessible(page)
    page.get_by_label("Category").select_option(
        label="Too many caravans or unauthorised structures"
    )
    date_fill(page, "Date observed", timezone.localdate())
    page.get_by_label("What was found").fill("A third caravan on a two-caravan pitch.")
    page.get_by_role("button", name="Report breach").click()
    success_banner(page, "reported to the sites manager")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Too many caravans")
    assert_accessible(page)
    email = _mail(mail_dir, "Licence breach reported")
    assert sites_manager.email in email and licence.reference in email
    page.get_by_role("link", name="new-resident visit").click()
    assert_accessible(page)
    page.get_by_role("button", name="Complete the visit").click()
    success_banner(page, "visit is complete")
    expect(page.get_by_role("heading", level=2, name="Visit complete")).to_be_visible()
    assert_accessible(page)


def test_an_approved_allocation_becomes_a_signed_licence_and_a_visited_resident(page, journey):
    licence = journey["licence"]
    sign_in(page, journey["officer"])
    _sign_up(page, licence, journey["witness"])
    _print_handbook(page, licence.unit.site.name)
    _visit(page, licence, journey["mail_dir"], journey["business_support"])
    _breach_from_visit(page, licence, journey["mail_dir"], journey["sites_manager"])
    sign_out(page)

    sign_in(page, journey["sites_manager"])
    work = page.get_by_role("link", name=re.compile(f"licence {licence.reference}"))
    expect(work.first).to_be_visible()
    work.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Too many caravans")
    assert_accessible(page)
    page.get_by_role("button", name="Update the breach").click()
    assert_accessible(page)
    page.get_by_role("group", name="New status").get_by_label("Under investigation").check()
    page.get_by_label("Reason for this change").fill("Visiting on Monday")
    page.get_by_role("button", name="Update breach").click()
    success_banner(page, "The breach is being investigated")
    assert_accessible(page)


def test_the_other_licence_pages_are_accessible_and_explain_their_mistakes(
    page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    officer = UserFactory(
        username="pages-officer", roles=["officer"], first_name="Pat", last_name="Page"
    )
    lead = PersonFactory(first_name="Ann", last_name="Ward")
    unit = UnitFactory(status="void", void_date=date(2026, 1, 5), void_reason="other")
    licence = services.licence_draft_create(
        household=lead.household, unit=unit, start_date=timezone.localdate(), by=officer
    )
    # Drawn 28 days ago (a statement cannot be given before it was drawn).
    with time_machine.travel(timezone.now() - timedelta(days=28), tick=False):
        for document in services.licence_documents_request(licence=licence, by=officer):
            document_render(model="residents.LicenceDocument", pk=document.pk)
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate() - timedelta(days=28), by=officer
    )
    services.licence_sign(
        licence=licence, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
    )

    sign_in(page, officer)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Licences").click()
    expect(page.get_by_role("heading", level=1, name="Licences")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Licence or household reference").fill(licence.reference)
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name=licence.reference).click()
    assert_accessible(page)

    page.get_by_role("button", name="End this licence").click()
    assert_accessible(page)
    page.get_by_role("button", name="End licence").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why the licence is ending")
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    assert_accessible(page)

    page.get_by_role("link", name="Record an unauthorised occupant").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("A visiting cousin")
    page.get_by_label("Found during").fill("Welfare visit")
    date_fill(page, "Date found", timezone.localdate())
    page.get_by_role("button", name="Record unauthorised occupant").click()
    success_banner(page, "A visiting cousin was recorded")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Update.*A visiting cousin")).click()
    assert_accessible(page)
    page.get_by_role("group", name="What has happened?").get_by_label("Has left").check()
    page.get_by_label("Reason for this change").fill("Left after the weekend")
    page.get_by_role("button", name="Save").click()
    success_banner(page, "has left")
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Handbook").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add a section").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save section").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the heading")
    assert_accessible(page)
    page.get_by_label("Site").select_option(label=unit.site.name)
    page.get_by_label("Topic").select_option(label="Site rules")
    page.get_by_label("Heading").fill("Speed limit")
    page.get_by_label("Text").fill("5 miles an hour on the site roads.")
    page.get_by_role("button", name="Save section").click()
    success_banner(page, "Speed limit")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Change.*Speed limit")).click()
    assert_accessible(page)
    page.get_by_label("Text").fill("10 miles an hour on the site roads.")
    page.get_by_label("Reason for this change").fill("Agreed at the residents' meeting")
    page.get_by_role("button", name="Save section").click()
    success_banner(page, "was changed")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("History.*Speed limit")).click()
    expect(page.get_by_text("Agreed at the residents' meeting")).to_be_visible()
    assert_accessible(page)


def test_every_control_on_the_licence_pages_can_be_reached_with_tab(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = UserFactory(username="tab-officer", roles=["officer"])
    unit = UnitFactory(
        status="void", void_date=date(2026, 1, 5), void_reason="other", has_water_meter=True
    )
    draft = services.licence_draft_create(
        household=PersonFactory().household, unit=unit, start_date=timezone.localdate(), by=officer
    )
    live = services.licence_draft_create(
        household=PersonFactory().household,
        unit=UnitFactory(status="void", void_date=date(2026, 1, 5), void_reason="other"),
        start_date=timezone.localdate(),
        by=officer,
    )
    # Drawn 28 days ago (a statement cannot be given before it was drawn).
    with time_machine.travel(timezone.now() - timedelta(days=28), tick=False):
        for document in services.licence_documents_request(licence=live, by=officer):
            document_render(model="residents.LicenceDocument", pk=document.pk)
    today = timezone.localdate()
    services.licence_written_statement_give(
        licence=live, given_on=today - timedelta(days=28), by=officer
    )
    live = services.licence_sign(licence=live, signed_on=today, witnessed_by=witness(), by=officer)
    sign_in(page, officer)
    for path in [
        "/households/licences/",
        draft.get_absolute_url(),
        live.get_absolute_url(),
        live.visit.get_absolute_url(),
        f"/households/visits/{live.visit.pk}/meter-readings/new/",
        f"/households/licences/{live.pk}/breaches/new/",
        "/households/handbook/",
    ]:
        page.goto(path)
        assert_accessible(page)
        assert_every_control_is_reachable_by_tab(page)
