"""The subject access export: a zip of everything held on a person (privacy/registry.py).

    cover-letter.html            the letter to the person: what is enclosed, what is withheld
    records/<record type>.csv    one row per record, one column per field, in plain words
    history/<record type>.csv    every version of those records: when, who, why, and the values
    files/<record type>-<id>-<file name>   each document, letter and photo held
    withheld.csv                 each item withheld, and the reason

The person's own rows and their household's are given; another member's own rows (their
person record, their special-category showings) are withheld as third-party data, each
counted in withheld.csv; so are the exemptions the officer recorded on the request.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone

from allocations.privacy.models import SubjectAccessRequest
from allocations.privacy.registry import ABOUT_HOLDINGS, HOLDINGS, PURCHASER_HOLDINGS, Holding
from config.kernel.dates import page_date, page_datetime
from config.kernel.exports import cell_safe

MAY_CONCERN_ANOTHER = "Withheld: may concern another member — review before release"
MAY_CONCERN_ANOTHER_WHY = (
    "Special-category data (health, pregnancy, criminal-record answers…) on a record about the "
    "whole household: it may be about another member (third-party data, DPA 2018 Sch. 2 "
    "para 16), so it is marked withheld until an officer has reviewed it"
)
THIRD_PARTY_MEMBER = (
    "Personal data about another member of the household (third-party data, DPA 2018 Sch. 2 "
    "para 16): they may ask for their own."
)


@dataclass
class Section:
    """One record type in the export."""

    holding: Holding
    title: str
    rows: list[models.Model] = field(default_factory=list)
    history: list[models.Model] = field(default_factory=list)
    withheld: int = 0
    withheld_pks: list[int] = field(default_factory=list)
    # Special-category fields whose values are given as MAY_CONCERN_ANOTHER: those of a
    # record about the whole household, when the household has more than one member.
    masked: frozenset[str] = frozenset()
    masked_rows: int = 0


def _file_withheld(section: Section, row: models.Model) -> bool:
    """A special-category document (a medical letter, a pregnancy certificate) on a record
    about the whole household of more than one member: it may be about another member, so it
    is withheld for review with the fields."""
    kinds = getattr(type(row), "SPECIAL_CATEGORY_KINDS", None)
    return bool(section.masked) and kinds is not None and getattr(row, "kind", None) in kinds


def _value(obj: models.Model, model_field: models.Field) -> str:
    value = getattr(obj, model_field.attname)
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        try:
            related = getattr(obj, model_field.name, None)
        except ObjectDoesNotExist:  # a history row's link to a record since deleted
            return f"#{value} (deleted)"
        if related is not None and hasattr(related, "get_full_name"):
            return related.get_full_name() or "(no name)"
        return str(related) if related is not None else ""
    if isinstance(value, FieldFile):
        return PurePosixPath(value.name).name if value.name else ""
    if isinstance(model_field, models.DateTimeField):
        return page_datetime(value)
    if isinstance(model_field, models.DateField):
        return page_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _fields(model: type[models.Model]) -> list[models.Field]:
    # A generated column (a person's names folded for search) repeats what the export holds.
    return [
        f
        for f in model._meta.concrete_fields
        if not f.name.startswith("_") and not isinstance(f, models.GeneratedField)
    ]


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    history = getattr(model, "history", None)
    return getattr(history, "model", None) if history is not None else None


def sections_for(person) -> list[Section]:
    """Every record type held on the person and their household, with the rows given and
    the number withheld."""
    sections = []
    members = type(person)._default_manager.filter(household_id=person.household_id).count()
    for holding in HOLDINGS:
        model = holding.model_class
        rows = list(holding.for_households([person.household_id]))
        section = Section(holding=holding, title=str(model._meta.verbose_name_plural).capitalize())
        if members > 1 and not holding.person:
            section.masked = frozenset(getattr(model, "SPECIAL_CATEGORY_FIELDS", ()))
        for row in rows:
            someone_else = holding.person and _person_of(row, holding.person) != person.pk
            if holding.third_party or someone_else:
                section.withheld += 1
                section.withheld_pks.append(row.pk)
            else:
                section.rows.append(row)
        masked = [f for f in _fields(model) if f.name in section.masked]
        section.masked_rows = sum(
            any(_given(section, row, f) == MAY_CONCERN_ANOTHER for f in masked)
            for row in section.rows
        )
        history_model = _history_model(model)
        if history_model is not None and section.rows:
            section.history = list(
                history_model.objects.filter(id__in=[row.pk for row in section.rows])
                .select_related("history_user")
                .order_by("id", "history_date", "history_id")
            )
        if section.rows or section.withheld:
            sections.append(section)
    return sections + about_sections(sections)


def about_sections(sections: list[Section]) -> list[Section]:
    """The rows about the sections' records through a generic relation (ABOUT_HOLDINGS: the
    work items about an application, an offer, a letter…, with their notes) and what hangs
    from them (attachments, reminders): given with the records they are about, withheld with
    those withheld."""
    found = []
    for about in ABOUT_HOLDINGS:
        holding = Holding(about.model, ())
        section = Section(holding=holding, title=str(about.model_class._meta.verbose_name_plural))
        section.title = f"{section.title.capitalize()} about these records"
        given: dict[int, models.Model] = {}
        withheld: set[int] = set()
        for other in sections:
            model = other.holding.model_class
            given |= {row.pk: row for row in about.about(model, [r.pk for r in other.rows])}
            withheld |= set(about.about(model, other.withheld_pks).values_list("pk", flat=True))
        section.rows = [given[pk] for pk in sorted(given)]
        section.withheld, section.withheld_pks = len(withheld), sorted(withheld)
        found.append(_with_history(section))
        for label, lookup in about.dependents:
            dependent = Section(holding=Holding(label, ()), title="")
            model = dependent.holding.model_class
            dependent.title = f"{str(model._meta.verbose_name_plural).capitalize()} of those"
            manager = model._default_manager
            dependent.rows = list(manager.filter(**{f"{lookup}__in": list(given)}).order_by("pk"))
            dependent.withheld_pks = list(
                manager.filter(**{f"{lookup}__in": list(withheld)}).values_list("pk", flat=True)
            )
            dependent.withheld = len(dependent.withheld_pks)
            found.append(_with_history(dependent))
    return [section for section in found if section.rows or section.withheld]


STEPS = Holding("allocations.ResaleStep", ())


def purchaser_steps(name: str) -> models.QuerySet:
    """A resale's steps that name the purchaser: who was told, or what they were told."""
    from allocations.models import ResaleStep

    return ResaleStep.objects.filter(
        models.Q(sent_to__icontains=name) | models.Q(communication__icontains=name)
    ).order_by("pk")


LETTERS = Holding("allocations.Letter", ())


def purchaser_letters(purchaser_ids: list[int], *, naming: bool = False) -> models.QuerySet:
    """The letters about resales sent to these purchasers (each letter names its addressee);
    `naming`: also the letters to sellers that name them as the nominated buyer."""
    from allocations.models import Letter

    return Letter.objects.filter(purchaser_letters_q(purchaser_ids, naming=naming)).order_by("pk")


def purchaser_letters_q(purchaser_ids: list[int], *, naming: bool = False) -> models.Q:
    found = models.Q(context__purchaser_id__in=purchaser_ids)
    if naming:
        found |= models.Q(context__names_purchaser_id__in=purchaser_ids)
    return models.Q(resale_case__isnull=False) & found


def _with_history(section: Section) -> Section:
    history_model = _history_model(section.holding.model_class)
    if history_model is not None and section.rows:
        section.history = list(
            history_model.objects.filter(id__in=[row.pk for row in section.rows])
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
    return section


def sections_for_purchaser(purchaser) -> list[Section]:
    """Everything held on a low-cost home ownership purchaser: their register entry, their
    nominations to resales, the resale steps that name them, their requests; each with its
    history."""
    sections = []
    for holding in PURCHASER_HOLDINGS:
        model = holding.model_class
        section = Section(holding=holding, title=str(model._meta.verbose_name_plural).capitalize())
        section.rows = list(holding.for_purchasers([purchaser.pk]))
        if section.rows:
            sections.append(_with_history(section))
    steps = Section(holding=STEPS, title="Resale steps naming you")
    steps.rows = list(purchaser_steps(purchaser.name))
    if steps.rows:
        sections.append(_with_history(steps))
    letters = Section(holding=LETTERS, title="Letters to you")
    letters.rows = list(purchaser_letters([purchaser.pk]))
    if letters.rows:
        sections.append(_with_history(letters))
    return sections + about_sections(sections)


def sections_of(request: SubjectAccessRequest) -> list[Section]:
    """The sections of the request's subject: a person's, or a purchaser's."""
    if request.purchaser_id:
        return sections_for_purchaser(request.purchaser)
    return sections_for(request.person)


def _person_of(row: models.Model, lookup: str) -> int | None:
    if lookup == "pk":
        return row.pk
    value: object = row
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value.pk if isinstance(value, models.Model) else None  # type: ignore[return-value]


def _csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_safe(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def _given(section: Section, obj: models.Model, model_field: models.Field) -> str:
    """The field's value as given in the export: a masked special-category field's marked."""
    value = _value(obj, model_field)
    if model_field.name in section.masked and value and value not in ("[]", "{}", "No"):
        return MAY_CONCERN_ANOTHER
    return value


def _record_csv(section: Section) -> bytes:
    fields = _fields(section.holding.model_class)
    return _csv(
        [str(f.verbose_name) for f in fields],
        ([_given(section, row, f) for f in fields] for row in section.rows),
    )


def _history_csv(section: Section) -> bytes:
    history_model = _history_model(section.holding.model_class)
    kept = {f.name for f in history_model._meta.concrete_fields} if history_model else set()
    fields = [f for f in _fields(section.holding.model_class) if f.name in kept]
    header = ["when", "what happened", "by", "reason", *[str(f.verbose_name) for f in fields]]
    actions = {"+": "Created", "~": "Changed", "-": "Deleted"}
    rows = []
    for version in section.history:
        who = version.history_user
        rows.append(
            [
                page_datetime(version.history_date),
                actions.get(version.history_type, version.history_type),
                (who.get_full_name() or "(no name)") if who else "",
                version.history_change_reason or "",
                *[_given(section, version, f) for f in fields],
            ]
        )
    return _csv(header, rows)


def _files(section: Section) -> Iterable[tuple[str, FieldFile]]:
    slug = section.holding.model.split(".")[1].lower()
    for row in section.rows:
        if _file_withheld(section, row):
            continue
        for model_field in _fields(type(row)):
            value = getattr(row, model_field.attname, None)
            if isinstance(value, FieldFile) and value.name:
                yield f"files/{slug}-{row.pk}-{PurePosixPath(value.name).name}", value


def section_slug(section: Section) -> str:
    """The section's name in the zip (records/<slug>.csv) and in the showings log."""
    return section.holding.model.split(".")[1].lower()


def shown_in(sections: list[Section]) -> list[str]:
    """What an export of these sections shows, for the special-category showings log: each
    record type it holds (as named in the zip) and, after it, each of that type's
    special-category fields ("extracarereferral:needs_summary"). Made from the sections the
    zip is made from, so the log names all the export holds."""
    shown = []
    for section in sections:
        if not section.rows:
            continue
        slug = section_slug(section)
        shown.append(slug)
        special = set(getattr(section.holding.model_class, "SPECIAL_CATEGORY_FIELDS", ()))
        shown += [f"{slug}:{name}" for name in sorted(special - section.masked)]
    return shown


def _masked_names(section: Section) -> str:
    model = section.holding.model_class
    return ", ".join(
        sorted(str(model._meta.get_field(name).verbose_name) for name in section.masked)
    )


def household_special_given(sections: list[Section]) -> bool:
    """Whether the export gives special-category fields of records about the whole household
    unmasked (the household has one member): a showing of every member's data, then."""
    return any(
        section.rows
        and not section.holding.person
        and set(getattr(section.holding.model_class, "SPECIAL_CATEGORY_FIELDS", ()))
        - section.masked
        for section in sections
    )


def export_zip(request: SubjectAccessRequest) -> tuple[bytes, list[Section]]:
    """The zip for the request's person (or purchaser), and the sections it holds."""
    person = request.subject
    sections = sections_of(request)
    withheld = [
        [section.title, str(section.withheld), section.holding.third_party or THIRD_PARTY_MEMBER]
        for section in sections
        if section.withheld
    ]
    withheld += [
        [
            f"{section.title}: {_masked_names(section)}",
            str(section.masked_rows),
            MAY_CONCERN_ANOTHER_WHY,
        ]
        for section in sections
        if section.masked_rows
    ]
    withheld += [
        [f"{section.title}: their files", str(count), MAY_CONCERN_ANOTHER_WHY]
        for section in sections
        if (count := sum(_file_withheld(section, row) for row in section.rows))
    ]
    withheld += [[item.item, "", item.reason] for item in request.exemptions.all()]
    missing_files = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in sections:
            if not section.rows:
                continue
            slug = section_slug(section)
            archive.writestr(f"records/{slug}.csv", _record_csv(section))
            if section.history:
                archive.writestr(f"history/{slug}.csv", _history_csv(section))
            for name, file in _files(section):
                try:
                    with file.open("rb") as handle:
                        archive.writestr(name, handle.read())
                except OSError:
                    missing_files.append(name)
        archive.writestr("withheld.csv", _csv(["what", "how many", "why"], withheld))
        archive.writestr(
            "cover-letter.html",
            render_to_string(
                "privacy/sar_cover_letter.html",
                {
                    "request": request,
                    "person": person,
                    "sections": [s for s in sections if s.rows],
                    "withheld": withheld,
                    "missing_files": missing_files,
                    "today": timezone.localdate(),
                    "schedule": settings.RETENTION_SCHEDULE,
                },
            ),
        )
    return buffer.getvalue(), sections
