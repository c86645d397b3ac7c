"""Letters: requested with a decision, drawn by the one document worker once it is committed
(config.kernel.documents: request -> config.tasks.document_render -> ready or failed)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from allocations.models import Application, Letter
from config.kernel.documents import document_request


def letter_request(
    *, application: Application, kind: str, context: dict[str, Any], by: AbstractBaseUser
) -> Letter:
    """Record that a letter is due and have a worker draw it once the decision is committed."""
    letter = Letter(application=application, kind=kind, context=context, requested_by=by)
    document_request(letter, by=by, reason="Letter requested")
    return letter
