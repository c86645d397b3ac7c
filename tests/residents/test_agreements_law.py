"""The pitch licence as the Mobile Homes Act 1983 has it (as applied to local-authority Gypsy
and Traveller sites): 28 days between the written statement and signing unless written
consent to less is recorded; not live before its start date; the council ends an agreement only
through the court; succession on death; transit pitches on a fixed term."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import selectors, services
from residents.models import Licence, LicenceEvidence
from sites.models import Unit
from tests.residents.helpers import (
    consent_scan,
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


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _sign(licence, officer, on):
    return services.licence_sign(licence=licence, signed_on=on, witnessed_by=witness(), by=officer)


# --- 28 days, or written consent ---------------------------------------------------------------


def test_signing_waits_28_days_after_the_written_statement(officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    given = timezone.localdate()
    services.licence_written_statement_give(licence=licence, given_on=given, by=officer)
    with time_machine.travel(given + timedelta(days=27), tick=False):
        with pytest.raises(ValidationError, match="at least 28 days") as refused:
            _sign(licence, officer, given + timedelta(days=27))
        assert "signed from" in str(refused.value)
    with time_machine.travel(given + timedelta(days=28), tick=False):
        signed_licence = _sign(licence, officer, given + timedelta(days=28))
    assert signed_licence.signed_on == given + timedelta(days=28)


def test_recorded_written_consent_allows_signing_sooner(officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    today = timezone.localdate()
    services.licence_written_statement_give(licence=licence, given_on=today, by=officer)
    evidence = short_notice_consent(licence, officer)
    assert evidence.kind == LicenceEvidence.Kind.SHORT_NOTICE_CONSENT and evidence.file
    assert _sign(licence, officer, today).status == Licence.Status.LIVE


def test_a_licence_signed_sooner_cannot_predate_the_written_consent_that_allows_it(officer):
    licence = draft(officer)
    documents_ready(licence, officer, drawn_days_ago=3)
    today = timezone.localdate()
    services.licence_written_statement_give(licence=licence, given_on=days_ago(3), by=officer)
    short_notice_consent(licence, officer, on=today)
    licence.refresh_from_db()
    assert selectors.licence_first_signing_date(licence) == today
    with pytest.raises(ValidationError, match="cannot be signed before that consent"):
        _sign(licence, officer, days_ago(1))
    assert _sign(licence, officer, today).status == Licence.Status.LIVE


def test_consent_needs_a_scan_and_a_date_not_in_the_future(officer):
    licence = draft(officer)
    with pytest.raises(ValidationError) as refused:
        services.licence_short_notice_consent_record(
            licence=licence,
            consented_on=timezone.localdate() + timedelta(days=1),
            scan=None,
            by=officer,
        )
    assert set(refused.value.message_dict) == {"consented_on", "scan"}


def test_the_licence_page_shows_the_first_day_it_can_be_signed(client, officer):
    licence = draft(officer)
    documents_ready(licence, officer)
    given = timezone.localdate()
    services.licence_written_statement_give(licence=licence, given_on=given, by=officer)
    client.force_login(officer)
    page = client.get(licence.get_absolute_url()).content.decode()
    assert "Can be signed from" in page
    assert f"{(given + timedelta(days=28)).day} " in page
    sign_page = client.post(
        reverse("residents:licence-sign", args=[licence.pk]),
        {**_date("signed_on", given), "witnessed_by": witness().pk, "holders_signed": "on"},
    )
    assert sign_page.status_code == 400
    assert "at least 28 days before the licence is signed" in sign_page.content.decode()


def test_consent_is_recorded_through_its_page_with_a_scan(client, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    licence = draft(officer)
    client.force_login(officer)
    url = reverse("residents:licence-consent", args=[licence.pk])
    assert client.post(url, _date("consented_on", timezone.localdate())).status_code == 400
    response = client.post(
        url, {**_date("consented_on", timezone.localdate()), "scan": consent_scan()}
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.short_notice_consent_on == timezone.localdate()


def test_a_licence_signed_before_its_start_date_is_not_live_until_then(officer):
    start = timezone.localdate() + timedelta(days=10)
    licence = signed(officer, start_date=start)
    assert licence.status == Licence.Status.SIGNED
    assert Unit.objects.get(pk=licence.unit_id).status == Unit.Status.ALLOCATED
    assert services.licences_start_due(today=start - timedelta(days=1), by=officer) == 0
    assert services.licences_start_due(today=start, by=officer) == 1
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE
    assert licence.household.unit_id == licence.unit_id
    assert Unit.objects.get(pk=licence.unit_id).status == Unit.Status.OCCUPIED


# --- Ending only through the court -------------------------------------------------------------


def test_the_council_cannot_end_a_licence_for_abandonment_itself(officer):
    licence = signed(officer, start_date=days_ago(200))
    with pytest.raises(ValidationError, match="cannot end a licence for abandonment itself"):
        services.licence_end(
            licence=licence, end_date=timezone.localdate(), reason="abandonment", by=officer
        )


def test_suspected_abandonment_goes_through_notices_and_a_court_order(officer):
    licence = signed(officer, start_date=days_ago(200))
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.licence_end(
            licence=licence,
            end_date=today,
            reason="court_order",
            court_ground="abandonment",
            court_order_on=days_ago(3),
            by=officer,
        )
    assert "notice_served_on" in refused.value.message_dict
    services.licence_end(
        licence=licence,
        end_date=today,
        reason="court_order",
        court_ground="abandonment",
        notice_served_on=days_ago(60),
        court_order_on=days_ago(3),
        by=officer,
    )
    licence.refresh_from_db()
    assert (licence.status, licence.court_ground, licence.court_order_on) == (
        Licence.Status.ENDED,
        "abandonment",
        days_ago(3),
    )
    assert Unit.objects.get(pk=licence.unit_id).status == Unit.Status.VOID


def test_a_breach_ground_needs_the_notice_to_remedy_before_the_order(officer):
    licence = signed(officer, start_date=days_ago(200))
    with pytest.raises(ValidationError) as refused:
        services.licence_end(
            licence=licence,
            end_date=timezone.localdate(),
            reason="court_order",
            court_ground="breach",
            notice_served_on=days_ago(1),
            court_order_on=days_ago(5),
            by=officer,
        )
    assert refused.value.message_dict["notice_served_on"] == [
        "The notice is served before the court's order"
    ]


def test_the_end_page_offers_no_direct_abandonment(client, officer):
    licence = signed(officer, start_date=days_ago(200))
    client.force_login(officer)
    page = client.get(reverse("residents:licence-end", args=[licence.pk])).content.decode()
    assert 'value="abandonment"' not in page.split("court_ground")[0]
    assert "only through the court" in page


# --- Succession --------------------------------------------------------------------------------


def test_succession_makes_a_new_agreement_for_the_same_pitch_linked_to_the_old(officer):
    licence = signed(officer, start_date=days_ago(400))
    partner = licence.household.people.get(first_name="Tom")
    died = days_ago(10)
    new = services.licence_succeed(
        licence=licence,
        successor=partner,
        relationship="spouse",
        died_on=died,
        evidence=consent_scan(),
        by=officer,
    )
    licence.refresh_from_db()
    assert (licence.status, licence.end_date, licence.end_reason) == ("ended", died, "succession")
    assert (new.status, new.unit_id, new.start_date, new.succeeds_id) == (
        Licence.Status.LIVE,
        licence.unit_id,
        died,
        licence.pk,
    )
    assert [str(h.person) for h in new.occupants.filter(role="holder")] == ["Tom Lee"]
    assert new.evidence.get().kind == LicenceEvidence.Kind.SUCCESSION
    assert Unit.objects.get(pk=licence.unit_id).status == Unit.Status.OCCUPIED


def test_a_successor_must_have_lived_there_on_the_licence(officer):
    licence = signed(officer, start_date=days_ago(400))
    stranger = household_of_two().people.first()
    with pytest.raises(ValidationError) as refused:
        services.licence_succeed(
            licence=licence,
            successor=stranger,
            relationship="family",
            died_on=days_ago(1),
            evidence=consent_scan(),
            by=officer,
        )
    assert "successor" in refused.value.message_dict


# --- Transit pitches ---------------------------------------------------------------------------


def test_a_transit_pitch_is_let_on_a_fixed_term_with_its_own_agreement(officer):
    unit = vacant_pitch(kind=Unit.Kind.TRANSIT_PITCH)
    start = timezone.localdate()
    with pytest.raises(ValidationError, match="fixed term"):
        services.licence_draft_create(
            household=household_of_two(), unit=unit, start_date=start, by=officer
        )
    with pytest.raises(ValidationError, match="within three months"):
        services.licence_draft_create(
            household=household_of_two(),
            unit=unit,
            start_date=start,
            end_date=start + timedelta(days=120),
            by=officer,
        )
    licence = services.licence_draft_create(
        household=household_of_two(),
        unit=unit,
        start_date=start,
        end_date=start + timedelta(days=28),
        by=officer,
    )
    assert (licence.kind, licence.end_reason) == (Licence.Kind.TRANSIT, "fixed_term")
    documents_ready(licence, officer)
    kinds = set(licence.documents.values_list("kind", flat=True))
    assert kinds == {"written_statement", "transit_agreement"}
    short_notice_consent(licence, officer)
    services.licence_written_statement_give(licence=licence, given_on=start, by=officer)
    _sign(licence, officer, start)
    assert services.licences_end_due(today=start + timedelta(days=28), by=officer) == 1
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ENDED
    assert Unit.objects.get(pk=unit.pk).status == Unit.Status.VOID


# --- The scans kept with a licence -------------------------------------------------------------


def test_the_consent_scan_is_listed_on_the_licence_page_and_downloads(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    licence = signed(officer)
    evidence = licence.evidence.get(kind=LicenceEvidence.Kind.SHORT_NOTICE_CONSENT)
    client.force_login(officer)
    url = reverse("residents:licence-evidence-download", args=[evidence.pk])
    page = client.get(licence.get_absolute_url()).content.decode()
    assert url in page
    assert "Written consent to a shorter period: " in page and "consent.pdf" in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 consent"
    assert response["Content-Type"] == "application/pdf"
    assert f"{licence.reference}-short-notice-consent.pdf" in response["Content-Disposition"]


def test_a_role_that_cannot_see_licences_cannot_download_their_scans(
    client, officer, administrator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = signed(officer).evidence.get()
    client.force_login(administrator)
    url = reverse("residents:licence-evidence-download", args=[evidence.pk])
    assert client.get(url).status_code == 403


def test_a_licence_without_a_scan_shows_no_download_link(client, officer):
    licence = draft(officer)
    client.force_login(officer)
    page = client.get(licence.get_absolute_url()).content.decode()
    assert "Evidence kept" not in page
    assert "/licences/evidence/" not in page


def test_the_court_order_scan_is_kept_and_downloads_from_the_ended_licence(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    licence = signed(officer, start_date=days_ago(200))
    client.force_login(officer)
    scan = consent_scan()
    scan.name = "order.pdf"
    response = client.post(
        reverse("residents:licence-end", args=[licence.pk]),
        {
            "reason": "court_order",
            "court_ground": "condition",
            **_date("court_order_on", days_ago(3)),
            **_date("end_date", timezone.localdate()),
            "court_order_scan": scan,
        },
    )
    assert response.status_code == 302, response.content.decode()
    order = licence.evidence.get(kind=LicenceEvidence.Kind.COURT_ORDER)
    page = client.get(licence.get_absolute_url()).content.decode()
    assert "Court order: " in page and "order.pdf" in page
    download = client.get(reverse("residents:licence-evidence-download", args=[order.pk]))
    assert download.status_code == 200
    assert f"{licence.reference}-court-order.pdf" in download["Content-Disposition"]


def test_the_succession_evidence_downloads_from_the_new_licence(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    licence = signed(officer, start_date=days_ago(400))
    new = services.licence_succeed(
        licence=licence,
        successor=licence.household.people.get(first_name="Tom"),
        relationship="spouse",
        died_on=days_ago(10),
        evidence=consent_scan(),
        by=officer,
    )
    evidence = new.evidence.get(kind=LicenceEvidence.Kind.SUCCESSION)
    url = reverse("residents:licence-evidence-download", args=[evidence.pk])
    client.force_login(officer)
    assert url in client.get(new.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200


def test_a_court_order_scan_is_not_kept_for_an_end_by_notice(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    licence = signed(officer, start_date=days_ago(200))
    with pytest.raises(ValidationError) as refused:
        services.licence_end(
            licence=licence,
            end_date=timezone.localdate(),
            reason="notice",
            notice_given_on=days_ago(40),
            court_order_scan=consent_scan(),
            by=officer,
        )
    assert "court_order_scan" in refused.value.message_dict
    assert not licence.evidence.filter(kind=LicenceEvidence.Kind.COURT_ORDER).exists()
