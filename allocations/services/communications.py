"""The document inbox (upload in batches, file to an application, forward, move with a
reason) and contacts recorded by officers; the letters are recorded where they are requested."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import Application, Contact, InboxDocument
from allocations.selectors.applications import application_named
from allocations.services.reminders import work_add
from config.kernel.dates import page_date, page_datetime
from config.kernel.records import reason_required, save
from config.roles import OFFICER
from projects.models import WorkItem
from projects.work import source_key, work_item_complete_for_source
from residents.models import Household

UNFILED_DAYS_DEFAULT = 2


def unfiled_days() -> int:
    """Days a scan may wait unfiled before it shows in the team's queue."""
    return getattr(settings, "INBOX_UNFILED_DAYS", UNFILED_DAYS_DEFAULT)


@transaction.atomic
def inbox_upload(*, uploads: list, by: AbstractBaseUser) -> list[InboxDocument]:
    """A batch of scans, each already checked by content (config.forms.DocumentField)."""
    if not uploads:
        raise ValidationError({"files": "Choose one or more files"})
    documents = []
    for upload in uploads:
        document = InboxDocument(description=upload.name[:200], uploaded_by=by)
        document.keep(upload)
        save(document, by=by, reason="Scanned post uploaded to the inbox")
        documents.append(document)
    return documents


def _work_keys(document: InboxDocument) -> list[str]:
    key = source_key("inbox_document", document.pk)
    forwarded = WorkItem.objects.filter(source_key__startswith=key + ":")
    return [key, *forwarded.values_list("source_key", flat=True)]


@transaction.atomic
def inbox_file(
    *,
    document: InboxDocument,
    application: Application,
    kind: str,
    by: AbstractBaseUser,
    reason: str = "",
    seen_unfiled: bool = False,
) -> InboxDocument:
    """File a scan to a household's application with its type; a filed scan moves only with
    a reason (it was filed to the wrong household), kept in its history.

    `seen_unfiled`: the officer was filing a scan they saw unfiled. If a colleague filed it
    since (two officers on the inbox, or the form sent twice), it is refused saying who filed
    it where, not taken as a move that wants a reason."""
    document = InboxDocument.objects.select_for_update().get(pk=document.pk)
    moving = document.status == InboxDocument.Status.FILED
    if moving and seen_unfiled:
        raise ValidationError(inbox_filed_since(document))
    if kind not in dict(InboxDocument._meta.get_field("kind").choices):
        raise ValidationError({"kind": "Select the type of document"})
    if moving:
        reason = reason_required(reason)
        if document.application_id == application.pk and document.kind == kind:
            raise ValidationError("The document is already filed there.")
        words = f"Moved from {document.application.reference} to {application.reference}: {reason}"
    else:
        words = f"Filed to {application.reference} ({application.household.reference})"
    document.status = InboxDocument.Status.FILED
    document.household = application.household
    document.application = application
    document.kind = kind
    document.filed_by = by
    document.filed_at = timezone.now()
    save(document, by=by, reason=words)
    for key in _work_keys(document):
        work_item_complete_for_source(key, by=by)
    return document


def inbox_filed_since(document: InboxDocument) -> str:
    """Why a scan seen unfiled was not filed: who filed it, where and when."""
    filer = document.filed_by
    who = (filer.get_full_name() or str(filer)) if filer else "A colleague"
    return (
        f"{who} filed it to {application_named(document.application)} at "
        f"{page_datetime(document.filed_at)}, so it was not filed again. If it belongs "
        f"elsewhere, move it below and say why."
    )


@transaction.atomic
def inbox_forward(
    *, document: InboxDocument, to: AbstractBaseUser, note: str, by: AbstractBaseUser
) -> InboxDocument:
    """Pass a scan to a colleague to file (it goes in their queue)."""
    document = InboxDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != InboxDocument.Status.UNFILED:
        raise ValidationError("The document is already filed; move it instead.")
    if not note.strip():
        raise ValidationError({"note": "Say why you are forwarding it"})
    document.forwarded_to = to
    document.forward_note = note.strip()
    save(document, by=by, reason=f"Forwarded to {to.get_full_name() or to}: {note.strip()}")
    work_add(
        key=source_key("inbox_document", document.pk, "to", to.pk),
        kind="inbox_document",
        title=f"File the scan {document.original_name}"[:200],
        due=timezone.localdate() + timedelta(days=1),
        about=document,
        by=by,
        assignee=to,
    )
    return document


def inbox_unfiled_raise(*, today: date, by: AbstractBaseUser) -> int:
    """Scans unfiled for longer than the setting go in the officers' (the team's) queue."""
    cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=unfiled_days()), datetime.min.time())
    )
    raised = 0
    for document in InboxDocument.objects.filter(
        status=InboxDocument.Status.UNFILED, uploaded_at__lt=cutoff
    ):
        work_add(
            key=source_key("inbox_document", document.pk),
            kind="inbox_document",
            title=f"Scan unfiled since {page_date(document.uploaded_at)}: {document.original_name}"[
                :200
            ],
            due=today,
            about=document,
            by=by,
            role=OFFICER.name,
        )
        raised += 1
    return raised


@transaction.atomic
def contact_record(
    *,
    household: Household,
    channel: str,
    direction: str,
    occurred_at: datetime,
    summary: str,
    by: AbstractBaseUser,
    application: Application | None = None,
) -> Contact:
    """A call, visit or other contact, on the household's communications log."""
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "The contact cannot be in the future"})
    if not summary.strip():
        raise ValidationError({"summary": "Say what was said or done"})
    if application is not None and application.household_id != household.pk:
        raise ValidationError({"application": "Choose one of this household's applications"})
    contact = Contact(
        household=household,
        application=application,
        channel=channel,
        direction=direction,
        occurred_at=occurred_at,
        summary=summary.strip(),
        recorded_by=by,
    )
    contact.full_clean()
    save(contact, by=by, reason="Contact recorded")
    return contact
