"""A succession claimed by a husband, wife or civil partner (Mobile Homes Act 1983 s.3) is
checked against the household's record: the successor must be recorded as the partner of the
licence holder who died. Anyone else in the family may still succeed as family."""

import re

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


def _licence_with_a_brother(officer):
    """Mary Lee holds the licence; Tom Lee (her partner) and John Lee (her brother) live there."""
    licence = signed(officer, start_date=days_ago(400))
    john = PersonFactory(
        household=licence.household,
        first_name="John",
        last_name="Lee",
        relationship=Person.Relationship.OTHER_RELATIVE,
        date_of_birth=days_ago(365 * 40),
    )
    services.licence_occupant_add(
        licence=licence, person=john, from_date=licence.start_date, by=officer
    )
    return licence, john


def test_a_spouse_claim_by_someone_not_recorded_as_the_holders_partner_is_refused(officer):
    licence, john = _licence_with_a_brother(officer)
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=john,
            relationship="spouse",
            died_on=days_ago(5),
            evidence=consent_scan(),
            by=officer,
        )
    assert refused.value.message_dict["relationship"][0].startswith(
        "John Lee is not recorded as Mary Lee's partner in the household, so cannot succeed as "
        "their husband, wife or civil partner"
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE


def test_the_refused_spouse_claim_shows_on_the_page_keeping_what_was_chosen(client, officer):
    licence, john = _licence_with_a_brother(officer)
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-succession", args=[licence.pk]),
        {
            "successor": john.pk,
            "relationship": "spouse",
            **_date("died_on", days_ago(5)),
            "evidence": consent_scan(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "John Lee is not recorded as Mary Lee&#x27;s partner in the household" in page
    assert f'value="{john.pk}" selected' in page
    assert re.search(r'<input[^>]*value="spouse"[^>]*checked', page)
    assert not Licence.objects.filter(succeeds=licence).exists()


def test_the_same_person_may_succeed_as_a_member_of_the_family(officer):
    licence, john = _licence_with_a_brother(officer)
    new = services.licence_succeed(
        licence=licence,
        successor=john,
        relationship="family",
        died_on=days_ago(5),
        evidence=consent_scan(),
        by=officer,
    )
    assert [str(h.person) for h in new.occupants.filter(role="holder")] == ["John Lee"]


def test_the_recorded_partner_succeeds_as_spouse(officer):
    licence, _john = _licence_with_a_brother(officer)
    tom = licence.household.people.get(first_name="Tom")  # recorded as Mary's partner
    new = services.licence_succeed(
        licence=licence,
        successor=tom,
        relationship="spouse",
        died_on=days_ago(5),
        evidence=consent_scan(),
        by=officer,
    )
    assert new.successor_relationship == "Husband, wife or civil partner"
