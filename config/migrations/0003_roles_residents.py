"""Households and people for the roles (config/roles.py): who reads them, who records them,
and who may see special-category data (ethnicity, Gypsy or Traveller status, health).

The additions are copied here, not imported, so that this migration means the same thing
forever. It adds to each group and takes nothing away (0002 set the groups' other permissions).
"""

from django.db import migrations

_READ = ["residents.view_household", "residents.view_person"]
_WRITE = [
    "residents.add_household", "residents.change_household",
    "residents.add_person", "residents.change_person",
]
_SPECIAL = ["config.view_special_category"]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_READ, *_WRITE, *_SPECIAL],
    "team_leader": [*_READ, *_WRITE, *_SPECIAL],
    "auditor": [*_READ, *_SPECIAL, "residents.view_specialcategoryview"],
    "sites_manager": [*_READ],
    "business_support": [*_READ],
    "head_of_service": [*_READ],
    "administrator": [*_READ],
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
        ("config", "0002_roles"),
        ("residents", "0002_household_contact_person_details"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
