"""The whole change log for auditors (config/roles.py): they read every record's changes.
The head of service and administrators, who also read the change log, read the changes of
the record types they may view.

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

ROLE_PERMISSIONS_ADDED = {"auditor": ["config.view_whole_change_log"]}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for dotted in codenames:
        app_label, codename = dotted.split(".")
        permissions.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return permissions


def roles_add(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    for role, codenames in ROLE_PERMISSIONS_ADDED.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*_permissions(apps, codenames))


def roles_remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, codenames in ROLE_PERMISSIONS_ADDED.items():
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [("config", "0011_access_whole_change_log")]

    operations = [migrations.RunPython(roles_add, roles_remove)]
