"""How the application's connections to PostgreSQL are set up (config/settings/base.py
`database`, which every settings module uses)."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def test_queries_are_never_jit_compiled(db):
    # With stale statistics a page's query can look costly enough to compile, and compiling
    # took 0.3 s where the query took 1 ms: the application's connections turn JIT off.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _production_database(**environment: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k7#Vq2!pZ9@xL4$wR8^mN3&bT6*yH1(eJ5)uC0_sF-gD+aK=oP",
        "ALLOWED_HOSTS": "allocations.northshire.example",
        "DATABASE_URL": "postgres://app:secret@db.example:5432/allocations",
        "REDIS_URL": settings.REDIS_URL,
        **environment,
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_connections_turn_jit_off_unless_told_not_to():
    assert _production_database()["options"] == "-c jit=off"
    assert "options" not in _production_database(DATABASE_JIT="1")
