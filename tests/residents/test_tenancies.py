"""Tenancies of homes: prepared from an approved allocation (kind from the policy, rent and
service charges from the home), the tenancy agreement PDF and its easy-read version, signing
with the keys handed over, ending by the tenancy's own reasons, and the introductory review."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.kernel.documents import document_render
from projects.models import WorkItem
from residents import selectors, services
from residents.models import Licence, LicenceDocument, LicenceSigning
from sites.models import Unit
from tests.factories import HomeFactory
from tests.residents.helpers import days_ago, household_of_two, vacant_pitch, witness

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def vacant_home(**fields):
    fields.setdefault("status", "void")
    fields.setdefault("void_date", date(2025, 1, 1))
    fields.setdefault("void_reason", "end_of_licence")
    fields.setdefault("weekly_charge", Decimal("98.40"))
    fields.setdefault("service_charge", Decimal("6.15"))
    return HomeFactory(**fields)


def tenancy_draft(by, *, household=None, unit=None, start_date=None, **kwargs) -> Licence:
    return services.licence_draft_create(
        household=household or household_of_two(),
        unit=unit or vacant_home(),
        start_date=start_date or timezone.localdate(),
        by=by,
        **kwargs,
    )


def agreement_ready(tenancy: Licence, by) -> list[LicenceDocument]:
    documents = services.licence_documents_request(licence=tenancy, by=by)
    for document in documents:
        document_render(model="residents.LicenceDocument", pk=document.pk)
    return documents


def tenancy_signed(by, *, start_date=None, **kwargs) -> Licence:
    tenancy = tenancy_draft(by, start_date=start_date, **kwargs)
    agreement_ready(tenancy, by)
    today = timezone.localdate()
    return services.licence_sign(
        licence=tenancy,
        signed_on=today,
        witnessed_by=witness(),
        keys_handed_over_on=today,
        by=by,
    )


# --- Prepared on approval --------------------------------------------------------------------


def test_a_home_gets_an_introductory_tenancy_with_the_homes_rent_and_service_charges(officer):
    start = date(2026, 3, 2)
    tenancy = tenancy_draft(officer, start_date=start)
    assert tenancy.kind == Licence.Kind.INTRODUCTORY and tenancy.is_tenancy
    assert tenancy.reference.startswith("T-")
    assert tenancy.weekly_rent == Decimal("98.40")
    assert tenancy.service_charge == Decimal("6.15")
    assert tenancy.weekly_fee is None
    assert tenancy.introductory_ends_on == date(2027, 3, 2)
    assert tenancy.agreement_word == "tenancy" and str(tenancy).startswith("Tenancy T-")
    assert Unit.objects.get(pk=tenancy.unit_id).status == Unit.Status.ALLOCATED
    roles = {(str(n.person), n.role_word) for n in tenancy.occupants.all()}
    assert roles == {("Mary Lee", "Tenant"), ("Tom Lee", "Household member")}
    item = WorkItem.objects.get(source_key=f"licence_sign_up:{tenancy.pk}")
    assert item.kind_label == "Tenancy sign-up"
    assert item.title == f"Sign up tenancy {tenancy.reference} with Mary Lee ({tenancy.unit})"


def test_a_pitch_still_gets_a_pitch_licence(officer):
    licence = tenancy_draft(officer, unit=vacant_pitch(weekly_charge=Decimal("80.00")))
    assert licence.kind == Licence.Kind.PITCH and not licence.is_tenancy
    assert licence.weekly_fee == Decimal("80.00") and licence.weekly_rent is None
    assert licence.reference.startswith("L-") and licence.agreement_word == "licence"


def test_a_council_using_fixed_term_tenancies_lets_a_five_year_flexible_tenancy(officer):
    start = date(2026, 3, 2)
    tenancy = tenancy_draft(officer, start_date=start, fixed_term_tenancies=True)
    assert tenancy.kind == Licence.Kind.FIXED_TERM
    assert tenancy.end_date == date(2031, 3, 2)
    assert tenancy.end_reason == Licence.EndReason.FIXED_TERM
    assert tenancy.introductory_ends_on is None


def test_a_secure_tenant_who_transfers_stays_secure(officer):
    household = household_of_two()
    first = tenancy_signed(officer, household=household, start_date=days_ago(400))
    first.kind = Licence.Kind.SECURE
    first.save()
    second = tenancy_draft(
        officer, household=household, unit=vacant_home(), fixed_term_tenancies=True
    )
    assert second.kind == Licence.Kind.SECURE and second.introductory_ends_on is None


def test_the_tenancy_rules_are_held_by_the_database(officer):
    tenancy = tenancy_draft(officer)
    refused = pytest.raises(IntegrityError, match="tenancy_has_rent_and_service_charge")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE residents_licence SET weekly_rent = NULL WHERE id = %s", [tenancy.pk]
        )


def test_the_policy_setting_for_fixed_term_tenancies_must_be_true_or_false():
    from allocations.rules.defaults import DEFAULT_CBL_POLICY
    from allocations.rules.policy import Policy, PolicyError, policy_validate

    assert Policy.from_json(DEFAULT_CBL_POLICY).fixed_term_tenancies is False
    chosen = Policy.from_json({**DEFAULT_CBL_POLICY, "fixed_term_tenancies": True})
    assert chosen.fixed_term_tenancies is True
    assert chosen.to_json()["fixed_term_tenancies"] is True
    assert "Whether fixed-term tenancies are used must be true or false" in policy_validate(
        {**DEFAULT_CBL_POLICY, "fixed_term_tenancies": "yes"}
    )
    with pytest.raises(PolicyError):
        Policy.from_json({**DEFAULT_CBL_POLICY, "fixed_term_tenancies": 1})


# --- The agreement PDF -----------------------------------------------------------------------


def test_the_tenancy_agreement_is_drawn_without_a_written_statement(officer):
    tenancy = tenancy_draft(officer)
    documents = agreement_ready(tenancy, officer)
    assert [d.kind for d in documents] == [LicenceDocument.Kind.TENANCY_AGREEMENT]
    agreement = LicenceDocument.objects.get(pk=documents[0].pk)
    assert agreement.status == LicenceDocument.Status.READY
    assert agreement.file.read().startswith(b"%PDF")
    assert agreement.context["weekly_rent"] == "98.40"
    assert agreement.context["service_charge"] == "6.15"
    assert agreement.context["weekly_total"] == "104.55"
    assert agreement.context["introductory"] is True
    with pytest.raises(ValidationError, match="no Mobile Homes Act written statement"):
        services.licence_written_statement_give(
            licence=tenancy, given_on=timezone.localdate(), by=officer
        )


def test_a_household_that_reads_easy_read_gets_the_easy_read_version_in_large_print(officer):
    household = household_of_two()
    household.easy_read = True
    household.large_print = True
    household.save()
    tenancy = tenancy_draft(officer, household=household)
    documents = agreement_ready(tenancy, officer)
    assert sorted(d.kind for d in documents) == [
        LicenceDocument.Kind.TENANCY_AGREEMENT,
        LicenceDocument.Kind.TENANCY_EASY_READ,
    ]
    for document in documents:
        document.refresh_from_db()
        assert document.status == LicenceDocument.Status.READY
        assert document.context["large_print"] is True and document.context["easy_read"]


# --- Signing ---------------------------------------------------------------------------------


def test_signing_a_tenancy_records_the_keys_and_occupies_the_home(officer):
    tenancy = tenancy_signed(officer)
    tenancy.refresh_from_db()
    assert tenancy.status == Licence.Status.LIVE
    assert tenancy.keys_handed_over_on == timezone.localdate()
    assert Unit.objects.get(pk=tenancy.unit_id).status == Unit.Status.OCCUPIED
    assert tenancy.household.unit_id == tenancy.unit_id
    signing = LicenceSigning.objects.get(licence=tenancy)
    assert signing.written_statement is None
    assert signing.agreement.kind == LicenceDocument.Kind.TENANCY_AGREEMENT
    assert not WorkItem.objects.filter(
        source_key=f"licence_sign_up:{tenancy.pk}", completed_at__isnull=True
    ).exists()


def test_a_tenancy_is_not_signed_without_the_keys_date(officer):
    tenancy = tenancy_draft(officer)
    agreement_ready(tenancy, officer)
    problems = services.licence_sign_problems(
        licence=tenancy, signed_on=timezone.localdate(), witnessed_by=witness(), by=officer
    )
    assert problems == {"keys_handed_over_on": "Enter the date the keys were handed over"}
    with pytest.raises(ValidationError, match="on or after the signing"):
        services.licence_sign(
            licence=tenancy,
            signed_on=timezone.localdate(),
            witnessed_by=witness(),
            keys_handed_over_on=days_ago(1),
            by=officer,
        )


def test_two_live_tenancies_of_one_home_are_refused_by_the_database(officer):
    tenancy = tenancy_signed(officer, start_date=days_ago(10))
    overlapping = Licence(
        reference="T-999999",
        household=household_of_two(),
        unit_id=tenancy.unit_id,
        status=Licence.Status.LIVE,
        kind=Licence.Kind.INTRODUCTORY,
        start_date=days_ago(5),
        weekly_rent=Decimal("90"),
        service_charge=Decimal("0"),
        introductory_ends_on=days_ago(5) + timedelta(days=365),
        terms_version="2026-1",
    )
    with pytest.raises(IntegrityError, match="one_live_licence_per_unit"), transaction.atomic():
        overlapping.save()


# --- Ending ----------------------------------------------------------------------------------


def test_a_tenants_notice_to_quit_ends_the_tenancy_and_voids_the_home(officer):
    tenancy = tenancy_signed(officer, start_date=days_ago(60))
    ended = services.licence_end(
        licence=tenancy,
        reason=Licence.EndReason.NOTICE_TO_QUIT,
        notice_given_on=days_ago(30),
        end_date=days_ago(1),
        by=officer,
    )
    assert ended.status == Licence.Status.ENDED
    assert ended.end_reason == Licence.EndReason.NOTICE_TO_QUIT
    ended.unit.refresh_from_db()
    assert ended.unit.status == Unit.Status.VOID
    assert ended.unit.void_reason == Unit.VoidReason.END_OF_LICENCE


def test_a_possession_order_needs_its_date(officer):
    tenancy = tenancy_signed(officer, start_date=days_ago(60))
    with pytest.raises(ValidationError) as refused:
        services.licence_end(
            licence=tenancy,
            reason=Licence.EndReason.POSSESSION_ORDER,
            end_date=days_ago(1),
            by=officer,
        )
    assert refused.value.message_dict == {
        "court_order_on": ["Enter the date of the possession order"]
    }
    ended = services.licence_end(
        licence=tenancy,
        reason=Licence.EndReason.POSSESSION_ORDER,
        court_order_on=days_ago(10),
        end_date=days_ago(1),
        by=officer,
    )
    ended.unit.refresh_from_db()
    assert ended.court_order_on == days_ago(10)
    assert ended.unit.void_reason == Unit.VoidReason.EVICTION


def test_a_mutual_exchange_ends_a_tenancy(officer):
    tenancy = tenancy_signed(officer, start_date=days_ago(60))
    ended = services.licence_end(
        licence=tenancy,
        reason=Licence.EndReason.MUTUAL_EXCHANGE,
        end_date=days_ago(1),
        notes="Exchanged with the tenant of 4 Ash Row",
        by=officer,
    )
    ended.unit.refresh_from_db()
    assert ended.unit.status == Unit.Status.VOID
    assert ended.unit.void_reason == Unit.VoidReason.TRANSFER


def test_a_tenancy_is_not_ended_for_a_pitch_reason_nor_a_licence_for_a_tenancy_reason(officer):
    tenancy = tenancy_signed(officer, start_date=days_ago(60))
    with pytest.raises(ValidationError, match="A tenancy is not ended for this reason"):
        services.licence_end(
            licence=tenancy,
            reason=Licence.EndReason.COURT_ORDER,
            court_ground="breach",
            court_order_on=days_ago(3),
            end_date=days_ago(1),
            by=officer,
        )
    from tests.residents.helpers import signed

    licence = signed(officer, start_date=days_ago(60))
    with pytest.raises(ValidationError, match="A licence is not ended for this reason"):
        services.licence_end(
            licence=licence,
            reason=Licence.EndReason.MUTUAL_EXCHANGE,
            end_date=days_ago(1),
            by=officer,
        )
    assert services.END_REASONS_OFFERED != services.TENANCY_END_REASONS_OFFERED


# --- The introductory review -----------------------------------------------------------------


def test_the_review_goes_to_the_team_leaders_8_weeks_before_the_anniversary(officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    assert tenancy.introductory_ends_on == date(2027, 3, 2)
    with time_machine.travel(date(2027, 1, 4), tick=False):  # 8 weeks and 1 day before
        assert services.tenancy_reviews_due(today=date(2027, 1, 4), by=officer) == 0
    with time_machine.travel(date(2027, 1, 5), tick=False):  # 8 weeks before
        assert services.tenancy_reviews_due(today=date(2027, 1, 5), by=officer) == 1
        assert services.tenancy_reviews_due(today=date(2027, 1, 5), by=officer) == 0
    item = WorkItem.objects.get(kind="introductory_review")
    assert item.due_on == date(2027, 1, 5) and item.assigned_role.name == "team_leader"
    assert item.about == tenancy and "secure from 2 March 2027" in item.title


def test_confirming_makes_the_tenancy_secure_from_the_anniversary(officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    with time_machine.travel(date(2027, 1, 10), tick=False):
        services.tenancy_reviews_due(today=date(2027, 1, 10), by=officer)
        confirmed = services.tenancy_introductory_confirm(tenancy=tenancy, by=officer)
        assert confirmed.kind == Licence.Kind.INTRODUCTORY  # not yet: on the anniversary
        assert confirmed.introductory_review == Licence.IntroductoryReview.CONFIRMED
        assert WorkItem.objects.get(kind="introductory_review").completed_at is not None
        with pytest.raises(ValidationError, match="already confirmed"):
            services.tenancy_introductory_confirm(tenancy=tenancy, by=officer)
    assert services.tenancies_secure_due(today=date(2027, 3, 1), by=officer) == 0
    assert services.tenancies_secure_due(today=date(2027, 3, 2), by=officer) == 1
    tenancy.refresh_from_db()
    assert tenancy.kind == Licence.Kind.SECURE
    assert tenancy.history.filter(
        kind=Licence.Kind.SECURE,
        history_change_reason="Secure from 2 March 2027: introductory period ended",
    ).exists()


def test_extending_adds_6_months_once_with_the_reason_and_the_review_right(officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    with time_machine.travel(date(2027, 1, 5), tick=False):
        with pytest.raises(ValidationError, match="Enter the reason"):
            services.tenancy_introductory_extend(tenancy=tenancy, reason=" ", by=officer)
        extended = services.tenancy_introductory_extend(
            tenancy=tenancy, reason="Rent arrears of 6 weeks", by=officer
        )
        assert extended.introductory_ends_on == date(2027, 9, 2)
        assert extended.introductory_extension_reason == "Rent arrears of 6 weeks"
        assert selectors.tenancy_review_right_until(extended) == date(2027, 1, 19)
        with pytest.raises(ValidationError, match="only once"):
            services.tenancy_introductory_extend(tenancy=tenancy, reason="Again", by=officer)
    # The extended period has its own review, 8 weeks before its new end.
    assert services.tenancy_reviews_due(today=date(2027, 7, 7), by=officer) == 0
    assert services.tenancy_reviews_due(today=date(2027, 7, 8), by=officer) == 1
    assert services.tenancies_secure_due(today=date(2027, 3, 2), by=officer) == 0


def test_an_extension_notice_comes_at_least_8_weeks_before_the_period_ends(officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    late = pytest.raises(ValidationError, match="at least 8 weeks before it ends")
    with time_machine.travel(date(2027, 1, 6), tick=False), late:
        services.tenancy_introductory_extend(tenancy=tenancy, reason="Arrears", by=officer)


def test_only_a_live_introductory_tenancy_is_reviewed(officer):
    tenancy = tenancy_draft(officer)
    with pytest.raises(ValidationError, match="Only a live introductory tenancy"):
        services.tenancy_introductory_confirm(tenancy=tenancy, by=officer)


def test_moving_a_draft_tenancys_start_moves_its_introductory_period(officer):
    tenancy = tenancy_draft(officer, start_date=date(2026, 3, 2))
    changed = services.licence_update(
        licence=tenancy,
        start_date=date(2026, 3, 9),
        weekly_rent=Decimal("99.00"),
        service_charge=Decimal("0"),
        reason="Keys ready a week later",
        by=officer,
    )
    assert changed.introductory_ends_on == date(2027, 3, 9)
    assert changed.weekly_rent == Decimal("99.00") and changed.service_charge == Decimal("0")
