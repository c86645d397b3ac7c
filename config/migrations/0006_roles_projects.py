"""Projects and the work queue for the roles (config/roles.py): who reads projects and tasks,
who adds and changes tasks, who completes the work assigned to them, who runs projects (the
head of service), who sees the team's queue (team leaders) and who reads reminders.

Copied here, not imported, so that this migration means the same thing forever. It adds to
each group and takes nothing away.
"""

from django.db import migrations

_READ = [
    "projects.view_project", "projects.view_workitem", "projects.view_milestone",
    "projects.view_risk", "projects.view_minutes", "projects.view_taskattachment",
]
_COMPLETE = ["projects.complete_workitem"]
_TASKS = ["projects.add_workitem", "projects.change_workitem", "projects.add_taskattachment"]
_TEAM = ["projects.view_team_queue"]
_REMINDERS = ["projects.view_reminder"]
_RUN = [
    "projects.add_project", "projects.change_project", "projects.add_milestone",
    "projects.change_milestone", "projects.add_risk", "projects.change_risk",
    "projects.add_minutes", "projects.change_minutes",
]

ROLE_PERMISSIONS_ADDED = {
    "officer": [*_READ, *_TASKS, *_COMPLETE],
    "team_leader": [*_READ, *_COMPLETE, *_TEAM],
    "auditor": [*_READ, *_REMINDERS],
    "sites_manager": [*_READ, *_COMPLETE],
    "business_support": [*_READ, *_COMPLETE],
    "head_of_service": [*_READ, *_RUN, *_TASKS, *_COMPLETE, *_TEAM, *_REMINDERS],
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
        ("config", "0005_roles_allocations"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_add, roles_remove)]
