"""Real things to break in fault-injection tests: a Redis server of the test's own (never the
shared one), a Celery worker process on it, and this process's Celery app pointed at it."""

from __future__ import annotations

import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app
from tests.conftest import worker_environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Waited {timeout:.0f} s for {what}")


class RedisServer:
    """redis-server on a free loopback port, keeping nothing on disk (a restart is empty)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.answers, timeout=20, what="redis-server to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Down at once, as a crash would have it (SIGKILL): whatever was queued is gone."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@contextmanager
def own_redis(directory: Path) -> Iterator[RedisServer]:
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery app (what services send jobs with) at another broker."""

    def reset() -> None:
        # kombu keeps one pool per broker URL for the process: forget ours, close none.
        app._pool = None
        app.amqp._producer_pool = None

    before = app.conf.broker_url
    reset()
    app.conf.broker_url = url
    try:
        yield
    finally:
        reset()
        app.conf.broker_url = before


class Worker:
    """A real Celery worker on `redis_url`, using the test database: a main process that
    answers control commands and one pool process that runs tasks, in a session of their
    own so that `kill()` takes both down at once, as a crash or the OOM killer would."""

    def __init__(self, redis_url: str, mail_dir: Path, *, visibility_timeout: int = 5):
        self.redis_url = redis_url
        self.mail_dir = mail_dir
        self.visibility_timeout = visibility_timeout
        self.hostname = f"fault-worker-{os.getpid()}-{time.monotonic_ns()}@{os.uname().nodename}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **worker_environment(connection.settings_dict),
            "REDIS_URL": self.redis_url,
            "CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
        }
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             "--concurrency=1", f"--queues={settings.CELERY_TASK_DEFAULT_QUEUE}",
             "--without-gossip", "--without-mingle", "--loglevel=warning",
             f"--hostname={self.hostname}"],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
        )  # fmt: skip

        def answering() -> bool:
            assert self.process.poll() is None, "the worker exited while starting"
            return bool(app.control.ping(destination=[self.hostname], timeout=0.5))

        wait_for(answering, timeout=60, what="the Celery worker to answer")

    def busy(self) -> bool:
        inspect = app.control.inspect(destination=[self.hostname], timeout=1, limit=1)
        active = inspect.active() or {}
        return any(active.values())

    def kill(self) -> None:
        """SIGKILL to the worker and its pool process, at once."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process:
            with suppress(ProcessLookupError):  # a pool process left behind
                os.killpg(self.process.pid, signal.SIGKILL)


def message_ids_sent(mail_dir: Path) -> Counter:
    """How many times each Message-ID was sent, from a file-based email backend's folder."""
    counts: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        # Django's file backend writes each message followed by a line of 79 dashes.
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                counts[email.message_from_string(chunk.strip())["Message-ID"]] += 1
    return counts
