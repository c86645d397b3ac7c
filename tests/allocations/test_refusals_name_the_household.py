"""Refusals name the household by its lead's name ("Person0 Family12 (HT-000012)"), as every
other message does, never by the bare reference an application or household prints as."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Application, Nomination, RegistrationRefusal, Scheme
from allocations.services import nominations
from projects.models import WorkItem
from residents.selectors import household_name
from tests.allocations.casework import partner, tomorrow_at
from tests.allocations.factories import ActiveApplicationFactory, ApplicationFactory
from tests.allocations.nominations import provider, provider_home_shortlisted
from tests.allocations.test_registration import _answers
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def _review_asked_then_withdrawn(officer) -> RegistrationRefusal:
    application = ApplicationFactory(scheme=Scheme.CBL, status=Application.Status.SUBMITTED)
    services.application_validate(
        application=application, answers=_answers("area_connection"), by=officer
    )
    refusal = application.registration_refusals.get()
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="I work there", by=officer
    )
    # Withdrawn since the review was asked for (the household wrote in).
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    return refusal


def test_a_review_overturned_too_late_names_the_household_not_its_reference(officer, team_leader):
    refusal = _review_asked_then_withdrawn(officer)
    name = household_name(refusal.application.household)
    with pytest.raises(ValidationError) as refused:
        services.registration_review_decide(
            refusal=refusal, overturn=True, reasons="Works in the parish", by=team_leader
        )
    assert refused.value.messages == [
        f"{name}'s application is now withdrawn: it cannot be admitted to the register from here."
    ]


def test_the_review_page_names_the_household_whose_application_moved_on(
    client, officer, team_leader
):
    refusal = _review_asked_then_withdrawn(officer)
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:registration-review-decide", args=[refusal.pk]),
        {"outcome": "overturned", "reasons": "Works in the parish"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    name = household_name(refusal.application.household)
    assert f"{name}&#x27;s application is now withdrawn" in page
    assert f"Application {refusal.application.reference} is now" not in page


def _band_correction(application, by):
    return services.correction_record(
        application=application,
        field="band",
        value=1,
        applies_from=date(2025, 1, 1),
        reason="Wrong band",
        by=by,
    )


def test_a_band_correction_of_a_points_application_names_the_household(team_leader):
    pitch = ActiveApplicationFactory(points=10)
    with pytest.raises(ValidationError) as refused:
        _band_correction(pitch, team_leader)
    assert refused.value.message_dict["field"] == [
        f"{household_name(pitch.household)}'s application is ranked by points, not bands"
    ]


def test_the_correction_page_names_the_household_ranked_by_points(client, team_leader):
    pitch = ActiveApplicationFactory(points=10)
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:application-correction-create", args=[pitch.pk]),
        {
            "field": "band",
            "value": "1",
            "applies_from_0": "1",
            "applies_from_1": "1",
            "applies_from_2": "2025",
            "reason": "Wrong band",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{household_name(pitch.household)}&#x27;s application is ranked by points" in page
    assert f"Application {pitch.reference} is ranked" not in page


# --- Casework sent twice --------------------------------------------------------------------


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_an_interview_booked_twice_names_the_household(officer):
    application = ActiveApplicationFactory()
    booking = {
        "application": application,
        "starts_at": tomorrow_at(10),
        "place": "Council offices, Room 2",
        "lead_officer": officer,
        "by": officer,
    }
    services.interview_schedule(**booking)
    with pytest.raises(ValidationError) as refused:
        services.interview_schedule(**booking)
    message = refused.value.message_dict["starts_at"][0]
    assert message.startswith(f"{household_name(application.household)} already has an interview")
    assert application.reference not in message.replace(application.household.reference, "")


def test_the_interview_page_sent_twice_names_the_household(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:interview-create", args=[application.pk])
    form = {
        **_date("day", timezone.localdate() + timedelta(days=1)),
        "at": "10:30",
        "place": "Room 4, County Hall",
        "lead_officer": officer.pk,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{household_name(application.household)} already has an interview at" in page
    assert f"{application.reference} already has" not in page


def test_a_site_visit_arranged_twice_names_the_household(officer, team_leader):
    application = ActiveApplicationFactory()
    arrange = {
        "application": application,
        "site": SiteFactory(),
        "starts_at": tomorrow_at(14),
        "officers": [officer, team_leader],
        "by": officer,
    }
    services.site_visit_arrange(**arrange)
    with pytest.raises(ValidationError) as refused:
        services.site_visit_arrange(**arrange)
    assert refused.value.message_dict["starts_at"][0].startswith(
        f"{household_name(application.household)} already has a site visit at"
    )


def test_the_site_visit_page_sent_twice_names_the_household(client, officer, team_leader):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:sitevisit-create", args=[application.pk])
    form = {
        "site": SiteFactory().pk,
        **_date("day", timezone.localdate() + timedelta(days=2)),
        "at": "10:00",
        "first_officer": officer.pk,
        "second_officer": team_leader.pk,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{household_name(application.household)} already has a site visit at" in page
    assert f"{application.reference} already has" not in page


TODAY = date(2026, 12, 3)


def test_a_vulnerability_interview_recorded_twice_names_the_household(officer):
    application = ActiveApplicationFactory()
    interview = {
        "application": application,
        "held_on": date(2026, 12, 2),
        "interviewer": officer,
        "needs_found": "Anxiety after the eviction",
        "risk": "low",
        "outcome": "Referral to tenancy sustainment",
        "by": officer,
    }
    with time_machine.travel(TODAY, tick=False):
        services.vulnerability_interview_record(**interview)
        with pytest.raises(ValidationError) as refused:
            services.vulnerability_interview_record(**interview)
    assert (
        f"is already recorded for {household_name(application.household)}: it is on the "
        "application's page." in refused.value.messages[0]
    )


def test_the_vulnerability_interview_page_sent_twice_names_the_household(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:vulnerability-create", args=[application.pk])
    form = {
        "held_on_0": "2",
        "held_on_1": "12",
        "held_on_2": "2026",
        "interviewer": str(officer.pk),
        "needs_found": "Anxiety after the eviction",
        "risk": "low",
        "outcome": "Referral to tenancy sustainment",
    }
    with time_machine.travel(TODAY, tick=False):
        assert client.post(url, form).status_code == 302
        again = client.post(url, form)
    assert again.status_code == 400
    page = again.content.decode()
    assert f"is already recorded for {household_name(application.household)}" in page
    assert f"recorded for {application.reference}" not in page


def _referral(officer, application):
    return services.referral_make(
        household=application.household,
        application=application,
        agency="social_care",
        reason="Children's needs not met on the roadside",
        basis="lawful_basis",
        basis_detail="Children Act 1989 s.47",
        referred_on=TODAY - timedelta(days=2),
        response_due=TODAY + timedelta(days=12),
        by=officer,
    )


def test_a_referrals_response_in_the_queue_names_the_household(officer):
    application = ActiveApplicationFactory()
    with time_machine.travel(TODAY, tick=False):
        _referral(officer, application)
    item = WorkItem.objects.get(kind="referral_response")
    assert item.title == (
        f"Response due from Social care about {household_name(application.household)}"
    )


def test_the_queue_page_names_the_household_a_referral_response_is_about(client, officer):
    application = ActiveApplicationFactory()
    with time_machine.travel(TODAY, tick=False):
        _referral(officer, application)
        client.force_login(officer)
        page = client.get(reverse("home"), {"show": "all"}).content.decode()
    assert f"about {household_name(application.household)}" in page
    assert f"about {application.household.reference}<" not in page


# --- Checks, withdrawals and nominations ----------------------------------------------------


def test_a_check_asked_twice_names_the_household(officer):
    application = ActiveApplicationFactory()
    landlord = partner("previous_landlord", name="Northshire Homes")
    check = {
        "application": application,
        "partner": landlord,
        "purpose": "Tenancy history for a pitch offer",
        "legal_basis": "ISA clause 4",
        "due_on": timezone.localdate() + timedelta(days=14),
        "by": officer,
    }
    services.check_request(**check)
    with pytest.raises(ValidationError) as refused:
        services.check_request(**check)
    assert refused.value.message_dict["partner"][0].startswith(
        f"Northshire Homes was asked about {household_name(application.household)} for this "
        "purpose on"
    )


def test_the_check_page_sent_twice_names_the_household(client, officer):
    application = ActiveApplicationFactory()
    landlord = partner("previous_landlord", name="Northshire Homes")
    client.force_login(officer)
    url = reverse("allocations:check-create", args=[application.pk])
    form = {
        "partner": landlord.pk,
        "purpose": "Tenancy history for a pitch offer",
        **_date("due_on", timezone.localdate() + timedelta(days=14)),
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"was asked about {household_name(application.household)} for this purpose" in page
    assert f"asked about {application.reference}" not in page


def _nominated(officer):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    nomination = nominations.nomination_next(vacancy=vacancy, by=officer)
    return vacancy, nomination


def test_withdrawing_a_nominated_vacancy_names_the_household(officer):
    vacancy, nomination = _nominated(officer)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_withdraw(vacancy=vacancy, reason="Repairs", by=officer)
    assert refused.value.messages[0].startswith(
        f"{vacancy.reference} is nominated to {household_name(nomination.application.household)} "
        "(sent"
    )


def test_the_withdraw_page_names_the_household_the_vacancy_is_nominated_to(client, officer):
    vacancy, nomination = _nominated(officer)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:vacancy-withdraw", args=[vacancy.pk]), {"reason": "Repairs"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"is nominated to {household_name(nomination.application.household)}" in page
    assert f"nominated to {nomination.application.household.reference} " not in page


def _rejected(officer, staff):
    _vacancy, nomination = _nominated(officer)
    nominations.nomination_reject(
        nomination=nomination,
        reason=Nomination.RejectionReason.AFFORDABILITY,
        detail="Rent would be 60% of income.",
        answered_by="Priya Nair",
        by=staff,
    )
    return nomination


def test_a_providers_rejection_to_review_names_the_household_in_the_queue(officer, provider_staff):
    nomination = _rejected(officer, provider_staff)
    review = WorkItem.objects.get(kind="nomination_review")
    assert review.title == (
        f"Review Northshire Homes's rejection of "
        f"{household_name(nomination.application.household)} for {nomination.vacancy.unit}"
    )


def test_the_queue_page_names_the_household_whose_rejection_is_to_review(
    client, officer, provider_staff
):
    nomination = _rejected(officer, provider_staff)
    client.force_login(officer)
    page = client.get(reverse("home"), {"show": "all"}).content.decode()
    assert f"rejection of {household_name(nomination.application.household)} for" in page
    assert f"rejection of {nomination.application.household.reference} for" not in page


# --- The inbox -------------------------------------------------------------------------------


def _scan_filed_by_a_colleague(officer, application):
    colleague = UserFactory(first_name="Rosie", last_name="Lee")
    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    upload.detected_content_type = "application/pdf"
    (document,) = services.inbox_upload(uploads=[upload], by=officer)
    services.inbox_file(document=document, application=application, kind="identity", by=colleague)
    return document


def test_a_scan_filed_since_names_the_household_it_was_filed_to(officer):
    first, second = ActiveApplicationFactory(), ActiveApplicationFactory()
    document = _scan_filed_by_a_colleague(officer, first)
    with pytest.raises(ValidationError) as refused:
        services.inbox_file(
            document=document, application=second, kind="medical", seen_unfiled=True, by=officer
        )
    assert refused.value.messages[0].startswith(
        f"Rosie Lee filed it to {household_name(first.household)}'s application "
        f"{first.reference} at "
    )


def test_the_inbox_page_names_the_household_a_colleague_filed_the_scan_to(client, officer):
    first, second = ActiveApplicationFactory(), ActiveApplicationFactory()
    document = _scan_filed_by_a_colleague(officer, first)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:inbox-file", args=[document.pk]),
        {"application": str(second.pk), "kind": "medical"},
        follow=True,
    )
    page = response.content.decode()
    assert (
        f"Rosie Lee filed it to {household_name(first.household)}&#x27;s application "
        f"{first.reference} at" in page
    )
    assert f"filed it to {first.reference} ({first.household.reference})" not in page
