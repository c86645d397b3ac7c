"""The document inbox and the communications log for the roles (config/roles.py): business
support uploads scans; officers and team leaders file them and record calls and visits;
auditors read both; the head of service reads the communications log.

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

_UPLOAD = ["allocations.add_inboxdocument", "allocations.view_inboxdocument"]
_FILE = [*_UPLOAD, "allocations.change_inboxdocument"]
_READ_LOG = ["allocations.view_contact"]
_RECORD = ["allocations.add_contact"]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_FILE, *_READ_LOG, *_RECORD],
    "team_leader": [*_FILE, *_READ_LOG, *_RECORD],
    "auditor": [*_READ_LOG, "allocations.view_inboxdocument"],
    "business_support": _UPLOAD,
    "head_of_service": _READ_LOG,
}


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
    dependencies = [
        ("allocations", "0011_inbox_and_contacts"),
        ("config", "0006_roles_projects"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
