"""Sending letters and their wording for the roles (config/roles.py): business support prints
the post room's letters and marks them posted (officers and team leaders may too); officers and
team leaders send again a letter that could not be sent; administrators keep the wording.

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

_POST = ["allocations.post_letter"]
_SEND = ["allocations.send_letter"]
_WORDING = ["allocations.view_letterwording", "allocations.add_letterwording"]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_POST, *_SEND],
    "team_leader": [*_POST, *_SEND],
    "business_support": _POST,
    "administrator": _WORDING,
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
        ("allocations", "0018_letter_wordings_from_templates"),
        ("config", "0006_roles_projects"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
