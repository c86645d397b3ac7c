"""Licences, new-resident visits, breaches and the handbook for the roles (config/roles.py):
who reads them, who signs up and ends licences (officers, team leaders), who progresses
breaches and edits the handbook (sites managers, officers), and what business support sees
to open a resident's account.

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

_READ = [
    "residents.view_licence",
    "residents.view_licenceoccupant",
    "residents.view_unauthorisedoccupant",
    "residents.view_licencedocument",
    "residents.view_newresidentvisit",
    "residents.view_meterreading",
    "residents.view_breach",
    "residents.view_handbooksection",
    "residents.view_handbookedition",
]
_ACCOUNT_OPENING = [
    "residents.view_licence",
    "residents.view_licenceoccupant",
    "residents.view_newresidentvisit",
    "residents.view_meterreading",
    "residents.view_handbooksection",
    "residents.view_handbookedition",
]
_WORK = [
    "residents.add_licence",
    "residents.change_licence",
    "residents.sign_licence",
    "residents.end_licence",
    "residents.add_licenceoccupant",
    "residents.change_licenceoccupant",
    "residents.add_unauthorisedoccupant",
    "residents.change_unauthorisedoccupant",
    "residents.change_newresidentvisit",
    "residents.add_meterreading",
    "residents.add_breach",
]
_BREACHES = ["residents.change_breach"]
_HANDBOOK = [
    "residents.add_handbooksection",
    "residents.change_handbooksection",
    "residents.add_handbookedition",
]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_READ, *_WORK, *_BREACHES, *_HANDBOOK],
    "team_leader": [*_READ, *_WORK, *_BREACHES],
    "auditor": [*_READ],
    "sites_manager": [*_READ, *_BREACHES, *_HANDBOOK],
    "business_support": [*_ACCOUNT_OPENING],
    "head_of_service": [*_READ],
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
        ("config", "0006_roles_projects"),
        ("residents", "0005_licence_signing_visits_breaches_handbook"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
