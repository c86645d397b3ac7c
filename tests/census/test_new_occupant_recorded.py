"""A new person the census found, once applied, is recorded as an unauthorised occupant through
the residents' service, as a visit records one: who found them and why, the follow-up in the
officer's queue, and no second open record of the same person on the pitch."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from census import services
from census.models import CensusDifference
from projects.models import WorkItem
from residents import services as resident_services
from residents.models import UnauthorisedOccupant
from tests.census.factories import complete, started_round
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _difference_for(name, *, by, visiting):
    census_return = started_round(by=by, pitches=1).returns.select_related("licence").get()
    complete(
        census_return,
        by=by,
        officer=visiting,
        new_people=[{"name": name, "approximate_age": 30}],
    )
    services.return_submit(census_return=census_return, by=by)
    census_return.refresh_from_db()
    return census_return, census_return.differences.get()


def test_applying_a_new_person_records_who_found_them_why_and_opens_their_follow_up(officer):
    visiting = UserFactory(username="visiting-officer", roles=["officer"])
    census_return, difference = _difference_for("John Smith", by=officer, visiting=visiting)
    services.difference_apply(difference=difference, reason="Seen on site", by=officer)
    found = UnauthorisedOccupant.objects.get()
    assert found.found_by == visiting
    latest = found.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == f"Census {census_return.round.year}: Seen on site"
    follow_up = WorkItem.objects.get(source_key=f"unauthorised_occupant:{found.pk}")
    assert follow_up.kind == "unauthorised_occupant"
    assert follow_up.assignee == visiting
    assert "Follow up John Smith" in follow_up.title


def test_a_person_already_recorded_on_the_pitch_is_not_recorded_twice(officer):
    census_return, difference = _difference_for("John Smith", by=officer, visiting=officer)
    resident_services.unauthorised_occupant_record(
        unit=census_return.unit,
        name="John Smith",
        found_on=census_return.visited_on,
        where_found="new-resident visit",
        by=officer,
    )
    with pytest.raises(ValidationError, match="John Smith is already recorded as living on"):
        services.difference_apply(difference=difference, reason="Seen on site", by=officer)
    assert UnauthorisedOccupant.objects.count() == 1
    difference.refresh_from_db()
    assert difference.status == CensusDifference.Status.OPEN


def test_applying_through_the_page_opens_the_follow_up(client, officer):
    _census_return, difference = _difference_for("Ann Lee", by=officer, visiting=officer)
    client.force_login(officer)
    url = reverse("census:difference-apply", args=[difference.pk])
    assert client.post(url, {"reason": "Seen on the visit"}).status_code == 302
    found = UnauthorisedOccupant.objects.get()
    assert WorkItem.objects.filter(source_key=f"unauthorised_occupant:{found.pk}").exists()


def test_the_page_refuses_a_second_open_record_of_the_same_person(client, officer):
    census_return, difference = _difference_for("Ann Lee", by=officer, visiting=officer)
    resident_services.unauthorised_occupant_record(
        unit=census_return.unit,
        name="Ann Lee",
        found_on=census_return.visited_on,
        where_found="new-resident visit",
        by=officer,
    )
    client.force_login(officer)
    response = client.post(
        reverse("census:difference-apply", args=[difference.pk]), {"reason": "Seen again"}
    )
    assert response.status_code == 400
    assert "Ann Lee is already recorded as living on" in response.content.decode()
    assert UnauthorisedOccupant.objects.count() == 1
