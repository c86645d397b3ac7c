"""The census for the roles (config/roles.py): officers and team leaders run it; auditors and
sites managers read rounds, returns and differences; the head of service reads the rounds'
progress, reports and caravan counts (figures, not the names on returns).

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

_READ_ROUNDS = [
    "census.view_censusround", "census.view_census_report", "census.view_caravancount",
]
_READ_RETURNS = ["census.view_censusreturn", "census.view_censusdifference"]
_RUN = [
    "census.add_censusround", "census.change_censusround", "census.change_censusreturn",
    "census.change_censusdifference", "census.add_caravancount", "census.change_caravancount",
]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_READ_ROUNDS, *_READ_RETURNS, *_RUN],
    "team_leader": [*_READ_ROUNDS, *_READ_RETURNS, *_RUN],
    "auditor": [*_READ_ROUNDS, *_READ_RETURNS],
    "sites_manager": [*_READ_ROUNDS, *_READ_RETURNS],
    "head_of_service": [*_READ_ROUNDS],
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
        ("census", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
