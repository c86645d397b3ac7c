"""Many rows and their history rows written by the system in one statement each.

`config.kernel.records.save` validates one record and saves it with its history row: right
for what a person types. Freezing a cycle's shortlists writes thousands of lines the system
has just worked out; one statement for the rows and their history (the change-log trigger
then runs once for the statement) is what keeps it close to the cost of the ranking itself.

The rows travel as one JSON document (`jsonb_to_recordset`), not one parameter per value: a
single parameter is quoted once, however many rows. Django's validation is not run: only for
values the system makes, which the database's own constraints and keys still check. The
history rows are those django-simple-history writes (who, why, when, '+' or '~').
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model: type[models.Model], names: Iterable[str]) -> list[models.Field]:
    """The fields by attribute name (a foreign key by its `_id`, given the key)."""
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"Not fields of {model.__name__}: {', '.join(unknown)}")
    return [by_name[name] for name in names]


def _record_columns(fields: Sequence[models.Field], extra: Sequence[tuple[str, str]] = ()) -> str:
    typed = [f"{_quote(f.column)} {f.db_type(connection)}" for f in fields]
    typed += [f"{_quote(name)} {kind}" for name, kind in extra]
    return ", ".join(typed)


def _history_copy(model: type[models.Model]) -> tuple[str, list[str]]:
    """The history table and the columns it copies from the record (its own columns are the
    four history ones and its key)."""
    history = model.history.model  # type: ignore[attr-defined]
    live = {f.column for f in model._meta.concrete_fields}
    copied = []
    for field in history._meta.concrete_fields:
        if field.column == "history_id" or field.column in HISTORY_COLUMNS:
            continue
        if field.column not in live:
            raise ImproperlyConfigured(
                f"{history._meta.db_table}.{field.column} is not a column of "
                f"{model._meta.db_table}: write its history through records.save"
            )
        copied.append(field.column)
    return history._meta.db_table, copied


def _recordset(fields: Sequence[models.Field], extra: Sequence[tuple[str, str]]) -> str:
    """`x`: the rows of the one JSON parameter, typed as the table's columns."""
    return (
        "WITH x AS (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS x("  # noqa: S608
        f"{_record_columns(fields, extra)}))"
    )


def _history_insert(model: type[models.Model], *, written: str, reason: str, action: str) -> str:
    """The history rows of the rows the CTE `written` returns: who (a parameter), when (a
    parameter, first), why (`reason`, SQL) and `action` ('+' or '~'), in key order."""
    history_table, copied = _history_copy(model)
    copied_sql = ", ".join(_quote(c) for c in copied)
    return (
        f"INSERT INTO {_quote(history_table)} ({copied_sql}, {', '.join(HISTORY_COLUMNS)}) "  # noqa: S608
        f"SELECT {copied_sql}, %s, {reason}, '{action}', %s FROM {written} "
        f"ORDER BY {_quote(model._meta.pk.column)}"
    )


def _document(rows: list[dict[str, Any]]) -> str:
    return DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(rows)


# A statement's sorts (the rows into key order, their history rows after them) spill to disk
# beyond the server's work_mem (4 MB by default): a frozen cycle's 5,000 lines are about 5 MB.
# For a large document the statement gets room to sort in memory, for itself alone.
SORT_ROOM_FROM = 1 << 20  # bytes of JSON
SORT_ROOM_MAX_MB = 256


@contextmanager
def _sort_room(cursor: Any, document: str) -> Iterator[None]:
    """Give the statement run inside room to sort `document`'s rows in memory (three times
    its size, at most SORT_ROOM_MAX_MB), then the transaction's own setting back. If the
    statement fails, its error goes up as it is: the rollback that follows (to a savepoint
    or of the whole transaction) undoes the setting, as it undoes any SET LOCAL."""
    if len(document) < SORT_ROOM_FROM:
        yield
        return
    room = min(SORT_ROOM_MAX_MB, 3 * len(document) // (1 << 20) + 4)
    cursor.execute(
        "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [f"{room}MB"]
    )
    (before, _) = cursor.fetchone()
    yield
    cursor.execute("SELECT set_config('work_mem', %s, true)", [before])


def insert_with_history(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    by: AbstractBaseUser | None,
    reason: str,
) -> list[int]:
    """Insert `rows` (attribute name → value: `vacancy_id`, not `vacancy`) and a '+' history
    row for each naming `by` and `reason`, in one statement; returns the new keys in the rows'
    order. Fields a row leaves out take their model default (`auto_now_add` ones the time now)."""
    if not rows:
        return []
    given = list(rows[0])
    if any(list(row) != given for row in rows):
        raise ValueError("Every row must give the same fields, in the same order.")
    now = timezone.now()
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    named = {f.attname for f in _fields(model, given)}
    defaults: dict[str, Any] = {}
    for field in fields:
        if field.attname in named:
            continue
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            defaults[field.attname] = now
        else:  # its default, or "" or None as Django gives it (the database refuses a gap)
            defaults[field.attname] = field.get_default()
    records = [
        {
            "_n": n,
            **{f.column: row[name] for f, name in zip(_fields(model, given), given, strict=True)},
            **{f.column: defaults[f.attname] for f in fields if f.attname in defaults},
        }
        for n, row in enumerate(rows)
    ]
    table = _quote(model._meta.db_table)
    columns = ", ".join(_quote(f.column) for f in fields)
    sql = (
        f"{_recordset(fields, [('_n', 'integer')])}, "  # noqa: S608
        f"new AS (INSERT INTO {table} ({columns}) SELECT {columns} FROM x ORDER BY _n "
        f"RETURNING *) "
        f"{_history_insert(model, written='new', reason='%s', action='+')} "
        f"RETURNING {_quote(pk.column)}"
    )
    document = _document(records)
    with connection.cursor() as cursor, _sort_room(cursor, document):
        cursor.execute(sql, [document, now, reason, getattr(by, "pk", None)])
        return [key for (key,) in cursor.fetchall()]


def update_with_history(
    model: type[models.Model],
    changes: list[dict[str, Any]],
    *,
    by: AbstractBaseUser | None,
) -> None:
    """Update each record named by `changes` (each: "pk", "reason" and the same fields to set)
    and write a '~' history row for each with its own reason, in one statement."""
    if not changes:
        return
    given = [name for name in changes[0] if name not in ("pk", "reason")]
    if any(sorted(change) != sorted([*given, "pk", "reason"]) for change in changes):
        raise ValueError("Every change must set the same fields.")
    pk = model._meta.pk
    fields = _fields(model, given)
    records = [
        {
            pk.column: change["pk"],
            "_reason": change["reason"],
            **{f.column: change[name] for f, name in zip(fields, given, strict=True)},
        }
        for change in changes
    ]
    table = _quote(model._meta.db_table)
    assignments = ", ".join(f"{_quote(f.column)} = x.{_quote(f.column)}" for f in fields)
    sql = (
        f"{_recordset([pk, *fields], [('_reason', 'text')])}, "  # noqa: S608
        f"changed AS (UPDATE {table} t SET {assignments} FROM x "
        f"WHERE t.{_quote(pk.column)} = x.{_quote(pk.column)} RETURNING t.*, x._reason) "
        f"{_history_insert(model, written='changed', reason='_reason', action='~')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_document(records), timezone.now(), getattr(by, "pk", None)])
        if cursor.rowcount != len(changes):
            raise RuntimeError(
                f"{cursor.rowcount} of {len(changes)} {model._meta.verbose_name_plural} updated."
            )
