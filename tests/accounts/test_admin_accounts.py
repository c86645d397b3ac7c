import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from config.roles import ADMINISTRATOR, OFFICER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _change_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "reason": "Joined the allocations team",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def _post(client, user, **changes):
    return client.post(
        reverse("admin:auth_user_change", args=[user.pk]), _change_data(user, **changes)
    )


def test_an_administrator_cannot_make_themselves_superuser(client, administrator):
    client.force_login(administrator)
    _post(client, administrator, is_superuser="on", is_staff="on")
    administrator.refresh_from_db()
    assert not administrator.is_superuser and not administrator.is_staff


def test_an_administrator_cannot_make_anyone_superuser_or_grant_direct_permissions(
    client, administrator, officer
):
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="view_special_category")
    client.force_login(administrator)
    page = client.get(reverse("admin:auth_user_change", args=[officer.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    _post(client, officer, is_superuser="on", user_permissions=[permission.pk])
    officer.refresh_from_db()
    assert not officer.is_superuser
    assert not officer.user_permissions.exists()


def test_nobody_changes_their_own_roles_or_flags(client, administrator, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="a-long-root-pass-9")
    for user in (administrator, superuser):
        client.force_login(user)
        page = client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
        assert 'name="groups"' not in page and 'name="is_active"' not in page
        _post(
            client,
            user,
            groups=[Group.objects.get(name=OFFICER.name).pk],
            is_active="",
        )
        user.refresh_from_db()
        assert user.is_active
        assert not user.groups.filter(name=OFFICER.name).exists()


def test_only_a_superuser_grants_superuser_status(client, django_user_model, officer):
    superuser = django_user_model.objects.create_superuser("root", password="a-long-root-pass-9")
    client.force_login(superuser)
    response = _post(client, officer, is_superuser="on", reason="Acting head of ICT")
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_superuser


def test_an_administrator_cannot_change_a_superusers_account(
    client, administrator, django_user_model
):
    superuser = django_user_model.objects.create_superuser("root", password="a-long-root-pass-9")
    client.force_login(administrator)
    assert _post(client, superuser, first_name="Mallory").status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    response = client.post(
        password_url, {"password1": "taken-over-9876", "password2": "taken-over-9876"}
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("a-long-root-pass-9")


def test_a_change_of_roles_is_in_the_accounts_history_with_who_and_why(client, administrator):
    colleague = UserFactory(roles=[OFFICER.name])
    client.force_login(administrator)
    response = _post(
        client,
        colleague,
        groups=[Group.objects.get(name=ADMINISTRATOR.name).pk],
        reason="Covering for the administrator on leave",
    )
    assert response.status_code == 302
    latest = colleague.history.order_by("-history_id").first()
    assert latest.history_user == administrator
    assert latest.history_change_reason == "Covering for the administrator on leave"
    assert [group.group.name for group in latest.groups.all()] == [ADMINISTRATOR.name]


def test_a_change_to_an_account_without_a_reason_is_refused(client, administrator, officer):
    client.force_login(administrator)
    response = _post(client, officer, first_name="Renamed", reason="")
    assert response.status_code == 200
    assert "Enter the reason for this change" in response.content.decode()
    officer.refresh_from_db()
    assert officer.first_name != "Renamed"


def test_a_change_to_a_role_is_in_its_history_with_who_and_why(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="a-long-root-pass-9")
    group = Group.objects.get(name=OFFICER.name)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {
            "name": group.name,
            "permissions": list(group.permissions.values_list("pk", flat=True)[:3]),
            "reason": "Trimmed for the pilot",
        },
    )
    assert response.status_code == 302
    latest = group.history.order_by("-history_id").first()
    assert latest.history_user == superuser
    assert latest.history_change_reason == "Trimmed for the pilot"
