"""Letters: requested with a decision, drawn by a worker once it is committed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.models import (
    Application,
    Letter,
)
from allocations.services.common import save
from config.history import system_user


def letter_request(
    *, application: Application, kind: str, context: dict[str, Any], by: AbstractBaseUser
) -> Letter:
    """Record that a letter is due and have a worker draw it once the decision is committed."""
    from allocations.tasks import letter_render as letter_render_task

    letter = Letter(application=application, kind=kind, context=context, requested_by=by)
    save(letter, by=by, reason="Letter requested")
    transaction.on_commit(lambda: letter_render_task.delay(letter_id=letter.pk))
    return letter


def letter_render(*, letter_id: int) -> str:
    """Draw a letter's PDF and mark it ready, in one step; a second run finds it ready.

    The PDF is drawn outside any transaction (it can take seconds), then the row is locked and
    the file and status written together, so a crash leaves the letter requested, never half
    written, and a retry draws it again.
    """
    letter = Letter.objects.get(pk=letter_id)
    if letter.status == Letter.Status.READY:
        return "already ready"
    pdf = documents.letter_pdf(letter)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status == Letter.Status.READY:
            return "already ready"
        letter.file.save(f"letter-{letter.pk}.pdf", ContentFile(pdf), save=False)
        letter.status = Letter.Status.READY
        letter.ready_at = timezone.now()
        letter.failure = ""
        letter._history_user = system_user()
        letter._change_reason = "Letter drawn"
        letter.save()
    return "ready"


@transaction.atomic
def letter_failed(*, letter_id: int, failure: str) -> None:
    letter = Letter.objects.select_for_update().get(pk=letter_id)
    if letter.status == Letter.Status.READY:
        return
    letter.status = Letter.Status.FAILED
    letter.failure = failure[:1000]
    letter._history_user = system_user()
    letter._change_reason = "Letter could not be drawn"
    letter.save()
