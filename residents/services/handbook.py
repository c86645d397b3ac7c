"""The site handbook: its sections, and printed editions drawn to PDF."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from config.history import system_user
from residents.models import (
    HandbookEdition,
    HandbookSection,
)
from residents.services.common import fields_check, history_save, reason_required

HANDBOOK_FIELDS = {"site", "topic", "heading", "body", "position"}


@transaction.atomic
def handbook_section_create(*, by: AbstractBaseUser, **fields: Any) -> HandbookSection:
    fields_check(fields, HANDBOOK_FIELDS)
    section = HandbookSection(**fields)
    history_save(section, by=by, reason="Handbook section added")
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
    history_save(section, by=by, reason=reason)
    return section


@transaction.atomic
def handbook_edition_request(*, site, by: AbstractBaseUser) -> HandbookEdition:
    """Print the site's handbook (common part and site part) as the next numbered edition."""
    from residents import documents
    from residents.tasks import handbook_render

    # Lock the site's editions so two requests at once get different numbers.
    last = (
        HandbookEdition.objects.select_for_update()
        .filter(site=site)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    context = documents.handbook_context(site)
    if not context["sections"]:
        raise ValidationError("The handbook has no sections yet: add some first.")
    edition = HandbookEdition(site=site, number=(last or 0) + 1, context=context, requested_by=by)
    history_save(edition, by=by, reason="Handbook printed")
    transaction.on_commit(lambda: handbook_render.delay(edition_id=edition.pk))
    return edition


def handbook_edition_render(*, edition_id: int) -> str:
    from residents import documents

    edition = HandbookEdition.objects.get(pk=edition_id)
    if edition.status == HandbookEdition.Status.READY:
        return "already ready"
    pdf = documents.handbook_pdf(edition.context)
    with transaction.atomic():
        edition = HandbookEdition.objects.select_for_update().get(pk=edition_id)
        if edition.status == HandbookEdition.Status.READY:
            return "already ready"
        edition.file.save(
            f"handbook-{edition.site_id}-{edition.number}.pdf", ContentFile(pdf), save=False
        )
        edition.status = HandbookEdition.Status.READY
        edition.ready_at = timezone.now()
        edition.failure = ""
        history_save(edition, by=system_user(), reason="Handbook drawn")
    return "ready"


@transaction.atomic
def handbook_edition_failed(*, edition_id: int, failure: str) -> None:
    edition = HandbookEdition.objects.select_for_update().get(pk=edition_id)
    if edition.status == HandbookEdition.Status.READY:
        return
    edition.status = HandbookEdition.Status.FAILED
    edition.failure = failure[:1000]
    history_save(edition, by=system_user(), reason="Handbook could not be drawn")
