"""The one controlled path that deletes personal data for good: records, their history rows,
their change-log and records-viewed rows, the work about them, and their files.

History tables and the append-only logs refuse DELETE (config/history.py's trigger, and the
application's grants, config/kernel/database.py); the only way through is the database
function `purge_rows()`, which this module alone calls. Files go once the transaction commits
(a purge that fails leaves every file in place).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile

from allocations.models import Application
from allocations.privacy.models import RetentionBatchItem
from allocations.privacy.registry import ABOUT_HOLDINGS, HOLDING_BY_MODEL, HOLDINGS, Holding
from config.history import historical_models
from config.kernel.database import append_only_tables
from config.models import ChangeLogEntry, RecordView
from projects.models import WorkItem
from residents.models import Household


@dataclass
class PurgeCount:
    """What one purge removed: records asked for, rows deleted (history and logs included)
    and files deleted."""

    rows: int = 0
    files: set[str] = field(default_factory=set)


def purge_rows(table: str, column: str, ids: Iterable[int]) -> int:
    """Delete rows of `table` whose `column` is one of `ids`, through the database's purge
    function (the one path history and the append-only logs allow)."""
    ids = sorted({int(value) for value in ids})
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT purge_rows(%s, %s, %s)", [table, column, ids])
        (deleted,) = cursor.fetchone()
    return int(deleted)


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    history = getattr(model, "history", None)
    return getattr(history, "model", None) if history is not None else None


def _files_of(rows: Iterable[models.Model]) -> set[str]:
    names = set()
    for row in rows:
        for model_field in row._meta.concrete_fields:
            value = getattr(row, model_field.attname, None)
            if isinstance(value, FieldFile) and value.name:
                names.add(value.name)
            elif isinstance(model_field, models.FileField) and isinstance(value, str) and value:
                names.add(value)
    return names


def _deletion_order(holdings: Iterable[Holding]) -> list[Holding]:
    """Holdings ordered so a row is deleted before the rows it points at (a bid before its
    application, a person before their household)."""
    remaining = {h.model: h for h in holdings}
    ordered: list[Holding] = []
    while remaining:
        for label, holding in sorted(remaining.items()):
            pointed_at_by = [
                other
                for other in remaining
                if other != label
                and any(
                    f.related_model is not None
                    and f.related_model._meta.label == label
                    and (f.many_to_one or f.one_to_one)
                    and not f.null  # nullable links are cleared first (_links_clear)
                    for f in remaining[other].model_class._meta.concrete_fields
                )
            ]
            if not pointed_at_by:
                ordered.append(holding)
                del remaining[label]
                break
        else:  # a cycle: a programming error in the registry
            raise RuntimeError(f"Foreign-key cycle among {sorted(remaining)}")
    return ordered


def _links_clear(found: dict[str, list[int]]) -> None:
    """Clear the nullable links between the records being purged (an application's evidence
    for its effective date, say), so they can go in any order. Their history rows go too."""
    for label, pks in found.items():
        holding = HOLDING_BY_MODEL[label]
        if holding.shared_through or not pks:
            continue
        model = holding.model_class
        checked = _check_constraint_fields(model)
        for model_field in model._meta.concrete_fields:
            target = model_field.related_model
            if (
                model_field.null
                # A link a check constraint needs (a letter is about exactly one record) is
                # left for the ordered deletion to take with its row.
                and model_field.name not in checked
                and (model_field.many_to_one or model_field.one_to_one)
                and target is not None
                and target._meta.label in found
                and target is not model
            ):
                model._default_manager.filter(pk__in=pks).update(**{model_field.name: None})


def _check_constraint_fields(model: type[models.Model]) -> set[str]:
    """The fields the model's check constraints read."""
    names: set[str] = set()

    def read(condition: object) -> None:
        for child in getattr(condition, "children", ()):
            if isinstance(child, tuple):
                names.add(child[0].split("__")[0])
            else:
                read(child)

    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            read(constraint.condition)
    return names


def _logs_purge(model: type[models.Model], pks: list[int], count: PurgeCount) -> None:
    """The change-log and records-viewed rows about these records, and the admin's log."""
    label = model._meta.label_lower
    entries = ChangeLogEntry.objects.filter(record_type=label, record_id__in=pks)
    count.rows += purge_rows(
        ChangeLogEntry._meta.db_table, "id", entries.values_list("id", flat=True)
    )
    views = RecordView.objects.filter(record_type=label, record_id__in=pks)
    count.rows += purge_rows(RecordView._meta.db_table, "id", views.values_list("id", flat=True))
    content_type = ContentType.objects.get_for_model(model)
    count.rows += LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    ).delete()[0]


def _history_purge(model: type[models.Model], history_ids: Iterable[int], count: PurgeCount):
    history_model = _history_model(model)
    if history_model is None:
        return
    history_ids = list(history_ids)
    count.files |= _files_of(history_model.objects.filter(history_id__in=history_ids))
    count.rows += purge_rows(history_model._meta.db_table, "history_id", history_ids)


def _records_delete(model: type[models.Model], pks: list[int], count: PurgeCount) -> None:
    """The records themselves: an append-only table through the purge function, others
    through the ORM (which writes a "deleted" history row, purged straight after)."""
    if not pks:
        return
    rows = model._default_manager.filter(pk__in=pks)
    count.files |= _files_of(rows)
    if model._meta.db_table in append_only_tables():
        count.rows += purge_rows(model._meta.db_table, model._meta.pk.column, pks)
    else:
        count.rows += rows.delete()[0]
    history_model = _history_model(model)
    if history_model is not None:
        _history_purge(
            model,
            history_model.objects.filter(id__in=pks).values_list("history_id", flat=True),
            count,
        )
    _logs_purge(model, pks, count)
    # A waiting retention batch's line about the record (its label names it) goes too.
    RetentionBatchItem.objects.filter(record_type=model._meta.label, record_id__in=pks).delete()


def _work_purge(model: type[models.Model], pks: list[int], count: PurgeCount) -> None:
    """Rows about the purged records through a generic relation (ABOUT_HOLDINGS: work items,
    whose titles name people), with what hangs from them (reminders, attachments)."""
    for about in ABOUT_HOLDINGS:
        item_ids = list(about.about(model, pks).values_list("pk", flat=True))
        if not item_ids:
            continue
        for label, lookup in about.dependents:
            dependent = apps.get_model(label)
            dependent_ids = list(
                dependent._default_manager.filter(**{f"{lookup}__in": item_ids}).values_list(
                    "pk", flat=True
                )
            )
            _records_delete(dependent, dependent_ids, count)
        if about.model_class is WorkItem:
            for item in WorkItem.objects.filter(pk__in=item_ids):
                item.depends_on.clear()
        _records_delete(about.model_class, item_ids, count)


def _history_of_holding(holding: Holding, household_ids: list[int]) -> set[int]:
    """History rows about the households' records, the deleted ones included (found through
    the history rows' own foreign keys, which outlive the records)."""
    history_model = _history_model(holding.model_class)
    if history_model is None:
        return set()
    where = models.Q()
    for lookup in holding.household:
        where |= models.Q(**{f"{'id' if lookup == 'pk' else lookup}__in": household_ids})
    current = holding.for_households(household_ids).values_list("pk", flat=True)
    return set(history_model.objects.filter(where).values_list("history_id", flat=True)) | set(
        history_model.objects.filter(id__in=list(current)).values_list("history_id", flat=True)
    )


def households_purge(household_ids: list[int]) -> PurgeCount:
    """Everything the registry holds on these households, for good."""
    count = PurgeCount()
    references = list(
        Household.objects.filter(pk__in=household_ids).values_list("reference", flat=True)
    )
    references += list(
        Application.objects.filter(household__in=household_ids).values_list("reference", flat=True)
    )
    found = {}
    old_history = {}
    for holding in HOLDINGS:
        found[holding.model] = list(
            holding.for_households(household_ids).values_list("pk", flat=True)
        )
        if not holding.shared_through:
            old_history[holding.model] = _history_of_holding(holding, household_ids)
    _links_clear(found)
    for holding in _deletion_order(HOLDINGS):
        model = holding.model_class
        pks = found[holding.model]
        if holding.shared_through:
            _unlink(holding, household_ids, pks)
            continue
        _work_purge(model, pks, count)
        _records_delete(model, pks, count)
        _history_purge(model, old_history[holding.model], count)
    references_redact(references)
    _files_delete_on_commit(count)
    return count


def references_redact(references: Iterable[str]) -> int:
    """Other records' change reasons that name a purged household or application ("Offered
    to A-…", "Let to A-…"): the reference becomes "[removed]", in their history and in the
    change log, and nothing else in those rows changes."""
    tables = [model._meta.db_table for model in historical_models()]
    changed = 0
    with connection.cursor() as cursor:
        for reference in {r for r in references if r}:
            for table, column in [
                *[(table, "history_change_reason") for table in tables],
                (ChangeLogEntry._meta.db_table, "reason"),
            ]:
                cursor.execute("SELECT purge_redact(%s, %s, %s)", [table, column, reference])
                changed += int(cursor.fetchone()[0])
    return changed


def _unlink(holding: Holding, household_ids: list[int], pks: list[int]) -> None:
    """A record shared with other households keeps its row; this household's link goes."""
    link = holding.model_class._meta.get_field(holding.shared_through)
    through = link.remote_field.through  # type: ignore[union-attr]
    target = f"{link.m2m_reverse_field_name()}__{holding.shared_household}__in"  # type: ignore[attr-defined]
    through.objects.filter(**{f"{link.m2m_field_name()}__in": pks, target: household_ids}).delete()  # type: ignore[attr-defined]


def records_purge(model: type[models.Model], pks: list[int]) -> PurgeCount:
    """Records of one model (a due-diligence check, a licence) and what hangs from them in the
    registry, for good."""
    count = PurgeCount()
    dependents = [
        holding
        for holding in _deletion_order(HOLDINGS)
        if holding.model != model._meta.label
        and any(
            f.related_model is model and (f.many_to_one or f.one_to_one)
            for f in holding.model_class._meta.concrete_fields
        )
    ]
    for holding in dependents:
        field_name = next(
            f.name
            for f in holding.model_class._meta.concrete_fields
            if f.related_model is model and (f.many_to_one or f.one_to_one)
        )
        child_pks = list(
            holding.model_class._default_manager.filter(**{f"{field_name}__in": pks}).values_list(
                "pk", flat=True
            )
        )
        if child_pks:
            sub = records_purge(holding.model_class, child_pks)
            count.rows += sub.rows
            count.files |= sub.files
    _work_purge(model, pks, count)
    history_model = _history_model(model)
    _records_delete(model, pks, count)
    if history_model is not None:
        # Versions of rows deleted earlier: none remain under these ids after this.
        _history_purge(
            model,
            history_model.objects.filter(id__in=pks).values_list("history_id", flat=True),
            count,
        )
    _files_delete_on_commit(count)
    return count


def _files_delete_on_commit(count: PurgeCount) -> None:
    names = sorted(count.files)

    def delete() -> None:
        for name in names:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(delete)


def _q(lookups: dict | models.Q) -> models.Q:
    return lookups if isinstance(lookups, models.Q) else models.Q(**lookups)


def purchasers_purge(purchaser_ids: list[int]) -> PurgeCount:
    """Low-cost home ownership purchasers (who may be nobody else here), for good: their
    requests, their nominations to resales and their register entries, with every history,
    change-log and records-viewed row; the resale steps that name them keep their place in
    the case with the name "[removed]" (in the step, its history and change reasons), their
    change-log rows (which carry the values) going."""
    from allocations.models import Letter, Purchaser, ResaleNomination, ResaleStep
    from allocations.privacy.export import purchaser_letters_q, purchaser_steps
    from allocations.privacy.models import SubjectAccessExemption, SubjectAccessRequest

    count = PurgeCount()
    names = [
        name
        for name in Purchaser.objects.filter(pk__in=purchaser_ids).values_list("name", flat=True)
        if name.strip()
    ]
    step_ids: set[int] = set()
    for name in names:
        step_ids |= set(purchaser_steps(name).values_list("pk", flat=True))
        step_ids |= set(
            ResaleStep.history.filter(
                models.Q(sent_to__icontains=name) | models.Q(communication__icontains=name)
            ).values_list("id", flat=True)
        )
    request_ids = list(
        SubjectAccessRequest.objects.filter(purchaser__in=purchaser_ids).values_list(
            "pk", flat=True
        )
    )
    letters = purchaser_letters_q(purchaser_ids, naming=True)
    # (model, its rows, its history rows: the deleted ones' too, through their own keys)
    owned = (
        (Letter, letters, letters),
        (SubjectAccessExemption, {"request__in": request_ids}, {"request_id__in": request_ids}),
        (SubjectAccessRequest, {"pk__in": request_ids}, {"purchaser_id__in": purchaser_ids}),
        (ResaleNomination, {"purchaser__in": purchaser_ids}, {"purchaser_id__in": purchaser_ids}),
        (Purchaser, {"pk__in": purchaser_ids}, {"id__in": purchaser_ids}),
    )
    for model, rows, history in owned:
        history_model = _history_model(model)
        assert history_model is not None  # each has its history
        old = set(history_model.objects.filter(_q(history)).values_list("history_id", flat=True))
        pks = list(model._default_manager.filter(_q(rows)).values_list("pk", flat=True))
        _work_purge(model, pks, count)
        _records_delete(model, pks, count)
        _history_purge(model, old, count)
    steps = sorted(step_ids)
    step_history = ResaleStep.history.model._meta.db_table
    with connection.cursor() as cursor:
        for name in names:
            for table in (ResaleStep._meta.db_table, step_history):
                for column in ("sent_to", "communication"):
                    cursor.execute("SELECT purge_redact(%s, %s, %s)", [table, column, name])
                    count.rows += int(cursor.fetchone()[0])
    _logs_purge(ResaleStep, steps, count)
    references_redact(names)
    _files_delete_on_commit(count)
    return count
