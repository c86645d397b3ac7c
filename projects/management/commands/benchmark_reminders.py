"""Reminders exactly once, as far as email allows, with the worker killed. A benchmark, not a test.

    manage.py benchmark_reminders [--reminders 1000] [--kills 10] [--seed 1] [--check]

Makes `--reminders` unsent reminders for one benchmark user (one work item, one reminder per
due date), starts a real Celery worker (a main process and one pool process, on the configured
Redis, on a queue of its own, writing emails to files in a temporary folder), sends it
`projects.tasks.reminders_send` and SIGKILLs the worker and its pool process together at a random
moment, `--kills` times, restarting it each time; then lets it finish. It prints:

- lost: reminders of the run with no email sent (must be 0);
- duplicates: emails sent more than once (the same Message-ID twice);
- kills in the gap: kills that fell between an email's sending and its marking as sent (a
  reminder claimed and not marked when the worker died) — duplicates can't exceed this;
- flagged: reminders sent again after an interrupted send (`Reminder.resent`).

`--check` exits non-zero unless lost = 0 and duplicates ≤ kills in the gap. The worker treats a
claim older than 2 s as interrupted (REMINDER_SEND_INTERRUPTED_AFTER_SECONDS, 330 s in
production). Uses the configured database: other unsent reminders there are sent too, as beat
would send them; run it on a scratch database. About a minute for the defaults.
"""

from __future__ import annotations

import email
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.celery import app
from config.history import system_user
from config.kernel.mail import message_id
from projects import services
from projects.models import Reminder
from projects.tasks import reminders_send

INTERRUPTED_AFTER_SECONDS = 2
WORKER_START_TIMEOUT = 60
FINISH_TIMEOUT = 300


def message_ids_sent(mail_dir: Path) -> Counter:
    counts: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                counts[email.message_from_string(chunk.strip())["Message-ID"]] += 1
    return counts


def summary(
    reminders: int,
    kills: int,
    seconds: float,
    lost: int,
    duplicates: int,
    in_gap: int,
    flagged: int,
) -> str:
    """The benchmark's last line (benchmark_all reads its figures from it)."""
    return (
        f"{reminders} reminders, {kills} kills in {seconds:.0f} s: lost {lost}, "
        f"duplicates {duplicates}, kills in the gap {in_gap}, flagged {flagged}"
    )


class Command(BaseCommand):
    help = "Reminders with the worker killed at random: lost, duplicated, kills in the gap."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reminders", type=int, default=1000)
        parser.add_argument("--kills", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, reminders: int, kills: int, seed: int, check: bool, **options):
        rng = random.Random(seed)
        ids = self.reminders_make(reminders)
        queue = f"benchmark-reminders-{os.getpid()}"
        with tempfile.TemporaryDirectory(prefix="reminders-mail-") as folder:
            mail_dir = Path(folder)
            in_gap = 0
            started = time.monotonic()
            for number in range(1, kills + 1):
                worker = self.worker_start(queue, mail_dir)
                reminders_send.apply_async(queue=queue)
                time.sleep(rng.uniform(0.2, 1.5))
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
                gap = Reminder.objects.filter(
                    pk__in=ids, sending_at__isnull=False, sent_at__isnull=True
                ).count()
                in_gap += gap
                left = Reminder.objects.filter(pk__in=ids, sent_at__isnull=True).count()
                self.stdout.write(f"kill {number}: {gap} in the gap, {left} not yet sent")
            worker = self.worker_start(queue, mail_dir)
            try:
                self.finish(ids, queue)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
            elapsed = time.monotonic() - started
            sent = message_ids_sent(mail_dir)
        ours = {message_id("reminder", pk) for pk in ids}
        lost = len(ours - set(sent))
        duplicates = sum(count - 1 for mid, count in sent.items() if mid in ours)
        flagged = Reminder.objects.filter(pk__in=ids, resent=True).count()
        self.stdout.write(summary(len(ids), kills, elapsed, lost, duplicates, in_gap, flagged))
        if check and (lost or duplicates > in_gap):
            raise CommandError("lost > 0 or more duplicates than kills in the gap")

    def reminders_make(self, count: int) -> list[int]:
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username="reminder-benchmark",
            defaults={"first_name": "Reminder", "last_name": "Benchmark",
                      "email": "reminder-benchmark@northshire.example"},
        )  # fmt: skip
        system = system_user()
        item = services.work_item_create(
            kind="benchmark",
            kind_label="Benchmark",
            title=f"Reminder benchmark {timezone.now():%Y-%m-%d %H:%M:%S}",
            due=timezone.localdate(),
            assignee=user,
            by=system,
        )
        start = timezone.localdate() - timedelta(days=count)
        made = Reminder.objects.bulk_create(
            Reminder(
                work_item=item,
                what=Reminder.What.OVERDUE,
                recipient=user,
                due_on=start + timedelta(days=day),
            )
            for day in range(count)
        )
        return [reminder.pk for reminder in made]

    def worker_start(self, queue: str, mail_dir: Path) -> subprocess.Popen:
        hostname = f"benchmark-{os.getpid()}-{time.monotonic_ns()}@{os.uname().nodename}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "REMINDER_SEND_INTERRUPTED_AFTER_SECONDS": str(INTERRUPTED_AFTER_SECONDS),
            "CELERY_VISIBILITY_TIMEOUT": "5",
        }
        env.pop("MIGRATION_DATABASE_URL", None)
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             "--concurrency=1", f"--queues={queue}", "--without-gossip", "--without-mingle",
             "--loglevel=error", f"--hostname={hostname}"],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise CommandError("The Celery worker exited while starting.")
            if app.control.ping(destination=[hostname], timeout=0.5):
                return worker
        os.killpg(worker.pid, signal.SIGKILL)
        raise CommandError("The Celery worker did not answer in time.")

    def finish(self, ids: list[int], queue: str) -> None:
        """Beat's runs, until every reminder is sent or given up (interrupted twice)."""
        deadline = time.monotonic() + FINISH_TIMEOUT
        while time.monotonic() < deadline:
            reminders_send.apply_async(queue=queue)
            time.sleep(INTERRUPTED_AFTER_SECONDS + 1)
            # Not yet sent, and not given up (interrupted in the gap twice).
            waiting = (
                Reminder.objects.filter(pk__in=ids, sent_at__isnull=True)
                .exclude(resent=True, sending_at__isnull=False)
                .count()
            )
            if not waiting:
                return
        raise CommandError("The reminders were not all sent in time.")
