import pytest
from django.core.cache import cache
from django.urls import reverse

from config.celery import app as celery_app
from config.tasks import HEALTH_WORKER_SEEN_KEY, HEARTBEAT_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def nothing_seen_yet():
    """A fresh start: no worker has answered and beat has sent no heartbeat."""
    cache.delete_many([HEARTBEAT_KEY, HEALTH_WORKER_SEEN_KEY])
    yield
    cache.delete_many([HEARTBEAT_KEY, HEALTH_WORKER_SEEN_KEY])


@pytest.fixture
def workers_answering(monkeypatch):
    """What the Celery ping returns: set `.replies` to the workers that answer."""

    class Ping:
        replies: list = []

        def __call__(self, timeout):
            return self.replies

    ping = Ping()
    monkeypatch.setattr(celery_app.control, "ping", ping)
    return ping


def test_health_reports_database_redis_and_celery_without_sign_in(client, nothing_seen_yet):
    cache.set(HEARTBEAT_KEY, "2026-01-01T00:00:00+00:00", timeout=None)
    cache.set(HEALTH_WORKER_SEEN_KEY, "2026-01-01T00:00:00+00:00", timeout=None)
    response = client.get(reverse("health"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"] == "ok"
    assert {"celery_worker", "celery_beat"} <= set(body["checks"])


def test_health_says_starting_until_a_worker_answered_and_beat_was_seen(
    client, nothing_seen_yet, workers_answering
):
    def status():
        response = client.get(reverse("health"))
        assert response.status_code == 200  # starting is not failing: the web answers
        return response.json()["status"], response.json()["checks"]

    workers_answering.replies = []
    assert status() == (
        "starting",
        {
            "database": "ok",
            "redis": "ok",
            "celery_worker": "no worker answered",
            "celery_beat": "no heartbeat yet",
        },
    )

    workers_answering.replies = [{"worker@host": {"ok": "pong"}}]
    state, checks = status()
    assert (state, checks["celery_worker"]) == ("starting", "ok (1 answering)")

    cache.set(HEARTBEAT_KEY, "2026-01-01T00:00:00+00:00", timeout=None)
    assert status()[0] == "ok"

    # Once both were seen, a worker that stops answering shows in its check, not the status.
    workers_answering.replies = []
    state, checks = status()
    assert (state, checks["celery_worker"]) == ("ok", "no worker answered")


def test_health_says_starting_with_a_heartbeat_but_no_worker_ever(
    client, nothing_seen_yet, workers_answering
):
    workers_answering.replies = []
    cache.set(HEARTBEAT_KEY, "2026-01-01T00:00:00+00:00", timeout=None)
    response = client.get(reverse("health"))
    assert (response.status_code, response.json()["status"]) == (200, "starting")


def test_health_says_failing_when_redis_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    from django.core.cache import caches

    caches._settings = None  # pick up the changed setting
    try:
        response = client.get(reverse("health"))
        assert response.status_code == 503
        assert response.json()["checks"]["redis"].startswith("failing")
        assert response.json()["status"] == "failing"
    finally:
        for alias in list(caches):
            del caches[alias]


def test_beat_starting_clears_the_marks_of_an_earlier_run(client):
    from celery.signals import beat_init

    cache.set(HEARTBEAT_KEY, "2026-01-01T00:00:00+00:00", timeout=None)
    cache.set(HEALTH_WORKER_SEEN_KEY, "2026-01-01T00:00:00+00:00", timeout=None)
    beat_init.send(sender=None)
    assert cache.get(HEARTBEAT_KEY) is None
    assert cache.get(HEALTH_WORKER_SEEN_KEY) is None
    assert client.get("/health/").json()["status"] == "starting"
