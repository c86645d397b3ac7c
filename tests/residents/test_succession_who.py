"""Who may succeed to a pitch licence on the holder's death (Mobile Homes Act 1983 s.3): a
spouse, civil partner or family member residing there with them when they died; never the
licence holder who died."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from residents import services
from residents.models import Licence, Person
from tests.factories import PersonFactory
from tests.residents.helpers import consent_scan, days_ago, signed

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_sole_licence_holder_does_not_succeed_to_their_own_licence(client, officer):
    licence = signed(officer, start_date=days_ago(400))
    mary = licence.household.people.get(first_name="Mary")  # the licence holder
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=mary,
            relationship="family",
            died_on=days_ago(10),
            evidence=consent_scan(),
            by=officer,
        )
    assert "holds this licence alone" in refused.value.message_dict["successor"][0]
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-succession", args=[licence.pk]),
        {
            "successor": mary.pk,
            "relationship": "family",
            **_date("died_on", days_ago(10)),
            "evidence": consent_scan(),
        },
    )
    assert response.status_code == 400
    assert "holds this licence alone" in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE
    assert not Licence.objects.filter(succeeds=licence).exists()


def test_a_successor_named_only_after_the_death_does_not_succeed(officer):
    licence = signed(officer, start_date=days_ago(400))
    son = PersonFactory(
        household=licence.household,
        first_name="Sam",
        last_name="Lee",
        relationship=Person.Relationship.CHILD,
        date_of_birth=days_ago(365 * 25),
    )
    services.licence_occupant_add(licence=licence, person=son, from_date=days_ago(5), by=officer)
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=son,
            relationship="family",
            died_on=days_ago(30),
            evidence=consent_scan(),
            by=officer,
        )
    assert "living there when the licence holder died" in refused.value.message_dict["successor"][0]
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE


def test_a_surviving_joint_licence_holder_is_not_dropped_by_a_succession(officer):
    from django.utils import timezone

    from tests.residents.helpers import documents_ready, draft, short_notice_consent, witness

    licence = draft(officer, start_date=days_ago(0))
    tom = licence.occupants.get(person__first_name="Tom")
    services.licence_occupant_role_change(named=tom, role="holder", by=officer)
    son = PersonFactory(
        household=licence.household,
        first_name="Sam",
        last_name="Lee",
        relationship=Person.Relationship.CHILD,
        date_of_birth=days_ago(365 * 25),
    )
    services.licence_occupant_add(
        licence=licence, person=son, from_date=licence.start_date, by=officer
    )
    documents_ready(licence, officer)
    short_notice_consent(licence, officer)
    today = timezone.localdate()
    services.licence_written_statement_give(licence=licence, given_on=today, by=officer)
    licence = services.licence_sign(
        licence=licence, signed_on=today, witnessed_by=witness(), by=officer
    )
    mary = licence.household.people.get(first_name="Mary")  # the joint holder who died
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        with pytest.raises(ValidationError) as refused:
            services.licence_succeed(
                licence=licence,
                successor=son,
                holder_died=mary,
                relationship="family",
                died_on=timezone.localdate(),
                evidence=consent_scan(),
                by=officer,
            )
        assert "held jointly by" in refused.value.message_dict["successor"][0]
        new = services.licence_succeed(
            licence=licence,
            successor=tom.person,
            holder_died=mary,
            relationship="spouse",
            died_on=timezone.localdate(),
            evidence=consent_scan(),
            by=officer,
        )
    assert [str(h.person) for h in new.occupants.filter(role="holder")] == ["Tom Lee"]
