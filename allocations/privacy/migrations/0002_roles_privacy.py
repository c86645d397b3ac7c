"""Data protection for the roles (config/roles.py): officers and team leaders record and
answer subject access requests; team leaders confirm retention batches; auditors read
requests, batches and the purge register; the head of service reads the register. Copied
here, not imported, so that this migration means the same thing forever. Adds, takes nothing
away."""

from django.db import migrations

_READ_SAR = ["privacy.view_subjectaccessrequest", "privacy.view_subjectaccessexemption"]
_ANSWER_SAR = [
    *_READ_SAR,
    "privacy.add_subjectaccessrequest",
    "privacy.change_subjectaccessrequest",
    "privacy.add_subjectaccessexemption",
]
_REGISTER = ["privacy.view_purgeregisterentry"]
_READ_RETENTION = ["privacy.view_retentionbatch", *_REGISTER]
_CONFIRM = [*_READ_RETENTION, "privacy.confirm_retentionbatch"]

ROLE_PERMISSIONS_ADDED = {
    "officer": _ANSWER_SAR,
    "team_leader": [*_ANSWER_SAR, *_CONFIRM],
    "auditor": [*_READ_SAR, *_READ_RETENTION],
    "head_of_service": _REGISTER,
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
    dependencies = [("privacy", "0001_subject_access_and_retention")]

    operations = [migrations.RunPython(roles_add, roles_remove)]
