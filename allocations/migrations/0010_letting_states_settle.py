"""Give every unit the one letting state its records say (data only: the constraints follow)."""

from django.db import migrations

OPEN = ["draft", "advertised", "closed"]
SETTLED = "Withdrawn when each unit was given one letting state: the unit already had "


def letting_states_settle(apps, schema_editor):
    """Give every unit the one letting state its records say, and withdraw any open vacancy
    that contradicts an agreement or a newer open vacancy (the unit is let once)."""
    Unit = apps.get_model("sites", "Unit")
    Vacancy = apps.get_model("allocations", "Vacancy")
    Offer = apps.get_model("allocations", "Offer")
    Licence = apps.get_model("residents", "Licence")
    for unit in Unit.objects.all().iterator():
        licences = Licence.objects.filter(unit_id=unit.pk)
        open_vacancies = list(
            Vacancy.objects.filter(unit_id=unit.pk, status__in=OPEN).order_by("-created_at", "-pk")
        )
        status = unit.status
        if licences.filter(status="live").exists():
            status, clash = "occupied", "a live agreement"
        elif licences.filter(status="draft").exists():
            status, clash = "allocated", "a draft agreement"
        else:
            clash = "a newer open vacancy"
            if open_vacancies:
                keep = open_vacancies.pop(0)
                live_offer = Offer.objects.filter(
                    vacancy_id=keep.pk, status__in=["open", "accepted"]
                ).exists()
                status = "under_offer" if live_offer else "advertised"
            elif status not in ("occupied", "unavailable"):
                status = "void"
        for vacancy in open_vacancies:
            Offer.objects.filter(vacancy_id=vacancy.pk, status__in=["open", "accepted"]).update(
                status="withdrawn", withdrawal_reason=SETTLED + clash
            )
            vacancy.status = "withdrawn"
            vacancy.withdrawal_reason = SETTLED + clash
            vacancy.save(update_fields=["status", "withdrawal_reason"])
        if status != unit.status:
            unit.status = status
            if status in ("void", "advertised", "under_offer", "allocated") and not unit.void_date:
                unit.void_date = unit.updated_at.date()
                unit.void_reason = unit.void_reason or "other"
            unit.save(update_fields=["status", "void_date", "void_reason"])



class Migration(migrations.Migration):
    dependencies = [("allocations", "0009_vacancy_withdraw_close_early_fall_through_pitch_need")]

    operations = [migrations.RunPython(letting_states_settle, migrations.RunPython.noop)]
