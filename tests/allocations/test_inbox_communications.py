"""The document inbox and the communications log (issue 15)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Contact, InboxDocument
from config.history import system_user
from projects.models import WorkItem
from residents.models import SpecialCategoryView
from residents.selectors import household_name
from tests.allocations.factories import ActiveApplicationFactory, ApplicationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _scan(name="scan.pdf", content=b"%PDF-1.4 a scanned letter"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _kept(name="scan.pdf"):
    upload = _scan(name)
    upload.detected_content_type = "application/pdf"
    return upload


def test_business_support_uploads_five_scans_at_once(client, business_support):
    client.force_login(business_support)
    response = client.post(
        reverse("allocations:inbox-upload"),
        {"files": [_scan(f"scan-{n}.pdf") for n in range(5)]},
    )
    assert response.status_code == 302
    assert InboxDocument.objects.filter(status=InboxDocument.Status.UNFILED).count() == 5
    assert set(InboxDocument.objects.values_list("uploaded_by", flat=True)) == {business_support.pk}


def test_a_file_that_is_not_a_pdf_or_image_stops_the_batch_naming_it(client, business_support):
    client.force_login(business_support)
    response = client.post(
        reverse("allocations:inbox-upload"),
        {"files": [_scan("good.pdf"), _scan("bad.pdf", b"MZ not really a pdf")]},
    )
    assert response.status_code == 400
    assert b"bad.pdf: The file must be a PDF, JPEG or PNG" in response.content
    assert not InboxDocument.objects.exists()


def test_an_officer_finds_the_household_and_files_the_scan(client, officer):
    application = ActiveApplicationFactory()
    lead = application.household.people.order_by("pk").first()
    (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    client.force_login(officer)
    url = reverse("allocations:inbox-file", args=[document.pk])
    found = client.post(url, {"search": "1", "find-name": lead.last_name}, follow=True)
    assert application.reference.encode() in found.content
    assert lead.last_name not in found.redirect_chain[-1][0]  # no personal data in the URL
    filed = client.post(url, {"application": str(application.pk), "kind": "medical"})
    assert filed.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.application, document.kind) == (
        InboxDocument.Status.FILED,
        application,
        "medical",
    )
    assert document.history.first().history_change_reason.startswith(
        f"Filed to {application.reference}"
    )


def test_an_empty_search_is_refused_in_words(client, officer):
    (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    client.force_login(officer)
    response = client.post(reverse("allocations:inbox-file", args=[document.pk]), {"search": "1"})
    assert response.status_code == 400
    assert b"Enter a name, reference, date of birth or postcode" in response.content


def test_moving_a_filed_document_needs_a_reason(officer):
    first, second = ActiveApplicationFactory(), ActiveApplicationFactory()
    (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    services.inbox_file(document=document, application=first, kind="identity", by=officer)
    with pytest.raises(ValidationError):
        services.inbox_file(document=document, application=second, kind="identity", by=officer)
    services.inbox_file(
        document=document,
        application=second,
        kind="identity",
        reason="Same surname: filed to the wrong family",
        by=officer,
    )
    document.refresh_from_db()
    assert document.application == second
    assert "filed to the wrong family" in document.history.first().history_change_reason


def test_a_scan_a_colleague_filed_since_is_not_filed_again_nor_read_as_a_move(client, officer):
    first, second = ActiveApplicationFactory(), ActiveApplicationFactory()
    colleague = UserFactory(first_name="Rosie", last_name="Lee")
    (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    client.force_login(officer)
    url = reverse("allocations:inbox-file", args=[document.pk])
    session = client.session
    session[f"inbox_search_households:{document.pk}"] = [second.household_id]
    session.save()
    assert b"File it" in client.get(url).content  # the officer sees it unfiled
    services.inbox_file(document=document, application=first, kind="identity", by=colleague)
    response = client.post(url, {"application": str(second.pk), "kind": "medical"}, follow=True)
    assert f"{first.reference} at".encode() in response.content
    assert b"not filed again" in response.content
    assert b"Enter the reason" not in response.content
    document.refresh_from_db()
    assert (document.application, document.kind, document.filed_by) == (
        first,
        "identity",
        colleague,
    )


def test_filing_a_scan_seen_unfiled_that_was_filed_at_the_same_moment_is_refused(officer):
    first, second = ActiveApplicationFactory(), ActiveApplicationFactory()
    (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    services.inbox_file(document=document, application=first, kind="identity", by=officer)
    with pytest.raises(ValidationError, match=f"application {first.reference} at"):
        services.inbox_file(
            document=document,
            application=second,
            kind="identity",
            reason="",
            seen_unfiled=True,
            by=officer,
        )
    document.refresh_from_db()
    assert document.application == first


def test_a_scan_unfiled_too_long_shows_in_the_teams_queue_until_filed(officer):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    with time_machine.travel(date(2026, 12, 3), tick=False):
        assert services.inbox_unfiled_raise(today=date(2026, 12, 3), by=system_user()) == 0
    with time_machine.travel(date(2026, 12, 4), tick=False):
        assert services.inbox_unfiled_raise(today=date(2026, 12, 4), by=system_user()) == 1
    item = WorkItem.objects.get(kind="inbox_document")
    assert item.assigned_role.name == "officer" and item.assignee is None
    services.inbox_file(
        document=document, application=ActiveApplicationFactory(), kind="other", by=officer
    )
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE


def test_a_scan_forwarded_goes_in_the_colleagues_queue(client, officer):
    colleague = UserFactory(roles=["officer"])
    (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:inbox-forward", args=[document.pk]),
        {"to": str(colleague.pk), "note": "Your case"},
    )
    assert response.status_code == 302
    assert WorkItem.objects.get(kind="inbox_document").assignee == colleague


def test_the_communications_log_shows_letters_calls_and_scans(client, officer, head_of_service):
    application = ApplicationFactory(status="submitted")
    household = application.household
    (document,) = services.inbox_upload(uploads=[_kept("tenancy-letter.pdf")], by=officer)
    services.inbox_file(document=document, application=application, kind="address", by=officer)
    client.force_login(officer)
    now = timezone.localtime() - timedelta(hours=1)
    recorded = client.post(
        reverse("allocations:contact-create", args=[household.pk]),
        {
            "channel": "phone",
            "direction": "in",
            "day_0": str(now.day),
            "day_1": str(now.month),
            "day_2": str(now.year),
            "at": f"{now:%H:%M}",
            "summary": "Rang to say the baby has arrived",
            "application": str(application.pk),
        },
    )
    assert recorded.status_code == 302
    assert Contact.objects.get().recorded_by == officer
    services.letter_request(
        application=application, kind="invalid", context={"reasons": []}, by=officer
    )
    client.force_login(head_of_service)
    log = client.get(reverse("allocations:communications", args=[household.pk]))
    assert log.status_code == 200
    for words in (
        b"Phone call",
        b"Rang to say the baby has arrived",
        b"tenancy-letter.pdf",
        b"Application not valid letter",
    ):
        assert words in log.content
    assert b"Download the scan" not in log.content  # the head of service cannot open scans


def test_a_scan_of_pregnancy_evidence_on_the_communications_log_is_special_category(
    client, officer, head_of_service
):
    application = ApplicationFactory(status="submitted")
    household = application.household
    (document,) = services.inbox_upload(uploads=[_kept("matb1-mary.pdf")], by=officer)
    services.inbox_file(document=document, application=application, kind="pregnancy", by=officer)
    url = reverse("allocations:communications", args=[household.pk])
    client.force_login(head_of_service)
    withheld = client.get(url)
    assert withheld.status_code == 200
    assert b"matb1-mary.pdf" not in withheld.content
    assert b"Pregnancy" not in withheld.content
    assert f"filed to {application.reference}".encode() in withheld.content
    assert not SpecialCategoryView.objects.exists()
    client.force_login(officer)
    shown = client.get(url)
    assert b"matb1-mary.pdf" in shown.content and b"Pregnancy" in shown.content
    logged = SpecialCategoryView.objects.filter(user=officer)
    assert {view.person for view in logged} == set(household.people.all())
    assert {(view.where, tuple(view.fields)) for view in logged} == {
        ("communications", ("pregnancy_evidence",))
    }


def test_business_support_sees_a_scan_filed_as_pregnancy_evidence_only_as_restricted(
    client, officer, business_support
):
    application = ApplicationFactory(status="submitted")
    household = application.household
    (document,) = services.inbox_upload(uploads=[_kept("matb1-mary.pdf")], by=business_support)
    services.inbox_file(document=document, application=application, kind="pregnancy", by=officer)
    filed = reverse("allocations:inbox-list") + "?status=filed"
    client.force_login(business_support)
    withheld = client.get(filed)
    assert withheld.status_code == 200
    assert f"{application.reference} (type restricted)".encode() in withheld.content
    assert b"Pregnancy" not in withheld.content and b"matb1-mary.pdf" not in withheld.content
    # Nor through its History page or the scan itself.
    history = client.get(reverse("allocations:inbox-history", args=[document.pk]))
    assert history.status_code == 200 and b"Pregnancy" not in history.content
    assert client.get(reverse("allocations:inbox-download", args=[document.pk])).status_code == 403
    assert not SpecialCategoryView.objects.exists()
    client.force_login(officer)
    shown = client.get(filed)
    assert b"Pregnancy (for example MATB1)" in shown.content and b"matb1-mary.pdf" in shown.content
    logged = SpecialCategoryView.objects.filter(user=officer)
    assert {view.person for view in logged} == set(household.people.all())
    assert {(view.where, tuple(view.fields)) for view in logged} == {
        ("inbox", ("pregnancy_evidence",))
    }


def test_a_scan_filed_as_identity_evidence_shows_its_type_to_business_support(
    client, officer, business_support
):
    application = ApplicationFactory(status="submitted")
    (document,) = services.inbox_upload(uploads=[_kept("passport.pdf")], by=business_support)
    services.inbox_file(document=document, application=application, kind="identity", by=officer)
    client.force_login(business_support)
    page = client.get(reverse("allocations:inbox-list") + "?status=filed")
    assert f"{application.reference} (Proof of identity)".encode() in page.content
    assert not SpecialCategoryView.objects.exists()


def test_the_inbox_logs_its_pregnancy_scans_in_the_same_queries_for_one_or_many(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def filed_pregnancy_scan():
        application = ApplicationFactory(status="submitted")
        (document,) = services.inbox_upload(uploads=[_kept("matb1.pdf")], by=officer)
        services.inbox_file(
            document=document, application=application, kind="pregnancy", by=officer
        )

    client.force_login(officer)
    url = reverse("allocations:inbox-list") + "?status=filed"

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    filed_pregnancy_scan()
    one = queries()
    for _ in range(3):
        filed_pregnancy_scan()
    assert queries() == one
    assert SpecialCategoryView.objects.filter(user=officer, where="inbox").exists()


def test_the_applications_to_file_a_scan_to_are_listed_by_the_households_name(client, officer):
    application = ActiveApplicationFactory()
    (document,) = services.inbox_upload(uploads=[_kept()], by=officer)
    client.force_login(officer)
    session = client.session
    session[f"inbox_search_households:{document.pk}"] = [application.household_id]
    session.save()
    page = client.get(reverse("allocations:inbox-file", args=[document.pk])).content.decode()
    assert f"{household_name(application.household)}: application {application.reference}" in (page)
    assert f"{application.reference} — {application.household.reference}" not in page
