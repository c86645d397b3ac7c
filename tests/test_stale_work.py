"""No work item outlives its cause: every kind in projects.work.WORK_KINDS has a scenario that
puts work of that kind in a queue through the services, then finishes the thing it is about
(done, cancelled, withdrawn, closed) and proves no open work of that kind is left.

A new kind of work without a scenario here fails this test: say what closes its work.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations import selectors as allocation_selectors
from allocations import services as allocations
from allocations.services import resales
from census import services as census
from config.history import system_user
from projects import services as projects
from projects.models import WorkItem
from projects.work import WORK_KINDS
from residents import services as residents
from tests.allocations.casework import (
    answers_as_records,
    checks_back,
    frozen_vacancy,
    in_a_week,
    partner,
    tomorrow_at,
)
from tests.allocations.factories import ActiveApplicationFactory
from tests.allocations.housekeeping import TURNS_TEN, assessed_family_application
from tests.allocations.resales import resale_case
from tests.census.factories import complete, licensed_pitch, started_round
from tests.factories import SiteFactory, UserFactory
from tests.projects.factories import project
from tests.residents.helpers import documents_ready, draft, short_notice_consent, signed
from tests.residents.test_visits_breaches_handbook import _handbook, _photo

pytestmark = pytest.mark.django_db


class People:
    def __init__(self, user_for_role):
        self.officer = user_for_role("officer")
        self.team_leader = user_for_role("team_leader")
        self.sites_manager = user_for_role("sites_manager")
        self.head = user_for_role("head_of_service")
        self.second_officer = UserFactory(username="second-officer", roles=["officer"])


def _accepted(p: People):
    _vacancy, (entry,) = frozen_vacancy(p.officer, 50)
    checks_back(entry.application, p.officer)
    offer = allocations.offer_make(entry=entry, respond_by=in_a_week(), by=p.officer)
    return allocations.offer_accept(offer=offer, on=timezone.localdate(), by=p.officer)


def _proposed(p: People, offer):
    return allocations.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=p.officer
    )


# --- Each kind: put its work in a queue, and return what finishes its cause -----------------


def project_task(p):
    lead = project(lead=p.head)
    projects.project_task_create(
        project=lead, title="Survey", due_on=in_a_week(), assignee=p.officer, by=p.head
    )
    return lambda: projects.project_update(
        project=lead, status="closed", reason="Programme finished", by=p.head
    )


def risk_review(p):
    risk = projects.risk_add(
        project=project(lead=p.head),
        title="Contractor delay",
        likelihood=2,
        impact=3,
        owner=p.officer,
        review_on=timezone.localdate() - timedelta(days=2),
        by=p.head,
    )
    projects.risk_reviews_due(today=timezone.localdate(), by=p.head)
    return lambda: projects.risk_update(risk=risk, status="closed", reason="Passed", by=p.head)


def licence_sign_up(p):
    licence = draft(p.officer)

    def finish():
        documents_ready(licence, p.officer)
        short_notice_consent(licence, p.officer)
        residents.licence_written_statement_give(
            licence=licence, given_on=timezone.localdate(), by=p.officer
        )
        residents.licence_sign(
            licence=licence,
            signed_on=timezone.localdate(),
            witnessed_by=p.second_officer,
            by=p.officer,
        )

    return finish


def new_resident_visit(p):
    licence = signed(p.officer)
    visit = licence.visit

    def finish():
        today = timezone.localdate()
        _handbook(licence.unit.site, p.officer)
        residents.visit_handbook_issue(visit=visit, issued_on=today, by=p.officer)
        residents.visit_dates_record(
            visit=visit,
            visited_on=today,
            policies_issued_on=today,
            pay_card_issued_on=today,
            by=p.officer,
        )
        residents.meter_reading_record(
            visit=visit,
            meter="electricity",
            serial="E-1",
            reading=Decimal("1.0"),
            read_on=today,
            photo=_photo(),
            by=p.officer,
        )
        residents.business_support_notification_send(visit_id=visit.pk)
        residents.visit_complete(visit=visit, by=p.officer)

    return finish


def _breach(p):
    return residents.breach_raise(
        licence=signed(p.officer),
        category="nuisance",
        observed_on=timezone.localdate(),
        description="Loud generator at night",
        by=p.officer,
    )


def licence_breach(p):
    breach = _breach(p)
    # The first look is done once the sites manager moves the breach on.
    return lambda: residents.breach_transition(
        breach=breach, to="investigating", reason="Visiting", by=p.sites_manager
    )


def unauthorised_occupant(p):
    # Someone found living on the pitch is followed up until authorised or gone.
    licence = signed(p.officer)
    found = residents.unauthorised_occupant_record(
        unit=licence.unit,
        licence=licence,
        name="John Smith",
        found_on=timezone.localdate(),
        where_found="new-resident visit",
        by=p.officer,
    )
    return lambda: residents.unauthorised_occupant_update(
        occupant=found, status="left", reason="Moved to his own pitch", by=p.officer
    )


def breach_remedy_due(p):
    breach = _breach(p)
    residents.breach_transition(breach=breach, to="investigating", reason="V", by=p.sites_manager)
    residents.breach_transition(
        breach=breach,
        to="notice_served",
        remedy_due_on=in_a_week(),
        reason="Notice",
        by=p.sites_manager,
    )

    def finish():
        residents.breach_transition(
            breach=breach, to="remedied", reason="Put right", by=p.sites_manager
        )
        residents.breach_transition(breach=breach, to="closed", reason="Done", by=p.sites_manager)

    return finish


def breach_escalated(p):
    # Escalated once its remedy date has passed; closed with its outcome, the work is done.
    breach = _breach(p)
    residents.breach_transition(breach=breach, to="investigating", reason="V", by=p.sites_manager)
    residents.breach_transition(
        breach=breach,
        to="notice_served",
        remedy_due_on=timezone.localdate() + timedelta(days=1),
        reason="Notice",
        by=p.sites_manager,
    )
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        residents.breach_transition(
            breach=breach, to="escalated", reason="Not put right", by=p.sites_manager
        )
    return lambda: residents.breach_transition(
        breach=breach, to="closed", reason="Court ended the licence", by=p.sites_manager
    )


def interview(p):
    booked = allocations.interview_schedule(
        application=ActiveApplicationFactory(),
        starts_at=tomorrow_at(10),
        place="County Hall",
        lead_officer=p.officer,
        by=p.officer,
    )
    return lambda: allocations.interview_record(
        interview=booked, status="cancelled", notes="Household ill", by=p.officer
    )


def check(p):
    asked = allocations.check_request(
        application=ActiveApplicationFactory(),
        partner=partner(),
        purpose="Pitch offer",
        legal_basis="ISA clause 4",
        due_on=in_a_week(),
        by=p.officer,
    )
    return lambda: allocations.check_return(
        check=asked, returned_on=timezone.localdate(), outcome="clear", notes="", by=p.officer
    )


def check_stopped(p):
    # Consent withdrawn stops a police check still waiting and asks the officer who asked to
    # tell the police; telling them is the officer's own act, so doing it (completing the
    # work) is what ends it: nothing else can know the partner was told.
    application = ActiveApplicationFactory(consent_to_enquiries=True)
    allocations.check_request(
        application=application,
        partner=partner("police"),
        purpose="Pitch offer",
        legal_basis="ISA clause 4",
        due_on=in_a_week(),
        by=p.officer,
    )
    allocations.application_consent_record(
        application=application, given=False, by=p.officer, reason="Withdrawn by phone"
    )
    told = WorkItem.objects.get(kind="check_stopped")
    return lambda: projects.work_item_complete(item=told, by=p.officer)


def site_visit(p):
    visit = allocations.site_visit_arrange(
        application=ActiveApplicationFactory(),
        site=SiteFactory(),
        starts_at=tomorrow_at(10),
        officers=[p.officer, p.second_officer],
        by=p.officer,
    )
    return lambda: allocations.site_visit_record(
        visit=visit, status="cancelled", notes="Rain", by=p.officer
    )


def offer_reply(p):
    _vacancy, (entry,) = frozen_vacancy(p.officer, 50)
    checks_back(entry.application, p.officer)
    offer = allocations.offer_make(entry=entry, respond_by=in_a_week(), by=p.officer)
    return lambda: allocations.offer_withdraw(offer=offer, reason="Moved away", by=p.officer)


def decision_approval(p):
    decision = _proposed(p, _accepted(p))
    return lambda: allocations.decision_approve(decision=decision, comments="", by=p.team_leader)


def decision_returned(p):
    offer = _accepted(p)
    decision = _proposed(p, offer)
    allocations.decision_return(decision=decision, comments="Record the visit", by=p.team_leader)

    def finish():
        again = _proposed(p, offer)
        allocations.decision_approve(decision=again, comments="", by=p.team_leader)

    return finish


def decision_stuck(p):
    # The only team leader granted the checks exception: nobody may decide the proposal.
    _vacancy, (entry,) = frozen_vacancy(p.officer, 50)
    allocations.check_exception_record(
        application=entry.application, reason="Police late", by=p.team_leader
    )
    offer = allocations.offer_make(entry=entry, respond_by=in_a_week(), by=p.officer)
    allocations.offer_accept(offer=offer, on=timezone.localdate(), by=p.officer)
    _proposed(p, offer)
    return lambda: allocations.offer_withdraw(offer=offer, reason="Withdrew", by=p.officer)


def bypass_agreement(p):
    _vacancy, (first, _second) = frozen_vacancy(p.officer, 90, 10)
    allocations.shortlist_bypass(entry=first, reason="Pitch too small", by=p.officer)
    return lambda: allocations.shortlist_bypass_undo(entry=first, reason="Mistake", by=p.officer)


def _submitted(p, **found):
    census_round = started_round(by=p.officer, **found.pop("round", {}))
    census_return = census_round.returns.get()
    complete(census_return, by=p.officer, **found)
    census.return_submit(census_return=census_return, by=p.officer)
    return census_return


def census_follow_up(p):
    census_return = _submitted(p, holder_present=False, round={"pitches": 1})
    return lambda: [
        census.difference_dismiss(difference=d, reason="Away visiting", by=p.officer)
        for d in census_return.differences.all()
    ]


def suspected_breach(p):
    census_return = _submitted(
        p,
        new_people=[{"name": "Tom Price", "approximate_age": 40}],
        round={"pitches": 0, "empty_pitches": 1},
    )
    return lambda: [
        census.difference_dismiss(difference=d, reason="A visitor", by=p.officer)
        for d in census_return.differences.all()
    ]


def census_round_not_started(p):
    today = timezone.localdate()
    site = SiteFactory()
    licensed_pitch(site=site)
    census_round = census.round_create(
        year=today.year,
        planned_start=today - timedelta(days=3),
        deadline=today + timedelta(days=30),
        sites=[site],
        by=p.officer,
    )
    census.census_reminders(today=today, by=p.officer)
    return lambda: census.round_start(census_round=census_round, by=p.officer)


def census_returns_outstanding(p):
    census_round = started_round(by=p.officer, pitches=1)
    census.census_reminders(today=census_round.deadline + timedelta(days=1), by=p.officer)

    def finish():
        for census_return in census_round.returns.all():
            complete(census_return, by=p.officer)
            census.return_submit(census_return=census_return, by=p.officer)
        census.round_close(census_round=census_round, by=p.officer)

    return finish


# --- Housekeeping (issue 15): each on a frozen clock, as the nightly runs are ----------------


def _on(day, step):
    with time_machine.travel(day, tick=False):
        return step()


def need_change(p):
    _on(date(2026, 11, 1), lambda: assessed_family_application(p.officer))
    run = allocations.need_changes_run
    _on(TURNS_TEN - timedelta(days=28), lambda: run(today=TURNS_TEN - timedelta(28), by=p.head))
    # The need is recorded on the day itself.
    return lambda: _on(TURNS_TEN, lambda: run(today=TURNS_TEN, by=system_user()))


def need_check(p):
    def expecting():
        application = assessed_family_application(p.officer)
        mother = application.household.people.get(first_name="Rose")
        mother.pregnancy_due_date = date(2026, 11, 20)
        mother.pregnancy_evidence = "MATB1 seen"
        mother.save()
        return application

    application = _on(date(2026, 11, 1), expecting)
    day = date(2026, 11, 21)
    _on(day, lambda: allocations.need_changes_run(today=day, by=system_user()))
    check = application.need_changes.get()
    return lambda: _on(
        day,
        lambda: allocations.need_change_checked(
            change=check, note="Baby born on 18 November; added", by=p.officer
        ),
    )


def _renewal_application(p):
    def assessed():
        application = ActiveApplicationFactory(
            registration_date=date(2025, 3, 1), effective_date=date(2025, 4, 1)
        )
        allocations.application_assess(application=application, criteria=[], by=p.officer)
        return application

    return _on(date(2026, 1, 1), assessed)


def _renewals_run(day):
    _on(day, lambda: allocations.renewals_run(today=day, by=system_user()))


def _renewal_answered(p, application, day):
    return lambda: _on(
        day,
        lambda: allocations.renewal_receive(
            application=application, answered_on=day, circumstances="No change", by=p.officer
        ),
    )


def renewal(p):
    application = _renewal_application(p)
    _renewals_run(date(2026, 2, 1))  # 28 days before the renewal date: the reminder
    return _renewal_answered(p, application, date(2026, 2, 10))


def renewal_no_answer(p):
    application = _renewal_application(p)
    _renewals_run(date(2026, 2, 1))
    _renewals_run(date(2026, 3, 2))  # no answer by the date: on hold
    return _renewal_answered(p, application, date(2026, 3, 5))


def inbox_document(p):
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 a letter", content_type="application/pdf")
    scan.detected_content_type = "application/pdf"
    (document,) = allocations.inbox_upload(uploads=[scan], by=p.officer)
    allocations.inbox_forward(document=document, to=p.second_officer, note="Yours", by=p.officer)
    return lambda: allocations.inbox_file(
        document=document, application=ActiveApplicationFactory(), kind="other", by=p.second_officer
    )


def referral_response(p):
    application = ActiveApplicationFactory()
    today = timezone.localdate()
    referral = allocations.referral_make(
        household=application.household,
        application=application,
        agency="social_care",
        reason="Children's needs not met on the roadside",
        basis="lawful_basis",
        basis_detail="Children Act 1989 s.47",
        referred_on=today - timedelta(days=20),
        response_due=today + timedelta(days=5),
        by=p.officer,
    )
    return lambda: allocations.referral_response_record(
        referral=referral, received_on=today, outcome="Assessment booked", by=p.officer
    )


def conference_action(p):
    conference = allocations.case_conference_record(
        held_on=timezone.localdate(),
        staff=[p.officer, p.team_leader],
        applications=[ActiveApplicationFactory()],
        decisions="Joint visit",
        actions=[{"title": "Arrange the joint visit", "owner": p.team_leader, "due": in_a_week()}],
        by=p.officer,
    )
    # An action is its own cause: it is finished when its owner marks it done.
    return lambda: [
        projects.work_item_complete(item=item, by=p.team_leader)
        for item in allocation_selectors.conference_actions(conference)
    ]


def registration_review(p):
    # A lettings household assessed with no housing need is refused registration, and asks
    # for a review: the team leaders' work closes when one of them decides it.
    application = ActiveApplicationFactory(scheme="cbl")
    allocations.application_assess(application=application, criteria=[], by=p.officer)
    refusal = application.registration_refusals.get()
    allocations.registration_review_request(
        refusal=refusal,
        requested_on=timezone.localdate(),
        grounds="We share a kitchen with another family",
        by=p.officer,
    )
    return lambda: allocations.registration_review_decide(
        refusal=refusal, overturn=False, reasons="No band criterion is met", by=p.team_leader
    )


def band_review(p):
    # A lettings household told its band asks for a review: the team leaders' work closes
    # when one who did not assess decides it (or the application leaves the register: see
    # tests/allocations/test_band_reviews.py).
    application = ActiveApplicationFactory(scheme="cbl")
    assessment = allocations.application_assess(
        application=application,
        criteria=[{"code": "lacking_or_sharing_facilities", "evidence": "Shared kitchen"}],
        by=p.officer,
    )
    review = allocations.band_review_request(
        assessment=assessment,
        requested_on=timezone.localdate(),
        grounds="We have no bathroom of our own either",
        by=p.officer,
    )
    return lambda: allocations.band_review_decide(
        review=review, change=False, reasons="The bathroom is not shared", by=p.team_leader
    )


def band_assessment(p):
    # A household refused for no housing need and admitted on review has no band: the
    # officers' work closes when its band is assessed (a withdrawal cancels it: see
    # tests/allocations/test_registration.py).
    application = ActiveApplicationFactory(scheme="cbl")
    allocations.application_assess(application=application, criteria=[], by=p.officer)
    refusal = application.registration_refusals.get()
    allocations.registration_review_request(
        refusal=refusal, requested_on=timezone.localdate(), grounds="Shared kitchen", by=p.officer
    )
    allocations.registration_review_decide(
        refusal=refusal, overturn=True, reasons="The kitchen is shared", by=p.team_leader
    )
    return lambda: allocations.application_assess(
        application=application,
        criteria=[{"code": "lacking_or_sharing_facilities", "evidence": "Shared kitchen"}],
        by=p.officer,
    )


def correction_remedy(p):
    # An effective date corrected after the fact waits for a team leader's remedy decision;
    # deciding it closes the work.
    application = ActiveApplicationFactory(effective_date=date(2024, 6, 1))
    allocations.application_dates_change(
        application=application,
        effective_date=date(2024, 3, 1),
        reason="Typed wrongly at registration",
        by=p.officer,
    )
    correction = application.corrections.get()
    return lambda: allocations.correction_remedy_decide(
        correction=correction,
        remedy="no_remedy_unchanged",
        reasons="It was on no shortlist",
        by=p.team_leader,
    )


def letter_not_sent(p):
    from config.kernel.documents import document_render

    application = ActiveApplicationFactory(
        household__address_line_1="4 Mill Lane",
        household__town="Ashford",
        household__postcode="TN23 4QP",
    )
    letter = allocations.letter_request(
        application=application, kind="invalid", context={"reasons": []}, by=p.officer
    )
    document_render(model="allocations.Letter", pk=letter.pk)
    # Out of retries (allocations.tasks.letter_send): the failure is the officer's to put right.
    allocations.letter_send_failed(letter_id=letter.pk, failure="Mail server down", by=p.officer)

    def sent_by_post():
        allocations.letter_send_again(
            letter=letter, channel="post", reason="Address checked", by=p.officer
        )
        allocations.letter_send(letter_id=letter.pk, by=system_user())

    return sent_by_post


def letter_hand_over(p):
    # A household that prefers to be seen: its letter waits in the officer's queue until it is
    # recorded as handed over.
    from config.kernel.documents import document_render

    application = ActiveApplicationFactory(household__preferred_contact="in_person")
    letter = allocations.letter_request(
        application=application, kind="invalid", context={"reasons": []}, by=p.officer
    )
    document_render(model="allocations.Letter", pk=letter.pk)
    allocations.letter_send(letter_id=letter.pk, by=system_user())
    return lambda: allocations.letter_handed_over(
        letter=letter, handed_to="Mary Smith", on=timezone.localdate(), by=p.officer
    )


def resale_valuation(p):
    # A valuation puts its renewal in the officers' queue before it expires; the case ending
    # (here: released to the open market once the window has passed) takes it out.
    notice_on = timezone.localdate() - timedelta(weeks=9)
    case = resale_case(p.officer, notice_on=notice_on)
    return lambda: resales.resale_release(case=case, on=timezone.localdate(), by=p.team_leader)


# Scenarios kept beside this file (each module's public functions are named after their kind).
from tests import stale_work_lettings, stale_work_records  # noqa: E402

_SCENARIO_MODULES = (vars(stale_work_lettings), vars(stale_work_records), globals())
SCENARIOS = {
    name: module[name]
    for name in WORK_KINDS
    for module in reversed(_SCENARIO_MODULES)
    if name in module and callable(module[name])
}


def _open(kind: str) -> int:
    return WorkItem.objects.filter(kind=kind, status=WorkItem.Status.OPEN).count()


@pytest.mark.parametrize("kind", sorted(WORK_KINDS))
def test_no_work_item_outlives_its_cause(kind, user_for_role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert kind in SCENARIOS, (
        f"Work of kind {kind!r} has no scenario here: add one that puts it in a queue and "
        "proves it is closed when the thing it is about is done."
    )
    finish = SCENARIOS[kind](People(user_for_role))
    assert _open(kind) > 0, f"The scenario for {kind!r} put no work of that kind in a queue"
    finish()
    assert _open(kind) == 0, f"Work of kind {kind!r} outlived its cause"
