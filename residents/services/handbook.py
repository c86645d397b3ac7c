"""The site handbook: its sections, and printed editions drawn to PDF."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from config.kernel.documents import document_request
from config.kernel.records import reason_required, save
from residents.models import (
    HandbookEdition,
    HandbookSection,
)
from residents.services.common import fields_check
from sites.models import Site

HANDBOOK_FIELDS = {"site", "topic", "heading", "body", "position"}


@transaction.atomic
def handbook_section_create(*, by: AbstractBaseUser, **fields: Any) -> HandbookSection:
    fields_check(fields, HANDBOOK_FIELDS)
    section = HandbookSection(**fields)
    save(section, by=by, reason="Handbook section added")
    return section


@transaction.atomic
def handbook_section_update(
    *, section: HandbookSection, by: AbstractBaseUser, reason: str, **fields: Any
) -> HandbookSection:
    fields_check(fields, HANDBOOK_FIELDS - {"site"})
    reason = reason_required(reason)
    section = HandbookSection.objects.select_for_update().get(pk=section.pk)
    for name, value in fields.items():
        setattr(section, name, value)
    save(section, by=by, reason=reason)
    return section


@transaction.atomic
def handbook_edition_request(*, site, by: AbstractBaseUser) -> HandbookEdition:
    """Print the site's handbook (common part and site part) as the next numbered edition."""
    from residents import documents

    # The site's row is the lock, so two prints at once are numbered one after the other: a
    # site's first edition has no edition row to lock, and a read waiting on a locked edition
    # would not see the one the other print had just added (both would take the same number).
    Site.objects.select_for_update().get(pk=site.pk)
    last = (
        HandbookEdition.objects.filter(site=site)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    context = documents.handbook_context(site)
    if not context["sections"]:
        raise ValidationError("The handbook has no sections yet: add some first.")
    if not any(not section["common"] for section in context["sections"]):
        # An edition for a site without the site's own part would be empty where it matters.
        raise ValidationError(
            f"The {site} handbook has no part of its own yet: add the site's sections first."
        )
    edition = HandbookEdition(site=site, number=(last or 0) + 1, context=context, requested_by=by)
    document_request(edition, by=by, reason="Handbook printed")
    return edition
