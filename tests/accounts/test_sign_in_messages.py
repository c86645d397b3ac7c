"""The sign-in and password-reset pages say what to put right, in words of their own, and keep
what was typed."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_with_nothing_typed_says_what_to_enter(client):
    page = _page(client.post(reverse("login"), {"username": "", "password": ""}))
    assert "Enter your username" in page
    assert "Enter your password" in page
    assert "This field is required" not in page


def test_a_wrong_password_says_so_plainly_and_keeps_the_username(client, officer):
    page = _page(client.post(reverse("login"), {"username": officer.username, "password": "no"}))
    assert "Enter a correct username and password (both are case-sensitive)" in page
    assert "Please enter" not in page
    assert f'value="{officer.username}"' in page


def test_the_right_password_still_signs_in(client, officer):
    response = client.post(
        reverse("login"), {"username": officer.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_a_password_reset_with_no_email_says_what_to_enter(client):
    page = _page(client.post(reverse("password_reset"), {"email": ""}))
    assert "Enter the email address for your account" in page
    assert "This field is required" not in page


def test_a_password_reset_with_a_malformed_email_shows_the_format(client):
    page = _page(client.post(reverse("password_reset"), {"email": "olivia.example"}))
    assert "Enter an email address in the correct format, like name@example.com" in page


def test_choosing_a_new_password_with_nothing_typed_says_what_to_enter(client, officer):
    uid = urlsafe_base64_encode(force_bytes(officer.pk))
    token = default_token_generator.make_token(officer)
    # The link redirects once to a URL that keeps the token in the session.
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token])).url
    page = _page(client.post(form_url, {"new_password1": "", "new_password2": ""}))
    assert "Enter a new password" in page
    assert "Enter the new password again to confirm it" in page
    assert "This field is required" not in page
    mismatch = _page(
        client.post(
            form_url, {"new_password1": "a-long-pass-phrase-1", "new_password2": "another-one-22"}
        )
    )
    assert "The two passwords do not match" in mismatch
