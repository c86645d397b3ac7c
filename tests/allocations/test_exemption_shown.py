"""Who recorded a household's exemption from the local connection test, when and why, shown
beside its connections on its Bids page (it was only in the record's History): kept on the
application with the exemption by the service that records it, read with the application."""

import importlib

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from allocations import services
from allocations.models import Application
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


def test_the_application_keeps_who_recorded_the_exemption_when_and_why_until_it_ends(
    officer, team_leader
):
    def kept(application) -> tuple:
        application.refresh_from_db()
        return (
            application.connection_exempt_group,
            application.connection_exempt_reason,
            application.connection_exempt_recorded_by,
            application.connection_exempt_recorded_at,
        )

    application = applicant()
    exempt(application, officer, "care_leaver", " Leaving care team's letter ", uk(2026, 12, 4, 9))
    assert kept(application) == (
        "care_leaver",
        "Leaving care team's letter",
        officer,
        uk(2026, 12, 4, 9),
    )
    # The history's reason is as it was: what changed, then the officer's words.
    assert application.history.latest("history_id").history_change_reason == (
        "Exempt from the connection test as Care leavers: Leaving care team's letter"
    )
    # Recorded again with new evidence: who, when and why are the new recording's.
    exempt(application, team_leader, "care_leaver", "Letter of 6 December", uk(2026, 12, 6, 9))
    assert kept(application) == (
        "care_leaver",
        "Letter of 6 December",
        team_leader,
        uk(2026, 12, 6, 9),
    )
    assert application.history.latest("history_id").history_change_reason == (
        "Still exempt from the connection test as Care leavers: Letter of 6 December"
    )
    # Ended: nothing of the exemption is kept on the application (its history says it).
    exempt(application, officer, "", "Not a care leaver after all", uk(2026, 12, 7, 9))
    assert kept(application) == ("", "", None, None)


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


def test_the_bids_page_reads_who_recorded_the_exemption_with_the_application_however_long_the_history(  # noqa: E501
    client, officer
):
    client.force_login(officer)
    not_exempt = applicant()
    connect(not_exempt, "Cheriton")
    application = applicant()
    connect(application, "Cheriton")
    exempt(application, officer, "care_leaver", "Letter", uk(2026, 12, 1, 9))
    few = _queries(client, bids_url(application))
    assert few == _queries(client, bids_url(not_exempt))
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


def test_an_exemption_recorded_before_who_and_why_were_kept_sends_the_reader_to_the_history(
    client, officer
):
    application = applicant()
    exempt(application, officer, "care_leaver", "Leaving care team's letter", uk(2026, 12, 4, 9))
    Application.objects.filter(pk=application.pk).update(
        connection_exempt_reason="",
        connection_exempt_recorded_by=None,
        connection_exempt_recorded_at=None,
    )
    client.force_login(officer)
    html = client.get(bids_url(application)).content.decode()
    assert (
        "Exempt from the local connection test:</strong> Care leavers — recorded before this "
        f'was kept: see the <a class="govuk-link" href="{application.get_history_url()}">'
        "History page</a>" in html
    )


# --- Exemptions recorded before who, when and why were kept -----------------------------------


def test_an_exemption_recorded_before_gets_who_when_and_why_from_the_history_row_that_set_it(
    officer, team_leader
):
    migration = importlib.import_module("allocations.migrations.0042_connection_exemption_copied")
    changed, ended, other = applicant(), applicant(), applicant()
    exempt(changed, officer, "care_leaver", "First letter", uk(2026, 12, 1, 9))
    exempt(changed, team_leader, "armed_forces", "Service record", uk(2026, 12, 2, 9))
    with time_machine.travel(uk(2026, 12, 3, 9), tick=False):  # a later change: not the one
        services.access_needs_record(
            application=changed, category="c", assessment="OT: level access", by=officer
        )
    again = applicant()  # recorded, then recorded again with new evidence: the latest counts
    exempt(again, officer, "fleeing_violence", "Refuge letter", uk(2026, 12, 1, 9))
    exempt(
        again, team_leader, "fleeing_violence", "Police letter: still at risk", uk(2026, 12, 3, 9)
    )
    exempt(ended, officer, "care_leaver", "Letter", uk(2026, 12, 1, 9))
    exempt(ended, officer, "", "Not a care leaver", uk(2026, 12, 2, 9))
    exempt(other, officer, "care_leaver", "Kept already", uk(2026, 12, 5, 9))
    before = [a.history.count() for a in (changed, ended, other)]
    Application.objects.filter(pk__in=[changed.pk, ended.pk, again.pk]).update(
        connection_exempt_reason="",
        connection_exempt_recorded_by=None,
        connection_exempt_recorded_at=None,
    )
    migration.exemptions_recorded_from_history(apps, None)
    for application in (changed, ended, other, again):
        application.refresh_from_db()
    assert (
        changed.connection_exempt_recorded_by,
        changed.connection_exempt_recorded_at,
        changed.connection_exempt_reason,
    ) == (team_leader, uk(2026, 12, 2, 9), "Service record")
    assert (
        again.connection_exempt_recorded_by,
        again.connection_exempt_recorded_at,
        again.connection_exempt_reason,
    ) == (team_leader, uk(2026, 12, 3, 9), "Police letter: still at risk")
    assert (ended.connection_exempt_reason, ended.connection_exempt_recorded_by) == ("", None)
    assert (other.connection_exempt_reason, other.connection_exempt_recorded_by) == (
        "Kept already",
        officer,
    )
    # The copy has its own history row, so a later change is not credited with it.
    assert [a.history.count() for a in (changed, ended, other)] == [
        before[0] + 1,
        before[1],
        before[2],
    ]
    latest = changed.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (None, migration.REASON)
    assert (latest.connection_exempt_recorded_by, latest.access_category) == (team_leader, "c")


# --- Where else it is shown ---------------------------------------------------------------------


def test_the_history_page_and_the_change_log_name_who_recorded_the_exemption_and_why(
    client, officer, auditor
):
    application = applicant()
    exempt(application, officer, "fleeing_violence", "Refuge's letter", uk(2026, 12, 4, 9))
    client.force_login(auditor)
    for page in (
        client.get(application.get_history_url()),
        client.get(reverse("change-log"), {"record_type": "allocations.application"}),
    ):
        html = page.content.decode()
        assert "Evidence seen for the exemption from the local connection test" in html
        assert "Exemption from the local connection test recorded by" in html
        assert "Exemption from the local connection test recorded at" in html
        assert "Refuge&#x27;s letter" in html
        assert escape(officer.get_full_name()) in html
        assert "connection_exempt" not in html  # labels, not column names


def test_the_application_page_does_not_show_the_exemption_or_its_evidence(client, officer):
    application = applicant()
    exempt(application, officer, "fleeing_violence", "Refuge's letter", uk(2026, 12, 4, 9))
    client.force_login(officer)
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert application.reference in html
    assert "Refuge" not in html and "fleeing violence" not in html.lower()
