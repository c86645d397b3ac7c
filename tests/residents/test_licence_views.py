"""The licence, visit, breach and handbook pages, through the Django test client."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.kernel.documents import document_render
from projects.models import WorkItem
from residents import services
from residents.models import Breach, HandbookEdition, Licence
from tests.factories import PNG, SiteFactory
from tests.layout import bare_links
from tests.residents.helpers import documents_ready, draft, signed, witness

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_the_household_page_links_to_its_licences(client, officer):
    licence = draft(officer)
    client.force_login(officer)
    page = client.get(licence.household.get_absolute_url()).content.decode()
    assert licence.get_absolute_url() in page and "Being prepared" in page


def test_the_licence_list_searches_by_reference_and_pages(
    client, officer, django_assert_max_num_queries
):
    wanted = draft(officer)
    for _ in range(3):
        draft(officer)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("residents:licence-list"))
    assert response.content.decode().count("/households/licences/") >= 4
    found = client.get(reverse("residents:licence-list"), {"q": wanted.reference[-3:]})
    assert wanted.reference in found.content.decode()
    assert "Mary Lee" in found.content.decode()


def test_signing_without_the_statement_shows_the_refusal_on_the_form(client, officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-sign", args=[licence.pk]),
        {
            **_date("signed_on", timezone.localdate()),
            "witnessed_by": officer.pk,
            "holders_signed": "on",
        },
    )
    assert response.status_code == 400
    assert "written statement must be given before" in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == Licence.Status.DRAFT


def test_the_officer_prepares_gives_the_statement_and_signs_through_the_pages(
    client, officer, django_capture_on_commit_callbacks
):
    licence = draft(officer)
    client.force_login(officer)
    # Asked for and drawn 28 days ago: the statement is given the day it was drawn.
    with time_machine.travel(timezone.now() - timedelta(days=28), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("residents:licence-documents", args=[licence.pk]))
        assert response.status_code == 302 and len(callbacks) == 2  # drawn by workers
        assert "Being prepared" in client.get(licence.get_absolute_url()).content.decode()
        for document in licence.documents.all():
            document_render(model="residents.LicenceDocument", pk=document.pk)
    client.force_login(officer)  # signed in again today (that session has long expired)
    today = timezone.localdate()
    client.post(
        reverse("residents:licence-statement", args=[licence.pk]),
        _date("given_on", today - timedelta(days=28)),
    )
    url = reverse("residents:licence-sign", args=[licence.pk])
    response = client.post(
        url, {**_date("signed_on", today), "witnessed_by": officer.pk, "holders_signed": "on"}
    )
    # Separation of duties: the witness is not the officer recording the signing.
    assert response.status_code == 400
    assert "The witness must be someone other than you" in response.content.decode()
    response = client.post(
        url, {**_date("signed_on", today), "witnessed_by": witness().pk, "holders_signed": "on"}
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE
    agreement = licence.signing.agreement
    download = client.get(reverse("residents:licence-document-download", args=[agreement.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_ending_through_the_page_refuses_short_notice(client, officer):
    licence = signed(officer, start_date=timezone.localdate() - timedelta(days=90))
    client.force_login(officer)
    today = timezone.localdate()
    response = client.post(
        reverse("residents:licence-end", args=[licence.pk]),
        {
            "reason": "notice",
            **_date("notice_given_on", today),
            **_date("end_date", today + timedelta(days=7)),
        },
    )
    assert response.status_code == 400 and "4 weeks" in response.content.decode()
    response = client.post(
        reverse("residents:licence-end", args=[licence.pk]),
        {
            "reason": "notice",
            **_date("notice_given_on", today),
            **_date("end_date", today + timedelta(days=28)),
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"Licence {licence.reference} will end on" in page and "becomes void that day" in page


@pytest.mark.parametrize("visit", ["²", "abc", "99999999999999999999"])
def test_a_breach_form_with_a_visit_that_is_no_visit_of_the_licence_still_opens(
    client, officer, visit
):
    licence = signed(officer)
    client.force_login(officer)
    url = reverse("residents:breach-create", args=[licence.pk])
    assert client.get(url, {"visit": visit}).status_code == 200


def test_a_breach_raised_from_the_visit_reaches_the_sites_manager(
    client, officer, sites_manager, django_capture_on_commit_callbacks, celery_eager
):
    licence = signed(officer)
    visit = licence.visit
    client.force_login(officer)
    url = reverse("residents:breach-create", args=[licence.pk]) + f"?visit={visit.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "category": "caravans",
                **_date("observed_on", timezone.localdate()),
                "description": "A third caravan on the pitch",
                "evidence": SimpleUploadedFile("c.png", PNG),
            },
        )
    breach = Breach.objects.get()
    assert response.status_code == 302 and breach.visit == visit
    assert mail.outbox[0].to == [sites_manager.email]
    client.force_login(sites_manager)
    item = WorkItem.objects.get(source_key=f"licence_breach:{breach.pk}")
    assert item.title in client.get(reverse("home")).content.decode()
    evidence = client.get(reverse("residents:breach-evidence", args=[breach.pk]))
    assert b"".join(evidence.streaming_content) == PNG


def test_a_breach_report_sent_twice_is_one_breach_and_one_email(
    client, officer, sites_manager, django_capture_on_commit_callbacks, celery_eager
):
    licence = signed(officer)
    client.force_login(officer)
    url = reverse("residents:breach-create", args=[licence.pk])
    form = {
        "category": "caravans",
        **_date("observed_on", timezone.localdate()),
        "description": "A third caravan on the pitch",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
        response = client.post(url, form)
    assert response.status_code == 400
    assert "was already reported on" in response.content.decode()
    assert Breach.objects.count() == 1 and len(mail.outbox) == 1
    # Another finding on the licence is its own breach.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form, "description": "A fourth caravan on the pitch"})
    assert response.status_code == 302 and Breach.objects.count() == 2


def test_the_visit_page_shows_what_is_outstanding(client, officer):
    visit = signed(officer).visit
    client.force_login(officer)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Take the electricity meter reading" in page
    assert "Ask business support to open the resident&#x27;s account" in page
    assert "Report something that may breach the licence" in page
    assert bare_links(page) == []


def test_the_visit_page_names_the_licence_holders_the_officer_and_who_took_each_reading(
    client, officer
):
    officer.first_name, officer.last_name = "Olivia", "Hart"
    officer.save()
    visit = signed(officer).visit
    upload = SimpleUploadedFile("meter.png", PNG)
    upload.detected_content_type = "image/png"
    services.meter_reading_record(
        visit=visit,
        meter="electricity",
        serial="E-1",
        reading=Decimal("10"),
        read_on=timezone.localdate(),
        photo=upload,
        by=officer,
    )
    client.force_login(officer)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Licence holders" in page and "Mary Lee" in page
    assert "Officer" in page and "Recorded by" in page
    assert page.count("Olivia Hart") >= 2  # the visit's officer and the reading's


def test_a_meter_reading_needs_a_photo_that_is_an_image(client, officer):
    visit = signed(officer).visit
    client.force_login(officer)
    response = client.post(
        reverse("residents:meter-reading-create", args=[visit.pk]),
        {
            "meter": "electricity",
            "serial": "E-1",
            "reading": "100",
            **_date("read_on", timezone.localdate()),
            "photo": SimpleUploadedFile("m.pdf", b"%PDF-1.4 not a photo"),
        },
    )
    assert response.status_code == 400 and "JPEG or PNG" in response.content.decode()


def test_printing_a_handbook_queues_its_render(
    client, sites_manager, django_capture_on_commit_callbacks
):
    site = SiteFactory()
    services.handbook_section_create(heading="Rules", body="Be kind.", site=site, by=sites_manager)
    client.force_login(sites_manager)
    url = reverse("residents:handbook-print", args=[site.pk])
    # Asked to confirm first, saying what the edition will hold.
    assert "Print edition 1 of the" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    assert response.status_code == 302 and len(callbacks) == 1
    edition = HandbookEdition.objects.get(site=site)
    assert edition.status == HandbookEdition.Status.REQUESTED
    assert "Being prepared" in client.get(reverse("residents:handbook")).content.decode()


def test_a_handbook_without_the_sites_own_part_is_not_printed(client, sites_manager):
    site = SiteFactory()
    services.handbook_section_create(heading="Welcome", body="Hello.", by=sites_manager)
    client.force_login(sites_manager)
    url = reverse("residents:handbook-print", args=[site.pk])
    assert "This site's own part is empty" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "has no part of its own yet" in response.content.decode()
    assert not HandbookEdition.objects.filter(site=site).exists()


def test_signing_with_several_problems_is_told_them_all_at_once(client, officer):
    licence = draft(officer)
    # The documents asked for but not drawn yet: the agreement PDF is not ready.
    # Asked for 28 days ago; the agreement never drawn.
    with time_machine.travel(timezone.now() - timedelta(days=28), tick=False):
        for document in services.licence_documents_request(licence=licence, by=officer):
            if document.kind == "written_statement":
                document_render(model="residents.LicenceDocument", pk=document.pk)
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate() - timedelta(days=28), by=officer
    )
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-sign", args=[licence.pk]),
        {
            **_date("signed_on", timezone.localdate()),
            "witnessed_by": officer.pk,
            "holders_signed": "on",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The witness must be someone other than you" in page
    assert "The licence agreement PDF is not ready yet" in page
    licence.refresh_from_db()
    assert licence.status == Licence.Status.DRAFT


def test_signing_with_a_form_error_is_also_told_the_services_refusals(client, officer):
    licence = draft(officer)
    # The documents asked for but not drawn yet: the agreement PDF is not ready.
    # Asked for 28 days ago; the agreement never drawn.
    with time_machine.travel(timezone.now() - timedelta(days=28), tick=False):
        for document in services.licence_documents_request(licence=licence, by=officer):
            if document.kind == "written_statement":
                document_render(model="residents.LicenceDocument", pk=document.pk)
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate() - timedelta(days=3), by=officer
    )
    client.force_login(officer)
    # The holders' signatures not confirmed (the form's own error), with a date too soon after
    # the statement, the recorder as witness and no PDF (the service's): all told at once.
    response = client.post(
        reverse("residents:licence-sign", args=[licence.pk]),
        {**_date("signed_on", timezone.localdate()), "witnessed_by": officer.pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index('class="govuk-error-summary"') :]
    assert "Confirm that every licence holder has signed" in summary
    assert "at least 28 days before the licence is signed" in summary
    assert "The witness must be someone other than you" in summary
    assert "The licence agreement PDF is not ready yet" in summary
    assert f'value="{timezone.localdate().year}"' in page
    licence.refresh_from_db()
    assert licence.status == Licence.Status.DRAFT
