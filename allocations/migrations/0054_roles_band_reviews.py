"""Reviews of band assessments for the roles (config/roles.py): team leaders decide them.

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

ROLE_PERMISSIONS_ADDED = {
    "team_leader": ["allocations.decide_band_review"],
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
        ("allocations", "0053_band_reviews"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
