"""A lapse date for each direct let already approved when lapsing began (0049 added the
field): DIRECT_LET_LAPSE_DAYS from the day this runs, not from its approval, so that a let
approved long ago is not lapsed the first night without the officers having been warned
(the nightly run puts each in their queue, a week before). A migration of its own, like
0044, each with its history row saying why."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

REASON = "Lapse date given: approved before approved direct lets lapsed"


def lapse_dates_given(apps, schema_editor):
    DirectLet = apps.get_model("allocations", "DirectLet")
    History = apps.get_model("allocations", "HistoricalDirectLet")
    copied = [f.attname for f in History._meta.concrete_fields if not f.name.startswith("history_")]
    lapses_on = timezone.localdate() + timedelta(days=settings.DIRECT_LET_LAPSE_DAYS)
    approved = DirectLet.objects.filter(status="approved", lapses_on__isnull=True)
    for pk in approved.values_list("pk", flat=True).iterator():
        DirectLet.objects.filter(pk=pk).update(lapses_on=lapses_on)
        History.objects.create(
            **DirectLet.objects.filter(pk=pk).values(*copied).get(),
            history_date=timezone.now(),
            history_type="~",
            history_user_id=None,
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("allocations", "0049_direct_let_lapse")]

    operations = [migrations.RunPython(lapse_dates_given, migrations.RunPython.noop)]
