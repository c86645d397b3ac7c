"""The transactional outbox: no queued work lost, none done twice.

Every piece of background work that an action asks for (a PDF, an email) is written as an
`OutboxJob` row in the same database transaction as the data it is about:

    outbox.enqueue(breach_notify, what="the sites managers will be emailed", breach_id=breach.pk)

- once the transaction commits, the job is sent to the broker (Redis); if Redis is down the
  job simply stays pending, the user is told so ("Saved. … will be ready when the background
  service is back", `OutboxNoticeMiddleware`), and nothing is lost;
- Celery beat's `config.tasks.outbox_sweep` sends again every minute each job never sent, and
  each job sent more than `OUTBOX_RESEND_AFTER_SECONDS` ago and still not done (a message
  lost with a Redis that kept nothing, say);
- the task is an `OutboxTask`: given the job's id, it does nothing if the job is already done
  and marks it done (or failed, when out of retries) once its work is done. The work itself
  must be idempotent by its own row too (a document drawn once, an email marked sent), since
  a worker killed after the work and before the mark does it again: the second run finds the
  work done and only marks the job.

A new kind of background work: a task with `base=OutboxTask`, ids for arguments, and
`outbox.enqueue(task, what=..., **ids)` inside the service's transaction. Never `.delay()`.
Jobs sent by beat on a schedule (reminders, heartbeat) need no outbox: the schedule sends them
again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from celery import Task
from celery.exceptions import Retry
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# A job that was never sent waits this long (its own on-commit send may be under way) before
# the sweep sends it.
UNSENT_GRACE_SECONDS = 10
# A job sent this many times and never done is given up as failed (its task raised each time).
MAX_DISPATCHES = 10
SWEEP_BATCH = 500
FAILURE_MAX_LENGTH = 1000

# What each job makes, in words ("the letter PDF will be ready"), for each job this request
# could not send to the broker (OutboxNoticeMiddleware tells the user).
_unsent: ContextVar[list[str] | None] = ContextVar("outbox_unsent", default=None)


def _job_model():
    from config.models import OutboxJob

    return OutboxJob


def enqueue(task: Task | str, *, what: str, **kwargs: Any):
    """Record the job in the current transaction; send it to the broker once that commits."""
    name = task if isinstance(task, str) else task.name
    job = _job_model().objects.create(task=name, kwargs=kwargs, what=what)
    transaction.on_commit(lambda: dispatch(job))
    return job


def dispatch(job) -> bool:
    """Send one pending job to the broker. False (and the job stays pending) if it can't."""
    from config.celery import app

    try:
        app.tasks[job.task].apply_async(
            kwargs={**job.kwargs, "outbox_job": job.pk},
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
        )
    except Exception as error:  # the broker is down or unreachable: the sweep sends it later
        logger.warning("Outbox job %s not sent to the broker (%s): %s", job.pk, job.task, error)
        unsent = _unsent.get()
        if unsent is not None:
            unsent.append(job.what)
        return False
    _job_model().objects.filter(pk=job.pk).update(
        dispatched_at=timezone.now(), dispatches=F("dispatches") + 1
    )
    return True


def resend_after() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS)


def sweep(*, now=None) -> dict[str, int]:
    """Send again what is not done: never sent, or sent long enough ago to have been lost.
    Jobs sent MAX_DISPATCHES times without success are marked failed."""
    OutboxJob = _job_model()
    now = now or timezone.now()
    pending = OutboxJob.objects.filter(status=OutboxJob.Status.PENDING)
    given_up = pending.filter(dispatches__gte=MAX_DISPATCHES).update(
        status=OutboxJob.Status.FAILED,
        finished_at=now,
        failure=f"Sent to a worker {MAX_DISPATCHES} times and never done.",
    )
    due = pending.filter(
        Q(dispatched_at__isnull=True, created_at__lt=now - timedelta(seconds=UNSENT_GRACE_SECONDS))
        | Q(dispatched_at__lt=now - resend_after())
    ).order_by("created_at", "pk")[:SWEEP_BATCH]
    sent = unsent = 0
    for job in due:
        if dispatch(job):
            sent += 1
        else:
            unsent += 1
            break  # the broker is down: the next sweep tries again
    return {"sent": sent, "unsent": unsent, "given_up": given_up}


def oldest_pending():
    """The oldest job not yet done, or None (for the health check)."""
    OutboxJob = _job_model()
    return OutboxJob.objects.filter(status=OutboxJob.Status.PENDING).order_by("created_at").first()


def pending_count() -> int:
    OutboxJob = _job_model()
    return OutboxJob.objects.filter(status=OutboxJob.Status.PENDING).count()


def job_is_pending(job_id: int) -> bool:
    OutboxJob = _job_model()
    return OutboxJob.objects.filter(pk=job_id, status=OutboxJob.Status.PENDING).exists()


def job_finish(job_id: int, *, failure: str = "") -> None:
    OutboxJob = _job_model()
    OutboxJob.objects.filter(pk=job_id, status=OutboxJob.Status.PENDING).update(
        status=OutboxJob.Status.FAILED if failure else OutboxJob.Status.DONE,
        finished_at=timezone.now(),
        failure=failure[:FAILURE_MAX_LENGTH],
    )


def on_last_try(task: Task, run: Callable[[], Any], failed: Callable[[str], None]) -> Any:
    """`run()`; if it raises on the task's last try, `failed(why)` records it (on the record's
    page, in someone's queue) before the error goes on, so nothing waits for ever."""
    try:
        return run()
    except Exception as error:
        if (getattr(task.request, "retries", 0) or 0) >= (task.max_retries or 0):
            failed(f"{type(error).__name__}: {error}")
        raise


class OutboxTask(Task):
    """A task sent through the outbox: idempotent by its job row, which it marks when done.

    The job's id comes as the keyword `outbox_job` (absent when the task is called directly),
    which the task's own signature doesn't have: hence no argument check on sending.
    """

    typing = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs = dict(kwargs)
        job_id = kwargs.pop("outbox_job", None)
        if job_id is None:
            return super().__call__(*args, **kwargs)
        if not job_is_pending(job_id):
            return "already done"
        try:
            result = super().__call__(*args, **kwargs)
        except Retry:
            raise
        except Exception as error:
            retries = getattr(self.request, "retries", 0) or 0
            if retries >= (self.max_retries or 0):
                job_finish(job_id, failure=f"{type(error).__name__}: {error}")
            raise
        job_finish(job_id)
        return result


@contextmanager
def unsent_collected() -> Iterator[list[str]]:
    """Collect, for the duration, what could not be sent to the broker (one request)."""
    collected: list[str] = []
    token = _unsent.set(collected)
    try:
        yield collected
    finally:
        _unsent.reset(token)


def unsent_message(whats: list[str]) -> str:
    """ "Saved. The letter PDF will be ready when the background service is back …"."""
    things = list(dict.fromkeys(whats))
    listed = things[0] if len(things) == 1 else ", ".join(things[:-1]) + " and " + things[-1]
    return (
        f"Saved. {listed[:1].upper()}{listed[1:]} when the background service is back (it is "
        "not answering just now). You do not need to do anything again."
    )
