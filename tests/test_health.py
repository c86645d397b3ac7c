import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_database_redis_and_celery_without_sign_in(client):
    response = client.get(reverse("health"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"] == "ok"
    assert {"celery_worker", "celery_beat"} <= set(body["checks"])


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
    finally:
        for alias in list(caches):
            del caches[alias]
