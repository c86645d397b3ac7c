"""Production: every secret comes from the environment and has no default."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database, env, env_bool, env_list


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [required("ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATABASES = {"default": database(required("DATABASE_URL"), conn_max_age=60)}
# The owner's connection for `manage.py migrate` (config/kernel/database.py); the application
# connects as DATABASE_URL's role, which owns nothing.
MIGRATION_DATABASE_URL = env("MIGRATION_DATABASE_URL", "") or ""
DATABASE_APPLICATION_ROLE = DATABASES["default"]["USER"] if MIGRATION_DATABASE_URL else ""
REDIS_URL = required("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "allocations"),
    }
}
CELERY_BROKER_URL = REDIS_URL

# Every staff account gives a second step; the demo's shortcut stays off (a deploy check).
TWO_STEP_DEMO_OPTIONAL = False

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
