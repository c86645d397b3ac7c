"""Licence documents and site handbooks: what each says (frozen when requested) and how it is
drawn. Templates are versioned by the licence terms version: a licence signed under terms
2026-1 is always drawn from templates/residents/pdf/2026-1/, whatever comes later."""

from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from config.kernel.dates import letter_date
from config.pdf import pdf_render
from residents.models import HandbookSection, Licence, LicenceDocument, LicenceOccupant


def licence_template(terms_version: str, kind: str) -> str:
    name = f"residents/pdf/{terms_version}/{kind}.html"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        raise ValueError(
            f"There are no templates for licence terms version {terms_version}"
        ) from None
    return name


def licence_context(licence: Licence) -> dict[str, Any]:
    """Everything the documents say, as plain JSON, so a retry draws exactly the same."""
    named = licence.occupants.select_related("person").filter(to_date__isnull=True)
    holders = [str(n.person) for n in named if n.role == LicenceOccupant.Role.HOLDER]
    occupants = [str(n.person) for n in named if n.role == LicenceOccupant.Role.OCCUPANT]
    unit, site = licence.unit, licence.unit.site
    return {
        "licence_reference": licence.reference,
        "household_reference": licence.household.reference,
        "holders": holders,
        "occupants": occupants,
        "unit": unit.reference,
        "site_name": site.name,
        "site_address": [
            line
            for line in (site.address_line_1, site.address_line_2, site.town, site.postcode)
            if line
        ],
        "start_date": letter_date(licence.start_date),
        "end_date": letter_date(licence.end_date) if licence.end_date else "",
        "transit": licence.is_transit,
        "weekly_fee": f"{licence.weekly_fee:.2f}" if licence.weekly_fee is not None else "",
        "deposit": f"{licence.deposit:.2f}",
        "terms_version": licence.terms_version,
        "max_caravans": unit.max_caravans,
        "meters": [
            label
            for label, present in (
                ("electricity", unit.has_electricity_meter),
                ("water", unit.has_water_meter),
                ("gas", unit.has_gas_meter),
            )
            if present
        ],
        "has_amenity_block": unit.has_amenity_block,
        # Communication needs: a licence that cannot be read is not understood.
        "large_print": licence.household.large_print,
        "interpreter_needed": licence.household.interpreter_needed,
        "interpreter_language": licence.household.interpreter_language,
        "date": letter_date(timezone.localdate()),
        **(tenancy_context(licence) if licence.is_tenancy else {}),
    }


def tenancy_context(tenancy: Licence) -> dict[str, Any]:
    """What a tenancy agreement says beyond a licence: its kind, rent and service charges, the
    home, and the introductory period (or fixed term)."""
    unit = tenancy.unit
    return {
        "tenancy": True,
        "kind": tenancy.kind,
        "kind_label": tenancy.get_kind_display(),
        "introductory": tenancy.kind == Licence.Kind.INTRODUCTORY,
        "fixed_term": tenancy.kind == Licence.Kind.FIXED_TERM,
        "introductory_ends_on": (
            letter_date(tenancy.introductory_ends_on) if tenancy.introductory_ends_on else ""
        ),
        "weekly_rent": f"{tenancy.weekly_rent:.2f}",
        "service_charge": f"{tenancy.service_charge:.2f}",
        "weekly_total": f"{tenancy.weekly_rent + tenancy.service_charge:.2f}",
        "bedrooms": unit.bedrooms,
        "easy_read": tenancy.household.easy_read,
    }


def licence_document_pdf(document: LicenceDocument) -> bytes:
    return pdf_render(
        licence_template(document.template_version, document.kind),
        {**document.context, "council_name": settings.COUNCIL_NAME},
    )


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def handbook_context(site) -> dict[str, Any]:
    sections = HandbookSection.objects.filter(site__isnull=True) | HandbookSection.objects.filter(
        site=site
    )
    ordered = sorted(sections, key=lambda s: (s.site_id is not None, s.position, s.pk))
    return {
        "site_name": site.name,
        "site_address": [
            line
            for line in (site.address_line_1, site.address_line_2, site.town, site.postcode)
            if line
        ],
        "sections": [
            {
                "heading": section.heading,
                "topic": section.get_topic_display(),
                "common": section.site_id is None,
                "paragraphs": _paragraphs(section.body),
            }
            for section in ordered
        ],
        "date": letter_date(timezone.localdate()),
    }


def handbook_pdf(context: dict[str, Any]) -> bytes:
    return pdf_render(
        "residents/pdf/handbook.html", {**context, "council_name": settings.COUNCIL_NAME}
    )
