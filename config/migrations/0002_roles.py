"""The service's roles as groups, with the permissions each holds (config/roles.py).

The table is copied here, not imported, so that this migration means the same thing forever;
a later change to the roles is a new migration.
"""

from django.db import migrations

ROLE_PERMISSIONS = {
    "officer": [
        "sites.view_site", "sites.view_unit", "sites.add_site", "sites.change_site",
        "sites.add_unit", "sites.change_unit",
    ],
    "team_leader": [
        "sites.view_site", "sites.view_unit", "sites.add_site", "sites.change_site",
        "sites.add_unit", "sites.change_unit",
    ],
    "auditor": ["sites.view_site", "sites.view_unit", "config.view_change_log"],
    "sites_manager": [
        "sites.view_site", "sites.view_unit", "sites.add_site", "sites.change_site",
        "sites.add_unit", "sites.change_unit",
    ],
    "business_support": ["sites.view_site", "sites.view_unit"],
    "head_of_service": ["sites.view_site", "sites.view_unit", "config.view_change_log"],
    "administrator": [
        "sites.view_site", "sites.view_unit", "sites.add_site", "sites.change_site",
        "sites.add_unit", "sites.change_unit", "config.view_change_log",
        "auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group",
    ],
}


def roles_set(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("config", "0001_initial"),
        ("sites", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_set, migrations.RunPython.noop)]
