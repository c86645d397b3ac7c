"""A record's page lists many kinds of related rows, most of them empty for most records: ask in
the record's own query which kinds have any rows (`has_rows`), then read only those
(`prefetch_present`). The others are known to be empty and cost no query, so a page's queries
stay fixed however many rows it shows, and fall with the kinds it has none of (issue 18).

The kinds a page nearly always shows can instead be read in the record's own query
(`rows_json`: each kind's rows, with the rows they point to, as one JSON list) and made into
model instances from it (`rows_from_json`): no query of their own at all."""

import decimal
import uuid
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, cast

from django.db import router
from django.db.models import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    JSONField,
    Model,
    Prefetch,
    QuerySet,
    UUIDField,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.reverse_related import ForeignObjectRel


def _relation(model: type[Model], name: str) -> ForeignObjectRel:
    for relation in model._meta.related_objects:
        if relation.get_accessor_name() == name and (relation.one_to_many or relation.one_to_one):
            return relation
    raise ValueError(f"{model.__name__} has no reverse foreign key or one-to-one {name!r}")


def _related_model(relation: ForeignObjectRel) -> type[Model]:
    return cast(type[Model], relation.related_model)


@cache
def has_rows(model: type[Model], *names: str) -> dict[str, RawSQL]:
    """Annotations `has_<name>` for each reverse foreign key (or one-to-one) `name` of `model`:
    whether the row has any. Plain EXISTS over the foreign key's index, written from the
    models' metadata, so the ORM has nothing to compile (the row's own table is the query's,
    never aliased). Made once for each model and names (annotate copies what it is given)."""
    table = model._meta.db_table
    annotations = {}
    for name in names:
        relation = _relation(model, name)
        related = _related_model(relation)._meta.db_table
        column = relation.field.column
        target = relation.field.target_field.column
        # Names from the models' metadata only, never from input.
        sql = f'EXISTS (SELECT 1 FROM "{related}" WHERE "{related}"."{column}" = "{table}"."{target}")'  # noqa: E501, S608
        annotations[f"has_{name}"] = RawSQL(sql, (), output_field=BooleanField())  # noqa: S611
    return annotations


def prefetch_present(record: Model, lookups: dict[str, Callable[[], QuerySet] | None]) -> None:
    """Prefetch each of `record`'s related lists (name → a function making its queryset, None
    for the plain one) that `has_rows` found rows in, one query each; the others are cached
    empty, no query (and no queryset made). `record.<name>.all()` then reads the cache as
    after `prefetch_related`."""
    wanted: list[str | Prefetch] = []
    prefetched = record.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, queryset in lookups.items():
        if getattr(record, f"has_{name}"):
            wanted.append(name if queryset is None else Prefetch(name, queryset=queryset()))
        else:
            # As prefetch_related leaves it: a queryset already read, here as empty.
            relation = _relation(type(record), name)
            empty: Any = _related_model(relation)._default_manager.none()
            empty._result_cache = []
            empty._prefetch_done = True
            prefetched[relation.cache_name] = empty
    if wanted:
        prefetch_related_objects([record], *wanted)


# --- Rows read in the record's own query, as JSON --------------------------------------------

# The key each related row is nested under in its row's JSON (never a column's name).
RELATED_KEY = "@{}"


def _forward(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a foreign key")
    return cast(Field, field)


def _tree(paths: Iterable[str]) -> dict[str, dict]:
    """("vacancy__unit__site", "made_by") → {"vacancy": {"unit": {"site": {}}}, "made_by": {}}."""
    tree: dict[str, dict] = {}
    for path in paths:
        branch = tree
        for name in path.split("__"):
            branch = branch.setdefault(name, {})
    return tree


def _row_sql(model: type[Model], alias: str, tree: dict[str, dict], depth: int) -> str:
    """The JSON of one row of `model` (table alias `alias`), with each related row in `tree`
    nested under RELATED_KEY (null when the foreign key is)."""
    if not tree:
        return f'to_jsonb("{alias}")'
    nested: list[str] = []
    for name, branch in tree.items():
        field = _forward(model, name)
        related = cast(type[Model], field.related_model)
        inner = f"r{depth}_{len(nested)}"
        target = field.target_field.column  # type: ignore[attr-defined]
        row = _row_sql(related, inner, branch, depth + 1)
        where = f'"{inner}"."{target}" = "{alias}"."{field.column}"'
        select = f'SELECT {row} FROM "{related._meta.db_table}" AS "{inner}" WHERE {where}'  # noqa: S608
        nested.append(f"'{RELATED_KEY.format(name)}', ({select})")
    return f'(to_jsonb("{alias}") || jsonb_build_object({", ".join(nested)}))'


def _order_sql(model: type[Model], alias: str) -> str:
    """The model's default ordering (Meta.ordering, plain fields only), as SQL."""
    terms = []
    for item in model._meta.ordering or ():
        if not isinstance(item, str) or "__" in item or item == "?":
            raise ValueError(f"{model.__name__}: only plain fields can order rows read as JSON")
        name = item.lstrip("-")
        field = cast(Field, model._meta.pk if name == "pk" else model._meta.get_field(name))
        terms.append(f'"{alias}"."{field.column}"' + (" DESC" if item.startswith("-") else ""))
    return f" ORDER BY {', '.join(terms)}" if terms else ""


@cache
def rows_json(
    model: type[Model], name: str, related: tuple[str, ...] = (), via: str = ""
) -> RawSQL:
    """An annotation of a query of `model` (or, `via` its foreign key of that name, of the
    model it points to): the rows of the reverse foreign key `name`, in their model's ordering,
    as a JSON list (empty when none), each with the rows its `related` foreign keys (paths as
    in select_related) point to. Written from the models' metadata, as `has_rows`;
    `rows_from_json` makes the instances."""
    table = model._meta.db_table
    owner = cast(type[Model], _forward(model, via).related_model) if via else model
    relation = _relation(owner, name)
    kind = _related_model(relation)
    alias = "k"
    row = _row_sql(kind, alias, _tree(related), 0)
    column = relation.field.column
    target = _forward(model, via).column if via else relation.field.target_field.column
    # Names from the models' metadata only, never from input.
    rows = f"COALESCE(jsonb_agg({row}{_order_sql(kind, alias)}), '[]'::jsonb)"
    where = f'"{alias}"."{column}" = "{table}"."{target}"'
    sql = f'(SELECT {rows} FROM "{kind._meta.db_table}" AS "{alias}" WHERE {where})'  # noqa: S608
    return RawSQL(sql, (), output_field=JSONField())  # noqa: S611


def _converter(field: Field) -> Callable[[Any], Any] | None:
    """How a column's value from its row's JSON becomes what the database adapter would have
    given (None: as it is; a null stays None)."""
    if isinstance(field, JSONField):
        if field.decoder is not None:
            raise ValueError(f"{field}: a JSON field with its own decoder cannot be read as JSON")
        return None
    if isinstance(field, DateField):  # and DateTimeField: ISO 8601 text, with its offset
        return field.to_python
    if isinstance(field, DecimalField):  # a JSON number: as many places as the column keeps
        places = decimal.Decimal(1).scaleb(-field.decimal_places)
        return lambda value: decimal.Decimal(str(value)).quantize(places)
    if isinstance(field, UUIDField):
        return uuid.UUID
    if hasattr(field, "from_db_value"):
        raise ValueError(f"{field}: a field converting its own values cannot be read as JSON")
    return None


@cache
def _columns(model: type[Model]) -> tuple[list[str], list[tuple[str, Callable | None]]]:
    """The model's attribute names, and each column with its converter: worked out once for
    each model, not for each row."""
    fields = model._meta.concrete_fields
    return (
        [field.attname for field in fields],
        [(field.column, _converter(field)) for field in fields],
    )


def _instance(model: type[Model], data: dict[str, Any], tree: dict[str, dict]) -> Model:
    names, columns = _columns(model)
    values = []
    for column, convert in columns:
        value = data[column]
        values.append(value if convert is None or value is None else convert(value))
    instance = model.from_db(router.db_for_read(model), names, values)
    for name, branch in tree.items():
        found = data[RELATED_KEY.format(name)]
        related = cast(type[Model], _forward(model, name).related_model)
        setattr(instance, name, _instance(related, found, branch) if found else None)
    return instance


def rows_from_json(
    record: Model, name: str, rows: list[dict[str, Any]], related: tuple[str, ...] = ()
) -> list[Model]:
    """The instances `rows_json(type(record), name, related)` read, with their related rows
    and `record` itself cached, so reading any of them asks no query."""
    relation = _relation(type(record), name)
    kind = _related_model(relation)
    tree = _tree(related)
    instances = [_instance(kind, row, tree) for row in rows]
    for instance in instances:
        setattr(instance, relation.field.name, record)
    return instances
