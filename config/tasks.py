from celery import shared_task
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from config.kernel.outbox import OutboxTask, on_last_try

HEARTBEAT_KEY = "heartbeat:worker"
# Set by the health page the first time a worker answers its ping.
HEALTH_WORKER_SEEN_KEY = "health:celery-worker-seen"


def health_marks_clear() -> None:
    """Beat is starting: the health page says "starting" again until a worker has answered
    and this beat has sent its first heartbeat (marks kept in Redis from an earlier run would
    say "ok" too soon)."""
    cache.delete_many([HEARTBEAT_KEY, HEALTH_WORKER_SEEN_KEY])


@shared_task(acks_late=True, time_limit=30, soft_time_limit=20)
def heartbeat_record() -> str:
    """Beat sends this every minute; the health page reads it to tell that beat and a worker run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, stamp, timeout=None)
    return stamp


@shared_task(
    bind=True,
    base=OutboxTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
    time_limit=180,
    soft_time_limit=150,
)
def document_render(self, *, model: str, pk: int) -> str:
    """Draw any requested document (config.kernel.documents). Running it twice draws it once."""
    from config.kernel import documents

    # Out of retries: say so on the record's page rather than wait for ever.
    return on_last_try(
        self,
        lambda: documents.document_render(model=model, pk=pk),
        lambda failure: documents.document_failed(model=model, pk=pk, failure=failure),
    )


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def outbox_sweep() -> dict:
    """Beat sends this every minute: outbox jobs not yet done are sent to the broker again."""
    from config.kernel import outbox

    return outbox.sweep()
