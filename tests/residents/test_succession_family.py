"""A succession claimed by "another member of the family" is checked against what the records
hold (Mobile Homes Act 1983 s.3 and s.5(3): a member of the occupier's family residing with
them at the death): named on the licence that day, in the household of the holder who died,
and recorded there as related, not as "other"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from residents import services
from residents.models import Licence, Person
from tests.factories import PersonFactory
from tests.residents.helpers import consent_scan, days_ago, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _living_there(officer, **person):
    """Mary Lee holds the licence; `person` is named on it as an authorised occupant."""
    licence = signed(officer, start_date=days_ago(400))
    person.setdefault("household", licence.household)
    someone = PersonFactory(last_name="Lee", date_of_birth=days_ago(365 * 30), **person)
    services.licence_occupant_add(
        licence=licence, person=someone, from_date=licence.start_date, by=officer
    )
    return licence, someone


def _succeed(licence, successor, officer):
    return services.licence_succeed(
        licence=licence,
        successor=successor,
        relationship="family",
        died_on=days_ago(5),
        evidence=consent_scan(),
        by=officer,
    )


def test_someone_recorded_as_not_related_does_not_succeed_as_family(client, officer):
    licence, pat = _living_there(officer, first_name="Pat", relationship=Person.Relationship.OTHER)
    with pytest.raises(ValidationError) as refused:
        _succeed(licence, pat, officer)
    assert refused.value.message_dict["relationship"] == [
        "Pat Lee is recorded in the household as not related to its lead, so Pat Lee is not "
        "recorded as a member of Mary Lee's family: correct how they are related in the "
        "household's record first if they are family"
    ]
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-succession", args=[licence.pk]),
        {
            "successor": pat.pk,
            "relationship": "family",
            **_date("died_on", days_ago(5)),
            "evidence": consent_scan(),
        },
    )
    assert response.status_code == 400
    assert "Pat Lee is recorded in the household as not related to its lead" in (
        response.content.decode()
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE


def test_someone_in_another_household_does_not_succeed_as_family(officer):
    licence, ann = _living_there(
        officer,
        first_name="Ann",
        relationship=Person.Relationship.CHILD,
        household=PersonFactory(first_name="Other").household,
    )
    with pytest.raises(ValidationError) as refused:
        _succeed(licence, ann, officer)
    assert refused.value.message_dict["relationship"] == [
        "Ann Lee is not recorded in Mary Lee's household, so is not a member of their family "
        "living with them: correct the household's record first if they are"
    ]
    assert not Licence.objects.filter(succeeds=licence).exists()


def test_a_child_living_there_succeeds_as_family(officer):
    licence, sam = _living_there(officer, first_name="Sam", relationship="child")
    new = _succeed(licence, sam, officer)
    assert [str(h.person) for h in new.occupants.filter(role="holder")] == ["Sam Lee"]
