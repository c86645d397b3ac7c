"""Reads for letters' wording (which version a letter uses) and for sending (the post room)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from allocations.models import Letter, LetterWording


def wording_variant(context: dict[str, Any]) -> str:
    """The format a household's letters are written in: easy read first (it changes the
    words), then large print; large print with easy read is set large by the letter's style."""
    if context.get("easy_read"):
        return LetterWording.Variant.EASY_READ
    if context.get("large_print"):
        return LetterWording.Variant.LARGE_PRINT
    return LetterWording.Variant.STANDARD


def wording_current(*, kind: str, variant: str, on: date | None = None) -> LetterWording:
    """The version in force on `on` (today): the highest version already in use by then.
    Falls back to the standard wording when a format has none of its own."""
    on = on or timezone.localdate()
    versions = LetterWording.objects.filter(kind=kind, effective_from__lte=on)
    wording = versions.filter(variant=variant).order_by("-version").first()
    if wording is None:
        wording = (
            versions.filter(variant=LetterWording.Variant.STANDARD).order_by("-version").first()
        )
    if wording is None:
        raise LetterWording.DoesNotExist(f"No wording in force for {kind} letters")
    return wording


def wording_versions(*, kind: str, variant: str) -> QuerySet:
    return (
        LetterWording.objects.filter(kind=kind, variant=variant)
        .select_related("created_by")
        .order_by("-version")
    )


@dataclass(frozen=True)
class WordingRow:
    kind: str
    kind_label: str
    variant: str
    variant_label: str
    in_force: LetterWording | None
    latest: LetterWording | None


def wording_table(*, on: date | None = None) -> list[WordingRow]:
    """Every letter in every format, with the version in force and the latest (a version
    may be waiting for its date). Two queries whatever the number of versions."""
    on = on or timezone.localdate()
    by_key: dict[tuple[str, str], list[LetterWording]] = {}
    for wording in LetterWording.objects.order_by("-version"):
        by_key.setdefault((wording.kind, wording.variant), []).append(wording)
    rows = []
    for kind, kind_label in Letter.Kind.choices:
        for variant, variant_label in LetterWording.Variant.choices:
            versions = by_key.get((kind, variant), [])
            in_force = next((w for w in versions if w.effective_from <= on), None)
            rows.append(
                WordingRow(
                    kind=kind,
                    kind_label=kind_label,
                    variant=variant,
                    variant_label=variant_label,
                    in_force=in_force,
                    latest=versions[0] if versions else None,
                )
            )
    return rows


def post_room_letters() -> QuerySet:
    """Letters drawn and waiting to be printed and posted, oldest first."""
    return (
        Letter.objects.filter(delivery=Letter.Delivery.IN_POST_ROOM)
        .select_related("application__household", "wording", "resale_case", "tenancy")
        .order_by("ready_at", "pk")
    )


def posted_letters_recent(*, limit: int = 50) -> QuerySet:
    return (
        Letter.objects.filter(delivery=Letter.Delivery.POSTED)
        .select_related("application__household", "posted_by", "resale_case", "tenancy")
        .order_by("-sent_at", "-pk")[:limit]
    )
