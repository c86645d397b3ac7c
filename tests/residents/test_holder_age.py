"""A licence holder is an adult (18 or over): whoever a new draft licence names as holder (the
household's lead) and whoever succeeds to a licence, as when someone is named holder later."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services as allocations_services
from allocations.models import AllocationDecision
from residents import services
from residents.models import Licence, Person
from tests.allocations.casework import answers_as_records, checks_back, frozen_vacancy, in_a_week
from tests.factories import PersonFactory
from tests.residents.helpers import consent_scan, days_ago, signed, vacant_pitch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _aged(years: int, on=None):
    """A date of birth making someone `years` old on `on` (today)."""
    return (on or timezone.localdate()) - relativedelta(years=years, days=1)


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_a_draft_licence_is_refused_for_a_lead_under_18_naming_them_and_their_age(officer):
    mary = PersonFactory(first_name="Mary", last_name="Lee", date_of_birth=_aged(16))
    pitch = vacant_pitch()
    with pytest.raises(
        ValidationError, match="Mary Lee is 16: a licence holder must be 18 or over"
    ):
        services.licence_draft_create(
            household=mary.household, unit=pitch, start_date=timezone.localdate(), by=officer
        )
    assert not Licence.objects.filter(household=mary.household).exists()


def test_a_lead_who_is_18_by_the_start_date_holds_the_draft_licence(officer):
    start = timezone.localdate() + relativedelta(days=14)
    mary = PersonFactory(first_name="Mary", last_name="Lee", date_of_birth=_aged(18, on=start))
    licence = services.licence_draft_create(
        household=mary.household, unit=vacant_pitch(), start_date=start, by=officer
    )
    assert [str(h.person) for h in licence.occupants.filter(role="holder")] == ["Mary Lee"]


def test_approving_an_allocation_to_a_household_led_by_a_16_year_old_is_refused_on_the_page(
    client, officer, team_leader
):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = allocations_services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    allocations_services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = allocations_services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top of the list", by=officer
    )
    household = entry.application.household
    lead = household.people.get(relationship=Person.Relationship.LEAD)
    # Arranged: the lead's date of birth as the records now say it (16 years old).
    Person.objects.filter(pk=lead.pk).update(date_of_birth=_aged(16))
    lead.refresh_from_db()
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:decision-detail", args=[decision.pk]),
        {"decision": "approve", "comments": "Agreed, subject to the start date"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{lead} is 16: a licence holder must be 18 or over" in page
    assert "Agreed, subject to the start date" in page  # what was typed is kept
    decision.refresh_from_db()
    assert decision.status == AllocationDecision.Status.AWAITING
    assert not Licence.objects.filter(household=household).exists()


def _licence_with_a_child(officer, age: int):
    licence = signed(officer, start_date=days_ago(400))
    child = PersonFactory(
        household=licence.household,
        first_name="Sam",
        last_name="Lee",
        relationship=Person.Relationship.CHILD,
        date_of_birth=_aged(age),
    )
    services.licence_occupant_add(
        licence=licence, person=child, from_date=licence.start_date, by=officer
    )
    return licence, child


def test_a_successor_under_18_is_refused_naming_them_and_their_age(client, officer):
    licence, sam = _licence_with_a_child(officer, 16)
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=sam,
            relationship="family",
            died_on=days_ago(0),
            evidence=consent_scan(),
            by=officer,
        )
    assert refused.value.message_dict["successor"] == [
        "Sam Lee is 16: a licence holder must be 18 or over"
    ]
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-succession", args=[licence.pk]),
        {
            "successor": sam.pk,
            "relationship": "family",
            **_date("died_on", days_ago(0)),
            "evidence": consent_scan(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sam Lee is 16: a licence holder must be 18 or over" in page
    assert f'value="{sam.pk}" selected' in page  # what was chosen is kept
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE
    assert not Licence.objects.filter(succeeds=licence).exists()


def test_a_successor_of_18_succeeds(officer):
    licence, sam = _licence_with_a_child(officer, 18)
    new = services.licence_succeed(
        licence=licence,
        successor=sam,
        relationship="family",
        died_on=days_ago(0),
        evidence=consent_scan(),
        by=officer,
    )
    assert [str(h.person) for h in new.occupants.filter(role="holder")] == ["Sam Lee"]
