"""Change history: the plain-words diff of a record's history, the system-wide change log,
the database rule that history cannot be rewritten, and who acts for tasks and commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils.text import capfirst
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalChanges, HistoricalRecords
from simple_history.utils import get_history_model_for_model

from config.kernel.dates import page_date, page_datetime

SYSTEM_USERNAME = "system"

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}

# History cannot be rewritten, except by the retention purge's one path: `purge_rows()`
# (below) sets the transaction-local flag `app.purge` while it deletes, and clears it again, so
# a DELETE anywhere else (the application, the admin, the owner at a psql prompt) is refused.
_PROTECT_FUNCTION = """
CREATE OR REPLACE FUNCTION history_row_protect() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('app.purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    -- purge_redact(): one named column may change, nothing else in the row.
    IF TG_OP = 'UPDATE' AND current_setting('app.purge', true) = 'redact'
        AND to_jsonb(NEW) - current_setting('app.purge_column', true)
            = to_jsonb(OLD) - current_setting('app.purge_column', true) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'History rows cannot be changed or deleted (table %)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# The purge's path: owned by the schema's owner and run with its rights (SECURITY DEFINER),
# so the application's role, which may not DELETE from append-only tables, can purge through
# it and through nothing else. It deletes the rows of one table whose `id_column` is one of
# `ids`, with the flag set only for its own statement; it returns how many rows went.
# `purge_redact(table, column, needle)` replaces `needle` (a purged application's reference in
# another record's change reason: "Offered to A-…") with "[removed]" in that one column.
PURGE_FUNCTION = """
CREATE OR REPLACE FUNCTION purge_rows(table_name text, id_column text, ids bigint[])
RETURNS bigint AS $$
DECLARE
    deleted bigint;
BEGIN
    PERFORM set_config('app.purge', 'on', true);
    EXECUTE format('DELETE FROM %I WHERE %I = ANY($1)', table_name, id_column) USING ids;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('app.purge', 'off', true);
    RETURN deleted;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
REVOKE ALL ON FUNCTION purge_rows(text, text, bigint[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION purge_redact(table_name text, column_name text, needle text)
RETURNS bigint AS $$
DECLARE
    changed bigint;
BEGIN
    PERFORM set_config('app.purge', 'redact', true);
    PERFORM set_config('app.purge_column', column_name, true);
    EXECUTE format(
        'UPDATE %I SET %I = replace(%I, $1, ''[removed]'') WHERE strpos(%I, $1) > 0',
        table_name, column_name, column_name, column_name
    ) USING needle;
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('app.purge', 'off', true);
    PERFORM set_config('app.purge_column', '', true);
    RETURN changed;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
REVOKE ALL ON FUNCTION purge_redact(text, text, text) FROM PUBLIC;
"""


def system_user():
    """The account that scheduled tasks act as. It cannot sign in (no usable password)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "last_name": "(scheduled task)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Attribute every history row written inside the block to `user`.

    Views get this from the request (simple_history's middleware); Celery tasks and management
    commands have no request, so they wrap their work in this — a task acting for an officer
    passes the officer's id, a scheduled task acts as `system_user()`.
    """
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


def _history_tables_models() -> list[type[models.Model]]:
    """Every history table's model: one per tracked record type, and one per tracked
    many-to-many field (an account's roles, say), each row pointing at its history row."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and hasattr(model, "instance_type")
    ]


def historical_models() -> list[type[models.Model]]:
    """Every history model in the project, one per tracked record type."""
    return [
        model
        for model in _history_tables_models()
        if not any(field.name == "m2m_history_id" for field in model._meta.fields)
    ]


def tracked_models() -> list[type[models.Model]]:
    return [model.instance_type for model in historical_models()]


def history_tables_protect(**kwargs: Any) -> None:
    """History is evidence: the database itself refuses UPDATE and DELETE on history tables.

    Runs after every migrate, so a history table added by a later migration is covered too.
    """
    # The change log and the records-viewed log are evidence in the same way; the tables of
    # tracked many-to-many fields (an account's roles) too.
    tables = [model._meta.db_table for model in _history_tables_models()]
    tables += ["config_changelogentry", "config_recordview"]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(_PROTECT_FUNCTION)
        cursor.execute(PURGE_FUNCTION)
        for table in tables:
            if table not in existing:
                continue
            cursor.execute(
                "CREATE OR REPLACE TRIGGER history_row_protect BEFORE UPDATE OR DELETE "
                f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION history_row_protect()'
            )


def change_log_triggers_install(**kwargs: Any) -> None:
    """Every history table writes its change-log row by trigger (config/changelog.py).

    Runs after every migrate, so a history table added by a later migration is covered too.
    """
    from config import changelog_writing

    existing = set(connection.introspection.table_names())
    if changelog_writing.CHANGE_LOG_TABLE not in existing:
        return
    with connection.cursor() as cursor:
        changelog_writing.functions_install(cursor)
        for model in historical_models():
            if model._meta.db_table in existing:
                spec = changelog_writing.table_spec(model, model.instance_type._meta.label_lower)
                changelog_writing.trigger_install(cursor, spec)


class _HistoryDescriptorOnce(HistoryDescriptor):
    """`record.history`, with its manager class made once. django-simple-history's own
    descriptor builds a new class (`Manager.from_queryset`, which inspects every method) each
    time it is read, and it reads it on every save that writes a history row."""

    def __init__(self, descriptor: HistoryDescriptor) -> None:
        super().__init__(descriptor.model, descriptor.manager_class, descriptor.queryset_class)
        self.made = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.made(self.model, instance)


def history_descriptors_once() -> None:
    """Every tracked model's `history` attribute made once (at start-up, from ready())."""
    for model in tracked_models():
        name = model._meta.simple_history_manager_attribute  # type: ignore[attr-defined]
        descriptor = model.__dict__.get(name)
        if type(descriptor) is HistoryDescriptor:
            setattr(model, name, _HistoryDescriptorOnce(descriptor))


def last_login_stamp(sender, user, **kwargs: Any) -> None:
    """Django saves last_login on sign-in, which would write a history row; signing in is
    not a change, so the column is updated directly (sign-ins are in axes' access log)."""
    from django.utils import timezone

    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)


# ---------------------------------------------------------------------------------------------
# A record's own history, in plain words


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[FieldChange]


def json_display(value: Any) -> str:
    """A JSON value in plain words: a checklist ([{label, met, note}, ...]) as its questions
    and answers, a list as its items, a mapping as "key: value" pairs."""
    if isinstance(value, list):
        if value and all(isinstance(item, dict) and "label" in item for item in value):
            return "; ".join(_checklist_line(item) for item in value)
        return "; ".join(json_display(item) for item in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{capfirst(str(k))}: {json_display(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _checklist_line(item: dict) -> str:
    met = item.get("met")
    answer = "Yes" if met is True else "No" if met is False else "Not answered"
    note = f" ({item['note']})" if item.get("note") else ""
    return f"{item['label']}: {answer}{note}"


def _display(field: models.Field, value: Any, related_names: dict) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(field, models.JSONField):
        return json_display(value)
    if isinstance(field, models.ForeignKey):
        return related_names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return page_datetime(value)
    if hasattr(value, "strftime"):
        return page_date(value)
    return str(value)


def _person(user) -> str:
    if user is None:
        return "Unknown (no signed-in user)"
    return user.get_full_name() or user.get_username()


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    history_model = get_history_model_for_model(model)
    names = {field.name for field in history_model.tracked_fields}
    return [field for field in model._meta.concrete_fields if field.name in names]


HIDDEN = "(hidden: special-category data)"


def special_category_fields(model: type[models.Model]) -> set[str]:
    """Fields a model marks as special-category (UK GDPR art. 9) or criminal-record (art. 10)
    data with `SPECIAL_CATEGORY_FIELDS = {...}`: shown only to roles holding
    `config.view_special_category`, and every showing is logged by the model's
    `special_category_view_log(record=..., user=..., fields=..., where=...)`."""
    return set(getattr(model, "SPECIAL_CATEGORY_FIELDS", ()))


def history_entries(records: list, *, show_special: bool = False) -> list[HistoryEntry]:
    """Entries for history records given newest first, each compared with the one before it.

    `records` must hold the record before the oldest one shown too (or be the whole history),
    so that the oldest shown entry can say what changed; the extra one is not returned.
    Special-category values are replaced by a plain notice unless `show_special`.
    """
    if not records:
        return []
    model = records[0].instance_type
    fields = _tracked_fields(model)
    hidden = set() if show_special else special_category_fields(model)
    # Fetch the names of every related record mentioned, one query per related model.
    wanted: dict[type[models.Model], set] = {}
    for field in fields:
        if isinstance(field, models.ForeignKey):
            ids = {getattr(record, field.attname) for record in records} - {None}
            if ids:
                wanted.setdefault(field.related_model, set()).update(ids)
    related_names = {
        (related, obj.pk): _person(obj) if isinstance(obj, get_user_model()) else str(obj)
        for related, ids in wanted.items()
        for obj in related._default_manager.filter(pk__in=ids)
    }
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if record.history_type != "-":
            for field in fields:
                after = getattr(record, field.attname)
                before = getattr(previous, field.attname) if previous is not None else None
                if previous is not None and before == after:
                    continue
                if previous is None and after in (None, ""):
                    continue
                if field.name in hidden:
                    changes.append(
                        FieldChange(
                            label=capfirst(str(field.verbose_name)),
                            before=HIDDEN if previous is not None else "",
                            after=HIDDEN,
                        )
                    )
                    continue
                changes.append(
                    FieldChange(
                        label=capfirst(str(field.verbose_name)),
                        before=_display(field, before, related_names)
                        if previous is not None
                        else "",
                        after=_display(field, after, related_names),
                    )
                )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=_person(record.history_user),
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


# ---------------------------------------------------------------------------------------------
# The change log across the whole system


def record_types() -> list[tuple[str, str]]:
    """(label, plain name) of every tracked record type, for the change log's filter."""
    return list(_record_types())


@cache
def _record_types() -> tuple[tuple[str, str], ...]:
    # Worked out once per process: the models do not change while it runs, and the change
    # log asked twice a page (some 1,400 fields looked at each time).
    return tuple(
        sorted(
            (
                (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
                for model in tracked_models()
            ),
            key=lambda pair: pair[1],
        )
    )
