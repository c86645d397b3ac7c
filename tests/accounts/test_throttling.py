import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_one_address_trying_many_usernames_is_stopped(settings, officer):
    sprayer = _from("203.0.113.7")
    for number in range(settings.SIGN_IN_SPRAY_USERNAMES):
        response = sprayer.post(
            reverse("login"), {"username": f"guess{number}", "password": "Summer2026!"}
        )
        assert response.status_code == 200
    # Even the right password for a real account is refused from that address now.
    refused = sprayer.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    elsewhere = _from("198.51.100.20")
    response = elsewhere.post(
        reverse("login"), {"username": officer.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_few_mistyped_usernames_do_not_stop_an_address(settings, officer):
    office = _from("192.0.2.44")
    for number in range(settings.SIGN_IN_SPRAY_USERNAMES - 1):
        office.post(reverse("login"), {"username": f"typo{number}", "password": "wrong"})
    response = office.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_is_limited_per_address(settings):
    requester = _from("203.0.113.99")
    for number in range(settings.PASSWORD_RESET_PER_ADDRESS):
        response = requester.post(
            reverse("password_reset"), {"email": f"someone{number}@northshire.example"}
        )
        assert response.status_code == 302
    refused = requester.post(reverse("password_reset"), {"email": "another@northshire.example"})
    assert refused.status_code == 429


def test_password_reset_emails_to_one_account_are_limited_without_saying_so(settings, officer):
    for number in range(settings.PASSWORD_RESET_PER_ACCOUNT + 2):
        response = _from(f"198.51.100.{number + 1}").post(
            reverse("password_reset"), {"email": officer.email.upper()}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_ACCOUNT
