"""Every URL needs a signed-in user, and each role gets exactly what the permission table says."""

import pytest
from django.urls import reverse

from config.roles import ROLE_PERMISSIONS, ROLES
from tests.access_matrix import (
    BUTTON_POSTS,
    MATRIX,
    OBJECT_POSTS,
    POST_ONLY,
    PUBLIC,
    READ_ONLY_POSTS,
    SIGN_IN_SECOND_STEP,
    TOKEN_PROTECTED,
)
from tests.access_records import access_records_make, named_patterns, url_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(settings, tmp_path):
    """One of every kind of record a URL can point at, made through the services."""
    settings.MEDIA_ROOT = tmp_path
    return access_records_make()


def test_every_url_is_in_the_access_matrix_or_public():
    names = {name for name, _ in named_patterns()}
    assert names == set(MATRIX) | PUBLIC | SIGN_IN_SECOND_STEP | TOKEN_PROTECTED, (
        "A URL was added or removed: put it in MATRIX (with its permission) or PUBLIC."
    )


def test_anonymous_users_are_sent_to_sign_in_from_every_private_url(client, records):
    site, unit = records
    for name in MATRIX:
        url = url_for(name, site, unit)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url}"
            assert response["Location"].startswith(reverse("login") + "?next="), url


def test_public_urls_need_no_sign_in(client, records):
    site, unit = records
    for name in PUBLIC - {"logout"}:
        assert client.get(url_for(name, site, unit)).status_code == 200, name


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_each_role_gets_exactly_what_the_permission_table_says(
    client, user_for_role, records, role
):
    site, unit = records
    client.force_login(user_for_role(role))
    granted = ROLE_PERMISSIONS[role]
    for name, (get_permission, post_permission) in MATRIX.items():
        url = url_for(name, site, unit)
        if name in POST_ONLY:
            expected = 405 if post_permission in granted else 403
        else:
            expected = 200 if get_permission is None or get_permission in granted else 403
        assert client.get(url).status_code == expected, f"{role} GET {url}"
        response = client.post(url, {})
        if post_permission is None:
            # Pages that only show things do not accept POST (no state change through them).
            assert response.status_code in {403, 405}, f"{role} POST {url}"
        elif post_permission in granted:
            # An empty search is refused like any empty form.
            wanted = 302 if name in BUTTON_POSTS else 400
            if name in OBJECT_POSTS and OBJECT_POSTS[name] not in granted:
                wanted = 403
            assert response.status_code == wanted, f"{role} POST {url}"
        else:
            assert response.status_code == 403, f"{role} POST {url}"


def test_auditors_get_403_on_every_post(client, auditor, records):
    site, unit = records
    client.force_login(auditor)
    for name in MATRIX:
        response = client.post(url_for(name, site, unit), {"name": "x"})
        if name in READ_ONLY_POSTS:
            assert response.status_code == 302, name  # a search, changing nothing
        else:
            assert response.status_code in {403, 405}, name


def test_read_only_posts_need_only_the_permission_to_view():
    for name in READ_ONLY_POSTS:
        get_permission, post_permission = MATRIX[name]
        assert post_permission == get_permission and ".view_" in post_permission, name


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_only_administrators_reach_the_admin(client, user_for_role, role):
    client.force_login(user_for_role(role))
    expected = 200 if role == "administrator" else 403
    assert client.get(reverse("admin:index")).status_code == expected


def test_anonymous_admin_visitors_sign_in_on_the_service_login_page(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
