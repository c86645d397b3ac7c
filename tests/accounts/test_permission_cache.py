"""A user's permissions come from the cache (config.accounts.permissions), and are forgotten
the moment their roles, or a role's permissions, change: no one keeps a right taken away."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import context_processors
from config.accounts import permissions
from config.accounts.permissions import menu_cache_key, permissions_cache_key

pytestmark = pytest.mark.django_db

URL = "/households/"


def _permission_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        status = client.get(URL).status_code
    return status, sum("auth_permission" in query["sql"] for query in context)


def test_a_page_reads_the_permissions_from_the_cache_after_the_first(client, officer):
    assert reverse("residents:household-list") == URL
    client.force_login(officer)
    client.get(URL)
    assert _permission_queries(client) == (200, 0)


def test_a_role_taken_away_takes_its_permissions_at_once(client, officer):
    client.force_login(officer)
    client.get(URL)
    officer.groups.clear()
    assert _permission_queries(client)[0] == 403


def test_a_permission_taken_from_a_role_goes_at_once(client, officer):
    client.force_login(officer)
    client.get(URL)
    role = Group.objects.get(name="officer")
    permission = Permission.objects.get(codename="view_household")
    role.permissions.remove(permission)
    assert _permission_queries(client)[0] == 403
    role.permissions.add(permission)
    assert _permission_queries(client) == (200, 2)


def test_a_migration_forgets_everyones_permissions(client, officer):
    client.force_login(officer)
    client.get(URL)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert _permission_queries(client) == (200, 2)


def test_with_the_cache_unreachable_pages_work_and_roles_still_change(
    client, officer, settings, caplog
):
    """Redis down (a port where nothing listens): the menu and permissions are worked out
    from the database on each request, a role taken away still takes effect, and nothing
    gives a 500."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    client.force_login(officer)
    status, permission_queries = _permission_queries(client)
    page = client.get(URL).content.decode()
    assert (status, permission_queries) == (200, 2)  # asked of the database, as without a cache
    assert "Households" in page and "officer" in page.lower()
    officer.groups.clear()  # forgetting the cached menu cannot reach the cache either
    assert client.get(URL).status_code == 403
    assert "The cache could not" in caplog.text


def test_a_page_reads_the_menu_with_the_permissions_in_one_round_trip(client, officer, monkeypatch):
    """The page asks for the permissions, and shows the menu: one read of the cache for both
    (none of the menu's own), and the menu shown is the one kept."""
    client.force_login(officer)
    client.get(URL)
    reads: list = []
    read_many = permissions.cache_get_many

    def counted(keys):
        reads.append(keys)
        return read_many(keys)

    monkeypatch.setattr(permissions, "cache_get_many", counted)
    monkeypatch.setattr(context_processors, "cache_get", lambda key: reads.append(key))
    page = client.get(URL).content.decode()
    assert reads == [[permissions_cache_key(officer), menu_cache_key(officer)]]
    assert 'href="/households/"' in page and "Households" in page


def test_forgetting_a_users_menu_forgets_the_one_read_with_their_permissions(officer):
    officer.has_perm("residents.view_household")
    assert hasattr(officer, "menu_read")
    context_processors.menu_forget(officer)
    assert not hasattr(officer, "menu_read")
