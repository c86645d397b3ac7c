"""A transit stay is let for a fixed term, but a family may leave sooner: the licence holder's
4 weeks' notice (or a death, or a court's order) ends it before the term, from the licence
page; there is no succession to a transit stay."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.models import Licence
from sites.models import Unit
from tests.residents.helpers import (
    consent_scan,
    documents_ready,
    household_of_two,
    short_notice_consent,
    vacant_pitch,
    witness,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _transit_stay(officer, *, days: int = 90) -> Licence:
    start = timezone.localdate()
    licence = services.licence_draft_create(
        household=household_of_two(),
        unit=vacant_pitch(kind=Unit.Kind.TRANSIT_PITCH),
        start_date=start,
        end_date=start + timedelta(days=days),
        by=officer,
    )
    documents_ready(licence, officer)
    short_notice_consent(licence, officer)
    services.licence_written_statement_give(licence=licence, given_on=start, by=officer)
    return services.licence_sign(
        licence=licence, signed_on=start, witnessed_by=witness(), by=officer
    )


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_a_transit_stay_ends_early_on_the_licence_holders_notice(client, officer):
    licence = _transit_stay(officer)
    assert licence.status == Licence.Status.LIVE
    today = timezone.localdate()
    client.force_login(officer)
    page = client.get(licence.get_absolute_url()).content.decode()
    assert reverse("residents:licence-end", args=[licence.pk]) in page
    assert reverse("residents:licence-succession", args=[licence.pk]) not in page
    response = client.post(
        reverse("residents:licence-end", args=[licence.pk]),
        {
            "reason": "notice",
            **_date("notice_given_on", today),
            **_date("end_date", today + timedelta(days=28)),
        },
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert (licence.end_date, licence.end_reason) == (today + timedelta(days=28), "notice")
    # Ending it on or after its fixed term's own end would change nothing: refused in words.
    other = _transit_stay(officer, days=30)
    with pytest.raises(ValidationError, match="fixed term ends on"):
        services.licence_end(
            licence=other,
            end_date=today + timedelta(days=40),
            reason="notice",
            notice_given_on=today,
            by=officer,
        )


def test_a_transit_stay_has_no_succession(officer):
    licence = _transit_stay(officer)
    partner = licence.household.people.get(first_name="Tom")
    with pytest.raises(ValidationError, match="no succession"):
        services.licence_succeed(
            licence=licence,
            successor=partner,
            relationship="spouse",
            died_on=timezone.localdate(),
            evidence=consent_scan(),
            by=officer,
        )
