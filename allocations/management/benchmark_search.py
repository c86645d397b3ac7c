"""Benchmark (not a test): household search at county × N against county × 1.

The × 1 register lives in a second database beside the benchmark's own (its name with
`_x1` added), built once by `migrate` and `demo_load` (the demo, then `--scale 1`) run in a
subprocess with that DATABASE_URL, so the demo's own code loads it exactly as it loads the
× N register; later runs find it loaded and do nothing. It is then reached in-process under a
second connection alias, with a router sending every query there while a search is timed, so
both registers run the same code: the household list's page and capped count
(`residents.views.households.search_page`), side by side in the same round.
"""

from __future__ import annotations

import copy
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, router

from residents.models import Household, Person
from residents.views.households import search_page

ALIAS = "county_x1"
SUFFIX = "_x1"
SEARCHES: dict[str, dict[str, str]] = {
    # The exact reference is each register's own last household's; the names are the same.
    "exact reference": {"reference": ""},
    "a surname": {"name": "smith"},
    "two names": {"name": "mary smith"},
}


@dataclass
class Register:
    alias: str
    people: int
    households: int
    last_reference: str


def register_x1_ready(say: Callable[[str], None]) -> Register:
    """The × 1 register's database, created and loaded if it isn't yet, under ALIAS."""
    default = connections.settings["default"]
    name = f"{default['NAME']}{SUFFIX}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            say(f"Creating the database {name} for the county × 1 register...")
            try:
                cursor.execute(f'CREATE DATABASE "{name}"')
            except DatabaseError as error:
                raise CommandError(
                    f"Could not create the database {name} for the × 1 register: {error}"
                ) from error
    say(f"Loading the demo and the county × 1 register into {name} (once)...")
    env = dict(os.environ, DATABASE_URL=_url_named(_database_url(default), name))
    if env.get("MIGRATION_DATABASE_URL"):
        env["MIGRATION_DATABASE_URL"] = _url_named(env["MIGRATION_DATABASE_URL"], name)
    # Its own cache keys: nothing cached for one register is read for the other.
    env["CACHE_KEY_PREFIX"] = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}{SUFFIX}"
    for arguments in (["migrate", "-v0"], ["demo_load", "-v0"], ["demo_load", "--scale", "1"]):
        _manage(arguments, env)
    connections.settings[ALIAS] = {**copy.deepcopy(default), "NAME": name}
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # every table, as autovacuum leaves a live database
    with reading_from(ALIAS):
        return _register(ALIAS)


def register_here() -> Register:
    return _register("default")


def _register(alias: str) -> Register:
    last = Household.objects.using(alias).order_by("-pk").first()
    return Register(
        alias=alias,
        people=Person.objects.using(alias).count(),
        households=Household.objects.using(alias).count(),
        last_reference=last.reference if last else "X",
    )


def criteria_for(search: str, register: Register) -> dict[str, str]:
    criteria = dict(SEARCHES[search])
    if "reference" in criteria:
        criteria["reference"] = register.last_reference
    return criteria


def search_ms(criteria: dict[str, str], alias: str, repeat: int = 5) -> tuple[float, int]:
    """The median milliseconds of the household list's work for one search (its first page and
    capped count) in the database under `alias`, and the number of results the page says."""
    times = []
    count = 0
    with reading_from(alias):
        for _ in range(repeat):
            started = time.perf_counter()
            page = search_page(criteria, 1)
            list(page.object_list)
            count = page.paginator.count
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), count


def search_queries(criteria: dict[str, str]) -> list[tuple[str, tuple]]:
    """Every query one search runs (in the default database), to explain each."""
    ran: list[tuple[str, tuple]] = []

    def wrapper(execute, sql, params, many, context):
        ran.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        page = search_page(criteria, 1)
        list(page.object_list)
    return ran


def close() -> None:
    if ALIAS in connections.settings:
        connections[ALIAS].close()


class _Everything:
    """A database router sending every query to one alias (reads and writes alike)."""

    def __init__(self, alias: str):
        self.alias = alias

    def db_for_read(self, model, **hints):
        return self.alias

    def db_for_write(self, model, **hints):
        return self.alias


@contextmanager
def reading_from(alias: str) -> Iterator[None]:
    if alias == "default":
        yield
        return
    route = _Everything(alias)
    router.routers.insert(0, route)
    try:
        yield
    finally:
        router.routers.remove(route)


def _database_url(default: dict) -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    user = quote(default.get("USER") or "", safe="")
    password = quote(default.get("PASSWORD") or "", safe="")
    login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{default['PORT']}" if default.get("PORT") else ""
    return f"postgres://{login}{default.get('HOST') or ''}{port}/{default['NAME']}"


def _url_named(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{quote(name)}"))


def _manage(arguments: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 - our own argv
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise CommandError(
            f"manage.py {' '.join(arguments)} failed for the × 1 register: " + " / ".join(tail)
        )
