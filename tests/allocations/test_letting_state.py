"""A unit is let once: one letting state per unit, moved by every step and held by the
database (one open vacancy per unit, one approved allocation per vacancy, no vacancy beside a
draft or live agreement, and the unit's state checked against its records at commit)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from allocations import services
from allocations.models import AllocationDecision, Application, Vacancy
from residents import services as residents_services
from residents.models import Licence
from residents.selectors import household_name
from sites.models import Unit
from sites.services import unit_update
from tests.allocations.casework import answers_as_records, checks_back, frozen_vacancy, in_a_week
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory, pitch_policy
from tests.residents.helpers import (
    documents_ready,
    household_of_two,
    short_notice_consent,
    vacant_pitch,
    witness,
)

pytestmark = pytest.mark.django_db


def letting_checked() -> None:
    """Fire the deferred `letting_consistent` checks now, as the commit would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS letting_consistent IMMEDIATE")
        cursor.execute("SET CONSTRAINTS letting_consistent DEFERRED")


def _approved(officer, team_leader) -> tuple[Vacancy, AllocationDecision]:
    vacancy, entries = frozen_vacancy(officer, 50)
    checks_back(entries[0].application, officer)
    offer = services.offer_make(entry=entries[0], respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top of the list", by=officer
    )
    services.decision_approve(decision=decision, comments="Agreed", by=team_leader)
    vacancy.refresh_from_db()
    return vacancy, decision


def _sign(licence: Licence, officer) -> Licence:
    documents_ready(licence, officer)
    short_notice_consent(licence, officer)
    today = timezone.localdate()
    residents_services.licence_written_statement_give(licence=licence, given_on=today, by=officer)
    return residents_services.licence_sign(
        licence=licence, signed_on=today, witnessed_by=witness(), by=officer
    )


def _new_vacancy(unit, officer) -> Vacancy:
    today = timezone.localdate()
    return services.vacancy_create(
        unit=unit,
        scheme="pitch",
        advert_text="Pitch to let",
        opens_on=today,
        closes_on=today + timedelta(days=14),
        by=officer,
    )


# --- The bug in the issue: a second vacancy on a pitch already let ----------------------------


def test_a_pitch_being_let_or_let_cannot_take_a_second_vacancy(officer, team_leader):
    vacancy, _decision = _approved(officer, team_leader)
    unit = Unit.objects.get(pk=vacancy.unit_id)
    assert (vacancy.status, unit.status) == (Vacancy.Status.LET, Unit.Status.ALLOCATED)
    licence = Licence.objects.get(unit=unit, status=Licence.Status.DRAFT)
    # Today's main let V-000102 be made here while the draft licence was being prepared.
    with pytest.raises(ValidationError, match=r"is allocated: its agreement .* is being prepared"):
        _new_vacancy(unit, officer)
    _sign(licence, officer)
    unit.refresh_from_db()
    licence.refresh_from_db()
    # Signed, but it starts a week after approval: not live, the pitch still allocated.
    assert (licence.status, unit.status) == (Licence.Status.SIGNED, Unit.Status.ALLOCATED)
    with pytest.raises(ValidationError, match="is allocated"):
        _new_vacancy(unit, officer)
    residents_services.licences_start_due(today=licence.start_date, by=officer)
    unit.refresh_from_db()
    licence.refresh_from_db()
    assert (licence.status, unit.status) == (Licence.Status.LIVE, Unit.Status.OCCUPIED)
    with pytest.raises(ValidationError, match=f"is occupied under licence {licence.reference}"):
        _new_vacancy(unit, officer)
    letting_checked()


def test_the_database_refuses_a_vacancy_beside_a_draft_agreement_whatever_the_code_does(
    officer, team_leader
):
    vacancy, _decision = _approved(officer, team_leader)
    with pytest.raises(IntegrityError, match="letting_consistent"), transaction.atomic():
        VacancyFactory(unit=vacancy.unit, status=Vacancy.Status.ADVERTISED)
        letting_checked()


def test_the_database_keeps_one_open_vacancy_per_unit(officer):
    first = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    with pytest.raises(IntegrityError, match="one_open_vacancy_per_unit"), transaction.atomic():
        VacancyFactory(unit=first.unit, status=Vacancy.Status.DRAFT)
    VacancyFactory(unit=first.unit, status=Vacancy.Status.WITHDRAWN, withdrawal_reason="Repairs")


def test_the_database_keeps_one_approved_allocation_per_vacancy(officer, team_leader):
    _vacancy, decision = _approved(officer, team_leader)
    other = AllocationDecision.objects.create(
        offer=decision.offer,
        policy_version=decision.policy_version,
        checklist=[],
        reasons="A second go",
        status=AllocationDecision.Status.RETURNED,
        proposed_by=officer,
    )
    with (
        pytest.raises(IntegrityError, match="one_approved_allocation_per_vacancy"),
        transaction.atomic(),
    ):
        AllocationDecision.objects.filter(pk=other.pk).update(status="approved")


def test_a_unit_state_that_disagrees_with_its_records_is_refused_at_commit(officer):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    with pytest.raises(IntegrityError, match="letting_consistent"), transaction.atomic():
        Unit.objects.filter(pk=vacancy.unit_id).update(status=Unit.Status.OCCUPIED)
        letting_checked()


def test_the_unit_form_cannot_move_a_unit_being_let(officer):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    with pytest.raises(ValidationError, match="moves with the letting"):
        unit_update(unit=vacancy.unit, status="void", by=officer, reason="Tidy up")


def test_the_unit_form_is_told_plainly_when_a_live_agreement_says_otherwise(officer):
    licence = _sign(
        residents_services.licence_draft_create(
            household=household_of_two(),
            unit=vacant_pitch(),
            start_date=timezone.localdate(),
            by=officer,
        ),
        officer,
    )
    with pytest.raises(ValidationError, match="has a vacancy or an agreement"):
        unit_update(
            unit=licence.unit,
            status="void",
            void_date=timezone.localdate(),
            void_reason="other",
            by=officer,
            reason="Wrong",
        )


# --- Every step moves the unit -----------------------------------------------------------------


def test_each_step_moves_the_unit_and_back(officer):
    unit = vacant_pitch()
    vacancy = _new_vacancy(unit, officer)
    unit.refresh_from_db()
    assert unit.status == Unit.Status.ADVERTISED
    services.vacancy_advertise(vacancy=vacancy, by=officer)
    applicant = ActiveApplicationFactory(points=10)
    services.bid_place(vacancy=vacancy, application=applicant, by=officer)
    with time_machine.travel(vacancy.closes_on, tick=False):
        (entry,) = services.shortlist_freeze(vacancy=vacancy, by=officer)
    checks_back(applicant, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    unit.refresh_from_db()
    assert unit.status == Unit.Status.UNDER_OFFER
    letting_checked()
    services.offer_refuse(
        offer=offer, on=timezone.localdate(), reason="Too far", reasonable=True, by=officer
    )
    unit.refresh_from_db()
    assert unit.status == Unit.Status.ADVERTISED
    services.vacancy_withdraw(vacancy=vacancy, reason="Pitch needs drainage work", by=officer)
    unit.refresh_from_db()
    assert unit.status == Unit.Status.VOID
    assert "Pitch needs drainage work" in unit.history.first().history_change_reason
    letting_checked()
    _new_vacancy(unit, officer)  # free to advertise again


def test_withdrawing_a_vacancy_needs_its_offer_withdrawn_first(officer):
    vacancy, (entry,) = frozen_vacancy(officer, 10)
    checks_back(entry.application, officer)
    services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_withdraw(vacancy=vacancy, reason="Changed our minds", by=officer)
    # The household holding the offer is named by its lead applicant, not "Application A-…".
    assert refused.value.messages == [
        f"{vacancy.reference} has an offer waiting for a reply "
        f"({household_name(entry.application.household)}): withdraw the offer first."
    ]


def test_a_let_that_falls_through_puts_the_unit_back_void_with_its_reason(officer, team_leader):
    vacancy, decision = _approved(officer, team_leader)
    services.vacancy_let_fall_through(
        vacancy=vacancy, reason="Household moved to another county", by=officer
    )
    vacancy.refresh_from_db()
    unit = Unit.objects.get(pk=vacancy.unit_id)
    licence = Licence.objects.get(unit=unit)
    application = Application.objects.get(pk=decision.offer.application_id)
    assert vacancy.status == Vacancy.Status.FELL_THROUGH
    assert (licence.status, licence.cancelled_reason) == (
        Licence.Status.CANCELLED,
        "Household moved to another county",
    )
    assert unit.status == Unit.Status.VOID
    assert application.status == Application.Status.ACTIVE
    letting_checked()
    _new_vacancy(unit, officer)


def test_a_signed_let_cannot_fall_through(officer, team_leader):
    vacancy, _decision = _approved(officer, team_leader)
    _sign(Licence.objects.get(unit_id=vacancy.unit_id), officer)
    with pytest.raises(ValidationError, match="already signed"):
        services.vacancy_let_fall_through(vacancy=vacancy, reason="Changed mind", by=officer)


# --- Closing early -----------------------------------------------------------------------------


def test_closing_early_needs_a_reason_and_never_ranks_under_a_later_policy(officer):
    current = pitch_policy()
    with time_machine.travel(date(2026, 11, 20), tick=False):
        later = services.policy_publish(
            scheme="pitch",
            name=current.name,
            effective_from=date(2026, 12, 3),
            policy_rules=current.rules,
            by=officer,
            summary_of_changes="From 3 December",
        )
        vacancy = VacancyFactory(
            status=Vacancy.Status.ADVERTISED,
            opens_on=date(2026, 11, 20),
            closes_on=date(2026, 12, 10),
        )
    with time_machine.travel(date(2026, 12, 2), tick=False):
        with pytest.raises(ValidationError, match=r"Say why .* before its advertised closing"):
            services.shortlist_freeze(vacancy=vacancy, by=officer)
        services.shortlist_freeze(vacancy=vacancy, by=officer, reason="Only one pitch need")
    vacancy.refresh_from_db()
    assert vacancy.policy_version == current != later
    assert (vacancy.closed_on, vacancy.ranked_on) == (date(2026, 12, 2), date(2026, 12, 2))
    assert vacancy.closed_early and vacancy.closed_early_reason == "Only one pitch need"


def test_closing_late_ranks_under_the_policy_of_the_advertised_closing_date(officer):
    current = pitch_policy()
    with time_machine.travel(date(2026, 11, 20), tick=False):
        vacancy = VacancyFactory(
            status=Vacancy.Status.ADVERTISED,
            opens_on=date(2026, 11, 20),
            closes_on=date(2026, 12, 1),
        )
        services.policy_publish(
            scheme="pitch",
            name=current.name,
            effective_from=date(2026, 12, 3),
            policy_rules=current.rules,
            by=officer,
        )
    with time_machine.travel(date(2026, 12, 4), tick=False):
        services.shortlist_freeze(vacancy=vacancy, by=officer)  # not early: no reason needed
    vacancy.refresh_from_db()
    assert vacancy.policy_version == current and vacancy.ranked_on == date(2026, 12, 1)
    assert not vacancy.closed_early


def test_a_let_falls_through_and_a_vacancy_is_withdrawn_through_their_pages(
    client, officer, team_leader
):
    from django.urls import reverse

    vacancy, _decision = _approved(officer, team_leader)
    client.force_login(officer)
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "The household withdrew before signing" in page
    url = reverse("allocations:vacancy-fall-through", args=[vacancy.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Moved away"}).status_code == 302
    unit = Unit.objects.get(pk=vacancy.unit_id)
    assert unit.status == Unit.Status.VOID
    again = _new_vacancy(unit, officer)
    withdraw = reverse("allocations:vacancy-withdraw", args=[again.pk])
    assert "Withdraw the vacancy" in client.get(again.get_absolute_url()).content.decode()
    assert client.post(withdraw, {"reason": "Drainage works first"}).status_code == 302
    again.refresh_from_db()
    assert (again.status, again.withdrawal_reason) == ("withdrawn", "Drainage works first")
