"""Nominations to registered providers for the roles (config/roles.py): officers and team
leaders nominate and review rejections; auditors and the head of service read nominations and
the per-provider report (auditors and the nominating roles also the log of showings to
providers); administrators keep providers and their staff; and the new role of a registered
provider's staff, who may only answer their own provider's nominations. Copied here, not
imported, so that this migration means the same thing forever. Adds, takes nothing away."""

from django.db import migrations

_READ = [
    "allocations.view_nomination",
    "allocations.view_provider_report",
    "sites.view_registeredprovider",
]
_WORK = ["allocations.add_nomination", "allocations.change_nomination"]
_SHOWINGS = ["allocations.view_nominationshowing"]
_PROVIDERS = [
    "sites.view_registeredprovider",
    "sites.add_registeredprovider",
    "sites.change_registeredprovider",
    "sites.view_providerstaff",
    "sites.add_providerstaff",
    "sites.change_providerstaff",
]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_READ, *_WORK, *_SHOWINGS],
    "team_leader": [*_READ, *_WORK, *_SHOWINGS],
    "auditor": [*_READ, *_SHOWINGS],
    "head_of_service": _READ,
    "administrator": _PROVIDERS,
    "provider_staff": ["allocations.answer_nomination"],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=label, codename=codename)
        for label, codename in (dotted.split(".") for dotted in codenames)
    ]


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
        ("allocations", "0027_nominations_to_registered_providers"),
        ("sites", "0005_registered_providers_and_their_homes"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
