"""Fill the change log from the history already recorded, with the same diff the trigger uses.

Reads the history tables as this migration's state has them (not the live models), so it runs
the same however many migrations come after it. The triggers that keep the log from now on are
installed after every migrate (config.history.change_log_triggers_install).
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from config import changelog_writing

    existing = set(schema_editor.connection.introspection.table_names())
    with schema_editor.connection.cursor() as cursor:
        changelog_writing.functions_install(cursor)
        for model in apps.get_models():
            name = model._meta.model_name
            if not name.startswith("historical") or "history_id" not in {
                f.name for f in model._meta.fields
            }:
                continue
            if model._meta.db_table not in existing:
                continue
            tracked = model._meta.get_field("history_user").model  # the history model itself
            record_type = f"{tracked._meta.app_label}.{name.removeprefix('historical')}"
            if record_type == "config.user":
                record_type = "auth.user"
            changelog_writing.backfill(cursor, changelog_writing.table_spec(model, record_type))


class Migration(migrations.Migration):
    dependencies = [
        ("config", "0007_change_log_and_records_viewed"),
        ("sites", "0002_history_change_reason_text"),
        ("residents", "0008_private_file_fields"),
        ("allocations", "0008_override_requested_by"),
        ("projects", "0003_attachments_private_file_field"),
        ("census", "0002_roles_census"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
