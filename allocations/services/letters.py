"""Letters: requested with a decision, drawn by the one document worker once it is committed
(config.kernel.documents: request -> config.tasks.document_render -> ready or failed), then
sent by the household's channel (allocations.services.sending)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from allocations.models import Application, Letter, LetterWording
from allocations.selectors.wordings import wording_current, wording_variant
from allocations.services.sending import letter_channel
from config.kernel.dates import letter_date
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


def addressee_channel(address: list[str]) -> str:
    """A seller, a buyer or a tenant gets the letter by post at their address; with none on
    record, the officer hands it over (and records to whom)."""
    return Letter.Channel.POST if address else Letter.Channel.BY_HAND


def letter_request_to(
    *,
    kind: str,
    name: str,
    address: list[str],
    our_reference: str,
    context: dict[str, Any],
    by: AbstractBaseUser,
    resale_case=None,
    tenancy=None,
    easy_read: bool = False,
    large_print: bool = False,
    interpreter_language: str = "",
) -> Letter:
    """A letter to someone who is not an applicant (a seller or buyer of a low-cost home, the
    tenants of a home): addressed by the name and address frozen into it, about one resale
    case or one tenancy, in the council's wording, drawn by the worker once committed."""
    frozen = {
        "lead_name": name,
        "address": [line for line in address if line],
        "our_reference": our_reference,
        "date": letter_date(timezone.localdate()),
        "easy_read": easy_read,
        "large_print": large_print,
        "interpreter_needed": bool(interpreter_language),
        "interpreter_language": interpreter_language,
        **context,
    }
    try:
        wording = wording_current(kind=kind, variant=wording_variant(frozen))
    except LetterWording.DoesNotExist:
        wording = None
    letter = Letter(
        resale_case=resale_case,
        tenancy=tenancy,
        kind=kind,
        context=frozen,
        requested_by=by,
        wording=wording,
        channel=addressee_channel(frozen["address"]),
    )
    document_request(letter, by=by, reason=f"Letter to {name} requested")
    return letter
