"""The retention rules for licences and due-diligence checks, through the nightly batch and the
team leader's confirmation: nothing asked for in a subject access request goes before it is
answered, and a check's answers are kept for the life of its case plus six years."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from allocations import services as allocation_services
from allocations.models import Application, DueDiligenceCheck
from allocations.privacy.services import (
    retention_batch_confirm,
    retention_batch_create,
    subject_access_record,
)
from residents.models import Licence
from tests.allocations.casework import partner
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import LicenceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> date:
    return timezone.localdate() - relativedelta(years=years)


def _on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


def _request_open(person, officer):
    return subject_access_record(
        person=person,
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=officer,
        by=officer,
    )


def _items(batch, rule: str) -> list[int]:
    return [item.record_id for item in batch.items.filter(rule=rule)] if batch else []


# --- Licences -------------------------------------------------------------------------------


@pytest.fixture
def ended_licence():
    """A licence that ended seven years ago, its holder on our records."""
    licence = LicenceFactory(
        status=Licence.Status.ENDED,
        start_date=_years_ago(10),
        end_date=_years_ago(7),
        end_reason="Moved away",
    )
    person = PersonFactory(household=licence.household)
    return licence, person


def test_an_ended_licence_with_no_request_waiting_is_purged(ended_licence, team_leader):
    licence, _ = ended_licence
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    assert _items(batch, "ended_licences") == [licence.pk]
    outcome = retention_batch_confirm(batch=batch, reason="Schedule reached", by=team_leader)
    assert outcome.purged == 1
    assert not Licence.objects.filter(pk=licence.pk).exists()


def test_an_ended_licence_is_not_due_while_someone_of_its_household_has_a_request_waiting(
    ended_licence, officer, team_leader
):
    _, person = ended_licence
    _request_open(person, officer)
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    assert _items(batch, "ended_licences") == []


def test_a_request_made_after_the_batch_keeps_the_licence_at_confirmation(
    ended_licence, officer, team_leader
):
    licence, person = ended_licence
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    assert _items(batch, "ended_licences") == [licence.pk]
    _request_open(person, officer)
    outcome = retention_batch_confirm(batch=batch, reason="Schedule reached", by=team_leader)
    assert (outcome.purged, outcome.no_longer_due) == (0, 1)
    assert Licence.objects.filter(pk=licence.pk).exists()


# --- Due-diligence checks -------------------------------------------------------------------


def _check_requested(officer, *, years_ago: int) -> DueDiligenceCheck:
    """A police check on an active case, asked for (and answered) that many years ago."""
    asked = _years_ago(years_ago)
    with _on(asked):
        application = ActiveApplicationFactory()  # its household with its people
        check = allocation_services.check_request(
            application=application,
            partner=partner("police"),
            purpose="Pitch offer",
            legal_basis="ISA 2024/03 clause 4.2",
            due_on=asked + timedelta(days=10),
            by=officer,
        )
        return allocation_services.check_return(
            check=check, returned_on=asked, outcome="clear", notes="", by=officer
        )


def _case_ends(check: DueDiligenceCheck, status: str, *, years_ago: int, by) -> None:
    application = check.application
    with _on(_years_ago(years_ago)):
        application.status = status
        application.status_reason = "Case ended"
        application._history_user = by
        application.save()


def test_a_check_on_a_live_case_is_not_due_however_long_ago_it_was_asked(officer, team_leader):
    check = _check_requested(officer, years_ago=8)
    assert check.retention_until < timezone.localdate()  # the stored date, from the request
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    assert _items(batch, "due_diligence_answers") == []


def test_a_check_on_a_case_ended_less_than_six_years_ago_is_not_due(officer, team_leader):
    check = _check_requested(officer, years_ago=9)
    _case_ends(check, Application.Status.HOUSED, years_ago=3, by=officer)
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    assert _items(batch, "due_diligence_answers") == []


def test_a_check_on_a_case_ended_six_years_ago_is_purged(officer, team_leader):
    check = _check_requested(officer, years_ago=9)
    _case_ends(check, Application.Status.HOUSED, years_ago=7, by=officer)
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    assert _items(batch, "due_diligence_answers") == [check.pk]
    assert batch.items.get(record_id=check.pk).due_since == _years_ago(1)
    outcome = retention_batch_confirm(batch=batch, reason="Schedule reached", by=team_leader)
    assert outcome.purged == 1
    assert not DueDiligenceCheck.objects.filter(pk=check.pk).exists()
    assert Application.objects.filter(pk=check.application_id).exists()


def test_a_check_is_not_due_while_someone_of_the_household_has_a_request_waiting(
    officer, team_leader
):
    check = _check_requested(officer, years_ago=9)
    _case_ends(check, Application.Status.HOUSED, years_ago=7, by=officer)
    _request_open(check.application.household.people.first(), officer)
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    assert _items(batch, "due_diligence_answers") == []


def test_a_request_made_after_the_batch_keeps_the_check_at_confirmation(officer, team_leader):
    check = _check_requested(officer, years_ago=9)
    _case_ends(check, Application.Status.HOUSED, years_ago=7, by=officer)
    batch = retention_batch_create(today=timezone.localdate(), by=team_leader)
    _request_open(check.application.household.people.first(), officer)
    outcome = retention_batch_confirm(batch=batch, reason="Schedule reached", by=team_leader)
    assert (outcome.purged, outcome.no_longer_due) == (0, 1)
    assert DueDiligenceCheck.objects.filter(pk=check.pk).exists()


def test_the_check_page_says_how_long_it_is_kept_from_the_end_of_the_case(client, officer):
    check = _check_requested(officer, years_ago=8)
    client.force_login(officer)
    url = reverse("allocations:check-detail", args=[check.pk])
    live = client.get(url).text
    assert "6 years after the case ends" in live
    assert f"{check.retention_until:%-d %B %Y}" not in live  # the request's date plus six
    _case_ends(check, Application.Status.WITHDRAWN, years_ago=2, by=officer)
    ended = client.get(url).text
    assert f"{_years_ago(2) + relativedelta(years=6):%-d %B %Y}" in ended
