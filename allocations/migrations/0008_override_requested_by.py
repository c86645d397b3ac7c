"""Who asked for an assessment's override, on the assessment itself (the four-eyes rule reads
it there, not the history). Existing overrides are filled from the history row that made them
pending, as the rule read it before."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def requester_from_history(apps, schema_editor):
    Assessment = apps.get_model("allocations", "Assessment")
    HistoricalAssessment = apps.get_model("allocations", "HistoricalAssessment")
    for assessment in Assessment.objects.exclude(override_status="none").only("pk"):
        asked = (
            HistoricalAssessment.objects.filter(id=assessment.pk, override_status="pending")
            .order_by("-history_date", "-history_id")
            .first()
        )
        if asked is not None and asked.history_user_id is not None:
            Assessment.objects.filter(pk=assessment.pk).update(
                override_requested_by_id=asked.history_user_id
            )


class Migration(migrations.Migration):

    dependencies = [
        ('allocations', '0007_private_files'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='override_requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='override requested by'),
        ),
        migrations.AddField(
            model_name='historicalassessment',
            name='override_requested_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='override requested by'),
        ),
        migrations.RunPython(requester_from_history, migrations.RunPython.noop),
    ]
