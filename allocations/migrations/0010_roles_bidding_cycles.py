"""Bidding cycles for the roles (config/roles.py): every role that reads vacancies reads the
cycles' history too. Adds, takes nothing away."""

from django.db import migrations


def roles_add(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_cycle = Permission.objects.get(
        content_type__app_label="allocations", codename="view_biddingcycle"
    )
    for group in Group.objects.filter(
        permissions__content_type__app_label="allocations", permissions__codename="view_vacancy"
    ):
        group.permissions.add(view_cycle)


def roles_remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_cycle = Permission.objects.filter(
        content_type__app_label="allocations", codename="view_biddingcycle"
    ).first()
    if view_cycle is not None:
        for group in Group.objects.all():
            group.permissions.remove(view_cycle)


class Migration(migrations.Migration):
    dependencies = [("allocations", "0009_cbl_cycles_bids_connections")]

    operations = [migrations.RunPython(roles_add, roles_remove)]
