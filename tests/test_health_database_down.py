"""/health/ must answer JSON 503 when the database is down, even for a signed-in browser."""

import socket

import pytest
from django.db import connection
from django.urls import reverse


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


@pytest.mark.django_db(transaction=True)
def test_health_with_a_session_cookie_answers_json_503_while_the_database_is_down(client, officer):
    client.force_login(officer)  # the session lives in the database
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        response = client.get(reverse("health"))
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"].startswith("failing: OperationalError")
