"""Licences made the way the service makes them: a draft from an approved allocation
(`licence_draft_create`), then documents, written statement and signing."""

from datetime import date, timedelta

from django.utils import timezone

from config.kernel.documents import document_render
from residents import services
from residents.models import Licence, LicenceDocument, Person
from tests.factories import PersonFactory, UnitFactory, UserFactory


def household_of_two():
    lead = PersonFactory(first_name="Mary", last_name="Lee")
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


def documents_ready(licence: Licence, by) -> None:
    """Request the documents and draw them here, as the Celery task would."""
    for document in services.licence_documents_request(licence=licence, by=by):
        document_render(model="residents.LicenceDocument", pk=document.pk)


def witness():
    """A second officer to witness a signing (never the officer recording it)."""
    return UserFactory(username="witness-officer", roles=["officer"])


def signed(by, **kwargs) -> Licence:
    licence = draft(by, **kwargs)
    documents_ready(licence, by)
    today = timezone.localdate()
    services.licence_written_statement_give(licence=licence, given_on=today, by=by)
    return services.licence_sign(licence=licence, signed_on=today, witnessed_by=witness(), by=by)


def ready_statement(licence: Licence) -> LicenceDocument:
    return licence.documents.get(kind="written_statement", superseded_at__isnull=True)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)
