"""The outbox (config/kernel/outbox.py): a job queued while Redis is down is kept, the officer
is told the truth instead of a 500, and the beat sweep sends it once Redis is back; a job runs
once however often it is delivered. Reminders are claimed before they are sent, so one
interrupted in the gap is sent again once, flagged, with the same Message-ID."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.kernel import outbox
from config.models import OutboxJob
from projects import services as project_services
from projects.models import Reminder
from residents.models import Breach
from residents.tasks import breach_notify
from tests.factories import PNG
from tests.faults import broker, free_port
from tests.projects.factories import task
from tests.residents.helpers import signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@contextmanager
def eager():
    """The worker's part runs here, as each job is sent."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = before


def _breach_form(day):
    return {
        "category": "caravans",
        "observed_on_0": day.day,
        "observed_on_1": day.month,
        "observed_on_2": day.year,
        "description": "A third caravan on the pitch",
        "evidence": SimpleUploadedFile("c.png", PNG),
    }


def test_redis_down_the_breach_is_saved_the_officer_told_and_the_email_sent_later(
    transactional_db, client, officer, sites_manager
):
    """Committed for real (transactional_db): the job is sent as the service's transaction
    commits, inside the request, as it is when the service runs."""
    licence = signed(officer)
    OutboxJob.objects.all().delete()  # the licence documents' jobs, drawn by signed() itself
    client.force_login(officer)
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: Redis is down
    with broker(dead):
        response = client.post(
            reverse("residents:breach-create", args=[licence.pk]), _breach_form(licence.start_date)
        )
    assert response.status_code == 302  # not a 500: the breach and its email job are saved
    breach = Breach.objects.get()
    job = OutboxJob.objects.get(task="residents.tasks.breach_notify")
    assert job.status == OutboxJob.Status.PENDING and job.dispatches == 0
    assert job.kwargs == {"breach_id": breach.pk}
    page = client.get(response.url).content.decode()
    assert "Saved. The sites managers will be emailed when the background service is back" in page
    assert mail.outbox == []

    health = client.get(reverse("health")).json()["outbox"]
    assert health["pending"] == 1 and health["oldest_pending"]["id"] == job.pk

    # Redis is back (the test broker; eager: the worker's part runs here): beat's sweep sends it.
    assert outbox.sweep(now=timezone.now()) == {"sent": 0, "unsent": 0, "given_up": 0}  # fresh
    later = timezone.now() + timedelta(seconds=outbox.UNSENT_GRACE_SECONDS + 1)
    with eager():
        assert outbox.sweep(now=later)["sent"] == 1
    job.refresh_from_db()
    assert job.status == OutboxJob.Status.DONE and job.dispatches == 1
    assert [m.to for m in mail.outbox] == [[sites_manager.email]]
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<breach.{breach.pk}@northshire.example>"

    # Delivered again (a redelivery, a second sweep): the job is done, nothing is sent again.
    assert breach_notify.apply(kwargs={"breach_id": breach.pk, "outbox_job": job.pk}).get() == (
        "already done"
    )
    assert outbox.sweep(now=later + outbox.resend_after() * 2)["sent"] == 0
    assert len(mail.outbox) == 1
    assert client.get(reverse("health")).json()["outbox"] == {"pending": 0, "oldest_pending": None}


def test_a_job_sent_but_never_done_is_sent_again_and_given_up_after_many_tries(
    officer, django_capture_on_commit_callbacks
):
    licence = signed(officer)
    with django_capture_on_commit_callbacks(execute=True):
        from residents import services

        services.breach_raise(
            licence=licence,
            category="caravans",
            observed_on=licence.start_date,
            description="Caravans",
            by=officer,
        )
    job = OutboxJob.objects.get(task="residents.tasks.breach_notify")
    assert job.dispatches == 1  # sent on commit (to the test queue, which no worker reads here)
    assert outbox.sweep()["sent"] == 0  # not yet lost
    resent_at = timezone.now() + outbox.resend_after() + timedelta(seconds=1)
    OutboxJob.objects.exclude(pk=job.pk).delete()  # the licence documents' jobs: not this test's
    assert outbox.sweep(now=resent_at)["sent"] == 1
    job.refresh_from_db()
    assert job.dispatches == 2 and job.status == OutboxJob.Status.PENDING
    OutboxJob.objects.filter(pk=job.pk).update(dispatches=outbox.MAX_DISPATCHES)
    assert outbox.sweep(now=resent_at)["given_up"] == 1
    job.refresh_from_db()
    assert job.status == OutboxJob.Status.FAILED and "never done" in job.failure


def test_a_reminder_interrupted_between_send_and_mark_is_resent_once_and_flagged(officer, settings):
    task(assignee=officer)
    project_services.reminders_create(today=timezone.localdate(), by=officer)
    reminder = Reminder.objects.get()
    # A worker claims it (committed) and dies before marking it sent.
    assert project_services._reminder_claim() == reminder
    assert project_services.reminders_send_unsent() == 0  # still being sent, as far as we know
    later = timezone.now() + timedelta(seconds=settings.REMINDER_SEND_INTERRUPTED_AFTER_SECONDS + 1)
    with time_machine.travel(later):
        assert project_services.reminders_send_unsent() == 1
        assert project_services.reminders_send_unsent() == 0
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.resent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<reminder.{reminder.pk}@northshire.example>"
    )


def test_a_reminder_interrupted_twice_is_not_sent_a_third_time(officer, settings):
    task(assignee=officer)
    project_services.reminders_create(today=timezone.localdate(), by=officer)
    gap = timedelta(seconds=settings.REMINDER_SEND_INTERRUPTED_AFTER_SECONDS + 1)
    assert project_services._reminder_claim() is not None
    with time_machine.travel(timezone.now() + gap):
        assert project_services._reminder_claim() is not None  # the one resend, also cut short
    with time_machine.travel(timezone.now() + 3 * gap):
        assert project_services.reminders_send_unsent() == 0
    reminder = Reminder.objects.get()
    assert reminder.resent and reminder.sent_at is None and mail.outbox == []


def test_a_failed_send_gives_the_claim_back(officer, settings):
    task(assignee=officer)
    project_services.reminders_create(today=timezone.localdate(), by=officer)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = free_port()  # no mail server there
    with pytest.raises(OSError):
        project_services.reminders_send_unsent()
    reminder = Reminder.objects.get()
    assert reminder.sending_at is None and not reminder.resent
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert project_services.reminders_send_unsent() == 1


def test_the_visibility_timeout_outlasts_every_task_and_is_not_an_hour():
    from config.celery import app

    app.loader.import_default_modules()
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout < 3600
    ours = {name: t for name, t in app.tasks.items() if not name.startswith("celery.")}
    assert "config.tasks.document_render" in ours and "config.tasks.outbox_sweep" in ours
    for name, task_ in ours.items():
        limit = task_.time_limit or app.conf.task_time_limit
        backoff = 2 ** (task_.max_retries or 0) if getattr(task_, "retry_backoff", 0) else 0
        assert limit + backoff < timeout, name
    assert outbox.resend_after().total_seconds() > timeout


def test_no_service_queues_work_except_through_the_outbox():
    """`.delay()` / `.apply_async()` after commit would lose the job if Redis were down."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = []
    for package in ("config", "projects", "sites", "residents", "allocations", "census"):
        for path in (root / package).rglob("*.py"):
            if "management" in path.parts or path.name == "outbox.py":
                continue
            text = path.read_text()
            if ".delay(" in text or ".apply_async(" in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
