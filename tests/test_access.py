"""Every URL needs a signed-in user, and each role gets exactly what the permission table says."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.roles import ROLE_PERMISSIONS, ROLES
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

# Reachable without signing in: signing in and out, resetting a password, the health check.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
}

# url name -> (permission needed to GET, permission needed to POST or None if GET-only).
# None for GET means any signed-in user.
MATRIX = {
    "home": (None, None),
    "ping": (None, None),
    "change-log": ("config.view_change_log", None),
    "change-log-csv": ("config.view_change_log", None),
    "sites:site-list": ("sites.view_site", None),
    "sites:site-create": ("sites.add_site", "sites.add_site"),
    "sites:site-detail": ("sites.view_site", None),
    "sites:site-edit": ("sites.change_site", "sites.change_site"),
    "sites:site-history": ("sites.view_site", None),
    "sites:unit-create": ("sites.add_unit", "sites.add_unit"),
    "sites:unit-detail": ("sites.view_unit", None),
    "sites:unit-edit": ("sites.change_unit", "sites.change_unit"),
    "sites:unit-history": ("sites.view_unit", None),
}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin is checked on its own below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _url(name: str, site, unit) -> str:
    kwargs_by_name = {
        "sites:site-detail": [site.pk],
        "sites:site-edit": [site.pk],
        "sites:site-history": [site.pk],
        "sites:unit-create": [site.pk],
        "sites:unit-detail": [unit.pk],
        "sites:unit-edit": [unit.pk],
        "sites:unit-history": [unit.pk],
    }
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    return reverse(name, args=kwargs_by_name.get(name, []))


@pytest.fixture
def records():
    unit = UnitFactory()
    return unit.site, unit


def test_every_url_is_in_the_access_matrix_or_public():
    names = {name for name, _ in _named_patterns()}
    assert names == set(MATRIX) | PUBLIC, (
        "A URL was added or removed: put it in MATRIX (with its permission) or PUBLIC."
    )


def test_anonymous_users_are_sent_to_sign_in_from_every_private_url(client, records):
    site, unit = records
    for name in MATRIX:
        url = _url(name, site, unit)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url}"
            assert response["Location"].startswith(reverse("login") + "?next="), url


def test_public_urls_need_no_sign_in(client, records):
    site, unit = records
    for name in PUBLIC - {"logout"}:
        assert client.get(_url(name, site, unit)).status_code == 200, name


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_each_role_gets_exactly_what_the_permission_table_says(
    client, user_for_role, records, role
):
    site, unit = records
    client.force_login(user_for_role(role))
    granted = ROLE_PERMISSIONS[role]
    for name, (get_permission, post_permission) in MATRIX.items():
        url = _url(name, site, unit)
        expected = 200 if get_permission is None or get_permission in granted else 403
        assert client.get(url).status_code == expected, f"{role} GET {url}"
        response = client.post(url, {})
        if post_permission is None:
            # Pages that only show things do not accept POST (no state change through them).
            assert response.status_code in {403, 405}, f"{role} POST {url}"
        elif post_permission in granted:
            assert response.status_code == 400, f"{role} POST {url} (empty form is invalid)"
        else:
            assert response.status_code == 403, f"{role} POST {url}"


def test_auditors_get_403_on_every_post(client, auditor, records):
    site, unit = records
    client.force_login(auditor)
    for name in MATRIX:
        assert client.post(_url(name, site, unit), {"name": "x"}).status_code in {403, 405}, name


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_only_administrators_reach_the_admin(client, user_for_role, role):
    client.force_login(user_for_role(role))
    expected = 200 if role == "administrator" else 403
    assert client.get(reverse("admin:index")).status_code == expected


def test_anonymous_admin_visitors_sign_in_on_the_service_login_page(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
