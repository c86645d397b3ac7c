"""Background work of the allocations app: load by id, call a service, safe to retry."""

from celery import shared_task

from allocations import services
from config.history import system_user


# Idempotent: each cycle is claimed with SKIP LOCKED and frozen in its own transaction, so a
# lost worker's run can simply run again, and two runs never freeze a cycle twice.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600, soft_time_limit=540)
def cycles_close_due() -> list[str]:
    """Freeze every shortlist of each bidding cycle whose close has passed."""
    return services.cycles_close_due(by=system_user())


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600, soft_time_limit=540)
def cycles_open_due() -> list[str]:
    """Place the auto-bids of each cycle that has opened (once per cycle)."""
    return services.auto_bids_place_due(by=system_user())


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=240)
def newsletters_email_due() -> int:
    """Email each drawn newsletter to its recipients, once."""
    return services.newsletters_email_due(by=system_user())
