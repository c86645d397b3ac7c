"""The history guard's one way through (config/history.py): the trigger function that refuses
UPDATE and DELETE on history tables now lets a DELETE through while the transaction-local flag
`app.purge` is on, and the SECURITY DEFINER function `purge_rows()` (the retention purge's
path, privacy/purge.py) is the only thing that sets it. Installed again after every migrate,
with the application's EXECUTE grant (config/kernel/database.py)."""

from django.db import migrations

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

# Copied from config/history.py, not imported, so this migration means the same forever.
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

_PROTECT_FUNCTION_BEFORE = """
CREATE OR REPLACE FUNCTION history_row_protect() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'History rows cannot be changed or deleted (table %)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_roles_privacy")]

    operations = [
        migrations.RunSQL(
            [_PROTECT_FUNCTION, PURGE_FUNCTION],
            [_PROTECT_FUNCTION_BEFORE, "DROP FUNCTION IF EXISTS purge_rows(text, text, bigint[])",
             "DROP FUNCTION IF EXISTS purge_redact(text, text, text)"],
        )
    ]
