"""Someone recorded from the licence page as living on a pitch without authorisation is put
in a queue to follow up (authorise them on the licence or see that they leave), and the work
closes when their record does."""

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import WorkItem
from residents import services
from residents.models import UnauthorisedOccupant
from tests.factories import UserFactory
from tests.residents.helpers import signed

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _follow_up(found):
    return WorkItem.objects.get(kind="unauthorised_occupant", object_id=found.pk)


def test_recording_an_unauthorised_occupant_on_the_licence_page_queues_a_follow_up(client, officer):
    licence = signed(officer)
    client.force_login(officer)
    response = client.post(
        reverse("residents:unauthorised-occupant-create", args=[licence.pk]),
        {
            "name": "John Smith",
            "approximate_age": "30",
            **_date("found_on", timezone.localdate()),
            "where_found": "new-resident visit",
        },
    )
    assert response.status_code == 302
    found = UnauthorisedOccupant.objects.get(unit=licence.unit)
    work = _follow_up(found)
    assert (work.status, work.assignee, work.kind_label) == (
        WorkItem.Status.OPEN,
        officer,
        "Unauthorised occupant to follow up",
    )
    assert f"Follow up John Smith, living on {licence.unit} without authorisation" in work.title
    assert work.record_url == licence.get_absolute_url()
    home = client.get(reverse("home")).content.decode()
    assert "Follow up John Smith" in home


def test_a_refused_record_keeps_what_was_typed_and_queues_nothing(client, officer):
    licence = signed(officer)
    client.force_login(officer)
    response = client.post(
        reverse("residents:unauthorised-occupant-create", args=[licence.pk]),
        {
            "name": "John Smith",
            **_date("found_on", timezone.localdate()),
            "where_found": "",
        },
    )
    assert response.status_code == 400
    assert 'value="John Smith"' in response.content.decode()
    assert not WorkItem.objects.filter(kind="unauthorised_occupant").exists()


@pytest.mark.parametrize("status", ["authorised", "left"])
def test_the_follow_up_is_done_when_the_record_is_closed(client, officer, status):
    licence = signed(officer)
    found = services.unauthorised_occupant_record(
        unit=licence.unit,
        licence=licence,
        name="John Smith",
        found_on=timezone.localdate(),
        where_found="new-resident visit",
        by=officer,
    )
    client.force_login(officer)
    response = client.post(
        reverse("residents:unauthorised-occupant-update", args=[found.pk]),
        {"status": status, "reason": "Seen on a visit"},
    )
    assert response.status_code == 302
    assert _follow_up(found).status == WorkItem.Status.DONE


def test_recorded_by_someone_who_cannot_close_it_the_follow_up_goes_to_the_officers(officer):
    licence = signed(officer)
    admin = UserFactory(username="recording-admin", roles=["administrator"])
    found = services.unauthorised_occupant_record(
        unit=licence.unit,
        licence=licence,
        name="John Smith",
        found_on=timezone.localdate(),
        where_found="census 2026",
        by=admin,
    )
    work = _follow_up(found)
    assert work.assignee is None
    assert work.assigned_role.name == "officer"
