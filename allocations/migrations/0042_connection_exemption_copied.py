"""Who recorded each household's exemption from the local connection test, when and why,
copied onto the application (0041 added the fields) for exemptions recorded before they were
kept there. A migration of its own: run in the same transaction as 0041's new columns, the
history rows it writes left foreign-key checks pending when Django then built those columns'
indexes ("cannot CREATE INDEX ... because it has pending trigger events")."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

# The reason of the history row each copy below writes.
REASON = (
    "Who recorded the exemption from the local connection test, when and why: kept on the "
    "application from now on, copied from the history row that recorded it"
)
# How the service began the reason of a recording before this migration: the group, then
# (after ": ") the officer's own words. Read here once, to copy old recordings; never at run time.
RECORDED = ("Exempt from the connection test as ", "Still exempt from the connection test as ")


def officer_words(history_reason: str) -> str:
    """The officer's words in an old recording's reason ("Exempt from the connection test as
    <group>[ (was <group>)]: <words>"); the reason whole when it is not one of those."""
    for prefix in RECORDED:
        if history_reason.startswith(prefix):
            rest = history_reason.removeprefix(prefix)
            separator = "): " if " (was " in rest and "): " in rest else ": "
            if separator in rest:
                return rest.split(separator, 1)[1].strip() or history_reason
    return history_reason


def exemptions_recorded_from_history(apps, schema_editor):
    """An exemption recorded before who, when and why were kept on the application: from the
    latest recording of its group (the latest history row since the group was last something
    else whose reason is a recording, "Exempt ..." or "Still exempt ...", as the service now
    keeps the latest; else the first row that set it), the officer's words cut from that row's
    reason. Each copy writes a history row of its own, so that no later change to the
    application is credited with it."""
    Application = apps.get_model("allocations", "Application")
    History = apps.get_model("allocations", "HistoricalApplication")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    copied = [f.attname for f in History._meta.concrete_fields if not f.name.startswith("history_")]
    exempt = Application.objects.exclude(connection_exempt_group="").filter(
        connection_exempt_recorded_at__isnull=True
    )
    for pk, group in exempt.values_list("pk", "connection_exempt_group").iterator():
        rows = History.objects.filter(id=pk)
        before = rows.exclude(connection_exempt_group=group).order_by("-history_id").first()
        since = rows.filter(
            connection_exempt_group=group, history_id__gt=before.history_id if before else 0
        )
        recordings = [
            row
            for row in since.order_by("-history_id")
            if (row.history_change_reason or "").startswith(RECORDED)
        ]
        setting = recordings[0] if recordings else since.order_by("history_id").first()
        if setting is None:  # no history of it: the page says to see the History page
            continue
        user_id = setting.history_user_id
        if user_id is not None and not User.objects.filter(pk=user_id).exists():
            user_id = None  # an account since deleted: its name is in the history
        Application.objects.filter(pk=pk).update(
            connection_exempt_reason=officer_words(setting.history_change_reason or ""),
            connection_exempt_recorded_by_id=user_id,
            connection_exempt_recorded_at=setting.history_date,
        )
        History.objects.create(
            **Application.objects.filter(pk=pk).values(*copied).get(),
            history_date=timezone.now(),
            history_type="~",
            history_user_id=None,
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("allocations", "0041_connection_exemption_recorded"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(exemptions_recorded_from_history, migrations.RunPython.noop),
    ]
