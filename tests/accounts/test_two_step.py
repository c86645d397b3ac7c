import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.roles import ROLES
from tests.conftest import Client, two_step_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def _password_step(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(reverse("home"))


def _app_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_every_staff_role_must_use_two_step_sign_in_by_default(settings):
    assert set(settings.TWO_STEP_REQUIRED_ROLES) == {role.name for role in ROLES}


def test_a_password_alone_reaches_nothing_but_setting_up_two_step_sign_in(officer):
    browser = Client()
    response = _password_step(browser, officer)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two-step-setup')}?next=%2F"
    for name in ("sites:site-list", "change-log", "residents:household-list"):
        assert browser.get(reverse(name)).status_code == 302, name
    assert browser.get("/admin/").status_code == 302


def test_setting_up_shows_a_qr_code_drawn_on_the_server_then_recovery_codes_once(officer):
    browser = Client()
    _password_step(browser, officer)
    page = browser.get(reverse("two-step-setup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = browser.post(reverse("two-step-setup"), {"code": "000000"})
    assert wrong.status_code == 400 and "The code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # each wrong code makes the next wait longer
    device.throttle_reset()
    done = browser.post(reverse("two-step-setup"), {"code": _app_code(device), "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert set(
        StaticDevice.objects.get(user=officer).token_set.values_list("token", flat=True)
    ) == (set(codes))
    device.refresh_from_db()
    assert device.confirmed
    assert browser.get(reverse("home")).status_code == 200
    # Shown once: the page never shows them again.
    again = browser.get(reverse("two-step-setup")).content.decode()
    assert "already set up" in again and codes[0] not in again


def test_the_next_sign_in_asks_for_a_code_and_a_recovery_code_works_once(officer):
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    recovery = two_step_code(officer)
    browser = Client()
    response = _password_step(browser, officer)
    assert response["Location"] == f"{reverse('two-step-verify')}?next=%2F"
    wrong = browser.post(reverse("two-step-verify"), {"code": "123456"})
    assert wrong.status_code == 400
    assert browser.get(reverse("home")).status_code == 302
    for each in devices_for_user(officer):  # a wrong code makes every device wait a little
        assert each.throttling_failure_count == 1
        each.throttle_reset()
    assert browser.post(reverse("two-step-verify"), {"code": recovery}).status_code == 302
    assert browser.get(reverse("home")).status_code == 200

    second = Client()
    _password_step(second, officer)
    assert second.post(reverse("two-step-verify"), {"code": recovery}).status_code == 400
    for each in devices_for_user(officer):
        each.throttle_reset()
    assert second.post(reverse("two-step-verify"), {"code": _app_code(device)}).status_code == 302
    assert second.get(reverse("home")).status_code == 200


def test_the_next_address_after_the_second_step_stays_on_this_site(officer):
    recovery = two_step_code(officer)
    browser = Client()
    _password_step(browser, officer)
    response = browser.post(
        reverse("two-step-verify"), {"code": recovery, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_roles_not_listed_sign_in_with_a_password_alone(settings, officer, sites_manager):
    settings.TWO_STEP_REQUIRED_ROLES = ["sites_manager"]
    officers_browser, managers_browser = Client(), Client()
    assert _password_step(officers_browser, officer).status_code == 200
    assert _password_step(managers_browser, sites_manager).status_code == 302


def test_superusers_always_need_the_second_step(settings, django_user_model):
    settings.TWO_STEP_REQUIRED_ROLES = []
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    browser = Client()
    assert _password_step(browser, root).status_code == 302


def test_the_demo_setting_lets_accounts_without_a_device_in_and_still_asks_the_others(
    settings, officer, team_leader
):
    settings.TWO_STEP_DEMO_OPTIONAL = True
    two_step_code(team_leader)
    assert _password_step(Client(), officer).status_code == 200
    assert _password_step(Client(), team_leader).status_code == 302


def test_the_demo_setting_fails_the_deployment_checks(settings):
    settings.TWO_STEP_DEMO_OPTIONAL = True
    settings.DEBUG = False
    with pytest.raises(SystemCheckError, match="TWO_STEP_DEMO_OPTIONAL"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_an_administrator_resets_a_lost_device_with_a_reason_kept_in_history(
    client, administrator, officer
):
    TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    officers_browser = Client()
    officers_browser.force_login(officer)
    url = reverse("admin:auth_user_two_step_reset", args=[officer.pk])
    client.force_login(administrator)
    change_page = client.get(reverse("admin:auth_user_change", args=[officer.pk]))
    assert url in change_page.content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=officer).exists()
    response = client.post(url, {"reason": "Lost phone, confirmed by a call back"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    latest = officer.history.order_by("-history_id").first()
    assert latest.history_user == administrator
    assert latest.history_change_reason == (
        "Two-step sign-in reset: Lost phone, confirmed by a call back"
    )
    assert not Session.objects.filter(session_key=officers_browser.session.session_key).exists()
    # Their next sign-in sets it up again.
    assert _password_step(Client(), officer)["Location"].startswith(reverse("two-step-setup"))


def test_nobody_resets_their_own_two_step_sign_in_in_the_admin(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:auth_user_two_step_reset", args=[administrator.pk])
    assert client.post(url, {"reason": "I lost it"}).status_code == 403
    assert StaticDevice.objects.filter(user=administrator).exists()


@pytest.mark.parametrize("object_id", ["abc", "1.5", "99999999"])
def test_resetting_an_account_that_is_not_there_is_a_page_not_found(
    client, administrator, object_id
):
    client.force_login(administrator)
    url = reverse("admin:auth_user_two_step_reset", args=[object_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Lost phone"}).status_code == 404
