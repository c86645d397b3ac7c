"""Choice-based lettings (Housing Act 1996 s.166A(9)(b),(c)): a household assessed is told its
band, effective date and bedroom need with the reasons, and its right to a review by a date;
a team leader who did not assess decides the review, and a changed band follows the policy's
effective-date rule."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import selectors, services
from allocations.documents import letter_merge_context, wording_page_context
from allocations.models import Application, Assessment, BandReview, Letter, Scheme
from allocations.rules import DEFAULT_CBL_POLICY
from allocations.selectors.wordings import wording_current
from config.kernel.dates import letter_date
from config.kernel.documents import document_render
from projects.models import WorkItem
from residents.models import Person
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _assessed(by, code: str = "lacking_or_sharing_facilities") -> Assessment:
    application = ActiveApplicationFactory(scheme=Scheme.CBL)
    return services.application_assess(
        application=application, criteria=[{"code": code, "evidence": "Seen at visit"}], by=by
    )


def _requested(assessment: Assessment, by, **fields) -> BandReview:
    return services.band_review_request(
        assessment=assessment,
        requested_on=fields.pop("requested_on", timezone.localdate()),
        grounds=fields.pop("grounds", "We share a kitchen and a bathroom with two families"),
        by=by,
        **fields,
    )


def _letter_words(letter: Letter, variant: str = "standard") -> str:
    wording = wording_current(kind=letter.kind, variant=variant)
    return wording_page_context(wording, letter_merge_context(letter))["wording_html"]


# --- The assessment decision letter --------------------------------------------------------


def test_assessing_a_household_asks_for_a_letter_with_its_band_date_bedrooms_and_review_right(
    officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assessment = _assessed(officer)
    application = assessment.application
    application.refresh_from_db()
    letter = application.letters.get()
    assert letter.kind == Letter.Kind.ASSESSMENT_DECISION
    lead = application.household.people.get(relationship=Person.Relationship.LEAD)
    review_by = timezone.localdate() + timedelta(days=28)
    context = letter.context
    assert context["lead_name"] == f"{lead.first_name} {lead.last_name}"
    assert context["band"] == 4 and context["points"] is None
    assert context["band_meaning"].startswith("Band 1 is the highest priority and band 4 the")
    assert context["reasons"] == ["Band 4: Lacking or sharing facilities"]
    assert context["effective_date"] == letter_date(application.effective_date)
    assert context["effective_date_reason"] == "The registration date"
    assert context["bedroom_need"] == application.bedroom_need == assessment.bedroom_need
    assert context["bedroom_reasons"] == assessment.bedroom_reasons != []
    assert context["review_by"] == letter_date(review_by)
    assert context["review_days"] == 28
    words = _letter_words(letter)
    assert "band 4</strong>" in words
    assert f"Please ask by {letter_date(review_by)} (28 days" in words
    assert "section 166A(9)" in words
    assert assessment.bedroom_reasons[0] in words
    assert document_render(model="allocations.Letter", pk=letter.pk) == "ready"


@pytest.mark.parametrize("variant", ["easy_read", "large_print"])
def test_the_assessment_letter_in_other_formats_gives_the_band_and_the_review_date(
    officer, variant
):
    letter = _assessed(officer).application.letters.get()
    words = _letter_words(letter, variant)
    assert "band 4" in words and letter.context["review_by"] in words


def test_a_pitch_assessment_asks_for_no_assessment_letter(officer):
    application = ActiveApplicationFactory(scheme=Scheme.PITCH)
    services.application_assess(
        application=application,
        criteria=[{"code": "local_connection", "evidence": "Born in the area"}],
        by=officer,
    )
    assert not application.letters.exists()


# --- Asking for a review -------------------------------------------------------------------


def test_a_review_request_goes_to_the_team_leaders_queue_naming_the_household(officer):
    assessment = _assessed(officer)
    review = _requested(assessment, officer)
    assert review.review_by == timezone.localdate() + timedelta(days=28)
    assert review.assessed_by == officer and review.recorded_by == officer
    item = WorkItem.objects.get(kind="band_review", status=WorkItem.Status.OPEN)
    assert item.assigned_role.name == "team_leader"
    lead = assessment.application.household.people.get(relationship=Person.Relationship.LEAD)
    assert str(lead) in item.title
    assert item.due_on == timezone.localdate() + timedelta(days=28)
    assert review.history.first().history_change_reason == "Review of the band assessment asked for"


def test_a_late_review_request_needs_a_reason(officer):
    assessment = _assessed(officer)
    Assessment.objects.filter(pk=assessment.pk).update(
        assessed_at=timezone.now() - timedelta(days=40)
    )
    with pytest.raises(ValidationError) as error:
        _requested(assessment, officer)
    assert "review period ended on" in error.value.message_dict["late_reason"][0]
    review = _requested(assessment, officer, late_reason="In hospital for the whole period")
    assert review.late_reason == "In hospital for the whole period"


def test_a_review_request_needs_what_the_household_said_and_a_date_not_in_the_future(officer):
    with pytest.raises(ValidationError) as error:
        _requested(
            _assessed(officer),
            officer,
            grounds=" ",
            requested_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"grounds", "requested_on"}


def test_only_one_review_of_an_assessment_is_asked_for(officer):
    assessment = _assessed(officer)
    _requested(assessment, officer)
    with pytest.raises(ValidationError, match="already been asked for"):
        _requested(assessment, officer)


# --- Deciding it ---------------------------------------------------------------------------


def test_the_team_leader_who_assessed_cannot_decide_the_review(team_leader):
    review = _requested(_assessed(team_leader), team_leader)
    with pytest.raises(ValidationError, match="another team leader"):
        services.band_review_decide(
            review=review, change=False, reasons="My own decision", by=team_leader
        )
    review.refresh_from_db()
    assert review.review_awaited


def test_an_officer_cannot_decide_a_review(officer):
    review = _requested(_assessed(officer), officer)
    with pytest.raises(PermissionDenied):
        services.band_review_decide(
            review=review, change=False, reasons="Fine", by=UserFactory(roles=["officer"])
        )


def test_an_upheld_review_keeps_the_band_and_tells_the_household_why(officer, team_leader):
    review = _requested(_assessed(officer), officer)
    services.band_review_decide(
        review=review, change=False, reasons="The kitchen is not shared", by=team_leader
    )
    review.refresh_from_db()
    application = review.application
    application.refresh_from_db()
    assert review.outcome == BandReview.Outcome.UPHELD and review.reviewed_by == team_leader
    assert application.band == 4 == review.band_before == review.band_after
    letter = application.letters.get(kind=Letter.Kind.BAND_REVIEW)
    assert letter.context["changed"] is False
    assert letter.context["review_reasons"] == "The kitchen is not shared"
    assert letter.context["band"] == 4
    words = _letter_words(letter)
    assert "we have not changed our decision" in words
    assert "The kitchen is not shared" in words and "Ombudsman" in words
    assert not WorkItem.objects.filter(kind="band_review", status=WorkItem.Status.OPEN).exists()


def _policy_moving_dates(administrator, moves: bool) -> None:
    services.policy_publish(
        scheme=Scheme.CBL,
        name="Band rise rule",
        policy_rules={
            **DEFAULT_CBL_POLICY,
            "effective_date_rules": {
                **DEFAULT_CBL_POLICY["effective_date_rules"],
                "band_rise_moves_date": moves,
            },
        },
        effective_from=timezone.localdate(),
        summary_of_changes="Band rises",
        by=administrator,
    )


def test_a_band_changed_on_review_follows_the_effective_date_rule(
    officer, team_leader, administrator
):
    _policy_moving_dates(administrator, moves=True)
    review = _requested(_assessed(officer), officer)
    services.band_review_decide(
        review=review, change=True, band=2, reasons="Social-care priority shown", by=team_leader
    )
    application = Application.objects.get(pk=review.application_id)
    assert application.band == 2
    assert application.effective_date == timezone.localdate()
    assert "dates priority from a band rise" in application.effective_date_words
    review.refresh_from_db()
    assert (review.outcome, review.band_before, review.band_after) == (
        BandReview.Outcome.CHANGED,
        4,
        2,
    )
    letter = application.letters.get(kind=Letter.Kind.BAND_REVIEW)
    assert letter.context["changed"] is True
    assert letter.context["band"] == 2
    assert letter.context["effective_date"] == letter_date(timezone.localdate())
    assert "we have changed our decision" in _letter_words(letter)


def test_a_band_raised_on_review_keeps_the_date_when_the_policy_says_so(
    officer, team_leader, administrator
):
    _policy_moving_dates(administrator, moves=False)
    review = _requested(_assessed(officer), officer)
    before = Application.objects.get(pk=review.application_id).effective_date
    services.band_review_decide(
        review=review, change=True, band=1, reasons="Urgent need", by=team_leader
    )
    application = Application.objects.get(pk=review.application_id)
    assert (application.band, application.effective_date) == (1, before)
    assert "keeps the date" in application.effective_date_words


def test_a_bedroom_need_changed_on_review_is_applied(officer, team_leader):
    review = _requested(_assessed(officer), officer)
    application = Application.objects.get(pk=review.application_id)
    services.band_review_decide(
        review=review,
        change=True,
        bedroom_need=application.bedroom_need + 1,
        reasons="The son lives with them",
        by=team_leader,
    )
    changed = Application.objects.get(pk=review.application_id)
    assert changed.bedroom_need == application.bedroom_need + 1
    assert changed.band == 4
    letter = changed.letters.get(kind=Letter.Kind.BAND_REVIEW)
    assert letter.context["bedroom_need"] == application.bedroom_need + 1


def test_a_change_that_changes_nothing_or_leaves_the_bands_is_refused(officer, team_leader):
    review = _requested(_assessed(officer), officer)
    with pytest.raises(ValidationError, match="different from what the application has now"):
        services.band_review_decide(
            review=review, change=True, band=4, reasons="Same", by=team_leader
        )
    with pytest.raises(ValidationError) as error:
        services.band_review_decide(
            review=review, change=True, band=7, reasons="Seven", by=team_leader
        )
    assert error.value.message_dict["band"] == ["Give a band from 1 to 4"]
    review.refresh_from_db()
    assert review.review_awaited
    assert not review.application.letters.filter(kind=Letter.Kind.BAND_REVIEW).exists()


def test_a_review_decided_meanwhile_is_not_decided_again(officer, team_leader):
    review = _requested(_assessed(officer), officer)
    colleague = UserFactory(first_name="Rosie", last_name="Lee", roles=["team_leader"])
    services.band_review_decide(review=review, change=False, reasons="Right", by=colleague)
    with pytest.raises(ValidationError, match="Rosie Lee already decided this review"):
        services.band_review_decide(
            review=review, change=True, band=1, reasons="Wrong", by=team_leader
        )


def test_a_review_of_a_replaced_assessment_cannot_change_it(officer, team_leader):
    assessment = _assessed(officer)
    review = _requested(assessment, officer)
    services.application_assess(
        application=assessment.application,
        criteria=[{"code": "serious_overcrowding", "evidence": "Visit"}],
        by=officer,
    )
    with pytest.raises(ValidationError, match="replaced by a newer one"):
        services.band_review_decide(
            review=review, change=True, band=1, reasons="Urgent", by=team_leader
        )


def test_a_submitted_application_assessed_before_validation_may_ask_for_a_review(officer):
    application = ActiveApplicationFactory(scheme=Scheme.CBL, status=Application.Status.SUBMITTED)
    assessment = services.application_assess(
        application=application,
        criteria=[{"code": "serious_overcrowding", "evidence": "Seen at visit"}],
        by=officer,
    )
    assert application.letters.get().kind == Letter.Kind.ASSESSMENT_DECISION
    assert _requested(assessment, officer).review_awaited
    assert selectors.band_reviews_awaited().get().application == application


def test_a_withdrawn_application_leaves_no_review_to_decide(officer, team_leader):
    review = _requested(_assessed(officer), officer)
    services.application_transition(
        application=review.application,
        to=Application.Status.WITHDRAWN,
        reason="Moved away",
        by=officer,
    )
    assert not WorkItem.objects.filter(kind="band_review", status=WorkItem.Status.OPEN).exists()
    assert not selectors.band_reviews_awaited().exists()
    with pytest.raises(ValidationError, match="the review is not decided"):
        services.band_review_decide(review=review, change=False, reasons="Right", by=team_leader)


# --- Pages ---------------------------------------------------------------------------------


def test_the_review_is_asked_for_and_decided_through_the_pages(client, officer, team_leader):
    assessment = _assessed(officer)
    application = assessment.application
    today = timezone.localdate()
    client.force_login(officer)
    page = client.get(application.get_absolute_url()).content.decode()
    url = reverse("allocations:band-review-request", args=[assessment.pk])
    assert url in page
    response = client.post(url, {"grounds": "We share a bathroom"})
    assert response.status_code == 400
    assert "We share a bathroom" in response.content.decode()  # what was typed is kept
    response = client.post(
        url,
        {
            "requested_on_0": today.day,
            "requested_on_1": today.month,
            "requested_on_2": today.year,
            "grounds": "We share a bathroom",
        },
    )
    assert response.status_code == 302
    review = BandReview.objects.get(assessment=assessment)
    listing = client.get(reverse("allocations:band-reviews")).content.decode()
    assert application.reference in listing
    assert url not in client.get(application.get_absolute_url()).content.decode()
    client.force_login(team_leader)
    decide = reverse("allocations:band-review-decide", args=[review.pk])
    assert decide in client.get(application.get_absolute_url()).content.decode()
    response = client.post(decide, {"outcome": "changed", "reasons": "Shared bathroom seen"})
    assert response.status_code == 400
    assert "Enter the new priority or bedroom need" in response.content.decode()
    assert "Shared bathroom seen" in response.content.decode()
    response = client.post(decide, {"outcome": "changed", "band": "9", "reasons": "Shared"})
    assert response.status_code == 400
    assert "Give a band from 1 to 4" in response.content.decode()
    response = client.post(decide, {"outcome": "changed", "band": "3", "reasons": "Shared"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.outcome == BandReview.Outcome.CHANGED and review.band_after == 3
    listing = client.get(reverse("allocations:band-reviews")).content.decode()
    assert application.reference not in listing


def test_the_assessor_is_told_on_the_page_that_another_team_leader_must_decide(client, team_leader):
    review = _requested(_assessed(team_leader), team_leader)
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:band-review-decide", args=[review.pk]),
        {"outcome": "upheld", "reasons": "Right first time"},
    )
    assert response.status_code == 400
    assert "another team leader must review it" in response.content.decode()


def test_an_officer_may_not_open_the_decision_page(client, officer):
    review = _requested(_assessed(officer), officer)
    client.force_login(officer)
    url = reverse("allocations:band-review-decide", args=[review.pk])
    assert client.get(url).status_code == 403
