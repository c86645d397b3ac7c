"""Celery for real: a task goes through the Redis broker to a worker started by the tests."""

import time

import pytest
from django.core.cache import cache

from config.tasks import HEARTBEAT_KEY, heartbeat_record


@pytest.mark.celery_worker
def test_a_task_sent_through_redis_is_run_by_a_real_worker(transactional_db, celery_worker_process):
    cache.delete(HEARTBEAT_KEY)
    heartbeat_record.delay()
    deadline = time.monotonic() + 30
    while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert cache.get(HEARTBEAT_KEY) is not None


def test_tasks_are_configured_to_survive_a_lost_worker(settings):
    from config.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_every_scheduled_task_is_a_registered_task_that_survives_a_lost_worker(settings):
    from config.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks.get(entry["task"])
        assert task is not None, f"beat entry {name!r} names no task"
        if name != "heartbeat":
            assert task.acks_late and task.reject_on_worker_lost and task.time_limit, name
