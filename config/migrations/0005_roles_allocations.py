"""The allocation engine for the roles (config/roles.py): who reads policies, applications,
vacancies and shortlists; who records, validates and assesses; who approves overrides; who
publishes policy versions; who may open evidence (which can hold health or criminal-record
information).

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

_POLICIES = ["allocations.view_policyversion"]
_READ = [
    *_POLICIES,
    "allocations.view_application", "allocations.view_applicationvalidation",
    "allocations.view_assessment", "allocations.view_vacancy", "allocations.view_bid",
    "allocations.view_shortlistentry",
]
_EVIDENCE = ["allocations.view_evidencedocument"]
_WORK = [
    "allocations.add_application", "allocations.change_application",
    "allocations.validate_application", "allocations.assess_application",
    "allocations.change_priority", "allocations.add_evidencedocument",
    "allocations.add_vacancy", "allocations.change_vacancy", "allocations.add_bid",
    "allocations.freeze_shortlist", "allocations.change_shortlistentry",
]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_READ, *_EVIDENCE, *_WORK],
    "team_leader": [*_READ, *_EVIDENCE, *_WORK, "allocations.approve_override"],
    "auditor": [*_READ, *_EVIDENCE],
    "sites_manager": [*_POLICIES, "allocations.view_vacancy"],
    "business_support": [*_POLICIES],
    "head_of_service": [*_READ],
    "administrator": [*_POLICIES, "allocations.publish_policyversion"],
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
        ("config", "0004_history_change_reason_text"),
        ("allocations", "0003_default_policies"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
