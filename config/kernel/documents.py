"""The rendered-document lifecycle: requested -> drawn to PDF by a Celery task -> ready, or
failed after the task's retries. Letters, licence documents, handbook editions and every new
document kind share it.

What a document says is frozen when it is requested (`context`, plain JSON), so a retry draws
exactly the same PDF. The PDF is drawn outside any transaction (it can take seconds); then the
row is locked and the file and status are written together, so a crash leaves the document
requested, never half written, and a ready document is never drawn again.

A kind of document subclasses `RenderedDocument`, declares its own `context` and `file`
(`PrivateFileField`) fields, and says how it is drawn:

    class Letter(RenderedDocument):
        document_name = "Letter"
        context = models.JSONField("what the letter says")
        file = PrivateFileField("PDF", upload_to="letters/%Y/%m/", blank=True)

        def document_pdf(self) -> bytes: ...
        def document_filename(self) -> str: ...

and is requested with `document_request(letter, by=user, reason="Letter requested")`.
"""

from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from config.kernel.files import private_file_response
from config.kernel.records import history_stamp, save

FAILURE_MAX_LENGTH = 1000


class RenderedDocument(models.Model):
    """A document drawn to PDF in the background (abstract)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField("ready at", null=True, blank=True)
    failure = models.TextField("why it could not be prepared", blank=True)

    # Said in the history: "<document_name> drawn", "<document_name> could not be drawn".
    document_name: ClassVar[str] = "Document"

    class Meta:
        abstract = True

    # -- what each kind says for itself --------------------------------------------------

    def document_pdf(self) -> bytes:
        """Draw the PDF from what was frozen (`self.context`); no database writes."""
        raise NotImplementedError

    def document_filename(self) -> str:
        return f"{self._meta.model_name}-{self.pk}.pdf"

    def document_ready(self, pdf: bytes) -> None:
        """Called under the row lock just before the ready document is saved (a checksum...)."""

    # -- for pages -------------------------------------------------------------------------

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


def document_model(label: str) -> type[RenderedDocument]:
    model = apps.get_model(label)
    if not issubclass(model, RenderedDocument):
        raise ValueError(f"{label} is not a rendered document")
    return model


def document_request(
    document: RenderedDocument, *, by: AbstractBaseUser, reason: str
) -> RenderedDocument:
    """Record that a document is due, and have a worker draw it once this transaction commits
    (an outbox job in the same transaction: never lost if Redis or the worker is)."""
    from config.kernel import outbox
    from config.tasks import document_render as document_render_task

    # The records a document points to are the ones its service holds (the person asking, the
    # record it is about): Django asking the database whether each exists, and whether the
    # number the service has just worked out under a lock is free, is work the database's own
    # keys and constraints do anyway, on the request a person waits for.
    relations = [field.name for field in document._meta.concrete_fields if field.is_relation]
    save(document, by=by, reason=reason, exclude=relations)
    outbox.enqueue(
        document_render_task,
        what=f"the {document.document_name.lower()} PDF will be ready",
        model=document._meta.label,
        pk=document.pk,
    )
    return document


def document_render(*, model: str, pk: Any) -> str:
    """Draw a requested document and mark it ready, in one step; a second run finds it ready."""
    from config.history import system_user

    document_class = document_model(model)
    document = document_class._default_manager.get(pk=pk)
    if document.status == RenderedDocument.Status.READY:
        return "already ready"
    pdf = document.document_pdf()
    with transaction.atomic():
        document = document_class._default_manager.select_for_update().get(pk=pk)
        if document.status == RenderedDocument.Status.READY:
            return "already ready"
        document.file.save(document.document_filename(), ContentFile(pdf), save=False)  # type: ignore[attr-defined]
        document.document_ready(pdf)
        document.status = RenderedDocument.Status.READY
        document.ready_at = timezone.now()
        document.failure = ""
        history_stamp(document, by=system_user(), reason=f"{document.document_name} drawn")
        document.save()
    return "ready"


@transaction.atomic
def document_failed(*, model: str, pk: Any, failure: str) -> None:
    """Out of retries: say so on the record's page rather than wait for ever."""
    from config.history import system_user

    document = document_model(model)._default_manager.select_for_update().get(pk=pk)
    if document.status == RenderedDocument.Status.READY:
        return
    document.status = RenderedDocument.Status.FAILED
    document.failure = failure[:FAILURE_MAX_LENGTH]
    history_stamp(document, by=system_user(), reason=f"{document.document_name} could not be drawn")
    document.save()


def document_response(
    request: HttpRequest, document: RenderedDocument, *, filename: str, back: Any
) -> HttpResponseBase:
    """The drawn PDF as a download; while it is still being drawn, back to `back` saying so."""
    if not document.is_ready:
        messages.info(request, f"That {document.document_name.lower()} is still being prepared.")
        return redirect(back)
    return private_file_response(
        document.file,  # type: ignore[attr-defined]
        filename=filename,
        content_type="application/pdf",
    )
