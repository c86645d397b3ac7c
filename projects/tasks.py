"""Scheduled work for projects: reminders of tasks due tomorrow, overdue, and risks to review."""

from celery import shared_task
from django.utils import timezone

from config.history import acting_as, system_user
from projects import services


# acks_late + reject_on_worker_lost: a worker lost mid-run leaves the task to run again, which
# is safe because creating reminders is idempotent and each send is claimed and marked at once.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=240)
def reminders_send() -> dict:
    system = system_user()
    with acting_as(system):
        created = services.reminders_create(today=timezone.localdate(), by=system)
        sent = services.reminders_send_unsent()
    return {"created": created, "sent": sent}
