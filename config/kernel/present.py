"""A record's page lists many kinds of related rows, most of them empty for most records: ask in
the record's own query which kinds have any rows (`has_rows`), then read only those
(`prefetch_present`). The others are known to be empty and cost no query, so a page's queries
stay fixed however many rows it shows, and fall with the kinds it has none of (issue 18)."""

from collections.abc import Callable
from functools import cache
from typing import Any, cast

from django.db.models import BooleanField, Model, Prefetch, QuerySet, prefetch_related_objects
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
