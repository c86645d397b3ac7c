"""Every tracked record's history: django-simple-history's HistoricalRecords, with the history
row inserted by a statement made once per history model.

django-simple-history saves each history row through the ORM (`Model.save()`), which works out
the same INSERT again on every save (the history model's fields, their placeholders, the
statement) and sends the history model's own pre_save and post_save signals, which nothing
receives. Here the statement is made once per history model and database, and each save only
prepares the row's values, as the ORM does (each field's `pre_save` and `get_db_prep_save`):
the same row, with the same values, in the same transaction, and simple-history's own
`pre_create_historical_record` and `post_create_historical_record` signals are still sent.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone
from simple_history import models as simple_history_models
from simple_history.signals import (
    post_create_historical_record,
    pre_create_historical_record,
)

_KEYS_MADE_BY_THE_DATABASE = (models.AutoField, models.BigAutoField, models.SmallAutoField)


@cache
def _insert_statement(model: type[models.Model], alias: str) -> tuple[str, tuple]:
    """The history model's INSERT on database `alias`, and the fields it takes, in order."""
    quote = connections[alias].ops.quote_name
    key = model._meta.pk
    fields = tuple(field for field in model._meta.concrete_fields if field is not key)
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608 (names only)
        f"VALUES ({placeholders}) RETURNING {quote(key.column)}"
    )
    return statement, fields


class HistoricalRecords(simple_history_models.HistoricalRecords):
    """django-simple-history's HistoricalRecords; its history rows inserted as said above."""

    def create_historical_record(self, instance, history_type, using=None) -> None:
        # As django-simple-history's own (3.13), but for the row's INSERT.
        using = using if self.use_base_model_db else None
        history_date = getattr(instance, "_history_date", timezone.now())
        history_user = self.get_history_user(instance)
        history_change_reason = self.get_change_reason_for_object(instance, history_type, using)
        manager = getattr(instance, self.manager_name)

        attrs: dict[str, Any] = {}
        for field in self.fields_included(instance):
            attrs[field.attname] = getattr(instance, field.attname)

        relation_field = getattr(manager.model, "history_relation", None)
        if relation_field is not None:
            attrs["history_relation"] = instance

        if history_user is not None and history_user.pk is None:
            # The ORM's save refuses an unsaved related object; so does this insert.
            raise ValueError("A history row needs a saved user: save the user first.")
        history_instance = manager.model(
            history_date=history_date,
            history_type=history_type,
            history_user=history_user,
            history_change_reason=history_change_reason,
            **attrs,
        )

        pre_create_historical_record.send(
            sender=manager.model,
            instance=instance,
            history_date=history_date,
            history_user=history_user,
            history_change_reason=history_change_reason,
            history_instance=history_instance,
            using=using,
        )

        history_row_insert(history_instance, using=using)
        self.create_historical_record_m2ms(history_instance, instance)

        post_create_historical_record.send(
            sender=manager.model,
            instance=instance,
            history_instance=history_instance,
            history_date=history_date,
            history_user=history_user,
            history_change_reason=history_change_reason,
            using=using,
        )


def history_row_insert(row: models.Model, *, using: str | None = None) -> None:
    """Insert a new history row (its key left to the database), as `row.save()` would."""
    model = type(row)
    if model._meta.parents or not isinstance(model._meta.pk, _KEYS_MADE_BY_THE_DATABASE):
        row.save(using=using)  # a key made in Python (SIMPLE_HISTORY_HISTORY_ID_USE_UUID)
        return
    alias = using or router.db_for_write(model, instance=row)
    connection = connections[alias]
    statement, fields = _insert_statement(model, alias)
    values = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
        cursor.execute(statement, values)
        (key,) = cursor.fetchone()
    row.pk = key
    row._state.adding = False
    row._state.db = alias
