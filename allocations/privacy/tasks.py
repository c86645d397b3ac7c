from celery import shared_task
from django.utils import timezone

from allocations.privacy.services import retention_batch_create
from config.history import acting_as, system_user


# Inside the broker's visibility timeout (config/settings/base.py), like every task: a batch
# that has not been made in six minutes is made again the next night (it is idempotent).
@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=400, soft_time_limit=360)
def retention_batch_nightly() -> int | None:
    """What the retention schedule says is due, in a batch for a team leader to confirm."""
    system = system_user()
    with acting_as(system):
        batch = retention_batch_create(today=timezone.localdate(), by=system)
    return batch.pk if batch else None
