"""The council's wording of letters and their emails, in versions an administrator adds.

A version is checked as a whole before it is kept (every problem at once, each merge field
that the letter does not have named), and never changed afterwards: a letter keeps the version
it was requested with, so what a household was sent can always be drawn again."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.models import Letter, LetterWording
from allocations.rules.wording import demo_context, wording_problems, wording_render
from config.kernel.records import reason_required, save


def wording_check(*, kind: str, subject: str, body: str, email_text: str) -> dict[str, list[str]]:
    """Problems with each part of a wording, by field name (empty when it may be kept)."""
    problems: dict[str, list[str]] = {}
    if kind not in Letter.Kind.values:
        problems["kind"] = ["Choose a letter"]
        return problems
    for field, text, html in (
        ("subject", subject, False),
        ("body", body, True),
        ("email_text", email_text, False),
    ):
        found = [] if text.strip() else ["Enter the words"]
        found += wording_problems(kind, text, html=html) if text.strip() else []
        if found:
            problems[field] = found
    return problems


def wording_preview(
    *, kind: str, variant: str, subject: str, body: str, email_text: str
) -> dict[str, Any]:
    """The letter and its email as the demo household would get them."""
    context = {
        **demo_context(kind),
        "easy_read": variant == LetterWording.Variant.EASY_READ,
        "large_print": variant == LetterWording.Variant.LARGE_PRINT,
    }
    draft = LetterWording(kind=kind, variant=variant, subject=subject, body=body)
    page = documents.wording_page_context(draft, {**context, "council_name": "Northshire"})
    return {
        "title": page["title"],
        "letter_html": page["wording_html"],
        "email_text": wording_render(email_text, context, html=False).strip(),
        "household": context["lead_name"],
    }


@transaction.atomic
def wording_add(
    *,
    kind: str,
    variant: str,
    subject: str,
    body: str,
    email_text: str,
    effective_from: date,
    reason: str,
    by: AbstractBaseUser,
) -> LetterWording:
    """Keep a new version of a letter's wording, used from `effective_from` (not before today:
    letters already sent keep theirs)."""
    problems: dict[str, list[str]] = wording_check(
        kind=kind, subject=subject, body=body, email_text=email_text
    )
    if variant not in LetterWording.Variant.values:
        problems["variant"] = ["Choose a format"]
    if effective_from < timezone.localdate():
        problems["effective_from"] = ["The date it is used from cannot be in the past"]
    try:
        reason = reason_required(reason)
    except ValidationError as error:
        problems.update(error.message_dict)
    if problems:
        raise ValidationError(problems)
    # One version at a time per letter and format: the lock keeps two administrators saving
    # together from taking the same number.
    versions = list(
        LetterWording.objects.select_for_update()
        .filter(kind=kind, variant=variant)
        .values_list("version", flat=True)
    )
    wording = LetterWording(
        kind=kind,
        variant=variant,
        version=max(versions, default=0) + 1,
        subject=subject.strip(),
        body=body.strip(),
        email_text=email_text.strip(),
        effective_from=effective_from,
        reason=reason,
        created_by=by,
    )
    save(wording, by=by, reason=f"Wording version {wording.version}: {reason}")
    return wording
