"""Scheduled census work: reminders of rounds and returns running late (config beat)."""

from celery import shared_task
from django.utils import timezone

from census import services
from config.history import acting_as, system_user


# Idempotent (work items keyed by source), so a rerun after a lost worker is safe.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=240)
def census_reminders_create() -> dict:
    system = system_user()
    with acting_as(system):
        items = services.census_reminders(today=timezone.localdate(), by=system)
    return {"work_items": len(items)}
