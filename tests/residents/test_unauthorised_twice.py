"""Someone found living on a pitch is recorded once: the same name sent again for the same
pitch while their record is open (a second press of the button) is refused in words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.models import UnauthorisedOccupant
from tests.residents.helpers import signed

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_the_same_unauthorised_occupant_sent_twice_is_recorded_once(client, officer):
    licence = signed(officer)
    client.force_login(officer)
    url = reverse("residents:unauthorised-occupant-create", args=[licence.pk])
    data = {
        "name": "John Smith",
        "approximate_age": "30",
        **_date("found_on", timezone.localdate()),
        "where_found": "new-resident visit",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "name": " john smith "})
    assert again.status_code == 400
    assert "already recorded as living on" in again.content.decode()
    assert UnauthorisedOccupant.objects.filter(unit=licence.unit).count() == 1
    with pytest.raises(ValidationError, match="already recorded"):
        services.unauthorised_occupant_record(
            unit=licence.unit,
            licence=licence,
            name="John Smith",
            found_on=timezone.localdate(),
            where_found="census 2026",
            by=officer,
        )
    # Once that record is closed (they left), someone of that name found again is recorded.
    first = UnauthorisedOccupant.objects.get()
    services.unauthorised_occupant_update(
        occupant=first, status="left", reason="Moved away", by=officer
    )
    assert client.post(url, data).status_code == 302
    assert UnauthorisedOccupant.objects.filter(unit=licence.unit).count() == 2
