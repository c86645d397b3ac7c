"""How the application's connections to PostgreSQL are set up (config/settings/base.py)."""

from django.db import connection


def test_queries_are_never_jit_compiled(db):
    # With stale statistics a page's query can look costly enough to compile, and compiling
    # took 0.3 s where the query took 1 ms: the application's connections turn JIT off.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
