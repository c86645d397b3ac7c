"""Tests: PostgreSQL and Redis from the environment (make test starts throwaway ones)."""

import os

from .base import *  # noqa: F403
from .base import STORAGES, database, env

# pytest-xdist runs the suite in several processes (gw0, gw1, ...). pytest-django gives each its
# own test database; this gives each its own cache keys, Celery queue, media and mail folders.
# A Celery worker that a test starts inherits the variable, so it agrees with its test process.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_PER_WORKER = f"-{XDIST_WORKER}" if XDIST_WORKER else ""

# pytest-django creates, migrates and empties the test databases, which the owner's role
# does: with MIGRATION_DATABASE_URL the tests connect as the owner, and
# tests/test_database_roles.py connects as the application's role (DATABASE_URL's, kept
# here with its password) to prove what it cannot do. A worker a test starts runs as the
# application's role (tests/conftest.py).
APPLICATION_DATABASE = dict(DATABASES["default"])  # noqa: F405
if MIGRATION_DATABASE_URL:  # noqa: F405
    DATABASES = {
        "default": database(
            MIGRATION_DATABASE_URL,  # noqa: F405
            conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        )
    }

DEBUG = False
SECRET_KEY = "test-only-not-secret-8d1f4c2b7a9e4f0c"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that runs a real Celery worker (another process) reads its emails from files.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / f"test-mail{_PER_WORKER}"))  # noqa: F405
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": f"allocations-test{_PER_WORKER}",
    }
}
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_PER_WORKER}"  # noqa: F405
# Tests' tasks go to their own queue, so a worker of `make run` on the same Redis never takes them.
CELERY_TASK_DEFAULT_QUEUE = f"allocations-test{_PER_WORKER}"
