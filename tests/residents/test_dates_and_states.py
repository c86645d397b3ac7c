"""What the pages hide, the services refuse too: dates before the thing they are about
existed, and steps on a licence that is no longer running (a direct POST, or an odd date)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects.models import WorkItem
from residents import services
from residents.models import Breach, Licence, LicenceOccupant, MeterReading, UnauthorisedOccupant
from tests.factories import PNG, LicenceFactory, PersonFactory
from tests.residents.helpers import (
    days_ago,
    documents_ready,
    draft,
    signed,
    vacant_pitch,
    witness,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _photo():
    upload = SimpleUploadedFile("meter.png", PNG, content_type="image/png")
    upload.detected_content_type = "image/png"
    return upload


# --- 1. The written statement is given after it was drawn ------------------------------------


def test_a_statement_cannot_be_recorded_as_given_before_it_was_drawn(officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    with pytest.raises(ValidationError) as refused:
        services.licence_written_statement_give(licence=licence, given_on=days_ago(60), by=officer)
    assert "given_on" in refused.value.message_dict
    assert "before it was drawn up" in refused.value.message_dict["given_on"][0]
    licence.refresh_from_db()
    assert licence.written_statement_given_on is None
    # Given the day it was drawn: recorded.
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate(), by=officer
    )
    licence.refresh_from_db()
    assert licence.written_statement_given_on == timezone.localdate()


def test_a_statement_drawn_28_days_ago_can_be_given_that_day_and_signed_today(officer):
    licence = draft(officer)
    documents_ready(licence, officer, drawn_days_ago=28)
    services.licence_written_statement_give(licence=licence, given_on=days_ago(28), by=officer)
    licence = services.licence_sign(
        licence=licence, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
    )
    assert licence.status == Licence.Status.LIVE


def test_a_backdated_statement_posted_to_the_page_is_refused_and_the_signing_too(client, officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    client.force_login(officer)
    response = client.post(
        reverse("residents:licence-statement", args=[licence.pk]), _date("given_on", days_ago(365))
    )
    assert response.status_code == 400
    assert "before it was drawn up" in response.content.decode()
    response = client.post(
        reverse("residents:licence-sign", args=[licence.pk]),
        {
            **_date("signed_on", timezone.localdate()),
            "witnessed_by": witness().pk,
            "holders_signed": "on",
        },
    )
    licence.refresh_from_db()
    assert response.status_code == 400 and licence.status == Licence.Status.DRAFT
    assert licence.written_statement_given_on is None


# --- 2. A breach observed before the licence started -----------------------------------------


def test_a_breach_observed_before_the_licence_started_is_refused(officer, client):
    licence = LicenceFactory(start_date=days_ago(40))
    with pytest.raises(ValidationError) as refused:
        services.breach_raise(
            licence=licence,
            category="nuisance",
            observed_on=date(1990, 1, 1),
            description="Noise",
            by=officer,
        )
    assert "observed_on" in refused.value.message_dict
    assert not Breach.objects.exists() and not WorkItem.objects.exists()
    client.force_login(officer)
    response = client.post(
        reverse("residents:breach-create", args=[licence.pk]),
        {"category": "nuisance", **_date("observed_on", date(1990, 1, 1)), "description": "Noise"},
    )
    assert response.status_code == 400
    assert "before the licence started" in response.content.decode()
    assert not licence.breaches.exists()
    # On the start day itself: reported.
    breach = services.breach_raise(
        licence=licence,
        category="nuisance",
        observed_on=licence.start_date,
        description="Noise",
        by=officer,
    )
    assert breach.pk


# --- 3. Authorised occupants only on a licence still running ---------------------------------


def test_an_occupant_cannot_be_added_to_a_cancelled_licence(officer, client):
    licence = draft(officer)
    services.licence_draft_cancel(licence=licence, reason="Withdrew", by=officer)
    person = PersonFactory(household=licence.household, relationship="child", first_name="Kid")
    with pytest.raises(ValidationError) as refused:
        services.licence_occupant_add(
            licence=licence, person=person, from_date=licence.start_date, by=officer
        )
    assert "did not go ahead" in str(refused.value)
    client.force_login(officer)
    assert (
        "Add an authorised occupant" not in client.get(licence.get_absolute_url()).content.decode()
    )
    response = client.post(
        reverse("residents:occupant-add", args=[licence.pk]),
        {"person": person.pk, **_date("from_date", licence.start_date)},
    )
    assert response.status_code == 400
    assert "did not go ahead: people are named only" in response.content.decode()
    assert not licence.occupants.filter(person=person).exists()


def test_an_occupant_of_a_transit_stay_is_added_no_later_than_it_ends(officer):
    start = timezone.localdate()
    licence = services.licence_draft_create(
        household=PersonFactory().household,
        unit=vacant_pitch(kind="transit_pitch"),
        start_date=start,
        end_date=start + timedelta(days=28),
        by=officer,
    )
    person = PersonFactory(household=licence.household, relationship="child", first_name="Kid")
    with pytest.raises(ValidationError) as refused:
        services.licence_occupant_add(
            licence=licence, person=person, from_date=start + timedelta(days=29), by=officer
        )
    assert "from_date" in refused.value.message_dict
    named = services.licence_occupant_add(
        licence=licence, person=person, from_date=start + timedelta(days=28), by=officer
    )
    assert named.role == LicenceOccupant.Role.OCCUPANT


# --- 4. Unauthorised occupants on a live licence, found after it started ---------------------


def test_an_unauthorised_occupant_is_not_recorded_on_an_ended_licence(officer, client):
    ended = LicenceFactory(
        status="ended", start_date=days_ago(400), end_date=days_ago(100), end_reason="notice"
    )
    with pytest.raises(ValidationError) as refused:
        services.unauthorised_occupant_record(
            unit=ended.unit,
            licence=ended,
            name="X",
            found_on=days_ago(200),
            where_found="visit",
            by=officer,
        )
    assert "has ended" in str(refused.value)
    client.force_login(officer)
    page = client.get(ended.get_absolute_url()).content.decode()
    assert "Record an unauthorised occupant" not in page
    response = client.post(
        reverse("residents:unauthorised-occupant-create", args=[ended.pk]),
        {"name": "Someone", **_date("found_on", days_ago(200)), "where_found": "visit"},
    )
    assert response.status_code == 400 and "has ended" in response.content.decode()
    assert not UnauthorisedOccupant.objects.exists()


def test_an_unauthorised_occupant_found_before_the_licence_started_is_refused(officer, client):
    live = LicenceFactory(start_date=days_ago(40))
    with pytest.raises(ValidationError) as refused:
        services.unauthorised_occupant_record(
            unit=live.unit,
            licence=live,
            name="X",
            found_on=date(1990, 1, 1),
            where_found="visit",
            by=officer,
        )
    assert "found_on" in refused.value.message_dict
    client.force_login(officer)
    response = client.post(
        reverse("residents:unauthorised-occupant-create", args=[live.pk]),
        {"name": "Someone", **_date("found_on", date(1990, 1, 1)), "where_found": "visit"},
    )
    assert response.status_code == 400
    assert "before the licence started" in response.content.decode()
    assert not UnauthorisedOccupant.objects.exists()
    found = services.unauthorised_occupant_record(
        unit=live.unit, name="X", found_on=live.start_date, where_found="visit", by=officer
    )
    assert found.licence == live


# --- 5, 6. The new-resident visit: after the signing, and the visit once the licence starts --


def test_checklist_dates_and_meter_readings_before_the_signing_are_refused(officer, client):
    licence = signed(officer, unit=vacant_pitch(has_electricity_meter=True))
    visit = licence.visit
    before = licence.signed_on - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.meter_reading_record(
            visit=visit,
            meter="electricity",
            serial="E1",
            reading=Decimal("10"),
            read_on=before,
            photo=_photo(),
            by=officer,
        )
    assert "read_on" in refused.value.message_dict
    for field in ("policies_issued_on", "pay_card_issued_on"):
        with pytest.raises(ValidationError) as refused:
            services.visit_dates_record(visit=visit, by=officer, **{field: before})
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.visit_handbook_issue(visit=visit, issued_on=before, by=officer)
    assert "issued_on" in refused.value.message_dict
    visit.refresh_from_db()
    assert visit.policies_issued_on is None and visit.pay_card_issued_on is None
    assert not MeterReading.objects.exists()
    client.force_login(officer)
    response = client.post(
        reverse("residents:meter-reading-create", args=[visit.pk]),
        {
            "meter": "electricity",
            "serial": "E1",
            "reading": "10",
            **_date("read_on", before),
            "photo": _photo(),
        },
    )
    assert response.status_code == 400
    assert "on or after the day the licence was signed" in response.content.decode()
    assert not MeterReading.objects.exists()
    response = client.post(
        reverse("residents:visit-dates", args=[visit.pk]),
        {**_date("visited_on", licence.signed_on), **_date("pay_card_issued_on", before)},
    )
    assert response.status_code == 400
    assert "on or after the day the licence was signed" in response.content.decode()


def test_the_visit_of_a_licence_starting_later_falls_due_after_it_starts(officer, client):
    start = timezone.localdate() + timedelta(days=60)
    licence = signed(officer, start_date=start)
    visit = licence.visit
    assert licence.status == Licence.Status.SIGNED
    assert visit.due_on == start + timedelta(days=services.VISIT_DAYS)
    item = WorkItem.objects.get(source_key=f"new_resident_visit:{visit.pk}")
    assert item.due_on == visit.due_on
    with pytest.raises(ValidationError) as refused:
        services.visit_dates_record(visit=visit, by=officer, visited_on=timezone.localdate())
    assert "visited_on" in refused.value.message_dict
    client.force_login(officer)
    response = client.post(
        reverse("residents:visit-dates", args=[visit.pk]),
        _date("visited_on", timezone.localdate()),
    )
    assert response.status_code == 400
    assert "on or after the licence starts" in response.content.decode()
    visit.refresh_from_db()
    assert visit.visited_on is None


def test_the_visit_of_a_licence_starting_on_signing_falls_due_a_week_after(officer):
    licence = signed(officer)
    assert licence.visit.due_on == licence.signed_on + timedelta(days=services.VISIT_DAYS)


# --- 8. Breaches end with their licence ------------------------------------------------------


def _served(licence, officer, sites_manager):
    breach = services.breach_raise(
        licence=licence,
        category="nuisance",
        observed_on=days_ago(5),
        description="Noise",
        by=officer,
    )
    services.breach_transition(breach=breach, to="investigating", by=sites_manager, reason="Look")
    return breach


def test_the_remedy_work_of_a_breach_closes_when_its_licence_ends(officer, sites_manager):
    licence = LicenceFactory(start_date=days_ago(400))
    breach = _served(licence, officer, sites_manager)
    services.breach_transition(
        breach=breach,
        to="notice_served",
        by=sites_manager,
        reason="Serve",
        remedy_due_on=timezone.localdate() + timedelta(days=14),
    )
    services.licence_end(
        licence=licence,
        end_date=days_ago(1),
        reason="notice",
        notice_given_on=days_ago(40),
        by=officer,
    )
    item = WorkItem.objects.get(source_key__startswith=f"breach_remedy_due:{breach.pk}:")
    assert item.status == WorkItem.Status.CANCELLED
    assert f"Licence {licence.reference} ended" in item.history.latest().history_change_reason
    assert item.history.latest().history_user == officer


def test_no_notice_to_remedy_is_served_once_the_licence_has_ended(officer, sites_manager, client):
    licence = LicenceFactory(start_date=days_ago(400))
    breach = _served(licence, officer, sites_manager)
    services.licence_end(
        licence=licence,
        end_date=days_ago(1),
        reason="notice",
        notice_given_on=days_ago(40),
        by=officer,
    )
    with pytest.raises(ValidationError) as refused:
        services.breach_transition(
            breach=breach,
            to="notice_served",
            by=sites_manager,
            reason="Serve",
            remedy_due_on=timezone.localdate() + timedelta(days=14),
        )
    assert "has ended" in str(refused.value)
    breach.refresh_from_db()
    assert breach.status == Breach.Status.INVESTIGATING and breach.remedy_due_on is None
    client.force_login(sites_manager)
    url = reverse("residents:breach-update", args=[breach.pk])
    assert 'value="notice_served"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "status": "notice_served",
            **_date("remedy_due_on", timezone.localdate() + timedelta(days=14)),
            "reason": "Serve",
        },
    )
    assert response.status_code == 400
    breach.refresh_from_db()
    assert breach.status == Breach.Status.INVESTIGATING
    assert not WorkItem.objects.filter(source_key__startswith="breach_remedy_due:").exists()
    # Closing it is still open to the sites manager.
    services.breach_transition(breach=breach, to="closed", by=sites_manager, reason="Left")
