"""Recording what CORE needs: a let's CORE answers, a vacancy's needs and rent type, an
application's reasonable preference; through the services and the pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import CoreLetAnswers, CorePersonAnswers
from allocations.services import core as core_services
from residents.models import SpecialCategoryView
from tests.allocations.casework import answers_as_records, checks_back, frozen_vacancy, in_a_week
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(officer):
    _vacancy, entries = frozen_vacancy(officer, 50)
    checks_back(entries[0].application, officer)
    offer = services.offer_make(entry=entries[0], respond_by=in_a_week(), by=officer)
    offer = services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    return services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top of the list", by=officer
    )


def test_core_answers_are_recorded_with_who_and_why_and_each_persons(decision, officer):
    person = PersonFactory(household=decision.offer.application.household, relationship="child")
    answers = core_services.core_answers_record(
        decision=decision,
        by=officer,
        reason="Asked at sign-up",
        people={person.pk: {"working_situation": 1, "gender_same_as_sex": 1}},
        privacy_notice_seen=True,
        nationality=826,
        illness=1,
        condition_effects=["mobility"],
    )
    record = answers.history.get()
    assert record.history_user == officer and record.history_change_reason == "Asked at sign-up"
    assert CorePersonAnswers.objects.get(answers=answers, person=person).working_situation == 1
    # Recorded again: the one record is corrected, not duplicated.
    core_services.core_answers_record(
        decision=decision, by=officer, reason="Corrected", nationality=372
    )
    assert CoreLetAnswers.objects.get(decision=decision).nationality == 372


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"armed_forces": 1}, "still_serving", "still serving"),
        ({"illness": 2, "condition_effects": ["vision"]}, "condition_effects", "only when"),
        ({"illness": 1}, "condition_effects", "how the condition affects"),
        ({"leaving_reason": 20}, "leaving_reason_other", "other reason"),
        ({"income_known": 1}, "income", "income after tax"),
        ({"rent_shortfall": 2, "shortfall": 3}, "shortfall", "clear it"),
    ],
)
def test_answers_that_contradict_each_other_are_refused(decision, officer, fields, field, message):
    with pytest.raises(ValidationError) as error:
        core_services.core_answers_record(decision=decision, by=officer, reason="x", **fields)
    assert message in " ".join(error.value.message_dict[field]).lower()
    assert not CoreLetAnswers.objects.exists()


def test_reasonable_preference_needs_grounds_and_only_with_yes(decision, officer):
    application = decision.offer.application
    with pytest.raises(ValidationError, match="Select the grounds"):
        core_services.application_preference_record(
            application=application, reasonable_preference="yes", grounds=[], by=officer, reason="x"
        )
    with pytest.raises(ValidationError, match="only when the household had"):
        core_services.application_preference_record(
            application=application,
            reasonable_preference="no",
            grounds=["homeless"],
            by=officer,
            reason="x",
        )
    with pytest.raises(ValidationError, match="Don't know"):
        core_services.application_preference_record(
            application=application,
            reasonable_preference="yes",
            grounds=["homeless", "dont_know"],
            by=officer,
            reason="x",
        )
    core_services.application_preference_record(
        application=application,
        reasonable_preference="yes",
        grounds=["homeless"],
        by=officer,
        reason="Homeless duty accepted",
    )
    application.refresh_from_db()
    assert application.reasonable_preference_grounds == ["homeless"]


def test_the_core_answers_page_saves_and_logs_the_health_answers_shown(client, decision, officer):
    client.force_login(officer)
    url = reverse("allocations:core-answers", args=[decision.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "privacy_notice_seen": "on",
            "via_cbl": "yes",
            "referral": "register",
            "illness": "1",
            "condition_effects": ["hearing"],
            "nationality": "826",
            "reason": "Asked at sign-up",
        },
    )
    assert response.status_code == 302
    answers = CoreLetAnswers.objects.get(decision=decision)
    assert answers.via_cbl is True and answers.condition_effects == ["hearing"]
    before = SpecialCategoryView.objects.count()
    assert client.get(url).status_code == 200
    shown = SpecialCategoryView.objects.order_by("-pk").first()
    assert SpecialCategoryView.objects.count() > before
    assert shown.where == "CORE answers" and "illness" in shown.fields


def test_a_refused_core_answers_form_keeps_what_was_typed(client, decision, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:core-answers", args=[decision.pk]),
        {
            "privacy_notice_seen": "on",
            "leaving_reason": "20",
            "previous_postcode": "CT20 1JR",
            "reason": "Sign-up",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Say what the other reason for leaving was" in body
    assert 'value="CT20 1JR"' in body
    assert not CoreLetAnswers.objects.exists()


def test_a_vacancys_needs_and_rent_type_are_recorded_through_its_page(client, decision, officer):
    vacancy = decision.offer.vacancy
    client.force_login(officer)
    url = reverse("allocations:vacancy-core", args=[vacancy.pk])
    refused = client.post(url, {"reason": "CORE"})
    assert refused.status_code == 400 and "Select the rent it is let at" in refused.content.decode()
    response = client.post(
        url, {"needs_type": "general", "rent_type": "affordable", "reason": "For CORE"}
    )
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert (vacancy.needs_type, vacancy.rent_type) == ("general", "affordable")
    assert vacancy.history.first().history_change_reason == "For CORE"


def test_an_injury_from_serving_is_withheld_from_the_change_log_even_from_an_auditor(
    client, decision, officer, auditor
):
    served = {"armed_forces": 1, "still_serving": 4}
    core_services.core_answers_record(
        decision=decision, by=officer, reason="Asked at sign-up", injured_in_service=2, **served
    )
    core_services.core_answers_record(
        decision=decision, by=officer, reason="Corrected", injured_in_service=1, **served
    )
    assert CoreLetAnswers.objects.get(decision=decision).injured_in_service == 1
    client.force_login(auditor)
    response = client.get(reverse("change-log-csv"), {"record_type": "allocations.coreletanswers"})
    body = b"".join(response.streaming_content).decode()
    injured = [line for line in body.splitlines() if "injured or ill" in line]
    assert injured and all("withheld" in line.lower() for line in injured)
