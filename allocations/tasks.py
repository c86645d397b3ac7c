"""Background work of the allocations app (Celery beat): load by id, call a service, safe to
retry. Each run acts as the system account and is idempotent, so a lost worker's run can simply
run again. Every hard time limit stays under the broker's visibility timeout
(CELERY_VISIBILITY_TIMEOUT, 420 s), so a task is never handed to a second worker while the
first is still on it.
"""

from celery import shared_task

from allocations import services
from config.history import system_user
from config.kernel.outbox import OutboxTask, on_last_try


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=400, soft_time_limit=360)
def housekeeping_nightly() -> dict:
    """Bedroom-need changes ahead and on the day; renewals (reminder, hold, closure);
    suspensions and refusal band penalties that end today; scans unfiled too long; approved
    direct lets not let by their lapse date. Each
    application's step is its own transaction and made once, so a run cut short by the time
    limit is finished by the next."""
    from django.utils import timezone

    from config.history import acting_as

    system = system_user()
    today = timezone.localdate()
    with acting_as(system):
        return {
            **services.need_changes_run(today=today, by=system),
            **services.renewals_run(today=today, by=system),
            "inbox_unfiled": services.inbox_unfiled_raise(today=today, by=system),
            **services.direct_lets_lapse_due(today=today, by=system),
        }


# Each cycle is claimed with SKIP LOCKED and frozen in its own transaction, so two runs never
# freeze a cycle twice.
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=400, soft_time_limit=360)
def cycles_close_due() -> list[str]:
    """Freeze every shortlist of each bidding cycle whose close has passed."""
    return services.cycles_close_due(by=system_user())


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=400, soft_time_limit=360)
def cycles_open_due() -> list[str]:
    """Place the auto-bids of each cycle that has opened (once per cycle)."""
    return services.auto_bids_place_due(by=system_user())


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=240)
def newsletters_email_due() -> int:
    """Email each drawn newsletter to its recipients, once."""
    return services.newsletters_email_due(by=system_user())


# A letter to a household: sent and marked under a row lock in one transaction, so a retry or
# a second worker never sends it twice; queued through the outbox when it is drawn.
@shared_task(
    bind=True,
    base=OutboxTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=4,
    time_limit=90,
    soft_time_limit=75,
)
def letter_send(self, *, letter_id: int) -> str:
    # Out of retries: the letter says why and its officer has it in their queue.
    return on_last_try(
        self,
        lambda: services.letter_send(letter_id=letter_id, by=system_user()),
        lambda failure: services.letter_send_failed(
            letter_id=letter_id, failure=failure, by=system_user()
        ),
    )


# A nomination's secure link to the provider's contact: sent through the outbox, so it is
# never lost; the Message-ID makes a retry the same email.
@shared_task(
    bind=True,
    base=OutboxTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=4,
    time_limit=60,
    soft_time_limit=45,
)
def nomination_email_send(self, *, nomination_id: int, again: int = 0) -> str:
    from allocations.services.nominations import nomination_email_send as send

    return send(nomination_id=nomination_id, again=again)
