"""The change log: one indexed, append-only table with a row for every history row.

A PostgreSQL trigger on every history table writes the row in the same statement as the
history row (so in the same transaction, whoever writes it: a service, the admin, a bulk
create), with what an auditor needs stored at write time — the record's label, who by name,
the reason, and each field changed with its value before and after (special-category values
withheld, as on screen). Pages read it newest first with keyset pagination (no COUNT over
everything) and the CSV streams it, so neither grows with the history's size.

The table is evidence: the history guard refuses UPDATE and DELETE on it, as on the history
tables (config.history.history_tables_protect).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, models
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from django.utils.text import capfirst

from config.changelog_writing import WITHHELD
from config.kernel.dates import page_date, page_datetime

# ---------------------------------------------------------------------------------------------
# Reading it


@dataclass(frozen=True)
class Cursor:
    """A position in the log, newest first: the (when, id) of the row on a page's edge."""

    when: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.when.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        """The cursor in a URL, or None for anything that isn't one (never an error page)."""
        if not value or len(value) > 100:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            when, _, pk = raw.partition("|")
            parsed = datetime.fromisoformat(when)
            if timezone.is_naive(parsed):
                return None
            return cls(when=parsed, id=int(pk))
        except (ValueError, UnicodeDecodeError):
            return None


# Auditors read every record's history; anyone else who reads the change log (the head of
# service, administrators) reads the changes of the record types they may view, no more.
WHOLE_LOG = "config.view_whole_change_log"


def readable_types(user) -> list[str] | None:
    """The record types ("app.model") whose changes `user` may read in the change log: None
    for every type (WHOLE_LOG), else those whose records they may view."""
    from config.history import record_types

    if user.has_perm(WHOLE_LOG):
        return None
    return [
        record_type
        for record_type, _label in record_types()
        if user.has_perm("{}.view_{}".format(*record_type.split(".", 1)))
    ]


# Some records' rows depend on more than their type: a work item about a census finding names
# the people found, so a reader who may view work items but not census findings reads only
# that such work changed. An app registers, per record type, which of a page's records a
# reader may not read in full (their ids); those rows keep their when, who and action.
ROW_RULES: dict[str, Callable[[Any, set[int]], set[int]]] = {}
RESTRICTED = "details not shown: you may not read this record"


def row_rule(record_type: str):
    """Register `rule(user, record_ids) -> restricted record_ids` for a record type."""

    def register(rule: Callable[[Any, set[int]], set[int]]):
        ROW_RULES[record_type] = rule
        return rule

    return register


def restricted_rows(rows: Iterable[Any], user) -> set[tuple[str, int]]:
    """The (record type, id) of the rows `user` may read only as "changed": none for an
    auditor (WHOLE_LOG); one query per record type with a rule on the page, at most."""
    if user.has_perm(WHOLE_LOG):
        return set()
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.record_type in ROW_RULES:
            wanted.setdefault(row.record_type, set()).add(row.record_id)
    return {
        (record_type, record_id)
        for record_type, ids in wanted.items()
        for record_id in ROW_RULES[record_type](user, ids)
    }


def entries_queryset(
    *,
    user_id: int | None = None,
    record_type: str | None = None,
    date_from=None,
    date_to=None,
    readable: list[str] | None = None,
):
    """The change log's rows, filtered; `readable` (see readable_types) limits them to
    those record types."""
    from config.models import ChangeLogEntry

    rows = ChangeLogEntry.objects.all()
    if readable is not None:
        rows = rows.filter(record_type__in=readable)
    if user_id:
        rows = rows.filter(user_id=user_id)
    if record_type:
        rows = rows.filter(record_type=record_type)
    zone = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(when__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        rows = rows.filter(when__lt=datetime.combine(date_to, time.max, tzinfo=zone))
    return rows


def page(rows, *, after: Cursor | None, before: Cursor | None, size: int, field="when") -> dict:
    """One page of `rows`, newest first by (`field`, id): older than `after`, or newer than
    `before`. Returns the rows and the cursors for the older and newer pages (None at either
    end): size + 1 rows are read to know whether there is another page; nothing is counted."""

    def beyond(cursor: Cursor, direction: str) -> models.Q:
        return models.Q(**{f"{field}__{direction}": cursor.when}) | models.Q(
            **{field: cursor.when, f"id__{direction}": cursor.id}
        )

    if before is not None:
        newer = list(rows.filter(beyond(before, "gt")).order_by(field, "id")[: size + 1])
        has_newer = len(newer) > size
        items = list(reversed(newer[:size]))
        has_older = True
    else:
        if after is not None:
            rows = rows.filter(beyond(after, "lt"))
        older = list(rows.order_by(f"-{field}", "-id")[: size + 1])
        has_older = len(older) > size
        items = older[:size]
        has_newer = after is not None

    def edge(item) -> str:
        return Cursor(getattr(item, field), item.id).encode()

    return {
        "items": items,
        "older": edge(items[-1]) if items and has_older else None,
        "newer": edge(items[0]) if items and has_newer else None,
    }


@dataclass
class Change:
    label: str
    before: str
    after: str


@cache
def _record_models() -> dict[str, type[models.Model]]:
    from config.history import tracked_models

    return {model._meta.label_lower: model for model in tracked_models()}


@cache
def _column(record_type: str, column: str) -> tuple[models.Field | None, str, str]:
    """(field, label, how to show it) for a column of a record type, worked out once."""
    model = _record_models().get(record_type)
    field = _field_by_column(model, column) if model else None
    if field is None:
        return None, column, "raw"
    label = capfirst(str(field.verbose_name))
    if isinstance(field, models.ForeignKey):
        kind = "fk"
    elif field.choices:
        kind = "choices"
    elif isinstance(field, models.BooleanField):
        kind = "bool"
    elif type(field) is models.DateField:
        kind = "date"
    elif isinstance(field, (models.CharField, models.TextField, models.IntegerField)):
        kind = "plain"
    else:
        kind = "field"
    return field, label, kind


@cache
def _withheld(record_type: str, column: str) -> bool:
    """Whether a column is special-category data now: rows written before its field was
    marked stored its values, which are not shown for that."""
    model = _record_models().get(record_type)
    field = _field_by_column(model, column) if model else None
    return field is not None and field.name in getattr(model, "SPECIAL_CATEGORY_FIELDS", ())


@cache
def _choices(field: models.Field) -> dict:
    return {key: str(value) for key, value in field.flatchoices}


def _history_urls() -> dict[str, str]:
    """record type -> its History page's URL with {pk} for the id (one walk of the URLconf)."""
    global _HISTORY_URLS
    if _HISTORY_URLS is None:
        found: dict[str, str] = {}
        resolver = get_resolver()
        for pattern_name, model in _history_patterns(resolver):
            try:
                url = reverse(pattern_name, args=[987654321])
            except NoReverseMatch:
                continue
            found.setdefault(model._meta.label_lower, url.replace("987654321", "{pk}"))
        for label, model in _record_models().items():
            if label not in found:
                name = f"{model._meta.app_label}:{model._meta.model_name}-history"
                try:
                    url = reverse(name, args=[987654321])
                except NoReverseMatch:
                    continue
                found[label] = url.replace("987654321", "{pk}")
        _HISTORY_URLS = found
    return _HISTORY_URLS


_HISTORY_URLS: dict[str, str] | None = None


def _history_patterns(resolver, namespace: str = "") -> Iterator[tuple[str, type]]:
    from django.urls import URLPattern, URLResolver

    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _history_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            model = (pattern.default_args or {}).get("model")
            is_model = isinstance(model, type) and issubclass(model, models.Model)
            if is_model and pattern.name.endswith("history"):
                yield f"{namespace}{pattern.name}", model


def record_link(record_type: str, record_id: int) -> str | None:
    url = _history_urls().get(record_type)
    return url.replace("{pk}", str(record_id)) if url else None


def related_labels(rows: Iterable[Any]) -> dict[tuple[type, Any], str]:
    """Names of the records that foreign keys in `rows`' changes point at: one query in all
    (each record's latest label in the change log itself), however many kinds there are."""
    record_models = _record_models()
    wanted: set[tuple[str, int]] = set()
    for row in rows:
        model = record_models.get(row.record_type)
        if model is None:
            continue
        for column, values in stored_changes(row):
            field = _field_by_column(model, column)
            if isinstance(field, models.ForeignKey) and values:
                related = field.related_model._meta.label_lower
                wanted.update((related, v) for v in values if isinstance(v, int))
    if not wanted:
        return {}
    from config.models import ChangeLogEntry

    q = models.Q()
    by_type: dict[str, set[int]] = {}
    for record_type, pk in wanted:
        by_type.setdefault(record_type, set()).add(pk)
    for record_type, ids in by_type.items():
        q |= models.Q(record_type=record_type, record_id__in=ids)
    found = (
        ChangeLogEntry.objects.filter(q)
        .exclude(label=None)
        .order_by("record_type", "record_id", "-when", "-id")
        .distinct("record_type", "record_id")
        .values_list("record_type", "record_id", "label")
    )
    return {(global_apps.get_model(record_type), pk): label for record_type, pk, label in found}


_FIELDS_BY_COLUMN: dict[type, dict[str, models.Field]] = {}


def _field_by_column(model: type[models.Model], column: str) -> models.Field | None:
    if model not in _FIELDS_BY_COLUMN:
        _FIELDS_BY_COLUMN[model] = {f.column: f for f in model._meta.concrete_fields}
    return _FIELDS_BY_COLUMN[model].get(column)


def _display(field: models.Field, value: Any, names: dict) -> str:
    from config.history import _display as history_display

    if value is None or value == "":
        return "(blank)"
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), f"#{value}")
    try:
        value = field.to_python(value)
    except Exception:
        return str(value)
    if isinstance(value, datetime):
        return page_datetime(value)
    if hasattr(value, "strftime"):
        return page_date(value)
    return history_display(field, value, names)


def stored_changes(row) -> Iterator[tuple[str, list | None]]:
    """A row's stored changes as (column, [before, after]), or (column, None) for a withheld
    field. A created record's row stores its values whole, with its key (CREATED_SQL in
    config/changelog_writing.py); rows written before store [null, value] for each field and
    never the key, and read the same."""
    stored = row.changes or {}
    if row.action != "+":
        yield from stored.items()
        return
    model = _record_models().get(row.record_type)
    key = model._meta.pk.column if model is not None else "id"
    if key not in stored:  # as written before
        yield from stored.items()
        return
    for column, value in stored.items():
        if column != key:
            yield column, None if value is None else [None, value]


def changes(row, names: dict) -> list[Change]:
    """A row's changes in plain words: field label, before and after."""
    created = row.action == "+"
    result = []
    for column, values in stored_changes(row):
        field, label, kind = _column(row.record_type, column)
        if values is None or _withheld(row.record_type, column):
            result.append(Change(label, "" if created else WITHHELD, WITHHELD))
            continue
        before, after = values
        result.append(
            Change(
                label,
                "" if created else _shown(field, kind, before, names),
                _shown(field, kind, after, names),
            )
        )
    result.sort(key=lambda change: change.label)
    return result


def _shown(field, kind: str, value: Any, names: dict) -> str:
    """A stored JSON value as the History pages show it (fast paths for the common kinds)."""
    if value is None or value == "":
        return "(blank)"
    if kind == "plain":
        return str(value)
    if kind == "bool":
        return "Yes" if value else "No"
    if kind == "choices":
        return _choices(field).get(value, str(value))
    if kind == "raw":
        return str(value)
    if kind == "date" and isinstance(value, str):
        return _date_shown(value)
    return _display(field, value, names)


@lru_cache(maxsize=50_000)
def _date_shown(value: str) -> str:
    try:
        return page_date(date.fromisoformat(value))
    except ValueError:
        return value


def record_name(row, types: dict[str, str]) -> str:
    return row.label or f"{types.get(row.record_type, row.record_type)} #{row.record_id}"


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    action: str
    reason: str
    record_type: str
    record_id: int
    label: str
    changes: list[Change]
    subject: str = ""


def timeline(records: dict[str, Iterable[int]], *, limit: int = 500) -> list[TimelineEntry]:
    """Every change to these records (record type -> ids), newest first, from the change log:
    one query for the rows and one for the names their foreign keys point at."""
    from config.history import record_types
    from config.models import ChangeLogEntry

    q = models.Q()
    for record_type, ids in records.items():
        ids = list(ids)
        if ids:
            q |= models.Q(record_type=record_type, record_id__in=ids)
    if not q:
        return []
    rows = list(ChangeLogEntry.objects.filter(q).order_by("-when", "-id")[:limit])
    names = related_labels(rows)
    types = dict(record_types())
    return [
        TimelineEntry(
            when=row.when,
            who=row.user_name or "Unknown (no signed-in user)",
            action=row.get_action_display(),
            reason=row.reason,
            record_type=row.record_type,
            record_id=row.record_id,
            label=record_name(row, types),
            changes=changes(row, names),
        )
        for row in rows
    ]


def record_viewed(*, user, record: models.Model) -> None:
    """Note that `user` opened `record`'s page (the records-viewed log): one insert."""
    with connection.cursor() as cursor:
        cursor.execute(*record_viewed_insert(user=user, record=record))


def record_viewed_insert(*, user, record: models.Model) -> tuple[str, list]:
    """record_viewed's INSERT, as SQL and its parameters, for a page that makes it in one
    statement with its own log (a data-modifying WITH): one round trip and one commit. No
    RETURNING: nothing reads the row back."""
    from config.models import RecordView

    quote = connection.ops.quote_name
    meta = RecordView._meta
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in ("user", "record_type", "record_id", "label", "viewed_at")
    )
    return (
        # Names from the model, quoted; every value a parameter.
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
        [user.pk, record._meta.label_lower, record.pk, str(record)[:200], timezone.now()],
    )
