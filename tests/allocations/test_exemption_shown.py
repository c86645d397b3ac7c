"""Who recorded a household's exemption from the local connection test, when and why, shown
beside its connections on its Bids page (it was only in the record's History): read from the
history row of the recording, in one query however long the application's history."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from allocations import services
from tests.allocations.cbl import applicant, connect, uk

pytestmark = pytest.mark.django_db


def exemption_url(application) -> str:
    return reverse("allocations:connection-exemption", args=[application.pk])


def bids_url(application) -> str:
    return reverse("allocations:application-bids", args=[application.pk])


def shown(ground: str, by, on: str, reason: str) -> str:
    return (
        f"Exempt from the local connection test:</strong> {ground} — recorded by "
        f"{escape(by.get_full_name())} on {on}: {escape(reason)}"
    )


def exempt(application, by, group: str, reason: str, at) -> None:
    with time_machine.travel(at, tick=False):
        services.connection_exemption_record(
            application=application, group=group, reason=reason, by=by
        )


def test_the_bids_page_says_who_recorded_the_exemption_when_and_why(client, officer):
    application = applicant()
    client.force_login(officer)
    with time_machine.travel(uk(2026, 12, 4, 23, 30), tick=False):  # 4 December in the UK
        recorded = client.post(
            exemption_url(application),
            {"group": "fleeing_violence", "reason": "Refuge's referral letter of 2 December"},
        )
        assert recorded.status_code == 302
        html = client.get(bids_url(application)).content.decode()
    assert (
        shown(
            "People fleeing violence or abuse",
            officer,
            "4 December 2026",
            "Refuge's referral letter of 2 December",
        )
        in html
    )
    assert "Tier 1 for every home, whatever its connections." in html


def test_the_recording_shown_is_the_latest_of_the_exemption_not_a_later_change(
    client, officer, team_leader
):
    application = applicant()
    exempt(application, officer, "care_leaver", "Leaving care team's letter", uk(2026, 12, 4, 9))
    # Changed to another group: its own evidence, without what the history adds ("was ...").
    exempt(application, team_leader, "fleeing_violence", "Refuge letter", uk(2026, 12, 5, 9))
    client.force_login(officer)
    html = client.get(bids_url(application)).content.decode()
    assert (
        shown("People fleeing violence or abuse", team_leader, "5 December 2026", "Refuge letter")
        in html
    )
    assert "Leaving care team" not in html
    # Another change to the application is not the exemption's recording.
    with time_machine.travel(uk(2026, 12, 6, 9), tick=False):
        services.access_needs_record(
            application=application, category="c", assessment="OT: level access", by=officer
        )
    html = client.get(bids_url(application)).content.decode()
    assert (
        shown("People fleeing violence or abuse", team_leader, "5 December 2026", "Refuge letter")
        in html
    )
    # Recorded again with new evidence: the latest evidence, by whoever recorded it.
    exempt(
        application, officer, "fleeing_violence", "Police letter: still at risk", uk(2026, 12, 7, 9)
    )
    html = client.get(bids_url(application)).content.decode()
    assert (
        shown(
            "People fleeing violence or abuse",
            officer,
            "7 December 2026",
            "Police letter: still at risk",
        )
        in html
    )


def test_an_exemption_ended_and_recorded_again_shows_the_new_recording(client, officer):
    application = applicant()
    exempt(application, officer, "care_leaver", "First letter", uk(2026, 12, 1, 9))
    exempt(application, officer, "", "Not a care leaver after all", uk(2026, 12, 2, 9))
    client.force_login(officer)
    html = client.get(bids_url(application)).content.decode()
    assert "Exemption from the connection test:</strong> Not exempt." in html
    assert "recorded by" not in html
    exempt(application, officer, "care_leaver", "Second letter", uk(2026, 12, 3, 9))
    html = client.get(bids_url(application)).content.decode()
    assert shown("Care leavers", officer, "3 December 2026", "Second letter") in html


def _queries(client, url: str) -> int:
    client.get(url)  # the first request after sign-in writes the session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_bids_page_reads_who_recorded_the_exemption_in_one_query_however_long_the_history(
    client, officer
):
    client.force_login(officer)
    not_exempt = applicant()
    connect(not_exempt, "Cheriton")
    application = applicant()
    connect(application, "Cheriton")
    exempt(application, officer, "care_leaver", "Letter", uk(2026, 12, 1, 9))
    few = _queries(client, bids_url(application))
    assert few <= _queries(client, bids_url(not_exempt)) + 1
    for number, parish in enumerate(["Folkestone", "Hythe", "Sandgate", "Hawkinge"]):
        connect(application, parish)
        exempt(application, officer, "care_leaver", f"Letter {number}", uk(2026, 12, 2 + number, 9))
        services.access_needs_record(
            application=application, category="c", assessment=f"OT {number}", by=officer
        )
    assert _queries(client, bids_url(application)) == few
    assert (
        shown("Care leavers", officer, "5 December 2026", "Letter 3")
        in client.get(bids_url(application)).content.decode()
    )
