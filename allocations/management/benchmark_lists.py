"""Benchmark (not a test): every list page's queries at county × 1 and at county × N.

A list page is a named URL of the application (not the Django admin's) that takes no
argument and whose name ends in `-list`, or one of OTHER_LISTS: pages that list records
under another name. Every other argument-free page is left out for a reason (SKIPPED, and
the README): forms, exports, reports of totals, the admin.

Each page is asked for twice (the first GET warms any cache) by the benchmark's signed-in
user in-process, and the second GET's queries counted: once in the × 1 register's database
(benchmark_search builds it) and once in the benchmark's own. The × 1 count is taken with the
default connection pointed at the × 1 database and the cache under that register's own key
prefix, so every query (the ORM's and raw SQL alike) reads the small register. Everything
runs in a transaction rolled back at the end: the sign-in's session, the benchmark user's
copy in the × 1 database and anything a page records of being viewed are all undone.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from allocations.management import benchmark_search
from allocations.management.benchmark_table import Row
from config.roles import PROVIDER_STAFF, ROLES
from residents.models import Person
from residents.services import special_category_views_record
from sites.models import ProviderStaff, RegisteredProvider

STAFF_ROLE_NAMES = [role.name for role in ROLES if role is not PROVIDER_STAFF]

LIST_SUFFIX = "-list"
# Argument-free pages that list records though their names don't end in -list.
OTHER_LISTS = (
    "change-log",
    "records-viewed",
    "residents:special-category-views",
    "allocations:newsletter-recipients",
    "allocations:checks-overdue",
    "allocations:diary",
    "allocations:decision-queue",
    "allocations:need-changes-report",
    "allocations:renewals-due",
    "allocations:registration-reviews",
    "allocations:post-room",
    "allocations:core-export",  # the year's CORE return's problems, paginated
    "projects:team-queue",
    "privacy:purge-register",
)
# Namespaces left out whole: the Django admin's change lists are not the application's pages.
SKIPPED_NAMESPACES = ("admin",)


@dataclass(frozen=True)
class ListPage:
    name: str
    url: str


@dataclass(frozen=True)
class Count:
    """One GET's queries, or why there is no count (the page's status)."""

    queries: int | None
    status: int


def list_pages() -> list[ListPage]:
    """Every list page by the rule above, in URLconf order."""
    pages = []
    for name in _names(get_resolver().url_patterns, ""):
        if name.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        if not (name.endswith(LIST_SUFFIX) or name in OTHER_LISTS):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # it needs an argument: not a page of the whole register
            continue
        pages.append(ListPage(name, url))
    return pages


def page_counts(pages: list[ListPage]) -> dict[str, Count]:
    """Each page's queries, in a transaction rolled back, asked for by a reader who may see
    it: a member of every staff role, or for a registered provider's own pages (which staff
    may not see) one of its staff. The readers, their sign-ins and one special-category
    showing (so that its log's page lists a row in every register) are undone with the rest."""
    counts: dict[str, Count] = {}
    with transaction.atomic():
        clients = []
        for reader in _readers():
            client = Client(HTTP_HOST="localhost")
            client.force_login(reader)
            clients.append(client)
        for page in pages:
            for client in clients:
                counts[page.name] = _count(client, page)
                if counts[page.name].status != 403:
                    break
        transaction.set_rollback(True)
    return counts


def _count(client: Client, page: ListPage) -> Count:
    try:
        with transaction.atomic():  # a page that fails leaves the others' reads whole
            client.get(page.url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.url)
    except Exception:
        return Count(None, 500)
    ok = response.status_code == 200
    return Count(len(queries) if ok else None, response.status_code)


def _readers() -> tuple[Any, Any]:
    """A member of every staff role, and a registered provider's staff member (unsaved
    passwords: signed in by force_login). To be called in a transaction rolled back."""
    users = get_user_model().objects
    tag = secrets.token_hex(4)
    staff = users.create(username=f"benchmark-lists-{tag}", first_name="List", last_name="Reader")
    staff.groups.set(Group.objects.filter(name__in=STAFF_ROLE_NAMES))
    provider = RegisteredProvider.objects.order_by(
        "pk"
    ).first() or RegisteredProvider.objects.create(name="Benchmark provider (list pages)")
    member = users.create(
        username=f"benchmark-provider-{tag}", first_name="Provider", last_name="Reader"
    )
    member.groups.set(Group.objects.filter(name=PROVIDER_STAFF.name))
    ProviderStaff.objects.create(user=member, provider=provider)
    person = Person.objects.order_by("pk").first()
    if person is not None:
        special_category_views_record(
            people=[person], user=staff, fields=["ethnicity"], where="benchmark"
        )
    return staff, member


def rows(repeat: int, say: Callable[[str], None]) -> list[Row]:
    """One row a list page, its queries at × 1 → × N (PASS when equal), and a summary row."""
    settings.DEBUG = False
    pages = list_pages()
    say(f"List pages ({len(pages)}): " + ", ".join(page.url for page in pages))
    benchmark_search.register_x1_ready(say)
    small_name = connections.settings[benchmark_search.ALIAS]["NAME"]
    benchmark_search.close()
    with _default_database(small_name):
        small = page_counts(pages)
    large = page_counts(pages)
    return table_rows(pages, small, large, repeat)


def table_rows(
    pages: list[ListPage],
    small: dict[str, Count],
    large: dict[str, Count],
    repeat: int,
) -> list[Row]:
    """One row a page, × 1 → × N, PASS when the counts are equal; a page either register
    would not show (its status) is a FAIL row. Then how many pages were constant."""
    result = []
    constant = 0
    for page in pages:
        one, many = small[page.name], large[page.name]
        label = f"queries: {page.name} {page.url} (×1 → ×N)"
        if one.queries is None or many.queries is None:
            note = f"FAIL (HTTP {one.status} at ×1, {many.status} at ×N)"
            result.append(Row(label, "equal (constant)", note=note))
            continue
        constant += one.queries == many.queries
        result.append(
            Row(
                f"{label}: {one.queries} → {many.queries}",
                "equal (constant)",
                [float(many.queries - one.queries)] * repeat,
                unit="more",
                passes=lambda value: value == 0,
            )
        )
    result.append(
        Row(
            f"queries: list pages constant from ×1 to ×N ({constant} of {len(pages)})",
            "all",
            [float(len(pages) - constant)] * repeat,
            unit="not",
            passes=lambda value: value == 0,
        )
    )
    return result


@contextmanager
def _default_database(name: str) -> Iterator[None]:
    """The default connection (and the cache's key prefix) on the database `name` meanwhile,
    as benchmark_search's loader ran the × 1 register's commands."""
    original = connection.settings_dict
    prefix = cache.key_prefix
    connection.close()
    connection.settings_dict = {**original, "NAME": name}
    cache.key_prefix = f"{prefix}{benchmark_search.SUFFIX}"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = original
        cache.key_prefix = prefix


def _names(patterns, namespace: str) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"
