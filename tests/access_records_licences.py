"""Records for the access matrix's licence, tenancy and handbook pages
(tests/access_records.py): a signed licence with its casework, a live introductory tenancy,
and the URL arguments of the residents' licence pages."""

from datetime import date, timedelta
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations.models import Letter
from allocations.services.letters import letter_request_to
from config.kernel.documents import document_render
from residents import services as residents_services
from residents.models import (
    Breach,
    HandbookEdition,
    HandbookSection,
    Licence,
    LicenceDocument,
    LicenceEvidence,
    LicenceOccupant,
    MeterReading,
    NewResidentVisit,
    UnauthorisedOccupant,
)
from tests.factories import PNG, HomeFactory, PersonFactory, UnitFactory, UserFactory
from tests.residents.helpers import witness


def licence_kwargs(name: str, site) -> dict:
    if not name.startswith("residents:") or name.startswith(
        ("residents:household", "residents:person", "residents:special")
    ):
        return {}
    licence = Licence.objects.order_by("pk").first()
    record_by_prefix = {
        "residents:licence-document-": LicenceDocument.objects.order_by("pk").first(),
        "residents:licence-evidence-": LicenceEvidence.objects.order_by("pk").first(),
        "residents:occupant-end": LicenceOccupant.objects.order_by("pk").first(),
        "residents:occupant-role": LicenceOccupant.objects.order_by("pk").first(),
        "residents:visit-": NewResidentVisit.objects.order_by("pk").first(),
        "residents:meter-reading-": NewResidentVisit.objects.order_by("pk").first(),
        "residents:meter-photo": MeterReading.objects.order_by("pk").first(),
        "residents:unauthorised-occupant-update": UnauthorisedOccupant.objects.first(),
        "residents:breach-create": licence,
        "residents:breach-": Breach.objects.order_by("pk").first(),
        "residents:handbook-section-edit": HandbookSection.objects.order_by("pk").first(),
        "residents:handbook-section-history": HandbookSection.objects.order_by("pk").first(),
        "residents:handbook-print": site,
        "residents:handbook-download": HandbookEdition.objects.order_by("pk").first(),
        "residents:introductory-review": Licence.objects.filter(kind="introductory").first(),
        "residents:licence-": licence,
        "residents:occupant-add": licence,
        "residents:unauthorised-occupant-create": licence,
    }
    if name in {
        "residents:licence-list",
        "residents:breach-list",
        "residents:handbook",
        "residents:handbook-section-create",
    }:
        return {}
    for prefix, record in record_by_prefix.items():
        if name.startswith(prefix):
            return {name: [record.pk]}
    return {}


def licence_records_make(unit, recorder) -> None:
    """A signed licence with a visit, a meter reading, a breach, and a printed handbook."""
    officer = UserFactory(username="licence-officer", roles=["officer"])
    licence = residents_services.licence_draft_create(
        household=PersonFactory(household__reference="H-LIC").household,
        unit=UnitFactory(
            site=unit.site,
            status="void",
            void_date=date(2025, 1, 1),
            void_reason="other",
            has_electricity_meter=True,
        ),
        start_date=timezone.localdate(),
        by=officer,
    )
    # Drawn 28 days ago (a statement cannot be given before it was drawn).
    with time_machine.travel(timezone.now() - timedelta(days=28), tick=False):
        for document in residents_services.licence_documents_request(licence=licence, by=officer):
            document_render(model="residents.LicenceDocument", pk=document.pk)
    today = timezone.localdate()
    # The written statement 28 days before signing (Mobile Homes Act 1983 s.1).
    residents_services.licence_written_statement_give(
        licence=licence, given_on=today - timedelta(days=28), by=officer
    )
    # A scan kept with the licence (the written consent to a shorter period).
    consent = SimpleUploadedFile("consent.pdf", b"%PDF-1.4 consent")
    consent.detected_content_type = "application/pdf"
    residents_services.licence_short_notice_consent_record(
        licence=licence, consented_on=today, scan=consent, by=officer
    )
    residents_services.licence_sign(
        licence=licence, signed_on=today, witnessed_by=witness(), by=officer
    )

    def photo():
        upload = SimpleUploadedFile("photo.png", PNG)
        upload.detected_content_type = "image/png"
        return upload

    residents_services.meter_reading_record(
        visit=licence.visit,
        meter="electricity",
        serial="E1",
        reading=Decimal("1"),
        read_on=today,
        photo=photo(),
        by=officer,
    )
    residents_services.breach_raise(
        licence=licence,
        category="other",
        observed_on=today,
        description="Seen",
        evidence=photo(),
        by=officer,
    )
    residents_services.unauthorised_occupant_record(
        unit=licence.unit, name="Someone", found_on=today, where_found="visit", by=officer
    )
    residents_services.handbook_section_create(heading="Welcome", body="Hello.", by=recorder)
    residents_services.handbook_section_create(
        site=unit.site, heading="Refuse", body="Tuesdays.", by=recorder
    )
    edition = residents_services.handbook_edition_request(site=unit.site, by=recorder)
    document_render(model="residents.HandbookEdition", pk=edition.pk)
    tenancy_record_make(unit, officer)


def tenancy_record_make(unit, officer) -> None:
    """A live introductory tenancy of a home (for its review page)."""
    tenancy = residents_services.licence_draft_create(
        household=PersonFactory(household__reference="H-TEN").household,
        unit=HomeFactory(
            site=unit.site, status="void", void_date=date(2025, 1, 1), void_reason="other"
        ),
        start_date=timezone.localdate(),
        by=officer,
    )
    for document in residents_services.licence_documents_request(licence=tenancy, by=officer):
        document_render(model="residents.LicenceDocument", pk=document.pk)
    today = timezone.localdate()
    residents_services.licence_sign(
        licence=tenancy,
        signed_on=today,
        witnessed_by=witness(),
        keys_handed_over_on=today,
        by=officer,
    )
    # A letter to its tenants (the review's notice: requested here as the review would).
    letter = letter_request_to(
        kind=Letter.Kind.INTRO_CONFIRMED,
        name="The tenant",
        address=["Flat 1"],
        our_reference=tenancy.reference,
        context={"home": "Flat 1", "tenants": [], "start_date": "", "secure_from": ""},
        tenancy=tenancy,
        by=officer,
    )
    document_render(model="allocations.Letter", pk=letter.pk)
