"""Scheduled work of the allocations app (Celery beat): keeping the register true.

Each run acts as the system account and is idempotent (each application's step in its own
transaction, each letter and work item made once), so a lost worker's run can run again.
"""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=1800, soft_time_limit=1700)
def housekeeping_nightly() -> dict:
    """Bedroom-need changes ahead and on the day; renewals (reminder, hold, closure);
    suspensions and refusal band penalties that end today; scans unfiled too long."""
    from django.utils import timezone

    from allocations import services
    from config.history import acting_as, system_user

    system = system_user()
    today = timezone.localdate()
    with acting_as(system):
        return {
            **services.need_changes_run(today=today, by=system),
            **services.renewals_run(today=today, by=system),
            "inbox_unfiled": services.inbox_unfiled_raise(today=today, by=system),
        }
