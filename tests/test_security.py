import os
import subprocess
import sys
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(client, officer):
    client.force_login(officer)
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_a_content_security_policy_without_inline_script_or_style(client, officer):
    client.force_login(officer)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_session_ends_after_30_idle_minutes(client, officer):
    client.force_login(officer)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["session_last_seen_at"] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # signed out for good


def test_session_ends_12_hours_after_sign_in_even_when_active(client, officer):
    client.force_login(officer)
    client.get(reverse("home"))
    session = client.session
    session["session_signed_in_at"] = time.time() - 12 * 60 * 60 - 5
    session.save()
    response = client.get(reverse("home"), follow=True)
    assert "more than 12 hours ago" in response.content.decode()


def test_five_failed_sign_ins_lock_the_account_and_are_logged(client, officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": officer.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username=officer.username).count() >= 5


def test_a_correct_sign_in_reaches_the_home_page(client, officer):
    from tests.conftest import two_step_code

    code = two_step_code(officer)
    response = client.post(
        reverse("login"),
        {"username": officer.username, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{reverse('two-step-verify')}?next=%2F"
    response = client.post(response.redirect_chain[-1][0], {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")


def test_forms_reject_posts_without_a_csrf_token(officer):
    from tests.conftest import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(reverse("sites:site-create"), {}).status_code == 403


def test_sign_out_is_a_post_not_a_link(client, officer):
    client.force_login(officer)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k7#Vq2!pZ9@xL4$wR8^mN3&bT6*yH1(eJ5)uC0_sF-gD+aK=oP",
        "ALLOWED_HOSTS": "allocations.northshire.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"),
        "REDIS_URL": settings.REDIS_URL,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "Set the SECRET_KEY environment variable" in result.stderr
