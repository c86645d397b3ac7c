"""Which licence holder died is recorded on the licence their death ended, named on its page
and the successor's, and the succession follows it: with joint holders, the one who died drops
off, any other survivor stays a joint holder, and a spouse's claim is checked against them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.models import Licence, Person
from tests.factories import PersonFactory
from tests.residents.helpers import (
    consent_scan,
    days_ago,
    documents_ready,
    draft,
    short_notice_consent,
    signed,
    witness,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _joint(officer, *, with_john=False):
    """Mary Lee (lead) and Tom Lee (her partner) hold the licence jointly, from 400 days ago;
    with John Lee (Mary's brother) a third joint holder."""
    licence = draft(officer, start_date=days_ago(400))
    tom = licence.occupants.get(person__first_name="Tom")
    services.licence_occupant_role_change(named=tom, role="holder", by=officer)
    if with_john:
        john = PersonFactory(
            household=licence.household,
            first_name="John",
            last_name="Lee",
            relationship=Person.Relationship.OTHER_RELATIVE,
            date_of_birth=days_ago(365 * 40),
        )
        named = services.licence_occupant_add(
            licence=licence, person=john, from_date=licence.start_date, by=officer
        )
        services.licence_occupant_role_change(named=named, role="holder", by=officer)
    documents_ready(licence, officer)
    short_notice_consent(licence, officer)
    today = timezone.localdate()
    services.licence_written_statement_give(licence=licence, given_on=today, by=officer)
    return services.licence_sign(
        licence=licence, signed_on=today, witnessed_by=witness(), by=officer
    )


def _person(licence, first_name):
    return licence.household.people.get(first_name=first_name)


def test_the_joint_holder_who_died_is_recorded_and_named_on_both_licence_pages(client, officer):
    licence = _joint(officer)
    tom, mary = _person(licence, "Tom"), _person(licence, "Mary")
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-succession", args=[licence.pk]),
        {
            "holder_died": tom.pk,
            "successor": mary.pk,
            "relationship": "spouse",
            **_date("died_on", days_ago(5)),
            "evidence": consent_scan(),
        },
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.holder_died == tom
    new = Licence.objects.get(succeeds=licence)
    assert [str(h.person) for h in new.occupants.filter(role="holder")] == ["Mary Lee"]
    ended_page = client.get(licence.get_absolute_url()).content.decode()
    assert "Licence holder who died" in ended_page and "Tom Lee" in ended_page
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert "on Tom Lee's death" in new_page


def test_a_joint_licence_needs_to_know_which_holder_died(client, officer):
    licence = _joint(officer)
    mary = _person(licence, "Mary")
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=mary,
            relationship="spouse",
            died_on=days_ago(5),
            evidence=consent_scan(),
            by=officer,
        )
    assert refused.value.message_dict["holder_died"] == [
        "Select which of the joint licence holders (Mary Lee and Tom Lee) died"
    ]
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-succession", args=[licence.pk]),
        {
            "successor": mary.pk,
            "relationship": "spouse",
            **_date("died_on", days_ago(5)),
            "evidence": consent_scan(),
        },
    )
    assert response.status_code == 400
    assert "Select which licence holder died" in response.content.decode()
    assert not Licence.objects.filter(succeeds=licence).exists()


def test_the_holder_who_died_does_not_succeed_themselves(officer):
    licence = _joint(officer)
    tom = _person(licence, "Tom")
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=tom,
            holder_died=tom,
            relationship="spouse",
            died_on=days_ago(5),
            evidence=consent_scan(),
            by=officer,
        )
    assert refused.value.message_dict["successor"] == [
        "Tom Lee is the licence holder who died: choose who succeeds them"
    ]


def test_another_surviving_joint_holder_stays_a_holder_of_the_new_licence(officer):
    licence = _joint(officer, with_john=True)
    new = services.licence_succeed(
        licence=licence,
        successor=_person(licence, "Mary"),
        holder_died=_person(licence, "Tom"),
        relationship="spouse",
        died_on=days_ago(5),
        evidence=consent_scan(),
        by=officer,
    )
    holders = {str(h.person) for h in new.occupants.filter(role="holder")}
    assert holders == {"Mary Lee", "John Lee"}
    assert not new.occupants.filter(person__first_name="Tom").exists()


def test_a_spouse_claim_is_checked_against_the_holder_who_died(officer):
    licence = _joint(officer, with_john=True)
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=_person(licence, "Tom"),  # Mary's partner, not John's
            holder_died=_person(licence, "John"),
            relationship="spouse",
            died_on=days_ago(5),
            evidence=consent_scan(),
            by=officer,
        )
    assert refused.value.message_dict["relationship"][0].startswith(
        "Tom Lee is not recorded as John Lee's partner in the household"
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE


def test_a_surviving_joint_holder_carries_on_whatever_their_relationship(officer):
    """A joint licence holder who survives holds the agreement in their own right: the spouse
    or family test (s.3) is for someone succeeding, not for a holder who carries it on."""
    licence = draft(officer, start_date=days_ago(400))
    friend = PersonFactory(
        household=licence.household,
        first_name="Sam",
        last_name="Kay",
        relationship=Person.Relationship.OTHER,
        date_of_birth=days_ago(365 * 50),
    )
    named = services.licence_occupant_add(
        licence=licence, person=friend, from_date=licence.start_date, by=officer
    )
    services.licence_occupant_role_change(named=named, role="holder", by=officer)
    documents_ready(licence, officer)
    short_notice_consent(licence, officer)
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate(), by=officer
    )
    licence = services.licence_sign(
        licence=licence, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
    )
    new = services.licence_succeed(
        licence=licence,
        successor=friend,
        holder_died=_person(licence, "Mary"),
        relationship="joint",
        died_on=days_ago(5),
        evidence=consent_scan(),
        by=officer,
    )
    assert [str(h.person) for h in new.occupants.filter(role="holder")] == ["Sam Kay"]
    assert new.successor_relationship == "A joint licence holder who survives them"


def test_only_a_surviving_joint_holder_carries_a_licence_on_as_one(client, officer):
    licence = signed(officer, start_date=days_ago(60))  # Mary Lee alone; Tom Lee lives there
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=_person(licence, "Tom"),
            relationship="joint",
            died_on=days_ago(5),
            evidence=consent_scan(),
            by=officer,
        )
    assert refused.value.message_dict["relationship"] == [
        "Tom Lee does not hold this licence jointly with Mary Lee: choose how they were "
        "related to them"
    ]
    # A sole holder's licence does not offer it at all.
    client.force_login(officer)
    page = client.get(reverse("residents:licence-succession", args=[licence.pk])).content
    assert "A joint licence holder who survives them" not in page.decode()
    assert "Another member of the family" in page.decode()
