from celery import shared_task
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEARTBEAT_KEY = "heartbeat:worker"


@shared_task(acks_late=True, time_limit=30, soft_time_limit=20)
def heartbeat_record() -> str:
    """Beat sends this every minute; the health page reads it to tell that beat and a worker run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, stamp, timeout=None)
    return stamp
