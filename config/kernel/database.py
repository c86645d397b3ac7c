"""Least-privilege database access: the schema's owner migrates, the application owns nothing.

Two PostgreSQL roles (`config/dev/database_roles.py` makes them for `make run` and `make test`;
docker-compose's `config/docker/initdb/` for the stack):

- the **owner** (`MIGRATION_DATABASE_URL`) owns the database, its tables, sequences, functions
  and triggers; only `manage.py migrate` connects as it (config/management/commands/migrate.py);
- the **application** (`DATABASE_URL`: web, worker, beat, every other command) owns nothing,
  is not a superuser, so it cannot TRUNCATE, ALTER TABLE … DISABLE TRIGGER (both need
  ownership or the TRUNCATE privilege) or SET session_replication_role (superuser only).

After every migrate, `application_grants()` (connected as the owner) gives the application
SELECT, INSERT, UPDATE and DELETE on every table, except the append-only ones, on which it
gets SELECT and INSERT only. The append-only tables are:

- every history table (django-simple-history's, found by `config.history.historical_models`),
  so a history table added later joins by itself;
- each table named in `APPEND_ONLY_TABLES` below: a new append-only table (a log, a change
  record) joins by adding its name here, nothing else.

History tables also keep their trigger that refuses UPDATE and DELETE to everyone (the owner
included), so a write that the grants let through by mistake is still refused.

The retention purge (privacy/purge.py) does not widen the application's rights. Its narrow
path: `purge_rows(table, column, ids)` (config/history.py), owned by the owner and run with
its rights (`SECURITY DEFINER`), `EXECUTE` granted to the application here and to no one else;
it sets the transaction-local flag `app.purge` for its own DELETE, the one thing the history
trigger lets through.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections
from psycopg import sql

# Append-only tables that are not history tables: the application may only add and read rows.
APPEND_ONLY_TABLES: tuple[str, ...] = (
    # Who was shown which special-category fields (residents.SpecialCategoryView).
    "residents_specialcategoryview",
    # Who at a registered provider was shown which nomination (allocations.NominationShowing).
    "allocations_nominationshowing",
    # The change log (written by a trigger on every history table) and who opened which
    # household or application page (config.changelog).
    "config_changelogentry",
    "config_recordview",
    # The purge register: what the retention purge deleted, by rule (privacy.PurgeRegisterEntry).
    "privacy_purgeregisterentry",
    # Which migrations ran: the application reads it (migrate --check), only the owner writes.
    "django_migrations",
)


def append_only_tables() -> list[str]:
    """Every table on which the application may only INSERT and SELECT."""
    from config.history import historical_models

    tables = {model._meta.db_table for model in historical_models()}
    tables.update(APPEND_ONLY_TABLES)
    return sorted(tables)


def application_role() -> str:
    """The role the application connects as (DATABASE_URL's user), or "" when it is unknown."""
    return getattr(settings, "DATABASE_APPLICATION_ROLE", "") or ""


def application_grants(using: str = "default", **kwargs: Any) -> None:
    """Give the application role exactly its rights on every table (run as the owner).

    A post_migrate receiver: runs after every migrate, so tables added later are covered.
    Does nothing when the application connects as the migrating role itself (one role).
    """
    role = application_role()
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (current,) = cursor.fetchone()
        if not role or role == current:
            return
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            return
        existing = set(connection.introspection.table_names(cursor))
        append_only = [table for table in append_only_tables() if table in existing]
        who = sql.Identifier(role)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(who),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(who),
            sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(who),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
        ]
        statements += [
            sql.SQL("GRANT EXECUTE ON FUNCTION purge_rows(text, text, bigint[]) TO {}").format(who),
            sql.SQL("GRANT EXECUTE ON FUNCTION purge_redact(text, text, text) TO {}").format(who),
        ]
        statements += [
            sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), who)
            for table in append_only
        ]
        for statement in statements:
            cursor.execute(statement.as_string(connection.connection))
