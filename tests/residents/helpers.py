"""Licences made the way the service makes them: a draft from an approved allocation
(`licence_draft_create`), then documents, written statement and signing."""

from datetime import date, timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from config.kernel.documents import document_render
from residents import services
from residents.models import Licence, LicenceDocument, Person
from tests.factories import PersonFactory, UnitFactory, UserFactory


def household_of_two():
    # An adult on any start date a test uses (a licence holder is 18 or over on the first day).
    lead = PersonFactory(first_name="Mary", last_name="Lee", date_of_birth=date(1985, 6, 1))
    PersonFactory(
        household=lead.household,
        first_name="Tom",
        last_name="Lee",
        relationship=Person.Relationship.PARTNER,
        sex="male",
    )
    return lead.household


def vacant_pitch(**fields):
    fields.setdefault("status", "void")
    fields.setdefault("void_date", date(2025, 1, 1))
    fields.setdefault("void_reason", "end_of_licence")
    return UnitFactory(**fields)


def draft(by, *, household=None, unit=None, start_date=None) -> Licence:
    return services.licence_draft_create(
        household=household or household_of_two(),
        unit=unit or vacant_pitch(),
        start_date=start_date or timezone.localdate(),
        by=by,
    )


def documents_ready(licence: Licence, by, *, drawn_days_ago: int = 0) -> None:
    """Request the documents and draw them here, as the Celery task would; `drawn_days_ago`:
    asked for and drawn that many days ago (a statement cannot be given before it was drawn)."""
    with time_machine.travel(timezone.now() - timedelta(days=drawn_days_ago), tick=False):
        for document in services.licence_documents_request(licence=licence, by=by):
            document_render(model="residents.LicenceDocument", pk=document.pk)


def witness():
    """A second officer to witness a signing (never the officer recording it)."""
    return UserFactory(username="witness-officer", roles=["officer"])


def consent_scan():
    """A scanned consent, as a PDF's first bytes tell it."""
    upload = SimpleUploadedFile("consent.pdf", b"%PDF-1.4 consent", content_type="application/pdf")
    upload.detected_content_type = "application/pdf"
    return upload


def short_notice_consent(licence: Licence, by, on=None):
    """The household's written consent to less than 28 days between statement and signing."""
    return services.licence_short_notice_consent_record(
        licence=licence, consented_on=on or timezone.localdate(), scan=consent_scan(), by=by
    )


def signed(by, **kwargs) -> Licence:
    """Signed today, the statement given today with the household's written consent to less
    than 28 days (Mobile Homes Act 1983 s.1(4))."""
    licence = draft(by, **kwargs)
    documents_ready(licence, by)
    today = timezone.localdate()
    short_notice_consent(licence, by)
    services.licence_written_statement_give(licence=licence, given_on=today, by=by)
    return services.licence_sign(licence=licence, signed_on=today, witnessed_by=witness(), by=by)


def ready_statement(licence: Licence) -> LicenceDocument:
    return licence.documents.get(kind="written_statement", superseded_at__isnull=True)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)
