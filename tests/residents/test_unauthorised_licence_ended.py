"""When a licence ends, the open records of people found living on its pitch without
authorisation close with it, saying why, and their follow-ups leave the queue: in the same
transaction as the ending. A succession carries them on to the successor's licence."""

import pytest
from django.urls import reverse

from projects.models import WorkItem
from residents import services
from residents.models import Licence, UnauthorisedOccupant
from tests.residents.helpers import consent_scan, days_ago, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _found(licence, name, by):
    return services.unauthorised_occupant_record(
        unit=licence.unit, name=name, found_on=days_ago(3), where_found="census 2026", by=by
    )


def _follow_up(found):
    return WorkItem.objects.get(source_key=f"unauthorised_occupant:{found.pk}")


def test_ending_a_licence_closes_the_open_records_on_its_pitch_and_their_follow_ups(officer):
    licence = signed(officer, start_date=days_ago(400))
    john = _found(licence, "John Smith", officer)
    ann = _found(licence, "Ann Lee", officer)
    services.unauthorised_occupant_update(
        occupant=ann, status=UnauthorisedOccupant.Status.LEFT, by=officer, reason="Moved away"
    )
    services.licence_end(
        licence=licence, end_date=days_ago(0), reason=Licence.EndReason.DEATH, by=officer
    )
    john.refresh_from_db()
    ann.refresh_from_db()
    assert john.status == UnauthorisedOccupant.Status.LICENCE_ENDED
    assert ann.status == UnauthorisedOccupant.Status.LEFT  # closed already: left as it was
    latest = john.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason.startswith(
        f"Licence {licence.reference} ended on "
    ) and latest.history_change_reason.endswith(": nobody lives on the pitch under it now")
    assert _follow_up(john).status == WorkItem.Status.DONE


def test_a_licence_ending_later_leaves_the_records_open_until_the_day(officer):
    licence = signed(officer, start_date=days_ago(400))
    john = _found(licence, "John Smith", officer)
    services.licence_end(
        licence=licence,
        end_date=days_ago(-28),
        reason=Licence.EndReason.NOTICE,
        notice_given_on=days_ago(0),
        by=officer,
    )
    john.refresh_from_db()
    assert john.status == UnauthorisedOccupant.Status.OPEN
    assert _follow_up(john).status == WorkItem.Status.OPEN


def test_a_succession_carries_the_open_records_on_to_the_successors_licence(officer):
    licence = signed(officer, start_date=days_ago(400))
    john = _found(licence, "John Smith", officer)
    new = services.licence_succeed(
        licence=licence,
        successor=licence.household.people.get(first_name="Tom"),
        relationship="spouse",
        died_on=days_ago(1),
        evidence=consent_scan(),
        by=officer,
    )
    john.refresh_from_db()
    assert (john.status, john.licence_id) == (UnauthorisedOccupant.Status.OPEN, new.pk)
    assert _follow_up(john).status == WorkItem.Status.OPEN


def test_ending_through_the_page_shows_the_record_closed_with_the_licence(client, officer):
    licence = signed(officer, start_date=days_ago(400))
    john = _found(licence, "John Smith", officer)
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-end", args=[licence.pk]),
        {"reason": "death", **_date("end_date", days_ago(0))},
    )
    assert response.status_code == 302
    page = client.get(licence.get_absolute_url()).content.decode()
    assert "John Smith" in page and "Closed when the licence ended" in page
    assert _follow_up(john).status == WorkItem.Status.DONE
    # Closed by the ending: not offered for an update by hand.
    assert reverse("residents:unauthorised-occupant-update", args=[john.pk]) not in page
