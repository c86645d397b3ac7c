"""Joining the register (issue 13): the policy's qualification rules refuse registration with
every reason, a letter and a review right; a team leader who did not refuse decides the review.
The effective date follows the policy's band-rise rule, and policy exceptions date priority
before registration only with a reason and evidence."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Application, Letter, PolicyVersion, RegistrationRefusal, Scheme
from allocations.rules import DEFAULT_CBL_POLICY
from config.kernel.documents import document_render
from projects.models import WorkItem
from residents.selectors import household_name
from tests.allocations.factories import ActiveApplicationFactory, ApplicationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUALIFICATION = [rule["code"] for rule in DEFAULT_CBL_POLICY["qualification"]]


def _cbl_policy() -> PolicyVersion:
    return services.policy_in_force(scheme=Scheme.CBL, on=timezone.localdate())


def _answers(*failing: str) -> dict:
    policy = _cbl_policy().policy
    answers = {item.code: {"met": True} for item in policy.eligibility}
    answers |= {item.code: {"met": False} for item in policy.exclusions}
    answers |= {code: {"met": code not in failing} for code in QUALIFICATION}
    for code in failing:
        answers[code]["note"] = f"Seen: {code}"
    return answers


def _submitted() -> Application:
    return ApplicationFactory(scheme=Scheme.CBL, status=Application.Status.SUBMITTED)


def _refused(officer, *failing: str) -> RegistrationRefusal:
    application = _submitted()
    services.application_validate(application=application, answers=_answers(*failing), by=officer)
    return application.registration_refusals.get()


def _pdf(upload_name: str = "discharge.pdf") -> SimpleUploadedFile:
    upload = SimpleUploadedFile(upload_name, b"%PDF-1.4 papers", content_type="application/pdf")
    upload.detected_content_type = "application/pdf"
    return upload


# --- Refusal, one reason at a time and all at once ------------------------------------------


@pytest.mark.parametrize("code", QUALIFICATION)
def test_each_failed_qualification_rule_refuses_registration_with_its_reason(officer, code):
    refusal = _refused(officer, code)
    application = refusal.application
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    rule = next(r for r in DEFAULT_CBL_POLICY["qualification"] if r["code"] == code)
    assert [r["code"] for r in refusal.failed_rules] == [code]
    assert refusal.reasons == [rule["refusal"]]
    assert refusal.failed_rules[0]["note"] == f"Seen: {code}"
    assert rule["refusal"] in application.status_reason


def test_every_failed_rule_is_recorded_and_the_letter_gives_them_all_and_the_review_right(
    officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    refusal = _refused(officer, "area_connection", "financial_limit")
    assert len(refusal.reasons) == 2
    assert refusal.review_by == refusal.refused_on + timedelta(days=28)
    letter = refusal.application.letters.get()
    assert letter.kind == Letter.Kind.REGISTRATION_REFUSED
    assert letter.context["reasons"] == refusal.reasons
    assert letter.context["review_days"] == 28
    assert document_render(model="allocations.Letter", pk=letter.pk) == "ready"


def test_a_household_that_qualifies_joins_the_register(officer):
    application = _submitted()
    services.application_validate(application=application, answers=_answers(), by=officer)
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    assert not application.registration_refusals.exists()


def test_a_lettings_validation_must_answer_every_qualification_rule(officer):
    answers = _answers()
    del answers["financial_limit"]
    with pytest.raises(ValidationError, match="Income and savings"):
        services.application_validate(application=_submitted(), answers=answers, by=officer)


def test_meeting_no_band_criterion_refuses_registration_not_the_lowest_band(officer):
    application = ActiveApplicationFactory(scheme=Scheme.CBL, band=3)
    assessment = services.application_assess(application=application, criteria=[], by=officer)
    application.refresh_from_db()
    assert assessment.band is None and application.band is None
    assert application.status == Application.Status.REFUSED
    refusal = application.registration_refusals.get()
    assert [rule["code"] for rule in refusal.failed_rules] == ["housing_need"]
    assert application.letters.get().kind == Letter.Kind.REGISTRATION_REFUSED


def test_a_refusal_is_not_made_or_undone_through_a_bare_status_change(officer):
    refusal = _refused(officer, "not_recently_housed")
    with pytest.raises(ValidationError, match="only by a review"):
        services.application_transition(
            application=refusal.application, to="active", reason="Looks fine", by=officer
        )
    with pytest.raises(ValidationError, match="qualification rules"):
        services.application_transition(
            application=ActiveApplicationFactory(scheme=Scheme.CBL),
            to="refused",
            reason="No",
            by=officer,
        )


# --- The review ----------------------------------------------------------------------------


def test_a_refused_registration_is_not_admitted_by_validating_it_again(officer):
    refusal = _refused(officer, "area_connection")
    application = refusal.application
    with pytest.raises(ValidationError, match="only by a review decision"):
        services.application_validate(application=application, answers=_answers(), by=officer)
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    assert application.validations.count() == 1


def test_an_application_a_colleague_validated_is_not_validated_again_through_the_page(
    client, officer
):
    application = _submitted()
    colleague = UserFactory(first_name="Rosie", last_name="Lee")
    client.force_login(officer)
    url = reverse("allocations:application-validate", args=[application.pk])
    assert client.get(url).status_code == 200
    services.application_validate(application=application, answers=_answers(), by=colleague)
    checklist = {
        f"{code}__met": "yes" if answer["met"] else "no"
        for code, answer in _answers("financial_limit").items()
    }
    response = client.post(url, checklist, follow=True)
    page = response.content.decode()
    named = f"{household_name(application.household)}&#x27;s application {application.reference}"
    assert f"{named} is active: only a submitted application is validated" in page
    assert "Rosie Lee validated it" in page
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    assert not application.registration_refusals.exists()
    assert not application.letters.exists()


def test_a_review_request_goes_to_the_team_leaders_queue(officer):
    refusal = _refused(officer, "area_connection")
    services.registration_review_request(
        refusal=refusal,
        requested_on=timezone.localdate(),
        grounds="I work in Folkestone",
        by=officer,
    )
    item = WorkItem.objects.get(kind="registration_review", status=WorkItem.Status.OPEN)
    assert item.assigned_role.name == "team_leader"


def test_a_late_review_request_needs_a_reason(officer):
    refusal = _refused(officer, "area_connection")
    refusal.review_by = timezone.localdate() - timedelta(days=1)
    refusal.save()
    with pytest.raises(ValidationError) as error:
        services.registration_review_request(
            refusal=refusal, requested_on=timezone.localdate(), grounds="Away", by=officer
        )
    assert "late_reason" in error.value.message_dict
    services.registration_review_request(
        refusal=refusal,
        requested_on=timezone.localdate(),
        grounds="Away",
        late_reason="In hospital for the whole period",
        by=officer,
    )


def test_the_team_leader_who_refused_cannot_decide_the_review(team_leader):
    refusal = _refused(team_leader, "area_connection")
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="Mistake", by=team_leader
    )
    with pytest.raises(ValidationError, match="another team leader"):
        services.registration_review_decide(
            refusal=refusal, overturn=True, reasons="Own decision", by=team_leader
        )


def test_an_officer_cannot_decide_a_review(officer):
    from django.core.exceptions import PermissionDenied

    refusal = _refused(officer, "area_connection")
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="Mistake", by=officer
    )
    with pytest.raises(PermissionDenied):
        services.registration_review_decide(
            refusal=refusal, overturn=True, reasons="Fine", by=UserFactory(roles=["officer"])
        )


def test_a_review_another_team_leader_decided_meanwhile_is_not_decided_again(
    client, officer, team_leader
):
    refusal = _refused(officer, "area_connection")
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="I work there", by=officer
    )
    colleague = UserFactory(first_name="Rosie", last_name="Lee", roles=["team_leader"])
    client.force_login(team_leader)
    url = reverse("allocations:registration-review-decide", args=[refusal.pk])
    assert client.get(url).status_code == 200
    services.registration_review_decide(
        refusal=refusal, overturn=False, reasons="No connection evidenced", by=colleague
    )
    response = client.post(url, {"outcome": "overturned", "reasons": "Works in the parish"})
    assert response.status_code == 400
    assert "Rosie Lee already decided this review on" in response.content.decode()
    assert "upheld the refusal: your decision was not recorded" in response.content.decode()
    refusal.refresh_from_db()
    assert (refusal.review, refusal.reviewed_by) == (RegistrationRefusal.Review.UPHELD, colleague)
    assert refusal.application.letters.filter(kind=Letter.Kind.REGISTRATION_REVIEW).count() == 1


def test_an_overturned_review_admits_the_household_and_tells_it_why(officer, team_leader):
    refusal = _refused(officer, "area_connection")
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="I work there", by=officer
    )
    services.registration_review_decide(
        refusal=refusal, overturn=True, reasons="Payslips show work in the area", by=team_leader
    )
    refusal.refresh_from_db()
    application = refusal.application
    application.refresh_from_db()
    assert refusal.review == RegistrationRefusal.Review.OVERTURNED
    assert application.status == Application.Status.ACTIVE
    letter = application.letters.get(kind=Letter.Kind.REGISTRATION_REVIEW)
    assert letter.context["overturned"] is True
    assert letter.context["review_reasons"] == "Payslips show work in the area"
    assert not WorkItem.objects.filter(
        kind="registration_review", status=WorkItem.Status.OPEN
    ).exists()


def test_an_upheld_review_keeps_the_refusal_and_tells_the_household(officer, team_leader):
    refusal = _refused(officer, "financial_limit")
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="Savings spent", by=officer
    )
    services.registration_review_decide(
        refusal=refusal, overturn=False, reasons="Bank statements show savings", by=team_leader
    )
    refusal.application.refresh_from_db()
    assert refusal.application.status == Application.Status.REFUSED
    letter = refusal.application.letters.get(kind=Letter.Kind.REGISTRATION_REVIEW)
    assert letter.context["overturned"] is False


# --- Pages ---------------------------------------------------------------------------------


def test_the_refusal_shows_on_the_application_page_with_its_reasons(client, officer):
    refusal = _refused(officer, "no_deliberate_worsening", "area_connection")
    client.force_login(officer)
    page = client.get(refusal.application.get_absolute_url()).content.decode()
    assert "Refused registration" in page
    for reason in refusal.reasons:
        assert reason.replace("'", "&#x27;") in page
    assert reverse("allocations:registration-review-request", args=[refusal.pk]) in page


def test_the_review_is_asked_for_and_decided_through_the_pages(client, officer, team_leader):
    refusal = _refused(officer, "area_connection")
    today = timezone.localdate()
    client.force_login(officer)
    url = reverse("allocations:registration-review-request", args=[refusal.pk])
    response = client.post(url, {"grounds": ""})
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "requested_on_0": today.day,
            "requested_on_1": today.month,
            "requested_on_2": today.year,
            "grounds": "My daughter lives in Cheriton",
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("allocations:registration-reviews")).content.decode()
    assert refusal.application.reference in listing
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:registration-review-decide", args=[refusal.pk]),
        {"outcome": "overturned", "reasons": "Family connection evidenced"},
    )
    assert response.status_code == 302
    refusal.refresh_from_db()
    assert refusal.review == RegistrationRefusal.Review.OVERTURNED
    listing = client.get(reverse("allocations:registration-reviews")).content.decode()
    assert refusal.application.reference not in listing


# --- Effective date rules ------------------------------------------------------------------


def _policy_moving_dates(officer, moves: bool) -> None:
    rules = {
        **DEFAULT_CBL_POLICY,
        "effective_date_rules": {
            **DEFAULT_CBL_POLICY["effective_date_rules"],
            "band_rise_moves_date": moves,
        },
    }
    services.policy_publish(
        scheme=Scheme.CBL,
        name="Band rise rule",
        policy_rules=rules,
        effective_from=timezone.localdate(),
        summary_of_changes="Band rises",
        by=officer,
    )


def _banded(officer) -> Application:
    application = ActiveApplicationFactory(scheme=Scheme.CBL)
    services.application_assess(
        application=application,
        criteria=[{"code": "lacking_or_sharing_facilities", "evidence": "Shared kitchen"}],
        by=officer,
    )
    application.refresh_from_db()
    assert application.band == 4
    return application


def _rise(application, officer) -> Application:
    services.application_assess(
        application=application,
        criteria=[{"code": "urgent_medical_welfare", "evidence": "GP letter"}],
        by=officer,
    )
    application.refresh_from_db()
    return application


def test_a_band_rise_moves_the_effective_date_when_the_policy_says_so(officer, administrator):
    _policy_moving_dates(administrator, moves=True)
    application = _rise(_banded(officer), officer)
    assert application.band == 1
    assert application.effective_date == timezone.localdate()
    assert "dates priority from a band rise" in application.effective_date_words


def test_a_band_rise_keeps_the_effective_date_when_the_policy_says_so(officer, administrator):
    _policy_moving_dates(administrator, moves=False)
    application = _banded(officer)
    before = application.effective_date
    application = _rise(application, officer)
    assert application.band == 1 and application.effective_date == before
    assert "keeps the date" in application.effective_date_words


def test_the_application_page_says_why_the_effective_date_is_what_it_is(
    client, officer, administrator
):
    _policy_moving_dates(administrator, moves=True)
    application = _rise(_banded(officer), officer)
    client.force_login(officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "dates priority from a band rise" in page


def test_an_armed_forces_exception_dates_priority_before_registration_with_evidence(
    officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = ActiveApplicationFactory(scheme=Scheme.CBL, registration_date=date(2025, 6, 1))
    evidence = services.evidence_attach(
        application=application,
        kind="other",
        description="Discharge papers",
        upload=_pdf(),
        by=officer,
    )
    services.effective_date_backdate(
        application=application,
        group="armed_forces",
        effective_date=date(2025, 1, 10),
        reason="Discharged on 10 January 2025",
        evidence=evidence,
        by=officer,
    )
    application.refresh_from_db()
    assert application.effective_date == date(2025, 1, 10)
    assert application.effective_date_evidence == evidence
    assert "armed forces" in application.effective_date_words
    assert "Discharge papers" in application.effective_date_words


def test_backdating_without_evidence_or_reason_is_refused_with_every_problem(officer):
    application = ActiveApplicationFactory(scheme=Scheme.CBL, registration_date=date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.effective_date_backdate(
            application=application,
            group="armed_forces",
            effective_date=date(2025, 1, 10),
            reason="",
            evidence=None,
            by=officer,
        )
    assert set(error.value.message_dict) == {"reason", "evidence"}
    application.refresh_from_db()
    assert application.effective_date == date(2025, 6, 1)


def test_backdating_for_a_group_the_policy_does_not_name_is_refused(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = ActiveApplicationFactory(scheme=Scheme.CBL, registration_date=date(2025, 6, 1))
    evidence = services.evidence_attach(
        application=application, kind="other", description="Letter", upload=_pdf(), by=officer
    )
    with pytest.raises(ValidationError) as error:
        services.effective_date_backdate(
            application=application,
            group="lottery_winners",
            effective_date=date(2025, 1, 10),
            reason="Said so",
            evidence=evidence,
            by=officer,
        )
    assert "group" in error.value.message_dict


def test_the_backdating_page_keeps_what_was_typed_when_evidence_is_missing(client, officer):
    application = ActiveApplicationFactory(scheme=Scheme.CBL, registration_date=date(2025, 6, 1))
    client.force_login(officer)
    response = client.post(
        reverse("allocations:effective-date-backdate", args=[application.pk]),
        {
            "group": "armed_forces",
            "effective_date_0": "10",
            "effective_date_1": "1",
            "effective_date_2": "2025",
            "reason": "Discharged in January",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Discharged in January" in page
    assert "Choose the evidence document" in page


def test_a_household_admitted_on_review_without_a_band_is_in_the_officers_queue_to_assess(
    officer, team_leader
):
    """Overturning a refusal for no housing need (or one made before any assessment) admits a
    household with no band: it could not be ranked, so assessing it is work an officer must
    chase, done when the band is assessed."""
    application = ActiveApplicationFactory(scheme=Scheme.CBL)
    services.application_assess(application=application, criteria=[], by=officer)
    refusal = application.registration_refusals.get()
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="We share a kitchen", by=officer
    )
    services.registration_review_decide(
        refusal=refusal, overturn=True, reasons="The kitchen is shared", by=team_leader
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE and application.band is None
    (item,) = WorkItem.objects.filter(kind="band_assessment", status=WorkItem.Status.OPEN)
    assert item.about == application
    assert item.assigned_role.name == "officer"
    assert item.title.startswith("Assess the band of ")

    services.application_assess(
        application=application,
        criteria=[{"code": "lacking_or_sharing_facilities", "evidence": "Shared kitchen"}],
        by=officer,
    )
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE


def test_a_household_refused_before_any_assessment_and_admitted_on_review_is_to_assess(
    officer, team_leader
):
    refusal = _refused(officer, "area_connection")
    application = refusal.application
    services.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="I work there", by=officer
    )
    services.registration_review_decide(
        refusal=refusal, overturn=True, reasons="Payslips show work there", by=team_leader
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    # Refused at validation, never assessed: it has no band yet either, so the work is there.
    assert application.band is None
    assert WorkItem.objects.filter(
        kind="band_assessment", object_id=application.pk, status=WorkItem.Status.OPEN
    ).exists()
    # Withdrawn before it is assessed: nothing is left to assess.
    services.application_transition(
        application=application, to=Application.Status.WITHDRAWN, reason="Moved away", by=officer
    )
    assert not WorkItem.objects.filter(kind="band_assessment", status=WorkItem.Status.OPEN).exists()


@pytest.mark.parametrize("variant", ["standard", "easy_read", "large_print"])
def test_an_upheld_review_letter_says_where_the_household_can_go_next(
    officer, team_leader, variant
):
    from allocations.documents import letter_merge_context, wording_page_context
    from allocations.selectors.wordings import wording_current

    wording = wording_current(kind=Letter.Kind.REGISTRATION_REVIEW, variant=variant)
    words = {}
    for overturn in (False, True):
        refusal = _refused(officer, "financial_limit")
        services.registration_review_request(
            refusal=refusal, requested_on=timezone.localdate(), grounds="Savings", by=officer
        )
        services.registration_review_decide(
            refusal=refusal, overturn=overturn, reasons="Bank statements", by=team_leader
        )
        letter = refusal.application.letters.get(kind=Letter.Kind.REGISTRATION_REVIEW)
        words[overturn] = wording_page_context(wording, letter_merge_context(letter))[
            "wording_html"
        ]
    assert "Ombudsman (www.lgo.org.uk)" in words[False]
    assert "Ombudsman" not in words[True]
