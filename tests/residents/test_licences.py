"""Licence sign-up: the draft from an approved allocation, the written statement before the
agreement (Mobile Homes Act 1983), the PDFs signed kept as signed, ending and transfers."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.kernel.documents import document_render
from projects.models import WorkItem
from residents import services
from residents.documents import licence_context
from residents.models import (
    Licence,
    LicenceDocument,
    LicenceOccupant,
    LicenceSigning,
    NewResidentVisit,
)
from sites.models import Unit
from tests.factories import HouseholdFactory, PersonFactory
from tests.residents.helpers import (
    days_ago,
    documents_ready,
    draft,
    household_of_two,
    short_notice_consent,
    signed,
    vacant_pitch,
    witness,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_draft_licence_takes_its_terms_from_the_unit_and_the_policy(officer, settings):
    settings.LICENCE_DEPOSIT_WEEKS = 2
    unit = vacant_pitch(weekly_charge=Decimal("90.00"))
    licence = draft(officer, unit=unit)
    assert licence.reference.startswith("L-") and len(licence.reference) == 8
    assert licence.status == Licence.Status.DRAFT
    assert licence.weekly_fee == Decimal("90.00") and licence.deposit == Decimal("180.00")
    assert licence.terms_version == settings.LICENCE_TERMS_VERSION
    roles = {(str(n.person), n.role) for n in licence.occupants.all()}
    assert roles == {("Mary Lee", "holder"), ("Tom Lee", "occupant")}
    item = WorkItem.objects.get(source_key=f"licence_sign_up:{licence.pk}")
    assert item.assigned_role.name == "officer" and item.about == licence


def test_the_sign_up_goes_to_the_officer_named_by_the_approval(officer, team_leader):
    licence = services.licence_draft_create(
        household=household_of_two(),
        unit=vacant_pitch(),
        start_date=timezone.localdate(),
        by=team_leader,
        reason="Allocation approved",
        officer=officer,
    )
    item = WorkItem.objects.get(source_key=f"licence_sign_up:{licence.pk}")
    assert item.assignee == officer and item.created_by == team_leader
    assert licence.history.get().history_user == team_leader


def test_a_household_without_a_lead_person_cannot_be_given_a_licence(officer):
    with pytest.raises(ValidationError, match="no lead person"):
        services.licence_draft_create(
            household=HouseholdFactory(),
            unit=vacant_pitch(),
            start_date=timezone.localdate(),
            by=officer,
        )


def test_signing_is_refused_until_the_written_statement_is_given(officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    with pytest.raises(ValidationError, match="written statement must be given before"):
        services.licence_sign(
            licence=licence, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
        )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.DRAFT


def test_the_statement_cannot_be_given_before_its_pdf_is_ready(officer):
    licence = draft(officer)
    services.licence_documents_request(licence=licence, by=officer)
    with pytest.raises(ValidationError, match="not ready yet"):
        services.licence_written_statement_give(
            licence=licence, given_on=timezone.localdate(), by=officer
        )


def test_the_licence_cannot_be_signed_before_the_day_the_statement_was_given(officer):
    licence = draft(officer)
    documents_ready(licence, officer, drawn_days_ago=1)
    services.licence_written_statement_give(licence=licence, given_on=days_ago(1), by=officer)
    with pytest.raises(ValidationError) as refused:
        services.licence_sign(
            licence=licence, signed_on=days_ago(2), witnessed_by=witness(), by=officer
        )
    assert "signed_on" in refused.value.message_dict


def test_signing_keeps_the_exact_pdf_signed_and_makes_the_licence_live(officer, auditor):
    licence = signed(officer)
    signing = licence.signing
    assert licence.status == Licence.Status.LIVE and licence.signed_on == timezone.localdate()
    assert signing.witnessed_by == witness() and signing.recorded_by == officer
    assert signing.holders == [{"person_id": signing.holders[0]["person_id"], "name": "Mary Lee"}]
    pdf = signing.agreement.file.open("rb").read()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == signing.agreement_sha256
    assert signing.written_statement.kind == LicenceDocument.Kind.WRITTEN_STATEMENT
    licence.unit.refresh_from_db()
    licence.household.refresh_from_db()
    assert licence.unit.status == Unit.Status.OCCUPIED and licence.household.unit == licence.unit
    # The sign-up work is done; the new-resident visit is due within 7 days.
    assert WorkItem.objects.get(source_key=f"licence_sign_up:{licence.pk}").status == "done"
    visit = NewResidentVisit.objects.get(licence=licence)
    assert visit.due_on == timezone.localdate() + timedelta(days=7)


def test_a_signed_document_is_never_drawn_again(officer):
    licence = signed(officer)
    agreement = licence.signing.agreement
    before = agreement.file.name
    assert document_render(model="residents.LicenceDocument", pk=agreement.pk) == "already ready"
    agreement.refresh_from_db()
    assert agreement.file.name == before
    with pytest.raises(ValidationError, match="kept as they were signed"):
        services.licence_documents_request(licence=licence, by=officer)


def test_changing_a_draft_supersedes_its_documents_and_the_statement_given(officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate(), by=officer
    )
    services.licence_update(
        licence=licence, weekly_fee=Decimal("95.00"), by=officer, reason="Fee agreed at panel"
    )
    licence.refresh_from_db()
    assert licence.written_statement_given_on is None
    assert not licence.documents.filter(superseded_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="written statement must be given"):
        services.licence_sign(
            licence=licence, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
        )


def test_the_witness_must_be_an_officer_who_signs_up_licences(officer, auditor):
    licence = draft(officer)
    documents_ready(licence, officer)
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate(), by=officer
    )
    with pytest.raises(ValidationError) as refused:
        services.licence_sign(
            licence=licence, signed_on=timezone.localdate(), witnessed_by=auditor, by=officer
        )
    assert "witnessed_by" in refused.value.message_dict


def test_a_second_licence_on_an_occupied_unit_is_refused_in_plain_words(officer):
    unit = vacant_pitch()
    signed(officer, unit=unit)
    with pytest.raises(ValidationError, match="is occupied: an agreement can be prepared only"):
        signed(officer, unit=unit)


def test_notice_by_the_occupier_must_be_four_weeks(officer):
    licence = signed(officer, start_date=days_ago(60))
    notice = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.licence_end(
            licence=licence,
            end_date=notice + timedelta(days=27),
            reason=Licence.EndReason.NOTICE,
            notice_given_on=notice,
            by=officer,
        )
    assert "4 weeks" in refused.value.message_dict["end_date"][0]


def test_a_licence_ending_after_notice_stays_live_until_its_end_date(officer):
    licence = signed(officer, start_date=days_ago(60))
    end = timezone.localdate() + timedelta(days=28)
    services.licence_end(
        licence=licence,
        end_date=end,
        reason=Licence.EndReason.NOTICE,
        notice_given_on=timezone.localdate(),
        by=officer,
    )
    licence.refresh_from_db()
    # Still the household's home for four weeks: live, its people named, the unit occupied.
    assert (licence.status, licence.end_date) == (Licence.Status.LIVE, end)
    assert set(licence.occupants.values_list("to_date", flat=True)) == {None}
    assert Unit.objects.get(pk=licence.unit_id).status == Unit.Status.OCCUPIED
    with pytest.raises(ValidationError, match="already ends on"):
        services.licence_end(licence=licence, end_date=end, reason="court_order", by=officer)

    assert services.licences_end_due(today=end - timedelta(days=1), by=officer) == 0
    assert services.licences_end_due(today=end, by=officer) == 1
    assert services.licences_end_due(today=end, by=officer) == 0  # once only
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ENDED and licence.end_date == end
    assert set(licence.occupants.values_list("to_date", flat=True)) == {end}
    unit = Unit.objects.get(pk=licence.unit_id)
    assert (unit.status, unit.void_date, unit.void_reason) == ("void", end, "end_of_licence")
    assert unit.history.first().history_change_reason.startswith(f"Licence {licence.reference}")
    licence.household.refresh_from_db()
    assert licence.household.unit is None


def test_a_licence_ended_today_ends_its_people_and_voids_the_unit_at_once(officer):
    licence = signed(officer, start_date=days_ago(60))
    today = timezone.localdate()
    services.licence_end(
        licence=licence,
        end_date=today,
        reason="notice",
        notice_given_on=today - timedelta(weeks=4),
        by=officer,
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ENDED
    assert set(licence.occupants.values_list("to_date", flat=True)) == {today}
    assert Unit.objects.get(pk=licence.unit_id).status == Unit.Status.VOID


def test_a_licence_ended_before_its_visit_takes_the_visit_out_of_the_officers_queue(officer):
    licence = signed(officer, start_date=days_ago(60))
    visit_work = WorkItem.objects.get(source_key=f"new_resident_visit:{licence.visit.pk}")
    assert visit_work.status == WorkItem.Status.OPEN
    # The queue names whom the officer is to visit, not only the licence's reference.
    (holder,) = licence.occupants.filter(role="holder")
    assert visit_work.title == (
        f"Complete the new-resident visit to {holder.person} ({licence.reference}, {licence.unit})"
    )
    today = timezone.localdate()
    services.licence_end(
        licence=licence,
        end_date=today,
        reason="notice",
        notice_given_on=today - timedelta(weeks=4),
        by=officer,
    )
    visit_work.refresh_from_db()
    assert visit_work.status == WorkItem.Status.CANCELLED


def test_a_court_order_makes_the_void_reason_a_court_order(officer):
    licence = signed(officer, start_date=days_ago(60))
    services.licence_end(
        licence=licence,
        end_date=timezone.localdate(),
        reason="court_order",
        court_ground="not_main_residence",
        court_order_on=days_ago(1),
        by=officer,
    )
    assert Unit.objects.get(pk=licence.unit_id).void_reason == "eviction"


def test_a_transfer_ends_the_old_licence_and_starts_the_new_in_one_step(officer):
    old = signed(officer, start_date=days_ago(300))
    household = old.household
    move = timezone.localdate()
    new = signed(officer, household=household, unit=vacant_pitch(), start_date=move)
    old.refresh_from_db()
    assert (old.status, old.end_date, old.end_reason) == ("ended", move, "transfer")
    assert new.status == Licence.Status.LIVE
    assert Unit.objects.get(pk=old.unit_id).void_reason == "transfer"
    household.refresh_from_db()
    assert household.unit_id == new.unit_id


def test_a_transfer_to_a_later_date_ends_the_old_licence_on_that_day(officer):
    old = signed(officer, start_date=days_ago(300))
    move = timezone.localdate() + timedelta(days=10)
    new = signed(officer, household=old.household, unit=vacant_pitch(), start_date=move)
    old.refresh_from_db()
    assert (old.status, old.end_date, old.end_reason) == ("live", move, "transfer")
    assert Unit.objects.get(pk=old.unit_id).status == Unit.Status.OCCUPIED
    # Signed, but not live before its start date: the new pitch is allocated until then.
    assert new.status == Licence.Status.SIGNED
    assert Unit.objects.get(pk=new.unit_id).status == Unit.Status.ALLOCATED
    services.licences_start_due(today=move, by=officer)
    services.licences_end_due(today=move, by=officer)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Licence.Status.ENDED and new.status == Licence.Status.LIVE
    assert Unit.objects.get(pk=old.unit_id).void_reason == "transfer"
    assert Unit.objects.get(pk=new.unit_id).status == Unit.Status.OCCUPIED


def test_a_failed_transfer_leaves_the_old_licence_live(officer):
    old = signed(officer, start_date=days_ago(300))
    taken = vacant_pitch()
    signed(officer, unit=taken)
    with pytest.raises(ValidationError, match="is occupied"):
        draft(officer, household=old.household, unit=taken)
    old.refresh_from_db()
    assert old.status == Licence.Status.LIVE


def test_an_authorised_occupant_can_be_added_and_leave(officer):
    licence = signed(officer)
    person = licence.household.people.get(first_name="Tom")
    named = licence.occupants.get(person=person)
    services.licence_occupant_end(
        named=named, to_date=timezone.localdate(), by=officer, reason="Moved away"
    )
    again = services.licence_occupant_add(
        licence=licence, person=person, from_date=timezone.localdate(), by=officer
    )
    assert again.role == LicenceOccupant.Role.OCCUPANT
    holder = licence.occupants.get(role="holder")
    with pytest.raises(ValidationError, match="only when the licence ends"):
        services.licence_occupant_end(
            named=holder, to_date=timezone.localdate(), by=officer, reason="x"
        )


def test_unauthorised_occupants_are_recorded_against_the_live_licence(officer):
    licence = signed(officer)
    found = services.unauthorised_occupant_record(
        unit=licence.unit,
        name="Unknown man",
        approximate_age=30,
        found_on=timezone.localdate(),
        where_found="new-resident visit",
        by=officer,
    )
    assert found.licence == licence and found.status == "open"


def test_preparing_the_same_draft_twice_makes_one_licence(officer):
    household, unit = household_of_two(), vacant_pitch()
    first = draft(officer, household=household, unit=unit)
    assert draft(officer, household=household, unit=unit) == first
    assert Licence.objects.filter(household=household).count() == 1


def test_the_licence_page_costs_the_same_whatever_is_on_it(
    client, officer, django_assert_max_num_queries
):
    licence = signed(officer)
    client.force_login(officer)
    with django_assert_max_num_queries(25):
        assert client.get(licence.get_absolute_url()).status_code == 200


def test_the_database_refuses_to_change_a_drawn_document_or_a_signing(officer):
    licence = signed(officer)
    agreement = licence.signing.agreement
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        LicenceDocument.objects.filter(pk=agreement.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        LicenceSigning.objects.filter(pk=licence.signing.pk).update(signed_on=days_ago(3))
    with (
        pytest.raises(DatabaseError, match="cannot be deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM residents_licencedocument WHERE id = %s", [agreement.pk])


def test_a_partner_can_be_named_joint_holder_before_signing_and_both_sign(officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    tom = licence.occupants.get(person__first_name="Tom")
    services.licence_occupant_role_change(named=tom, role="holder", by=officer)
    # The documents named one holder: they are drawn again, with both.
    assert not licence.documents.filter(superseded_at__isnull=True).exists()
    documents_ready(licence, officer)
    assert licence.documents.filter(superseded_at__isnull=True).first().context["holders"] == [
        "Mary Lee",
        "Tom Lee",
    ]
    short_notice_consent(licence, officer)
    services.licence_written_statement_give(
        licence=licence, given_on=timezone.localdate(), by=officer
    )
    licence = services.licence_sign(
        licence=licence, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
    )
    assert [h["name"] for h in licence.signing.holders] == ["Mary Lee", "Tom Lee"]
    with pytest.raises(ValidationError, match="before the licence is signed"):
        services.licence_occupant_role_change(named=tom, role="occupant", by=officer)


def test_a_child_cannot_hold_a_licence_and_the_last_holder_cannot_be_removed(officer):
    household = household_of_two()
    PersonFactory(
        household=household,
        first_name="Amy",
        relationship="child",
        date_of_birth=timezone.localdate() - timedelta(days=365 * 9),
    )
    licence = draft(officer, household=household)
    with pytest.raises(ValidationError, match="under 18"):
        services.licence_occupant_role_change(
            named=licence.occupants.get(person__first_name="Amy"), role="holder", by=officer
        )
    with pytest.raises(ValidationError, match="at least one licence holder"):
        services.licence_occupant_role_change(
            named=licence.occupants.get(role="holder"), role="occupant", by=officer
        )


def test_the_documents_follow_the_households_communication_needs(officer):
    household = household_of_two()
    household.large_print = household.interpreter_needed = True
    household.interpreter_language = "Romani"
    household.save()
    licence = draft(officer, household=household)
    html = render_to_string("residents/pdf/2026-1/written_statement.html", licence_context(licence))
    assert 'class="large-print"' in html and "explained in Romani" in html


def test_an_unauthorised_occupants_record_is_closed_once_with_a_reason(officer):
    licence = signed(officer)
    found = services.unauthorised_occupant_record(
        unit=licence.unit,
        name="Unknown woman",
        found_on=timezone.localdate(),
        where_found="new-resident visit",
        by=officer,
    )
    services.unauthorised_occupant_update(
        occupant=found, status="left", by=officer, reason="Seen leaving with her caravan"
    )
    found.refresh_from_db()
    assert found.status == "left"
    assert found.history.first().history_change_reason == "Seen leaving with her caravan"
    with pytest.raises(ValidationError, match="already closed"):
        services.unauthorised_occupant_update(
            occupant=found, status="authorised", by=officer, reason="x"
        )


def test_a_transfer_cannot_start_before_the_licence_it_replaces(officer):
    old = signed(officer, start_date=timezone.localdate())
    new = draft(officer, household=old.household, start_date=days_ago(10))
    documents_ready(new, officer, drawn_days_ago=28)
    services.licence_written_statement_give(licence=new, given_on=days_ago(28), by=officer)
    with pytest.raises(ValidationError, match="must start after that"):
        services.licence_sign(
            licence=new, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
        )
