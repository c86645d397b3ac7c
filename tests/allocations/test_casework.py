"""From a frozen shortlist to an approved allocation, through the services."""

import re
from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from allocations import selectors, services
from allocations.models import (
    AllocationDecision,
    Application,
    Letter,
    Offer,
    SiteVisit,
    Vacancy,
)
from allocations.services import offers as offer_services
from projects.models import WorkItem
from projects.work import source_key
from residents.selectors import household_name
from sites.models import Site
from tests.allocations.casework import (
    answers_as_records,
    checks_back,
    frozen_vacancy,
    in_a_week,
    partner,
    tomorrow_at,
)
from tests.allocations.factories import (
    ActiveApplicationFactory,
    HouseholdWithPeopleFactory,
    VacancyFactory,
)
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def _answers(offer) -> dict:
    return answers_as_records(offer)


def _accepted(officer, points=(50,)):
    _vacancy, entries = frozen_vacancy(officer, *points)
    checks_back(entries[0].application, officer)
    offer = services.offer_make(entry=entries[0], respond_by=in_a_week(), by=officer)
    return services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)


# --- Interviews ------------------------------------------------------------------------------


def test_an_interview_is_booked_with_its_letter_and_a_reminder_the_day_before(officer):
    application = ActiveApplicationFactory()
    interview = services.interview_schedule(
        application=application,
        starts_at=tomorrow_at(10),
        place="Council offices, Room 2",
        lead_officer=officer,
        by=officer,
    )
    letter = application.letters.get()
    assert letter.kind == Letter.Kind.INTERVIEW
    assert letter.context["place"] == "Council offices, Room 2"
    assert letter.context["when"].endswith("at 10am")
    work = WorkItem.objects.get(source_key=source_key("interview", interview.pk))
    assert work.assignee == officer and work.due_on == timezone.localdate() + timedelta(days=1)

    after = tomorrow_at(11)
    with time_machine.travel(after):
        services.interview_record(interview=interview, status="held", notes="Went well", by=officer)
    work.refresh_from_db()
    assert work.status == WorkItem.Status.DONE
    with pytest.raises(ValidationError, match="already been recorded"):
        services.interview_record(interview=interview, status="held", notes="Again", by=officer)


def test_a_household_needing_an_interpreter_cannot_be_interviewed_without_one(officer):
    household = HouseholdWithPeopleFactory(interpreter_needed=True, interpreter_language="Romani")
    application = ActiveApplicationFactory(household=household)
    kwargs = {
        "application": application,
        "starts_at": tomorrow_at(11),
        "place": "Office",
        "lead_officer": officer,
        "by": officer,
    }
    with pytest.raises(ValidationError) as refused:
        services.interview_schedule(**kwargs)
    assert "Romani" in refused.value.message_dict["interpreter_language"][0]
    interview = services.interview_schedule(**kwargs, interpreter_language="Romani")
    assert application.letters.get().context["interpreter_booked"] == "Romani"
    assert interview.interpreter_language == "Romani"


def test_interviews_are_only_for_active_applications_and_in_the_future(officer):
    suspended = ActiveApplicationFactory(status=Application.Status.SUSPENDED)
    # The household is named by its lead applicant, not "Application A-…" alone.
    named = f"{household_name(suspended.household)}'s application {suspended.reference}"
    with pytest.raises(ValidationError, match=re.escape(f"{named} is suspended: only an active")):
        services.interview_schedule(
            application=suspended,
            starts_at=tomorrow_at(10),
            place="Office",
            lead_officer=officer,
            by=officer,
        )
    with pytest.raises(ValidationError, match="in the future"):
        services.interview_schedule(
            application=ActiveApplicationFactory(),
            starts_at=timezone.now() - timedelta(hours=1),
            place="Office",
            lead_officer=officer,
            by=officer,
        )


# --- Checks ----------------------------------------------------------------------------------


def test_a_check_sits_in_the_queue_until_its_answer_is_back(officer):
    application = ActiveApplicationFactory()
    today = timezone.localdate()
    check = services.check_request(
        application=application,
        partner=partner("police"),
        purpose="Pitch offer",
        legal_basis="ISA 2024/03 clause 4.2",
        consent_reference="CONS-1",
        due_on=today + timedelta(days=10),
        by=officer,
    )
    assert check.retention_until.year == today.year + 6
    work = WorkItem.objects.get(source_key=source_key("check", check.pk))
    assert work.due_on == check.due_on and work.status == WorkItem.Status.OPEN
    with pytest.raises(ValidationError, match="The date received cannot be in the future"):
        services.check_return(
            check=check,
            returned_on=today + timedelta(days=1),
            outcome="clear",
            notes="",
            by=officer,
        )
    services.check_return(
        check=check, returned_on=today, outcome="concerns", notes="Caution 2019", by=officer
    )
    work.refresh_from_db()
    assert work.status == WorkItem.Status.DONE


@pytest.mark.parametrize("kind", ["police", "probation", "other_council"])
def test_a_household_that_did_not_consent_to_enquiries_is_not_checked_with_the_police_or_councils(
    officer, kind
):
    application = ActiveApplicationFactory(consent_to_enquiries=False)
    lead = application.household.people.get(relationship="lead")
    asked = partner(kind, name="Northshire partner")
    with pytest.raises(ValidationError, match="has not consented to enquiries") as refused:
        services.check_request(
            application=application,
            partner=asked,
            purpose="Pitch offer",
            legal_basis="ISA 2024/03 clause 4.2",
            due_on=timezone.localdate() + timedelta(days=10),
            by=officer,
        )
    message = refused.value.message_dict["partner"][0]
    assert f"{lead} ({application.household.reference})" in message
    assert "Northshire partner" in message
    assert not application.checks.exists()
    assert not WorkItem.objects.filter(kind="check").exists()


def test_a_previous_landlord_is_asked_without_the_consent_to_police_and_council_enquiries(
    officer,
):
    application = ActiveApplicationFactory(consent_to_enquiries=False)
    check = services.check_request(
        application=application,
        partner=partner("previous_landlord"),
        purpose="Tenancy history",
        legal_basis="ISA 2024/03 clause 4.2",
        due_on=timezone.localdate() + timedelta(days=10),
        by=officer,
    )
    assert application.checks.get() == check


def test_an_offer_waits_for_the_required_checks_unless_a_team_leader_excepts(officer, team_leader):
    _vacancy, (entry,) = frozen_vacancy(officer, 40)
    application = entry.application
    with pytest.raises(ValidationError, match="Police, Previous landlord"):
        services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    with pytest.raises(PermissionDenied, match="Only a team leader"):
        services.check_exception_record(application=application, reason="Urgent", by=officer)
    services.check_exception_record(
        application=application, reason="Police answer delayed; risk assessed", by=team_leader
    )
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    assert offer.status == Offer.Status.OPEN


def test_a_returned_police_check_is_criminal_record_data_whose_showing_is_logged(
    client, officer, user_for_role
):
    application = ActiveApplicationFactory()
    today = timezone.localdate()
    check = services.check_request(
        application=application,
        partner=partner("police"),
        purpose="Pitch offer",
        legal_basis="ISA",
        due_on=today,
        by=officer,
    )
    services.check_return(
        check=check, returned_on=today, outcome="concerns", notes="Conviction 2018", by=officer
    )
    head = user_for_role("head_of_service")
    client.force_login(head)
    page = client.get(check.get_absolute_url()).content.decode()
    assert "Conviction 2018" not in page and "criminal-record information" in page
    client.force_login(officer)
    page = client.get(check.get_absolute_url()).content.decode()
    assert "Conviction 2018" in page
    logged = application.household.people.first().special_category_views.get()
    assert logged.user == officer and logged.where == "check"


# --- Site visits -----------------------------------------------------------------------------


def test_a_site_visit_needs_two_different_officers(officer, team_leader):
    application = ActiveApplicationFactory()
    site = SiteFactory()
    for officers in ([officer], [officer, officer]):
        with pytest.raises(ValidationError, match="two different officers"):
            services.site_visit_arrange(
                application=application,
                site=site,
                starts_at=tomorrow_at(14),
                officers=officers,
                by=officer,
            )
    visit = services.site_visit_arrange(
        application=application,
        site=site,
        starts_at=tomorrow_at(14),
        officers=[officer, team_leader],
        by=officer,
    )
    assert (
        WorkItem.objects.filter(
            source_key__startswith=source_key("site_visit", visit.pk) + ":"
        ).count()
        == 2
    )
    after = tomorrow_at(15)
    with time_machine.travel(after):
        services.site_visit_record(
            visit=visit, status="held", notes="Liked the pitch", by=team_leader
        )
    assert not WorkItem.objects.filter(
        source_key__startswith=source_key("site_visit", visit.pk) + ":", status=WorkItem.Status.OPEN
    ).exists()


def test_a_cancelled_site_visit_can_be_arranged_again_at_the_same_time(officer, team_leader):
    application = ActiveApplicationFactory()
    arrange = {
        "application": application,
        "site": SiteFactory(),
        "starts_at": tomorrow_at(14),
        "officers": [officer, team_leader],
        "by": officer,
    }
    visit = services.site_visit_arrange(**arrange)
    with pytest.raises(ValidationError, match="already has a site visit at"):
        services.site_visit_arrange(**arrange)
    services.site_visit_record(visit=visit, status="cancelled", notes="Car broke down", by=officer)
    services.site_visit_arrange(**arrange)
    assert application.site_visits.count() == 2


def test_the_database_refuses_a_site_visit_with_one_officer_twice(officer):
    application = ActiveApplicationFactory()
    with (
        pytest.raises(IntegrityError, match="site_visit_two_different_officers"),
        transaction.atomic(),
    ):
        SiteVisit.objects.create(
            application=application,
            site=SiteFactory(),
            starts_at=tomorrow_at(9),
            first_officer=officer,
            second_officer=officer,
        )


# --- Offers ----------------------------------------------------------------------------------


def test_offers_go_in_shortlist_order_and_a_bypass_lets_the_next_be_offered(officer, team_leader):
    _vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    checks_back(second.application, officer)
    with pytest.raises(ValidationError, match="position 1"):
        services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    services.shortlist_bypass(entry=first, reason="Pitch too small for their caravans", by=officer)
    services.shortlist_bypass_decide(entry=first, agree=True, comments="", by=team_leader)
    offer = services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    assert offer.entry == second and offer.application.letters.get().kind == Letter.Kind.OFFER


def test_one_live_offer_per_vacancy_and_the_next_after_a_refusal(officer):
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    checks_back(first.application, officer)
    checks_back(second.application, officer)
    offer = services.offer_make(entry=first, respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError, match="one offer at a time"):
        services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    services.offer_refuse(
        offer=offer,
        on=timezone.localdate(),
        reason="Too far from school",
        reasonable=True,
        by=officer,
    )
    assert services.next_in_order(vacancy) == second
    with pytest.raises(ValidationError, match="already been offered this vacancy"):
        services.offer_make(entry=first, respond_by=in_a_week(), by=officer)
    second_offer = services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    # The live offer is named first, before this entry's own refused one.
    with pytest.raises(ValidationError, match="one offer at a time"):
        services.offer_make(entry=first, respond_by=in_a_week(), by=officer)
    assert list(vacancy.offers.order_by("made_at").values_list("status", flat=True)) == [
        "refused",
        "open",
    ]
    assert second_offer.application == second.application


def test_a_live_offer_the_checks_did_not_see_is_refused_in_words_not_a_server_error(
    officer, monkeypatch
):
    # The vacancy's lock makes offers one at a time; were a live offer ever missed by the
    # checks, the partial unique index refuses the second, and the officer is told so.
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    checks_back(second.application, officer)
    Offer.objects.create(
        vacancy=vacancy,
        entry=first,
        application=first.application,
        made_by=officer,
        respond_by=in_a_week(),
    )
    monkeypatch.setattr(offer_services, "offer_make_problems", lambda **kwargs: {})
    with pytest.raises(ValidationError, match=f"{vacancy.reference} already has a live offer"):
        services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    assert list(vacancy.offers.values_list("entry", flat=True)) == [first.pk]


def test_the_database_refuses_a_second_live_offer_on_a_vacancy(officer):
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    Offer.objects.create(
        vacancy=vacancy,
        entry=first,
        application=first.application,
        made_by=officer,
        respond_by=in_a_week(),
    )
    with pytest.raises(IntegrityError, match="one_live_offer_per_vacancy"), transaction.atomic():
        Offer.objects.create(
            vacancy=vacancy,
            entry=second,
            application=second.application,
            made_by=officer,
            respond_by=in_a_week(),
        )


def _offered_alone(application, officer) -> Offer:
    """A new vacancy with only this application on its shortlist, offered to it."""
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    services.bid_place(vacancy=vacancy, application=application, by=officer)
    (entry,) = services.shortlist_freeze(vacancy=vacancy, by=officer)
    return services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)


def test_reaching_the_refusal_limit_suspends_with_a_letter_and_review_right(officer):
    application = ActiveApplicationFactory(points=80)
    checks_back(application, officer)
    letters = []
    for _ in range(2):  # the default policy's limit is two unreasonable refusals
        services.offer_refuse(
            offer=_offered_alone(application, officer),
            on=timezone.localdate(),
            reason="Wants another site",
            reasonable=False,
            by=officer,
        )
        letters.append(application.letters.order_by("-requested_at", "-pk").first())
    application.refresh_from_db()
    assert application.status == Application.Status.SUSPENDED
    today = timezone.localdate()
    assert application.suspended_until == today + relativedelta(months=12)
    assert [letter.kind for letter in letters] == [Letter.Kind.REFUSAL, Letter.Kind.SUSPENSION]
    assert letters[1].context["refusals_counted"] == 2 and letters[1].context["review_days"] == 28
    assert "Suspended until" in application.status_reason


def test_a_reasonable_refusal_does_not_count(officer):
    application = ActiveApplicationFactory(points=80)
    checks_back(application, officer)
    for _ in range(3):
        services.offer_refuse(
            offer=_offered_alone(application, officer),
            on=timezone.localdate(),
            reason="Medical: stairs",
            reasonable=True,
            by=officer,
        )
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE


def test_a_refusal_needs_a_reason(officer):
    _vacancy, (entry,) = frozen_vacancy(officer, 10)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError, match="reason for refusing"):
        services.offer_refuse(
            offer=offer, on=timezone.localdate(), reason=" ", reasonable=False, by=officer
        )


@pytest.mark.parametrize("to", ["withdrawn", "suspended", "lapsed"])
def test_an_application_with_a_live_offer_leaves_the_register_only_once_it_is_withdrawn(
    officer, to
):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError, match="withdraw the offer first"):
        services.application_transition(
            application=entry.application, to=to, reason="Moved away", by=officer
        )
    entry.application.refresh_from_db()
    assert entry.application.status == Application.Status.ACTIVE
    services.offer_withdraw(offer=offer, reason="Household moved away", by=officer)
    services.application_transition(
        application=entry.application, to=to, reason="Moved away", by=officer
    )
    entry.application.refresh_from_db()
    assert entry.application.status == to


# --- Decisions -------------------------------------------------------------------------------


def test_the_proposer_never_approves_their_own_decision(user_for_role):
    leader = user_for_role("team_leader")
    other_leader = UserFactory(username="leader2", roles=["team_leader"])
    offer = _accepted(leader)
    decision = services.decision_propose(
        offer=offer, answers=_answers(offer), reasons="Top of the list", by=leader
    )
    with pytest.raises(ValidationError, match="another team leader"):
        services.decision_approve(decision=decision, comments="", by=leader)
    with pytest.raises(IntegrityError, match="decision_not_by_its_proposer"), transaction.atomic():
        AllocationDecision.objects.filter(pk=decision.pk).update(decided_by=leader)
    services.decision_approve(decision=decision, comments="Agreed", by=other_leader)


def test_the_team_leader_who_made_the_offer_never_approves_its_allocation(officer, team_leader):
    other_leader = UserFactory(username="leader2", roles=["team_leader"])
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=team_leader)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer, answers=_answers(offer), reasons="Top of the list", by=officer
    )
    assert not team_leader.has_perm("allocations.decide_proposal", decision)
    assert selectors.decision_deciders(decision) == [other_leader]
    with pytest.raises(ValidationError, match="You made the offer"):
        services.decision_approve(decision=decision, comments="", by=team_leader)
    with pytest.raises(ValidationError, match="You made the offer"):
        services.decision_return(decision=decision, comments="Redo", by=team_leader)
    services.decision_approve(decision=decision, comments="Agreed", by=other_leader)


def test_approval_lets_the_vacancy_houses_the_household_and_writes_the_letter(officer, team_leader):
    offer = _accepted(officer)
    decision = services.decision_propose(
        offer=offer, answers=_answers(offer), reasons="Highest points", by=officer
    )
    waiting = WorkItem.objects.get(source_key=source_key("decision_approval", decision.pk))
    assert waiting.assigned_role.name == "team_leader"
    with pytest.raises(PermissionDenied, match="Only a team leader"):
        services.decision_approve(decision=decision, comments="", by=officer)
    services.decision_approve(decision=decision, comments="Policy followed", by=team_leader)
    offer.vacancy.refresh_from_db()
    offer.application.refresh_from_db()
    waiting.refresh_from_db()
    assert offer.vacancy.status == Vacancy.Status.LET
    assert offer.application.status == Application.Status.HOUSED
    assert waiting.status == WorkItem.Status.DONE
    assert offer.application.letters.filter(kind=Letter.Kind.DECISION).exists()
    licence = offer.application.household.licences.get()
    assert (licence.status, licence.unit) == ("draft", offer.vacancy.unit)
    weeks = decision.policy_version.rules["deposit_weeks"]  # the policy's deposit
    assert licence.deposit == licence.weekly_fee * weeks
    assert licence.occupants.get(role="holder").person.relationship == "lead"
    sign_up = WorkItem.objects.get(source_key=f"licence_sign_up:{licence.pk}")
    assert sign_up.assignee == officer  # the officer who ran the case, not the team leader


def test_a_decision_sent_back_can_be_proposed_again(officer, team_leader):
    offer = _accepted(officer)
    decision = services.decision_propose(
        offer=offer, answers=_answers(offer), reasons="Highest points", by=officer
    )
    with pytest.raises(ValidationError, match="Say what the officer needs to put right"):
        services.decision_return(decision=decision, comments=" ", by=team_leader)
    services.decision_return(decision=decision, comments="Record the visit", by=team_leader)
    assert (
        WorkItem.objects.get(source_key=source_key("decision_returned", decision.pk)).assignee
        == officer
    )
    again = services.decision_propose(
        offer=offer, answers=_answers(offer), reasons="Visit now held", by=officer
    )
    assert again.status == AllocationDecision.Status.AWAITING


def test_a_proposal_answers_every_clause_and_explains_each_no(officer):
    offer = _accepted(officer)
    answers = _answers(offer)
    answers["site_visit_held"] = {"met": False, "note": ""}
    del answers["interview_held"]
    with pytest.raises(ValidationError) as refused:
        services.decision_propose(offer=offer, answers=answers, reasons="", by=officer)
    problems = refused.value.message_dict
    assert set(problems) == {"clause_interview_held", "note_site_visit_held", "reasons"}


def test_only_an_accepted_offer_is_proposed(officer):
    _vacancy, (entry,) = frozen_vacancy(officer, 10)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError, match="Only an accepted offer"):
        services.decision_propose(offer=offer, answers=_answers(offer), reasons="x", by=officer)


def test_a_sample_of_past_decisions_is_the_same_for_the_same_number(officer, team_leader):
    for _ in range(4):
        offer = _accepted(officer)
        decision = services.decision_propose(
            offer=offer, answers=_answers(offer), reasons="r", by=officer
        )
        services.decision_approve(decision=decision, comments="", by=team_leader)
    today = timezone.localdate()
    one = services.decisions_sample(size=2, since=today, until=today, seed=7)
    assert len(one) == 2
    assert one == services.decisions_sample(size=2, since=today, until=today, seed=7)
    assert len(services.decisions_sample(size=10, since=today, until=today, seed=7)) == 4
    other = UserFactory(username="reviewer", roles=["team_leader"])
    review = services.decision_review(
        decision=one[0], finding="sound", notes="Checklist complete", by=other
    )
    assert review.decision == one[0]
    with pytest.raises(ValidationError, match="another team leader"):
        services.decision_review(decision=one[0], finding="sound", notes="x", by=team_leader)


def test_withdrawing_an_accepted_offer_sends_back_its_waiting_decision(officer):
    offer = _accepted(officer)
    decision = services.decision_propose(
        offer=offer, answers=_answers(offer), reasons="r", by=officer
    )
    services.offer_withdraw(offer=offer, reason="Household moved away", by=officer)
    decision.refresh_from_db()
    assert decision.status == AllocationDecision.Status.RETURNED
    assert services.next_in_order(offer.vacancy) is None  # the only applicant was offered


def test_the_records_say_the_order_was_kept_when_those_above_were_offered_or_left(officer):
    _vacancy, (first, second, third) = frozen_vacancy(officer, 90, 50, 10)
    for entry in (second, third):
        checks_back(entry.application, officer)
    services.application_transition(
        application=first.application, to="withdrawn", reason="Moved away", by=officer
    )
    offer = services.offer_make(entry=second, respond_by=in_a_week(), by=officer)
    services.offer_refuse(
        offer=offer, on=timezone.localdate(), reason="Too small", reasonable=True, by=officer
    )
    offer = services.offer_make(entry=third, respond_by=in_a_week(), by=officer)
    assert services.decision_facts(offer)["shortlist_order"] is True
    # Had the first applicant still been active and not bypassed, the order was broken.
    first.application.status = Application.Status.ACTIVE
    first.application.save(update_fields=["status"])
    assert services.decision_facts(offer)["shortlist_order"] is False


def test_a_site_visit_to_a_closed_site_is_refused(officer, team_leader):
    site = SiteFactory(status=Site.Status.CLOSED)
    with pytest.raises(ValidationError, match="is closed: choose an open site"):
        services.site_visit_arrange(
            application=ActiveApplicationFactory(),
            site=site,
            starts_at=tomorrow_at(14),
            officers=[officer, team_leader],
            by=officer,
        )
    assert not SiteVisit.objects.exists()
