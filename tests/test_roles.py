import pytest
from django.contrib.auth.models import Group

from config.roles import ROLE_PERMISSIONS, ROLES

pytestmark = pytest.mark.django_db


def test_migrations_create_a_group_for_every_role():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.name for role in ROLES}


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_each_group_holds_exactly_the_permissions_in_the_role_table(role):
    group = Group.objects.get(name=role)
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert held == ROLE_PERMISSIONS[role]


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_every_role_has_a_fixture_of_its_name_holding_only_that_role(request, role):
    user = request.getfixturevalue(role)
    assert list(user.groups.values_list("name", flat=True)) == [role]


def test_auditors_hold_no_permission_to_add_change_or_delete_anything():
    assert not [
        permission
        for permission in ROLE_PERMISSIONS["auditor"]
        if permission.split(".")[1].startswith(("add_", "change_", "delete_"))
    ]


def test_a_user_with_no_role_sees_no_records(client, django_user_model):
    user = django_user_model.objects.create_user("norole", password="x-long-password-1")
    client.force_login(user)
    assert client.get("/sites/").status_code == 403
    assert "no role in this service" in client.get("/").content.decode()
