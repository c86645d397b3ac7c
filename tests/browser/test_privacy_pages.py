"""Data protection in a browser (issue 16): an officer records a subject access request from
the household page, withholds an item, downloads the export and marks it answered; a team
leader reads a retention batch, its confirmation page and the purge register. Every page is
scanned with axe-core."""

import zipfile

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations.privacy.models import SubjectAccessRequest
from allocations.privacy.services import retention_batch_create
from tests.allocations.factories import ApplicationFactory
from tests.allocations.resales import purchaser
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_answers_a_subject_access_request(page: Page, officer, tmp_path):
    person = PersonFactory(first_name="Rosa", last_name="Lovell")
    ApplicationFactory(household=person.household)
    today = timezone.localdate()
    sign_in(page, officer)
    page.goto(person.household.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Record a subject access request from Rosa Lovell").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("Enter the date received").first).to_be_visible()
    assert_accessible(page)
    date_fill(page, "Date received", today)
    page.get_by_label("How it was received").fill("Letter of today")
    page.get_by_role("button", name="Record the request").click()
    success_banner(page, "recorded: answer by")
    assert_accessible(page)

    page.get_by_role("button", name="Withhold an item").click()
    assert_accessible(page)
    page.get_by_label("What is withheld").fill("Police intelligence note")
    page.get_by_label("Why it is withheld").fill("DPA 2018 Sch. 2 para 2: crime")
    page.get_by_role("button", name="Withhold it").click()
    success_banner(page, "Item withheld.")
    expect(page.get_by_role("cell", name="Police intelligence note")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make the export").click()
    assert_accessible(page)
    page.get_by_label("I have checked what is withheld").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the export (zip)").click()
    saved = tmp_path / "export.zip"
    download_info.value.save_as(saved)
    assert "cover-letter.html" in zipfile.ZipFile(saved).namelist()

    sar = SubjectAccessRequest.objects.get()
    page.goto(sar.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Mark as answered").click()
    assert_accessible(page)
    date_fill(page, "Date the export was sent", today)
    page.get_by_role("button", name="Mark as answered").click()
    success_banner(page, "answered.")
    assert_accessible(page)
    page.get_by_role("link", name="Subject access", exact=True).click()
    expect(page.get_by_role("cell", name="Rosa Lovell")).to_be_visible()
    assert_accessible(page)


def test_a_team_leader_reads_a_batch_and_the_register(page: Page, team_leader):
    application = ApplicationFactory(status="withdrawn")
    batch = retention_batch_create(
        today=timezone.localdate() + relativedelta(years=3), by=team_leader
    )
    sign_in(page, team_leader)
    assert_accessible(page)
    page.get_by_role("link", name="Retention", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Batch {batch.pk}").click()
    expect(page.get_by_text(str(application.household), exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and delete").click()
    expect(page.get_by_text("cannot be undone", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Delete these records for good").click()
    expect(page.get_by_text("Enter the reason", exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason").fill("Past the schedule")
    page.get_by_role("button", name="Delete these records for good").click()
    # Today it is not yet due (the batch was found three years on): kept, and said so.
    success_banner(page, "1 no longer due were kept.")
    assert_accessible(page)
    page.goto("/privacy/retention/register/")
    assert_accessible(page)
    sign_out(page)


def test_an_officer_records_a_request_from_a_purchaser_on_the_register(
    page: Page, officer, tmp_path
):
    buyer = purchaser(officer, name="Quentin Zarathustra")
    sign_in(page, officer)
    page.goto("/allocations/purchasers/")
    assert_accessible(page)
    page.get_by_role("link", name="Record a request from Quentin Zarathustra").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("Enter the date received").first).to_be_visible()
    assert_accessible(page)
    date_fill(page, "Date received", timezone.localdate())
    page.get_by_label("How it was received").fill("Email of today")
    page.get_by_role("button", name="Record the request").click()
    success_banner(page, "recorded: answer by")
    expect(
        page.get_by_text("A would-be buyer on the low-cost home ownership register")
    ).to_be_visible()
    assert_accessible(page)
    assert SubjectAccessRequest.objects.get().purchaser == buyer
