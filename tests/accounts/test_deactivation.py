import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from config.accounts.services import user_deactivate
from tests.accounts.test_admin_accounts import _post
from tests.conftest import Client

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("ping")).status_code == 200
    return browser


def test_deactivating_an_account_in_the_admin_deletes_its_sessions(client, administrator, officer):
    officers_browser = _signed_in(officer)
    others_browser = _signed_in(administrator)
    client.force_login(administrator)
    assert _post(client, officer, is_active="", reason="Left the council").status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    # Reactivated, the account's old session does not come back to life.
    officer.is_active = True
    officer.save()
    assert officers_browser.get(reverse("ping")).status_code == 302
    assert others_browser.get(reverse("ping")).status_code == 200


def test_the_deactivation_service_deletes_the_sessions_and_says_why(administrator, officer):
    officers_browser = _signed_in(officer)
    user_deactivate(user=officer, by=administrator, reason="Left the council")
    assert not Session.objects.filter(session_key=officers_browser.session.session_key).exists()
    latest = officer.history.order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (
        administrator,
        "Left the council",
    )
