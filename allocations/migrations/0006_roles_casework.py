"""Casework for the roles (config/roles.py): officers and team leaders run interviews, checks
with partners, site visits, offers and proposals; team leaders also record exceptions to the
checks, approve or send back allocation decisions and review past ones; auditors and the head
of service read it all.

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

_READ = [
    "allocations.view_partner", "allocations.view_duediligencecheck",
    "allocations.view_checkexception", "allocations.view_interview",
    "allocations.view_sitevisit", "allocations.view_offer",
    "allocations.view_allocationdecision", "allocations.view_decisionreview",
]
_WORK = [
    "allocations.add_partner", "allocations.change_partner",
    "allocations.add_duediligencecheck", "allocations.change_duediligencecheck",
    "allocations.add_interview", "allocations.change_interview",
    "allocations.add_sitevisit", "allocations.change_sitevisit",
    "allocations.add_offer", "allocations.change_offer",
    "allocations.add_allocationdecision",
]
_DECIDE = [
    "allocations.add_checkexception", "allocations.approve_allocationdecision",
    "allocations.add_decisionreview",
]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_READ, *_WORK],
    "team_leader": [*_READ, *_WORK, *_DECIDE],
    "auditor": [*_READ],
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
        ("allocations", "0005_casework"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
