"""Fault injection with real processes: a Redis server of the test's own is stopped (SIGKILL,
keeping nothing) while officers act and started again; a real Celery worker is SIGKILLed in the
middle of drawing a PDF. Every document, letter and email comes out exactly once."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from allocations.models import Letter
from config.kernel import outbox
from config.kernel.documents import RenderedDocument
from config.kernel.mail import message_id
from config.models import OutboxJob
from projects.tasks import reminders_send
from residents import services
from residents.models import Breach, HandbookEdition, LicenceDocument
from tests.allocations.test_letters import _invalid
from tests.factories import SiteFactory
from tests.faults import Worker, broker, message_ids_sent, own_redis, wait_for
from tests.projects.factories import task
from tests.residents.helpers import draft, signed
from tests.test_outbox import _breach_form

# transactional_db (the conftest's, which puts back the roles and policies): the worker, another
# process, sees what the test commits.
pytestmark = pytest.mark.celery_worker


def _drawn(document: RenderedDocument) -> int:
    """How many times the document was drawn, by its history."""
    name = document.document_name
    return document.history.filter(history_change_reason=f"{name} drawn").count()


def _handbook(site, by, *, sections: int = 1) -> HandbookEdition:
    for number in range(sections):
        services.handbook_section_create(
            site=site,
            heading=f"Section {number}",
            body="Bins go out on Tuesdays. " * 200,
            topic="general",
            by=by,
        )
    return services.handbook_edition_request(site=site, by=by)


def _all_done(timeout: float) -> None:
    """Beat's sweep, as if a few minutes had passed each time, until every job is done."""

    def done() -> bool:
        outbox.sweep(now=timezone.now() + outbox.resend_after() + timedelta(seconds=1))
        return not OutboxJob.objects.filter(status=OutboxJob.Status.PENDING).exists()

    wait_for(done, timeout=timeout, what="every outbox job to be done", every=2)


def test_a_worker_killed_mid_task_leaves_the_pdf_to_be_drawn_once_after_restart(
    transactional_db, officer, tmp_path
):
    with own_redis(tmp_path) as redis, broker(redis.url):
        worker = Worker(redis.url, tmp_path / "mail", visibility_timeout=5)
        worker.start()
        try:
            edition = _handbook(SiteFactory(), officer, sections=60)  # a long one: seconds
            job = OutboxJob.objects.get(kwargs__pk=edition.pk, task="config.tasks.document_render")
            assert job.dispatches == 1, job

            def drawing() -> bool:
                edition.refresh_from_db()
                assert edition.status == HandbookEdition.Status.REQUESTED, "drawn too soon"
                return worker.busy()

            wait_for(drawing, timeout=30, what="the worker to start drawing", every=0.05)
            worker.kill()
            edition.refresh_from_db()
            assert edition.status == HandbookEdition.Status.REQUESTED  # killed mid-drawing
            # A new worker takes it again once the broker's visibility timeout has passed
            # (5 s here; 420 s in production, not Redis's default hour).
            worker = Worker(redis.url, tmp_path / "mail", visibility_timeout=5)
            worker.start()

            def ready() -> bool:
                edition.refresh_from_db()
                return edition.status == HandbookEdition.Status.READY

            wait_for(ready, timeout=90, what="the handbook to be drawn after the restart")
            time.sleep(2)  # a second delivery, if there were one, would show by now
        finally:
            worker.stop()
    assert _drawn(edition) == 1
    job.refresh_from_db()
    assert job.status == OutboxJob.Status.DONE
    assert job.dispatches == 1  # redelivered by the broker itself, not sent again by the sweep


def test_redis_stopped_while_officers_act_loses_nothing_and_does_nothing_twice(
    transactional_db, client, officer, sites_manager, business_support, tmp_path
):
    mail_dir = tmp_path / "mail"
    with own_redis(tmp_path) as redis, broker(redis.url):
        worker = Worker(redis.url, mail_dir, visibility_timeout=5)
        worker.start()
        try:
            # Redis up: a letter, a handbook, a breach reported on the page, reminders due.
            first_letter = _invalid(officer)
            first_handbook = _handbook(SiteFactory(), officer)
            licence = signed(officer)
            client.force_login(officer)
            url = reverse("residents:breach-create", args=[licence.pk])
            assert client.post(url, _breach_form(licence.start_date)).status_code == 302
            task(assignee=officer, title="Check the meters")

            redis.stop()  # whatever it held is gone, taken or not
            second_letter = _invalid(officer)
            second_handbook = _handbook(SiteFactory(), officer)
            documents = services.licence_documents_request(licence=draft(officer), by=officer)
            services.visit_business_support_notify(visit=licence.visit, by=officer)
            # Another finding (the same one again is refused as already reported).
            another = {**_breach_form(licence.start_date), "description": "A fourth caravan"}
            response = client.post(url, another)
            assert response.status_code == 302  # not a 500
            page = client.get(response.url).content.decode()
            assert "when the background service is back" in page
            task(assignee=officer, title="Book the surveyor")

            redis.start()  # empty, on the same port: the worker reconnects by itself
            reminders_send.delay()  # beat's next quarter-hour run
            _all_done(timeout=180)
            wait_for(
                lambda: len(message_ids_sent(mail_dir)) >= 5,
                timeout=60,
                what="the emails",
            )
            time.sleep(3)  # anything sent twice would have arrived by now
        finally:
            worker.stop()

    letters = [first_letter, second_letter]
    handbooks = [first_handbook, second_handbook]
    for document in [*letters, *handbooks, *documents]:
        document.refresh_from_db()
        assert document.status == RenderedDocument.Status.READY, document
        assert _drawn(document) == 1, document
    assert Letter.objects.count() == 2 and LicenceDocument.objects.count() >= 4

    breaches = list(Breach.objects.order_by("pk"))
    expected = {message_id("breach", breach.pk) for breach in breaches}
    expected.add(message_id("resident-account", licence.visit.pk))
    from projects.models import Reminder

    reminders = list(Reminder.objects.all())
    expected |= {message_id("reminder", reminder.pk) for reminder in reminders}
    assert len(breaches) == 2 and len(reminders) >= 2
    sent = message_ids_sent(mail_dir)
    assert set(sent) == expected
    assert all(count == 1 for count in sent.values()), sent
    assert not OutboxJob.objects.exclude(status=OutboxJob.Status.DONE).exists()
