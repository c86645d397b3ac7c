"""Writing the change log (config/changelog.py): the trigger every history table gets, the
backfill of history recorded before it, and the record's label stored with each row.

Both are one SQL function per history table with its table, columns and rules written in,
built here from the history model and the live model's CHANGE_LOG_LABEL and
SPECIAL_CATEGORY_FIELDS.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import connection, models

CHANGE_LOG_TABLE = "config_changelogentry"
WITHHELD = "(withheld)"  # special-category data (and password hashes)
# Never in the change log: a password hash is withheld; signing in is not a change.
ALWAYS_WITHHELD = {"password"}
IGNORED = {"last_login"}
# The record's label, when the model names none: the first of these its history table has. A
# model's CHANGE_LOG_LABEL names its own columns and, by field name, the records it belongs to,
# whose labels follow after a comma (a unit is "Pitch 1, Primrose Meadow", as the pages say).
LABEL_CANDIDATES = (
    ("name",),
    ("reference",),
    ("title",),
    ("first_name", "last_name"),
    ("username",),
)

# One diff for the trigger and the backfill: the fields whose value changed, as
# {column: [before, after]}; a withheld field's entry is null. A created record lists its
# non-blank fields with a null before.
FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION change_log_diff(before jsonb, after jsonb, hidden text[],
                                           ignored text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(
               key,
               CASE WHEN key = ANY(hidden) THEN 'null'::jsonb
                    ELSE jsonb_build_array(before -> key, value) END), '{}'::jsonb)
    FROM jsonb_each(after)
    WHERE key NOT LIKE 'history\\_%' AND NOT key = ANY(ignored)
      AND CASE WHEN before IS NULL THEN value NOT IN ('null'::jsonb, '""'::jsonb)
               ELSE (before -> key) IS DISTINCT FROM value END
$$;

-- Signing in saves the account's last_login: that is not a change.
CREATE OR REPLACE FUNCTION change_log_only_ignored(action text, before jsonb, after jsonb,
                                                   hidden text[], ignored text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT action = '~' AND before IS NOT NULL
       AND change_log_diff(before, after, hidden, ignored) = '{}'::jsonb
       AND EXISTS (SELECT 1 FROM unnest(ignored) AS c WHERE before -> c IS DISTINCT FROM after -> c)
$$;

CREATE OR REPLACE FUNCTION change_log_label(row_data jsonb, columns text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif(left(array_to_string(
        ARRAY(SELECT row_data ->> c FROM unnest(columns) AS c), ' '), 200), '')
$$;

CREATE OR REPLACE FUNCTION change_log_user_name(user_id integer) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(trim(first_name || ' ' || last_name), ''), username)
    FROM {user_table} WHERE id = user_id
$$;
"""

# Each history table gets its own trigger function with the table, its columns and its rules
# written in: static SQL, so PostgreSQL plans it once per connection rather than per row. It
# runs once per statement over the statement's new history rows (a transition table), so a bulk
# insert of history (a frozen shortlist's lines, say) writes its change-log rows in one
# set-based INSERT rather than one trigger call per row. Without JIT: the planner cannot know
# how few rows a transition table holds, and compiling the statement for a few thousand rows
# took longer than running it. `OFFSET 0` keeps each new row's jsonb (`after`) made once rather
# than again at each of its uses; only the previous history row that is kept is made jsonb
# (not every earlier row of the record, before they are sorted).
TRIGGER_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    INSERT INTO config_changelogentry
        ("when", record_type, record_id, history_id, action, user_id, user_name, reason,
         label, changes)
    SELECT n.history_date, {record_type}, n."{pk}", n.history_id, n.history_type,
           n.history_user_id, {user_name}, coalesce(n.history_change_reason, ''),
           {label},
           {changes}
    FROM (SELECT r.*, to_jsonb(r) AS after FROM change_log_new_rows r OFFSET 0) n
    LEFT JOIN {user_table} u ON u.id = n.history_user_id
    {label_joins}
    LEFT JOIN LATERAL (
        SELECT to_jsonb(p.h) AS before FROM (
            SELECT h FROM "{table}" h
            WHERE n.history_type <> '+' AND h."{pk}" = n."{pk}" AND h.history_id < n.history_id
            ORDER BY h.history_id DESC LIMIT 1
        ) p OFFSET 0
    ) b ON TRUE
    {diff}
    WHERE NOT {only_ignored}
    ORDER BY n.history_id;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS change_log_record ON "{table}";
CREATE TRIGGER change_log_record AFTER INSERT ON "{table}"
REFERENCING NEW TABLE AS change_log_new_rows
FOR EACH STATEMENT EXECUTE FUNCTION "{function}"();
"""

# The trigger reads each new row's previous history row (the record's latest with a lower
# history_id) by this index, one entry, however long the record's history. With the record's
# key alone (django-simple-history's index) it read every history row of the record, and every
# row a rolled-back transaction left until vacuum, then sorted them; a save cost more the longer
# the record's history.
PREVIOUS_INDEX_SQL = 'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{pk}", history_id)'

# The diff, written into the trigger's and the backfill's statements (a function call per row
# costs more than the diff itself): `d.changes`, the fields whose value changed, as
# {{column: [before, after]}}; a withheld field's entry is null. Not for a created record
# (CREATED_SQL): a record with no earlier history row lists its non-blank fields with a null
# before, as created records did until they were stored whole.
DIFF_SQL = """CROSS JOIN LATERAL (
        SELECT coalesce(jsonb_object_agg(
                   e.key,
                   CASE WHEN e.key = ANY({hidden}) THEN 'null'::jsonb
                        ELSE jsonb_build_array({before} -> e.key, e.value) END), '{{}}'::jsonb)
               AS changes
        FROM jsonb_each({after}) e
        WHERE {action} <> '+' AND e.key NOT LIKE 'history\\_%' AND NOT e.key = ANY({ignored})
          AND CASE WHEN {before} IS NULL THEN e.value NOT IN ('null'::jsonb, '""'::jsonb)
                   ELSE ({before} -> e.key) IS DISTINCT FROM e.value END
    ) d"""

# What a created record's row stores: its values as they are, with whole-row jsonb operators
# rather than a per-field aggregate (a frozen cycle writes thousands of these in a statement):
# the row less the history columns and the ignored ones (its key stays, and marks the shape),
# less its blank fields, with a withheld field's value null. config/changelog.py reads it, and
# the {{column: [null, value]}} rows written before, as the same changes.
CREATED_SQL = "(({after} - {dropped}) - array_remove(ARRAY[{blanks}]::text[], NULL)){withheld}"
BLANK_SQL = "CASE WHEN {after} -> {column} IN ('null'::jsonb, '\"\"'::jsonb) THEN {column} END"
WITHHELD_SQL = (
    " || CASE WHEN {after} -> {column} IN ('null'::jsonb, '\"\"'::jsonb) THEN '{{}}'::jsonb "
    "ELSE jsonb_build_object({column}, NULL) END"
)
CHANGES_SQL = (
    "CASE WHEN {action} = '-' THEN '{{}}'::jsonb WHEN {action} = '+' THEN {created} "
    "ELSE d.changes END"
)

# Signing in saves the account's last_login: a save that changed only ignored columns is not
# a change, and is not logged. A table whose only ignored column is its record's key has no
# such save (the earlier row is the same record's, so its key is the same): the test is left
# out of its statement rather than worked out, always false, for every row.
ONLY_IGNORED_SQL = (
    "({action} = '~' AND {before} IS NOT NULL AND d.changes = '{{}}'::jsonb "
    "AND EXISTS (SELECT 1 FROM unnest({ignored}) AS c "
    "WHERE {before} -> c IS DISTINCT FROM {after} -> c))"
)

# Who made the change, as the pages name them (the user's row joined as `u`).
USER_NAME_SQL = "coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.username)"

BACKFILL_SQL = """
INSERT INTO config_changelogentry
    ("when", record_type, record_id, history_id, action, user_id, user_name, reason, label,
     changes)
SELECT s.history_date, %(record_type)s, s.record_id, s.history_id, s.history_type,
       s.history_user_id, {user_name}, coalesce(s.history_change_reason, ''),
       {label},
       {changes}
FROM (
    SELECT h.history_date, h."{pk}" AS record_id, h.history_id, h.history_type,
           h.history_user_id, h.history_change_reason, to_jsonb(h) AS after,
           CASE WHEN h.history_type = '+' THEN NULL ELSE lag(to_jsonb(h)) OVER w END AS before
    FROM "{table}" h
    WINDOW w AS (PARTITION BY h."{pk}" ORDER BY h.history_id)
) s
LEFT JOIN {user_table} u ON u.id = s.history_user_id
{diff}
WHERE NOT {only_ignored}
ORDER BY s.history_date, s.history_id
"""


@dataclass(frozen=True)
class TableSpec:
    """What the trigger needs to know about one history table."""

    table: str
    record_type: str  # the tracked model's label_lower, e.g. "sites.unit"
    pk: str
    label: tuple[str, ...]  # the record's own columns
    columns: tuple[str, ...]  # the history table's
    hidden: tuple[str, ...]
    ignored: tuple[str, ...]
    # The records it belongs to: (foreign key column, their table, their key, key type, their
    # own label columns, and theirs in turn), outermost last.
    parents: tuple[Parent, ...] = ()


@dataclass(frozen=True)
class Parent:
    column: str
    table: str
    pk: str
    pk_type: str
    label: tuple[str, ...]
    parents: tuple[Parent, ...] = ()


def _label_parts(model: type[models.Model] | None, depth: int = 0) -> tuple[tuple, tuple]:
    """(own columns, parents) for a live model's CHANGE_LOG_LABEL."""
    own: list[str] = []
    parents: list[Parent] = []
    for name in getattr(model, "CHANGE_LOG_LABEL", ()) if model is not None else ():
        field = model._meta.get_field(name)  # type: ignore[union-attr]
        if not field.is_relation:
            own.append(field.column)  # type: ignore[union-attr]
            continue
        if depth >= 3:
            continue
        related = field.related_model
        columns = {f.column for f in related._meta.concrete_fields}
        their_own, theirs = _label_parts(related, depth + 1)
        if not their_own and not theirs:
            their_own = next((c for c in LABEL_CANDIDATES if set(c) <= columns), ())
        target = field.target_field  # type: ignore[union-attr]
        parents.append(
            Parent(
                column=field.column,  # type: ignore[union-attr]
                table=related._meta.db_table,
                pk=target.column,
                pk_type=target.rel_db_type(connection),
                label=tuple(their_own),
                parents=tuple(theirs),
            )
        )
    return tuple(own), tuple(parents)


def _own_label_sql(source: str, own: tuple[str, ...], *, row: bool = False) -> str:
    """The record's own columns joined by spaces (NULL when none has a value): read from the
    jsonb row `source`, or (`row`) from the columns of the table alias `source`."""
    if not own:
        return "NULL::text"
    if row:
        values = ", ".join(f'{source}."{_identifier(column)}"::text' for column in own)
    else:
        values = ", ".join(f"{source} ->> {_literal(_identifier(column))}" for column in own)
    return f"nullif(left(concat_ws(' ', {values}), 200), '')"


def label_sql(
    source: str, own: tuple[str, ...], parents: tuple[Parent, ...], *, depth: int = 0
) -> str:
    """The SQL for a label read from the jsonb row `source` (below the top, `depth` > 0, the
    table alias `source`): its own columns joined by spaces, then each parent's label (read from the
    parent's table as it is now), after commas. A parent's row is read by its key's index and
    its columns as they are, never turned into jsonb: a jsonb key in the lookup is worked out
    again for every row of a table the planner chooses to scan."""
    row = depth > 0
    parts = [_own_label_sql(source, own, row=row)]
    for parent in parents:
        for name in (parent.column, parent.table, parent.pk):
            _identifier(name)
        if not parent.pk_type.replace(" ", "").isalnum():
            raise ValueError(f"Unexpected key type: {parent.pk_type!r}")
        alias = f"parent{depth}"  # each level its own name
        inner = label_sql(alias, parent.label, parent.parents, depth=depth + 1)
        # Names are checked by _identifier and the key type by isalnum above.
        if row:
            key = f'{source}."{parent.column}"'
        else:
            key = f"({source} ->> '{parent.column}')::{parent.pk_type}"
        where = f'{alias}."{parent.pk}" = {key}'
        parts.append(f'(SELECT {inner} FROM "{parent.table}" {alias} WHERE {where})')  # noqa: S608
    if len(parts) == 1:
        return parts[0]
    return f"nullif(left(concat_ws(', ', {', '.join(parts)}), 200), '')"


def label_joins_sql(
    source: str, own: tuple[str, ...], parents: tuple[Parent, ...], *, path: str = ""
) -> tuple[str, list[str]]:
    """As `label_sql`, with each parent's row read by a LEFT JOIN (aliased by its path) rather
    than a subquery per row: (the label expression, the joins it needs, outermost first)."""
    row = bool(path)
    parts = [_own_label_sql(source, own, row=row)]
    joins: list[str] = []
    for index, parent in enumerate(parents):
        for name in (parent.column, parent.table, parent.pk):
            _identifier(name)
        if not parent.pk_type.replace(" ", "").isalnum():
            raise ValueError(f"Unexpected key type: {parent.pk_type!r}")
        alias = f"label{path}_{index}"
        if row:
            key = f'{source}."{parent.column}"'
        else:
            key = f"({source} ->> '{parent.column}')::{parent.pk_type}"
        joins.append(f'LEFT JOIN "{parent.table}" {alias} ON {alias}."{parent.pk}" = {key}')
        inner, theirs = label_joins_sql(alias, parent.label, parent.parents, path=f"{path}_{index}")
        joins.extend(theirs)
        parts.append(inner)
    if len(parts) == 1:
        return parts[0], joins
    return f"nullif(left(concat_ws(', ', {', '.join(parts)}), 200), '')", joins


def table_spec(history_model: type[models.Model], record_type: str) -> TableSpec:
    """The spec from a history model (the live one, or one from a migration's state)."""
    columns = {field.column for field in history_model._meta.concrete_fields}
    try:
        live = global_apps.get_model(record_type)
    except LookupError:
        live = None
    label, parents = _label_parts(live)
    if not set(label) <= columns:  # a migration's state older than the live model
        label, parents = (), ()
    if not label and not parents:
        label = next((c for c in LABEL_CANDIDATES if set(c) <= columns), ())
    hidden = set(getattr(live, "SPECIAL_CATEGORY_FIELDS", ())) | ALWAYS_WITHHELD
    if live is not None:
        hidden = {live._meta.get_field(name).column for name in hidden if _has(live, name)}
    pk = "id" if "id" in columns else sorted(columns)[0]
    return TableSpec(
        table=history_model._meta.db_table,
        record_type=record_type,
        pk=pk,
        label=label,
        columns=tuple(sorted(columns)),
        hidden=tuple(sorted(hidden & columns)),
        ignored=tuple(sorted((IGNORED | {pk}) & columns)),
        parents=parents if {p.column for p in parents} <= columns else (),
    )


def _has(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def functions_install(cursor) -> None:
    user_table = connection.ops.quote_name(get_user_model()._meta.db_table)
    cursor.execute(FUNCTIONS_SQL.replace("{user_table}", user_table))


def _user_table() -> str:
    return connection.ops.quote_name(get_user_model()._meta.db_table)


def _diff_sql(spec: TableSpec, *, before: str, after: str, action: str) -> dict[str, str]:
    """The diff, the "only ignored columns changed" test and the user's name, from the jsonb
    rows `before` and `after` and the history row's `action` (SQL expressions)."""
    names = {
        "before": before,
        "after": after,
        "hidden": _array(spec.hidden),
        "ignored": _array(spec.ignored),
    }
    only_ignored = "FALSE"
    if set(spec.ignored) - {spec.pk}:
        only_ignored = ONLY_IGNORED_SQL.format(action=action, **names)
    return {
        "diff": DIFF_SQL.format(action=action, **names),
        "only_ignored": only_ignored,
        "changes": CHANGES_SQL.format(action=action, created=_created_sql(spec, after)),
        "user_name": USER_NAME_SQL,
        "user_table": _user_table(),
    }


def _created_sql(spec: TableSpec, after: str) -> str:
    """A created record's stored values, from the jsonb row `after` (CREATED_SQL)."""
    dropped = tuple(
        column
        for column in spec.columns
        if column.startswith("history_") or (column in spec.ignored and column != spec.pk)
    )
    kept = [column for column in spec.columns if column not in dropped and column != spec.pk]
    return CREATED_SQL.format(
        after=after,
        dropped=_array(dropped),
        blanks=", ".join(
            BLANK_SQL.format(after=after, column=_literal(_identifier(c))) for c in kept
        ),
        withheld="".join(
            WITHHELD_SQL.format(after=after, column=_literal(_identifier(c)))
            for c in spec.hidden
            if c in kept
        ),
    )


def trigger_install(cursor, spec: TableSpec) -> None:
    for name in (spec.table, spec.pk, *spec.label, *spec.hidden, *spec.ignored, *spec.columns):
        _identifier(name)
    _literal(spec.record_type)
    index = previous_index_name(spec.table)
    # Only when missing: even with IF NOT EXISTS, PostgreSQL refuses CREATE INDEX on a table
    # with pending trigger events (a migration run in a transaction after history was written).
    cursor.execute("SELECT to_regclass(%s) IS NULL", [f'"{index}"'])
    if cursor.fetchone()[0]:
        cursor.execute(PREVIOUS_INDEX_SQL.format(name=index, table=spec.table, pk=spec.pk))
    parts = _diff_sql(spec, before="b.before", after="n.after", action="n.history_type")
    label, joins = label_joins_sql("n.after", spec.label, spec.parents)
    cursor.execute(
        TRIGGER_FUNCTION_SQL.format(
            function=f"clog_{spec.table}"[:63],
            table=spec.table,
            pk=spec.pk,
            record_type=_literal(spec.record_type),
            label=label,
            label_joins="\n    ".join(joins),
            **parts,
        )
    )


def previous_index_name(table: str) -> str:
    """PREVIOUS_INDEX_SQL's index name: the table's, shortened to fit with a hash of it."""
    digest = hashlib.sha256(table.encode()).hexdigest()[:8]
    return f"{_identifier(table)[:44]}_prev_{digest}"


def _identifier(value: str) -> str:
    if not value.replace("_", "").isalnum():
        raise ValueError(f"Unexpected characters in a column or table name: {value!r}")
    return value


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(_literal(_identifier(v)) for v in values) + "]::text[]"


def _literal(value: str) -> str:
    if not all(ch.isalnum() or ch in "._," for ch in value):
        raise ValueError(f"Unexpected characters in a trigger argument: {value!r}")
    return f"'{value}'"


def backfill(cursor, spec: TableSpec) -> None:
    for name in (spec.table, spec.pk):
        _identifier(name)
    # Run with parameters: the diff's LIKE pattern's % is doubled.
    parts = _diff_sql(spec, before="s.before", after="s.after", action="s.history_type")
    parts = {key: value.replace("%", "%%") for key, value in parts.items()}
    cursor.execute(
        BACKFILL_SQL.format(
            table=spec.table,
            pk=spec.pk,
            label=label_sql("s.after", spec.label, spec.parents),
            **parts,
        ),
        {"record_type": spec.record_type},
    )
