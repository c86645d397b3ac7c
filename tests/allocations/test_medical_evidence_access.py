"""A medical or welfare letter is health data (UK GDPR art. 9), as a pregnancy's MATB1 is: its
type and description only for the roles that need them, each showing logged."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse

from allocations import services
from allocations.models import EvidenceDocument
from config.models import ChangeLogEntry
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory, ApplicationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LETTER = "GP letter: asthma made worse by damp"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 a letter", content_type="application/pdf")


def test_the_application_page_lists_a_medical_letter_only_for_roles_with_health_data(
    client, officer, head_of_service
):
    application = ActiveApplicationFactory(scheme="cbl")
    services.evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.MEDICAL,
        description=LETTER,
        upload=_pdf("gp-letter.pdf"),
        by=officer,
    )
    url = application.get_absolute_url()
    client.force_login(head_of_service)
    page = client.get(url).content.decode()
    assert LETTER not in page and "Medical or welfare evidence" not in page
    assert not SpecialCategoryView.objects.exists()

    client.force_login(officer)
    assert LETTER in client.get(url).content.decode()
    logged = SpecialCategoryView.objects.filter(where="application", user=officer)
    assert {tuple(view.fields) for view in logged} == {("medical_evidence",)}
    # Against every member: the letter is about the household's health, not one expected child.
    assert {view.person_id for view in logged} == set(
        application.household.people.values_list("pk", flat=True)
    )
    document = EvidenceDocument.objects.get()
    assert (
        client.get(reverse("allocations:evidence-download", args=[document.pk])).status_code == 200
    )
    assert SpecialCategoryView.objects.filter(
        where="evidence-download", user=officer, fields=["medical_evidence"]
    ).exists()


def test_business_support_sees_a_scan_filed_as_medical_evidence_only_as_restricted(
    client, officer, business_support
):
    application = ApplicationFactory(status="submitted")
    (document,) = services.inbox_upload(uploads=[_pdf("gp-letter.pdf")], by=business_support)
    services.inbox_file(document=document, application=application, kind="medical", by=officer)
    filed = reverse("allocations:inbox-list") + "?status=filed"
    client.force_login(business_support)
    page = client.get(filed)
    assert f"{application.reference} (type restricted)".encode() in page.content
    assert b"Medical" not in page.content and b"gp-letter.pdf" not in page.content
    assert client.get(reverse("allocations:inbox-download", args=[document.pk])).status_code == 403
    assert not SpecialCategoryView.objects.exists()

    client.force_login(officer)
    assert b"Medical or welfare evidence" in client.get(filed).content
    assert SpecialCategoryView.objects.filter(
        where="inbox", user=officer, fields=["medical_evidence"]
    ).exists()
    communications = reverse("allocations:communications", args=[application.household_id])
    assert b"gp-letter.pdf" in client.get(communications).content
    assert SpecialCategoryView.objects.filter(
        where="communications", user=officer, fields=["medical_evidence"]
    ).exists()


@pytest.mark.parametrize("kind", sorted(EvidenceDocument.SPECIAL_CATEGORY_KINDS))
def test_a_special_category_documents_name_says_neither_its_type_nor_what_it_is(officer, kind):
    # Its name is what a History page, a message or a list carries, whoever reads it.
    document = services.evidence_attach(
        application=ActiveApplicationFactory(),
        kind=kind,
        description=LETTER,
        upload=_pdf("matb1-gp-letter.pdf"),
        by=officer,
    )
    assert str(document) == f"Evidence document {document.pk}"
    other = services.evidence_attach(
        application=document.application,
        kind=EvidenceDocument.Kind.IDENTITY,
        description="Passport",
        upload=_pdf("passport.pdf"),
        by=officer,
    )
    assert str(other) == "Proof of identity: Passport"


def test_backdating_on_a_medical_letter_names_it_on_the_history_page_without_its_type(
    client, officer, head_of_service
):
    # The History page names the evidence a date rests on by the document's name: it read
    # "Medical or welfare evidence: …" to the head of service, who may not see the type.
    application = ActiveApplicationFactory(scheme="cbl", registration_date=date(2025, 6, 1))
    document = services.evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.MEDICAL,
        description="Service medical board",
        upload=_pdf("board.pdf"),
        by=officer,
    )
    client.force_login(officer)
    backdate = reverse("allocations:effective-date-backdate", args=[application.pk])
    # The officer choosing it still reads its type and description in the list.
    assert (
        "Medical or welfare evidence: Service medical board"
        in client.get(backdate).content.decode()
    )
    services.effective_date_backdate(
        application=application,
        group="armed_forces",
        effective_date=date(2025, 1, 10),
        reason="Discharged on 10 January 2025",
        evidence=document,
        by=officer,
    )
    client.force_login(head_of_service)
    history = client.get(reverse("allocations:application-history", args=[application.pk]))
    assert history.status_code == 200
    page = history.content.decode()
    assert f"Evidence document {document.pk}" in page
    assert "Medical or welfare evidence" not in page


BOARD = "Service medical board: PTSD after a tour"


def _backdated_on(officer, kind, description):
    """An application dated before registration on a document of this type; the document,
    and the change-log rows the backdating wrote."""
    application = ActiveApplicationFactory(scheme="cbl", registration_date=date(2025, 6, 1))
    document = services.evidence_attach(
        application=application,
        kind=kind,
        description=description,
        upload=_pdf("board.pdf"),
        by=officer,
    )
    logged_before = ChangeLogEntry.objects.aggregate(last=Max("id"))["last"] or 0
    services.effective_date_backdate(
        application=application,
        group="armed_forces",
        effective_date=date(2025, 1, 10),
        reason="Discharged on 10 January 2025",
        evidence=document,
        by=officer,
    )
    application.refresh_from_db()
    return application, document, ChangeLogEntry.objects.filter(id__gt=logged_before)


@pytest.mark.parametrize("kind", sorted(EvidenceDocument.SPECIAL_CATEGORY_KINDS))
def test_backdating_on_health_evidence_keeps_its_description_out_of_the_reason_and_change_log(
    client, officer, head_of_service, kind
):
    # The reason quoted the document's description ("(evidence: Service medical board: …)"):
    # the application page, its History and the change log showed it to the head of service,
    # who may not read health data.
    application, document, logged = _backdated_on(officer, kind, BOARD)
    assert application.effective_date_reason == (
        "Dated before registration under the policy's exception for leaving the armed "
        "forces: the date of discharge: Discharged on 10 January 2025 "
        f"(evidence: Evidence document {document.pk})"
    )
    assert application.corrections.get().reason == application.effective_date_reason
    assert logged.filter(record_type="allocations.application").exists()
    for row in logged:
        written = json.dumps([row.reason, row.label, row.changes])
        assert "PTSD" not in written and "medical board" not in written
        assert document.get_kind_display() not in written

    client.force_login(head_of_service)
    page = client.get(application.get_absolute_url()).content.decode()
    assert f"(evidence: Evidence document {document.pk})" in page
    assert "PTSD" not in page and document.get_kind_display() not in page
    change_log = client.get(reverse("change-log"))
    assert change_log.status_code == 200
    assert f"Evidence document {document.pk}" in change_log.content.decode()
    assert b"PTSD" not in change_log.content


def test_backdating_on_ordinary_evidence_still_names_it_by_its_description(officer):
    application, _document, _logged = _backdated_on(
        officer, EvidenceDocument.Kind.OTHER, "Discharge papers"
    )
    assert application.effective_date_reason.endswith(
        "Discharged on 10 January 2025 (evidence: Discharge papers)"
    )


BACKDATING_SHOWN = "date priority before registration"


def _backdating_post(document) -> dict:
    return {
        "group": "armed_forces",
        "effective_date_0": "10",
        "effective_date_1": "1",
        "effective_date_2": "2025",
        "reason": "Discharged on 10 January 2025",
        "evidence": str(document.pk),
    }


def test_the_backdating_page_logs_each_showing_of_the_medical_letter_it_lists(client, officer):
    # The page lists the evidence by type and description to choose from: it showed a
    # medical letter to officers without a line in the special-category log.
    application = ActiveApplicationFactory(scheme="cbl", registration_date=date(2025, 6, 1))
    document = services.evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.MEDICAL,
        description=LETTER,
        upload=_pdf("gp-letter.pdf"),
        by=officer,
    )
    members = set(application.household.people.values_list("pk", flat=True))
    assert members
    url = reverse("allocations:effective-date-backdate", args=[application.pk])
    client.force_login(officer)
    assert f"Medical or welfare evidence: {LETTER}" in client.get(url).content.decode()
    logged = SpecialCategoryView.objects.filter(user=officer, where=BACKDATING_SHOWN)
    shown = list(logged.all())
    assert len(shown) == len(members)
    assert {view.person_id for view in shown} == members
    assert {tuple(view.fields) for view in shown} == {("medical_evidence",)}
    # Drawn again with an error, it is shown again: logged again, once.
    refused = client.post(url, {**_backdating_post(document), "reason": ""})
    assert refused.status_code == 400 and LETTER in refused.content.decode()
    assert logged.count() == 2 * len(members)
    # Saved, the page is not drawn: nothing more is shown or logged.
    assert client.post(url, _backdating_post(document)).status_code == 302
    assert logged.count() == 2 * len(members)


def test_a_reader_without_health_data_who_may_date_priority_is_not_listed_a_medical_letter(
    client, officer
):
    # Officers and team leaders date priority and may read health data; anyone else given
    # the permission alone is shown, and may choose, only the other evidence.
    application = ActiveApplicationFactory(scheme="cbl", registration_date=date(2025, 6, 1))
    letter = services.evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.MEDICAL,
        description=LETTER,
        upload=_pdf("gp-letter.pdf"),
        by=officer,
    )
    services.evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.OTHER,
        description="Discharge papers",
        upload=_pdf("discharge.pdf"),
        by=officer,
    )
    dater = UserFactory(username="dater")
    dater.user_permissions.add(
        Permission.objects.get(content_type__app_label="allocations", codename="change_priority"),
        Permission.objects.get(content_type__app_label="allocations", codename="view_application"),
    )
    url = reverse("allocations:effective-date-backdate", args=[application.pk])
    client.force_login(dater)
    page = client.get(url)
    assert page.status_code == 200
    assert "Other: Discharge papers" in page.content.decode()
    assert LETTER not in page.content.decode()
    assert "Medical or welfare evidence" not in page.content.decode()
    # Nor chosen by its number.
    refused = client.post(url, _backdating_post(letter))
    assert refused.status_code == 400
    assert LETTER not in refused.content.decode()
    application.refresh_from_db()
    assert application.effective_date == date(2025, 6, 1)
    assert not SpecialCategoryView.objects.exists()


@pytest.mark.parametrize("kind", sorted(EvidenceDocument.SPECIAL_CATEGORY_KINDS))
def test_the_change_log_withholds_a_health_documents_type_description_and_file_name(
    client, officer, auditor, kind
):
    # Auditors' change-log export read "Type of evidence: Pregnancy (for example MATB1)",
    # "Description: MATB1: due 3 March, twins" and "File name: matb1.pdf", none of it logged.
    services.evidence_attach(
        application=ActiveApplicationFactory(),
        kind=kind,
        description="MATB1: due 3 March, twins",
        upload=_pdf("matb1.pdf"),
        by=officer,
    )
    client.force_login(auditor)
    query = {"record_type": "allocations.evidencedocument"}
    export = client.get(reverse("change-log-csv"), query)
    body = b"".join(export.streaming_content).decode()
    page = client.get(reverse("change-log"), query).content.decode()
    for shown in (body, page):
        assert "Evidence document" in shown
        assert "twins" not in shown and "matb1.pdf" not in shown
        assert "Pregnancy" not in shown and "Medical or welfare" not in shown
    assert not SpecialCategoryView.objects.exists()
