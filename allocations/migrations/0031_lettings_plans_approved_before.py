"""Plans made before approval was recorded were in use: mark them approved from the day they
were made (their first history record), so adverts under them keep working."""

from django.db import migrations
from django.utils import timezone

REASON = "Approved before approval was recorded"


def approve_existing(apps, schema_editor):
    Plan = apps.get_model("allocations", "LocalLettingsPlan")
    History = apps.get_model("allocations", "HistoricalLocalLettingsPlan")
    for plan in Plan.objects.filter(approved_at__isnull=True):
        first = History.objects.filter(id=plan.pk).order_by("history_date").first()
        made = first.history_date if first is not None else timezone.now()
        plan.starts_on = plan.starts_on or timezone.localdate(made)
        plan.approved_at = made
        plan.approval_reason = REASON
        plan.save(update_fields=["starts_on", "approved_at", "approval_reason"])


def unapprove(apps, schema_editor):
    Plan = apps.get_model("allocations", "LocalLettingsPlan")
    Plan.objects.filter(approval_reason=REASON, approved_by__isnull=True).update(
        approved_at=None, approval_reason="", starts_on=None
    )


class Migration(migrations.Migration):
    dependencies = [("allocations", "0030_lettings_plan_approval")]

    operations = [migrations.RunPython(approve_existing, unapprove)]
