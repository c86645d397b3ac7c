"""Decisions that hold up to review: bypasses agreed by a team leader, undone or reset, and
checklist answers that contradict the records."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from allocations import selectors, services
from allocations.models import AllocationDecision, PolicyVersion, ShortlistEntry
from projects.models import WorkItem
from projects.work import source_key
from tests.allocations.casework import (
    answers_as_records,
    checks_back,
    frozen_vacancy,
    in_a_week,
    partner,
    tomorrow_at,
)
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_officers_bypass_waits_for_a_team_leaders_agreement(officer, team_leader):
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    checks_back(second.application, officer)
    services.shortlist_bypass(entry=first, reason="Pitch too small", by=officer)
    first.refresh_from_db()
    assert first.bypass_status == ShortlistEntry.Bypass.REQUESTED
    # Still next in line: the officer alone cannot pass them over.
    assert services.next_in_order(vacancy) == first
    with pytest.raises(ValidationError, match="waiting for a team leader's agreement"):
        services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    work = WorkItem.objects.get(source_key=source_key("bypass_agreement", first.pk))
    assert work.assigned_role.name == "team_leader" and work.status == WorkItem.Status.OPEN
    services.shortlist_bypass_decide(entry=first, agree=True, comments="Agreed", by=team_leader)
    first.refresh_from_db()
    work.refresh_from_db()
    assert first.is_bypassed and first.bypass_agreed_by == team_leader
    assert work.status == WorkItem.Status.DONE
    assert services.next_in_order(vacancy) == second
    reasons = list(first.history.values_list("history_change_reason", flat=True))
    assert "Bypass agreed: Agreed" in reasons and "Bypass asked for: Pitch too small" in reasons


def test_a_team_leader_refuses_a_bypass_with_a_reason_and_the_applicant_is_next_again(
    officer, team_leader
):
    vacancy, (first, _second) = frozen_vacancy(officer, 90, 10)
    services.shortlist_bypass(entry=first, reason="Pitch too small", by=officer)
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.shortlist_bypass_decide(entry=first, agree=False, comments=" ", by=team_leader)
    services.shortlist_bypass_decide(
        entry=first, agree=False, comments="Their caravans fit", by=team_leader
    )
    first.refresh_from_db()
    assert first.bypass_status == "" and first.bypass_reason == ""
    assert services.next_in_order(vacancy) == first
    assert first.history.latest().history_change_reason == "Bypass refused: Their caravans fit"


def test_nobody_agrees_to_a_bypass_they_asked_for(officer, team_leader):
    _vacancy, (first, _second) = frozen_vacancy(officer, 90, 10)
    services.shortlist_bypass(entry=first, reason="Pitch too small", by=officer)
    with pytest.raises(PermissionDenied, match="Only a team leader"):
        services.shortlist_bypass_decide(entry=first, agree=True, comments="", by=officer)
    with (
        pytest.raises(IntegrityError, match="shortlist_bypass_agreed_by_another"),
        transaction.atomic(),
    ):
        ShortlistEntry.objects.filter(pk=first.pk).update(bypass_agreed_by=officer)


def test_where_the_policy_says_no_an_officers_bypass_takes_effect_at_once(officer):
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    version = vacancy.policy_version
    # A published version never changes: the vacancy is ranked under a later one saying no.
    later = PolicyVersion.objects.create(
        scheme=version.scheme,
        version=version.version + 1,
        name=version.name,
        rules={**version.rules, "bypass_needs_team_leader": False},
        effective_from=version.effective_from.replace(year=version.effective_from.year - 1),
        published_by=officer,
    )
    vacancy.policy_version = later
    vacancy.save(update_fields=["policy_version"])
    services.shortlist_bypass(entry=first, reason="Pitch too small", by=officer)
    first.refresh_from_db()
    assert first.is_bypassed and services.next_in_order(vacancy) == second


def test_a_bypass_is_undone_with_a_reason_until_the_next_offer_is_made(officer, team_leader):
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    checks_back(second.application, officer)
    services.shortlist_bypass(entry=first, reason="Pitch too small", by=team_leader)
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.shortlist_bypass_undo(entry=first, reason="", by=officer)
    services.shortlist_bypass_undo(entry=first, reason="Bypassed the wrong person", by=officer)
    first.refresh_from_db()
    assert first.bypass_status == "" and services.next_in_order(vacancy) == first
    services.shortlist_bypass(entry=first, reason="Pitch too small", by=team_leader)
    services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError, match="offer has been made since this bypass"):
        services.shortlist_bypass_undo(entry=first, reason="Too late", by=officer)


def test_a_team_leader_resets_a_shortlists_offers_with_a_reason(officer, team_leader):
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    checks_back(second.application, officer)
    services.shortlist_bypass(entry=first, reason="Pitch too small", by=team_leader)
    offer = services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    with pytest.raises(PermissionDenied, match="Only a team leader"):
        services.shortlist_offers_reset(vacancy=vacancy, reason="Wrong bypass", by=officer)
    services.shortlist_offers_reset(vacancy=vacancy, reason="Bypass was wrong", by=team_leader)
    offer.refresh_from_db()
    first.refresh_from_db()
    vacancy.refresh_from_db()
    assert offer.status == "withdrawn" and first.bypass_status == ""
    assert services.next_in_order(vacancy) == first
    assert vacancy.history.latest().history_change_reason == "Offers reset: Bypass was wrong"


def test_the_vacancy_page_offers_agreement_to_team_leaders_only(client, officer, team_leader):
    vacancy, (first, _second) = frozen_vacancy(officer, 90, 10)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:shortlist-bypass", args=[first.pk]), {"reason": "Pitch too small"}
    )
    assert response.status_code == 302
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Bypass awaiting a team leader" in page and "Agree or refuse" not in page
    assert "Make an offer" not in page
    client.force_login(team_leader)
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Agree or refuse the bypass" in page
    url = reverse("allocations:shortlist-bypass-decide", args=[first.pk])
    assert client.post(url, {"decision": "refuse"}).status_code == 400
    assert client.post(url, {"decision": "agree"}).status_code == 302
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "agreed by" in page


# --- The decision checklist against the records ----------------------------------------------


def _accepted(officer):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    return services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)


def test_a_yes_the_records_contradict_is_refused_unless_a_note_explains_it(officer):
    offer = _accepted(officer)
    answers = answers_as_records(offer)
    assert answers["interview_held"]["met"] is False  # no interview recorded as held
    answers["interview_held"] = {"met": True, "note": ""}
    with pytest.raises(ValidationError) as refused:
        services.decision_propose(offer=offer, answers=answers, reasons="Top", by=officer)
    assert (
        "no interview is recorded as held" in refused.value.message_dict["note_interview_held"][0]
    )
    answers["interview_held"]["note"] = "Interviewed at home on 1 December; notes on file"
    decision = services.decision_propose(offer=offer, answers=answers, reasons="Top", by=officer)
    clause = next(c for c in decision.checklist if c["code"] == "interview_held")
    assert clause["met"] is True and clause["records_say"] is False
    assert clause["mismatch"] == "The records say no interview is recorded as held"


@pytest.mark.parametrize(
    "code", ["shortlist_order", "still_eligible", "checks_returned", "interview_held"]
)
def test_every_clause_the_records_can_answer_is_checked(officer, code):
    offer = _accepted(officer)
    facts = services.decision_facts(offer)
    answers = answers_as_records(offer)
    answers[code] = {"met": not facts[code], "note": ""}
    with pytest.raises(ValidationError) as refused:
        services.decision_propose(offer=offer, answers=answers, reasons="Top", by=officer)
    assert set(refused.value.message_dict) == {f"note_{code}"}


def test_the_team_leaders_page_flags_every_mismatch_at_the_top(client, officer, team_leader):
    offer = _accepted(officer)
    answers = answers_as_records(offer)
    answers["interview_held"] = {"met": True, "note": "Held at home"}
    answers["site_visit_held"] = {"met": True, "note": "Visited informally"}
    decision = services.decision_propose(offer=offer, answers=answers, reasons="Top", by=officer)
    client.force_login(team_leader)
    page = client.get(decision.get_absolute_url()).content.decode()
    top = page.index('id="checklist-mismatches"')
    assert top < page.index("Policy checklist")
    assert "2 checklist answers contradict the records" in page
    assert "no interview is recorded as held" in page and "no site visit is recorded" in page
    assert decision.status == AllocationDecision.Status.AWAITING


# --- Timing of events ------------------------------------------------------------------------


def test_an_interview_outcome_is_recorded_only_after_it_starts(officer):
    application = ActiveApplicationFactory()
    interview = services.interview_schedule(
        application=application,
        starts_at=tomorrow_at(10),
        place="County Hall",
        lead_officer=officer,
        by=officer,
    )
    with pytest.raises(ValidationError, match="has not started yet"):
        services.interview_record(interview=interview, status="held", notes="Fine", by=officer)
    # Cancelling is for before it happens.
    services.interview_record(interview=interview, status="cancelled", notes="Ill", by=officer)
    eleven, noon, one = tomorrow_at(11), tomorrow_at(12), tomorrow_at(13)
    with time_machine.travel(eleven):
        later = services.interview_schedule(
            application=application,
            starts_at=noon,
            place="County Hall",
            lead_officer=officer,
            by=officer,
        )
    with time_machine.travel(one):
        services.interview_record(interview=later, status="held", notes="Went well", by=officer)


def test_a_site_visit_outcome_is_recorded_only_after_it_starts(officer):
    application = ActiveApplicationFactory()
    second = UserFactory(username="second", roles=["officer"])
    visit = services.site_visit_arrange(
        application=application,
        site=SiteFactory(),
        starts_at=tomorrow_at(10),
        officers=[officer, second],
        by=officer,
    )
    with pytest.raises(ValidationError, match="has not started yet"):
        services.site_visit_record(visit=visit, status="not_attended", notes="x", by=officer)
    eleven = tomorrow_at(11)
    with time_machine.travel(eleven):
        services.site_visit_record(visit=visit, status="held", notes="Liked it", by=officer)


def test_an_interview_that_already_happened_is_recorded_after_the_fact(client, officer):
    application = ActiveApplicationFactory()
    yesterday = timezone.now() - timedelta(days=1)
    with pytest.raises(ValidationError, match="if it already happened"):
        services.interview_schedule(
            application=application,
            starts_at=yesterday,
            place="Their home",
            lead_officer=officer,
            by=officer,
        )
    interview = services.interview_schedule(
        application=application,
        starts_at=yesterday,
        place="Their home",
        lead_officer=officer,
        by=officer,
        outcome="held",
        outcome_notes="Interviewed on a home visit",
    )
    assert interview.status == "held" and interview.recorded_after_by == officer
    assert interview.recorded_after_at is not None
    assert not application.letters.exists()  # no invitation to a past interview
    assert not WorkItem.objects.filter(source_key=source_key("interview", interview.pk)).exists()
    assert interview.history.latest().history_change_reason == "Interview recorded after the fact"
    client.force_login(officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Recorded after the fact by" in page


def test_a_visit_still_to_come_has_no_outcome(officer):
    second = UserFactory(username="second", roles=["officer"])
    with pytest.raises(ValidationError, match="has no outcome"):
        services.site_visit_arrange(
            application=ActiveApplicationFactory(),
            site=SiteFactory(),
            starts_at=tomorrow_at(10),
            officers=[officer, second],
            by=officer,
            outcome="held",
            outcome_notes="x",
        )


# --- Separation of duties --------------------------------------------------------------------


def _accepted_with_exception(officer, leader):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    services.check_exception_record(
        application=entry.application, reason="Police answer delayed", by=leader
    )
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    return services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)


def test_whoever_granted_the_checks_exception_cannot_approve_the_allocation(officer, team_leader):
    other = UserFactory(username="leader-two", roles=["team_leader"])
    offer = _accepted_with_exception(officer, team_leader)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=officer
    )
    with pytest.raises(ValidationError, match="You recorded the exception"):
        services.decision_approve(decision=decision, comments="", by=team_leader)
    services.decision_approve(decision=decision, comments="Agreed", by=other)


def test_when_the_only_team_leader_proposed_the_head_of_service_decides(
    team_leader, head_of_service, officer
):
    offer = _accepted(team_leader)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=team_leader
    )
    assert selectors.decision_deciders(decision) == [head_of_service]
    with pytest.raises(PermissionDenied):
        services.decision_approve(decision=decision, comments="", by=officer)
    services.decision_approve(decision=decision, comments="Agreed", by=head_of_service)
    decision.refresh_from_db()
    assert decision.decided_by == head_of_service


def test_a_named_deputy_decides_instead_when_the_council_says_so(
    settings, team_leader, head_of_service, officer
):
    deputy = UserFactory(username="deputy", roles=["officer"])
    settings.DECISION_DEPUTY = "deputy"
    offer = _accepted(team_leader)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=team_leader
    )
    with pytest.raises(PermissionDenied):
        services.decision_approve(decision=decision, comments="", by=head_of_service)
    services.decision_approve(decision=decision, comments="Agreed", by=deputy)


def test_a_proposal_nobody_may_decide_is_flagged_to_the_head_of_service(
    officer, team_leader, client
):
    # The only team leader granted the checks exception: nobody else may decide.
    offer = _accepted_with_exception(officer, team_leader)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=officer
    )
    stuck = WorkItem.objects.get(source_key=source_key("decision_stuck", decision.pk))
    assert stuck.assigned_role.name == "head_of_service" and stuck.status == WorkItem.Status.OPEN
    # A second team leader joins and decides: the flag is done with.
    services.decision_approve(
        decision=decision,
        comments="Agreed",
        by=UserFactory(username="leader-two", roles=["team_leader"]),
    )
    stuck.refresh_from_db()
    assert stuck.status == WorkItem.Status.DONE


def test_a_checks_legal_basis_comes_from_the_partners_agreement_unless_given(officer):
    application = ActiveApplicationFactory()
    police = partner()
    check = services.check_request(
        application=application,
        partner=police,
        purpose="Pitch offer",
        legal_basis="",
        due_on=in_a_week(),
        by=officer,
    )
    assert check.legal_basis == "Northshire ISA 2024/03"
    bare = partner(agreement="")
    with pytest.raises(ValidationError, match="no information-sharing agreement"):
        services.check_request(
            application=application,
            partner=bare,
            purpose="Pitch offer",
            legal_basis=" ",
            due_on=in_a_week(),
            by=officer,
        )


def test_the_decision_page_says_when_nobody_may_decide(client, officer, team_leader):
    offer = _accepted_with_exception(officer, team_leader)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=officer
    )
    client.force_login(team_leader)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Nobody may decide this proposal" in page and "Record decision" not in page
