"""Background work of the residents app: load by id, call a service, safe to retry."""

from celery import shared_task

from config.kernel.outbox import OutboxTask
from residents import services


# Emails: sent and marked sent under a row lock in one transaction, so a retry or a second
# worker never sends twice; each is an outbox job (config/kernel/outbox.py), never lost.
@shared_task(
    base=OutboxTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def business_support_notify(*, visit_id: int) -> str:
    return services.business_support_notification_send(visit_id=visit_id)


@shared_task(
    base=OutboxTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def breach_notify(*, breach_id: int) -> str:
    return services.breach_notification_send(breach_id=breach_id)


# Idempotent (each licence is claimed with SKIP LOCKED and closed in its own transaction), so a
# lost worker's run can simply run again.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=240)
def licences_end_due() -> int:
    """Start the signed licences whose start date has come (live, the unit occupied), then
    close those whose end date has come: people stop, the unit becomes void."""
    from django.utils import timezone

    from config.history import acting_as, system_user

    system = system_user()
    with acting_as(system):
        today = timezone.localdate()
        services.licences_start_due(today=today, by=system)
        return services.licences_end_due(today=today, by=system)


# Idempotent: each tenancy becomes secure once (SKIP LOCKED, one transaction each), and each
# review is one work item per tenancy and period (its source key).
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=240)
def tenancies_nightly() -> int:
    """Introductory tenancies whose period has ended become secure; those whose review date
    (8 weeks before the end) has come are put in the team leaders' queue."""
    from django.utils import timezone

    from config.history import acting_as, system_user

    system = system_user()
    with acting_as(system):
        today = timezone.localdate()
        services.tenancies_secure_due(today=today, by=system)
        return services.tenancy_reviews_due(today=today, by=system)
