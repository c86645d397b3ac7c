"""An unauthorised occupant is recorded on the pitch of the licence it is recorded against."""

import pytest
from django.core.exceptions import ValidationError

from residents import services
from residents.models import UnauthorisedOccupant
from tests.factories import LicenceFactory
from tests.residents.helpers import days_ago

pytestmark = pytest.mark.django_db


def test_an_unauthorised_occupant_is_not_recorded_against_another_units_licence(officer):
    here = LicenceFactory(start_date=days_ago(40))
    elsewhere = LicenceFactory(start_date=days_ago(40))
    assert here.unit != elsewhere.unit
    with pytest.raises(ValidationError) as refused:
        services.unauthorised_occupant_record(
            unit=here.unit,
            licence=elsewhere,
            name="X",
            found_on=days_ago(1),
            where_found="visit",
            by=officer,
        )
    assert f"Licence {elsewhere.reference} is for {elsewhere.unit}, not {here.unit}" in str(
        refused.value
    )
    assert not UnauthorisedOccupant.objects.exists()
    found = services.unauthorised_occupant_record(
        unit=here.unit,
        licence=here,
        name="X",
        found_on=days_ago(1),
        where_found="visit",
        by=officer,
    )
    assert found.licence == here and found.unit == here.unit
