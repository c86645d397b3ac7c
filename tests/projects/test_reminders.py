"""Reminders: made once per (work, what, person, due date) and emailed once, however often the
sender runs, and whichever worker runs it."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from projects import selectors, services
from projects.models import Reminder, WorkItem
from projects.tasks import reminders_send
from tests.factories import UserFactory
from tests.projects.factories import project, queue_empty, task


def _today():
    return timezone.localdate()


@pytest.mark.django_db
def test_running_the_sender_twice_sends_each_reminder_once(officer):
    tomorrow = task(assignee=officer)
    overdue = task(assignee=officer, due=_today() - timedelta(days=2), title="Book the surveyor")
    task(assignee=officer, due=_today() + timedelta(days=5), title="Not yet")
    assert reminders_send() == {"created": 2, "sent": 2}
    assert reminders_send() == {"created": 0, "sent": 0}
    assert sorted(m.subject for m in mail.outbox) == [
        f"Due tomorrow: {tomorrow.title}",
        f"Overdue: {overdue.title}",
    ]
    assert all(m.to == [officer.email] for m in mail.outbox)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_work_for_a_role_reminds_each_member(officer):
    other = UserFactory(roles=["officer"])
    services.work_item_create(
        kind="offer_response",
        title="Chase the offer",
        due=_today() - timedelta(days=1),
        role="officer",
        by=officer,
    )
    reminders_send()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, other.email])


@pytest.mark.django_db
def test_a_risk_past_its_review_date_puts_a_review_in_the_owners_queue_once(
    head_of_service, officer
):
    risk = services.risk_add(
        project=project(lead=head_of_service),
        title="Contractor delay",
        likelihood=2,
        impact=2,
        owner=officer,
        review_on=_today() - timedelta(days=1),
        by=head_of_service,
    )
    reminders_send()
    reminders_send()
    review = WorkItem.objects.get(kind="risk_review")
    assert review.assignee == officer and review.about == risk
    assert [m.subject for m in mail.outbox] == [f"Review date passed: {review.title}"]
    assert review.history.first().history_user.username == "system"


@pytest.mark.django_db
def test_done_work_is_not_reminded(officer):
    item = task(assignee=officer)
    services.work_item_complete(item=item, by=officer)
    reminders_send()
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminders_are_sent_by_beat_every_quarter_hour(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["projects-reminders"]
    assert schedule["task"] == "projects.tasks.reminders_send"
    assert schedule["schedule"] == 15 * 60
    assert reminders_send.acks_late and reminders_send.reject_on_worker_lost
    assert reminders_send.time_limit


@pytest.mark.celery_worker
def test_two_runs_on_a_real_worker_send_each_reminder_once(transactional_db, celery_worker_process):
    mail_dir = celery_worker_process.mail_dir
    for old in mail_dir.iterdir():
        old.unlink()
    officer = UserFactory(roles=["officer"])
    for n in range(3):
        task(assignee=officer, title=f"Task {n}")
    reminders_send.delay()
    reminders_send.delay()
    deadline = time.monotonic() + 60
    # Both runs are done when every reminder is sent and the queue has drained.
    while time.monotonic() < deadline:
        sent = Reminder.objects.filter(sent_at__isnull=False).count()
        if sent == 3 and queue_empty():
            break
        time.sleep(0.3)
    time.sleep(1.0)  # let a second run, if still going, finish writing
    assert Reminder.objects.count() == 3
    messages = "".join(path.read_text() for path in mail_dir.iterdir())
    subjects = [line for line in messages.splitlines() if line.startswith("Subject:")]
    assert sorted(subjects) == [f"Subject: Due tomorrow: Task {n}" for n in range(3)]


def _risk_under_review(head_of_service, officer):
    risk = services.risk_add(
        project=project(lead=head_of_service),
        title="Contractor delay",
        likelihood=2,
        impact=2,
        owner=officer,
        review_on=_today() - timedelta(days=1),
        by=head_of_service,
    )
    services.reminders_create(today=_today(), by=head_of_service)
    return risk, WorkItem.objects.get(kind="risk_review")


@pytest.mark.django_db
def test_a_new_review_date_takes_the_old_review_out_of_the_owners_queue(head_of_service, officer):
    risk, review = _risk_under_review(head_of_service, officer)
    services.risk_update(
        risk=risk, by=officer, reason="Reviewed: still likely", review_on=_today() + timedelta(30)
    )
    review.refresh_from_db()
    assert review.status == WorkItem.Status.DONE


@pytest.mark.django_db
def test_the_review_follows_the_risk_to_its_new_owner(head_of_service, officer):
    risk, review = _risk_under_review(head_of_service, officer)
    other = UserFactory(roles=["officer"])
    services.risk_update(risk=risk, by=head_of_service, reason="Officer moved", owner=other)
    review.refresh_from_db()
    assert (review.status, review.assignee) == (WorkItem.Status.OPEN, other)


@pytest.mark.django_db
def test_a_reminder_of_work_done_after_it_was_made_is_not_emailed_and_says_why(officer):
    item = task(assignee=officer)
    assert services.reminders_create(today=_today(), by=officer) == 1
    # The reminder waits its turn; the officer finishes the work meanwhile.
    services.work_item_complete(item=item, by=officer)
    assert services.reminders_send_unsent() == 0
    assert mail.outbox == []
    reminder = Reminder.objects.get(work_item=item)
    assert reminder.sent_at is None and reminder.sending_at is None
    assert reminder.not_sent_at is not None
    assert reminder.not_sent_reason == "The work was done before the reminder was sent."
    assert services.reminders_send_unsent() == 0  # and it stays not sent
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_reminder_of_work_cancelled_or_moved_since_is_not_emailed_but_the_rest_are(officer):
    cancelled = task(assignee=officer, title="Cancelled since")
    moved = task(assignee=officer, title="Moved since")
    still_due = task(assignee=officer, title="Still due")
    services.reminders_create(today=_today(), by=officer)
    services.work_item_cancel(item=cancelled, by=officer, reason="Not needed")
    services.work_item_update(item=moved, by=officer, due_on=_today() + timedelta(days=10))
    assert services.reminders_send_unsent() == 1
    assert [m.subject for m in mail.outbox] == ["Due tomorrow: Still due"]
    reasons = dict(Reminder.objects.values_list("work_item__title", "not_sent_reason"))
    assert reasons["Cancelled since"] == "The work was cancelled before the reminder was sent."
    assert reasons["Moved since"].startswith("The work's due date changed to ")
    assert reasons["Still due"] == ""
    assert Reminder.objects.get(work_item=still_due).sent_at is not None
    # Above the officer's queue: the reminder sent, not the one found out of date.
    shown = [r.work_item.title for r in selectors.reminders_to_acknowledge(officer)]
    assert shown == ["Still due"]


def test_a_completion_being_saved_as_the_reminder_is_claimed_is_waited_for(transactional_db):
    """The work is being completed (its row locked, not yet committed) when the sender reaches
    its reminder: the sender waits for the completion and then does not send."""
    officer = UserFactory(roles=["officer"])
    item = task(assignee=officer)
    services.reminders_create(today=_today(), by=officer)
    results: list[object] = []

    def sender() -> None:
        try:
            results.append(services.reminders_send_unsent())
        except Exception as error:  # what went wrong is the finding
            results.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        services.work_item_complete(item=item, by=officer)
        thread = threading.Thread(target=sender)
        thread.start()
        # Commit only once the sender is waiting on the work's row lock.
        deadline = time.monotonic() + 10
        while not _someone_waits_for_a_lock() and thread.is_alive():
            assert time.monotonic() < deadline, "the sender never waited for the work's lock"
            time.sleep(0.05)
    thread.join(timeout=30)
    assert results == [0]
    assert mail.outbox == []
    reminder = Reminder.objects.get(work_item=item)
    assert reminder.sent_at is None
    assert reminder.not_sent_reason == "The work was done before the reminder was sent."


def _someone_waits_for_a_lock() -> bool:
    """Asked on a connection of its own: the test's is inside the completing transaction."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0
    finally:
        other.close()
