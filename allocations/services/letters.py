"""Letters: requested with a decision, drawn by the one document worker once it is committed
(config.kernel.documents: request -> config.tasks.document_render -> ready or failed), then
sent by the household's channel (allocations.services.sending)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from allocations.models import Application, Letter, LetterWording
from allocations.selectors.wordings import wording_current, wording_variant
from allocations.services.sending import letter_channel
from config.kernel.documents import document_request


def letter_request(
    *, application: Application, kind: str, context: dict[str, Any], by: AbstractBaseUser
) -> Letter:
    """Record that a letter is due, in the wording in force today and in the household's
    format, to go by its channel; a worker draws it once the decision is committed."""
    try:
        wording = wording_current(kind=kind, variant=wording_variant(context))
    except LetterWording.DoesNotExist:
        wording = None  # drawn with the wording in force when it is drawn
    letter = Letter(
        application=application,
        kind=kind,
        context=context,
        requested_by=by,
        wording=wording,
        channel=letter_channel(application.household),
    )
    document_request(letter, by=by, reason="Letter requested")
    return letter
