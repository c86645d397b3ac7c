"""Casework pages through the Django client: what officers and team leaders type and press."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations import rules, selectors, services
from allocations.models import (
    AllocationDecision,
    ApplicationValidation,
    Interview,
    Offer,
    PolicyVersion,
    SiteVisit,
)
from allocations.selectors.applications import CASEWORK_FOLDED
from sites.models import Site
from tests.allocations.casework import (
    answers_as_records,
    checks_back,
    frozen_vacancy,
    in_a_week,
    partner,
)
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import SiteFactory, UserFactory
from tests.layout import bare_links

# The application (with its people, its checks, letters and the other usual kinds of
# casework, whether it has each other kind, and today's policy), the view it records, its
# interviews and site visits, and the signed-in person's session, account and roles (their
# permissions come from the cache).
CASEWORK_PAGE_QUERIES = 7

pytestmark = pytest.mark.django_db


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_scheduling_an_interview_keeps_what_was_typed_when_refused(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:interview-create", args=[application.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url,
        {
            **_date("day", tomorrow),
            "at": "25:99",
            "place": "Room 4, County Hall",
            "lead_officer": officer.pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a real time, like 10:30 or 2:30pm" in page and "Room 4, County Hall" in page
    assert 'class="govuk-error-summary"' in page
    response = client.post(
        url,
        {
            **_date("day", tomorrow),
            "at": "2:30pm",
            "place": "Room 4, County Hall",
            "lead_officer": officer.pk,
        },
    )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert timezone.localtime(interview.starts_at).strftime("%H:%M") == "14:30"
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Room 4, County Hall" in page and "Invitation to interview" in page


def test_an_interview_form_sent_twice_books_one_interview_and_one_letter(client, officer):
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
    assert "already has an interview at" in response.content.decode()
    assert Interview.objects.count() == 1
    assert application.letters.filter(kind="interview").count() == 1


def test_a_site_visit_form_sent_twice_arranges_one_visit(client, officer, team_leader):
    application = ActiveApplicationFactory()
    site = SiteFactory()
    client.force_login(officer)
    url = reverse("allocations:sitevisit-create", args=[application.pk])
    form = {
        "site": site.pk,
        **_date("day", timezone.localdate() + timedelta(days=2)),
        "at": "10:00",
        "first_officer": officer.pk,
        "second_officer": team_leader.pk,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, form)
    assert response.status_code == 400
    assert "already has a site visit at" in response.content.decode()
    assert SiteVisit.objects.count() == 1


def test_a_site_visit_with_one_officer_twice_is_refused_on_the_form(client, officer):
    application = ActiveApplicationFactory()
    site = SiteFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:sitevisit-create", args=[application.pk]),
        {
            "site": site.pk,
            **_date("day", timezone.localdate() + timedelta(days=2)),
            "at": "10:00",
            "first_officer": officer.pk,
            "second_officer": officer.pk,
        },
    )
    assert response.status_code == 400
    assert "visits need two" in response.content.decode()
    assert not SiteVisit.objects.exists()


def test_a_check_request_sent_twice_asks_the_partner_once(client, officer):
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
    assert "has not answered yet" in response.content.decode()
    assert application.checks.count() == 1
    # Asked for another purpose, it is a check of its own.
    other = {**form, "purpose": "Rent arrears for a transfer"}
    assert client.post(url, other).status_code == 302
    assert application.checks.count() == 2


def test_a_police_check_without_the_households_consent_is_refused_keeping_the_form(client, officer):
    application = ActiveApplicationFactory(consent_to_enquiries=False)
    police = partner("police", name="Northshire Police")
    client.force_login(officer)
    response = client.post(
        reverse("allocations:check-create", args=[application.pk]),
        {
            "partner": police.pk,
            "purpose": "Criminal record for a pitch offer",
            "legal_basis": "ISA 4.2",
            **_date("due_on", timezone.localdate() + timedelta(days=14)),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "has not consented to enquiries of the police and other councils" in page
    assert application.household.reference in page
    assert "Criminal record for a pitch offer" in page  # what was typed is kept
    assert not application.checks.exists()


def test_a_criminal_record_check_answer_is_recorded_and_shown_only_to_deciding_roles(
    client, officer, user_for_role
):
    application = ActiveApplicationFactory()
    police = partner("police", name="Northshire Police")
    client.force_login(officer)
    response = client.post(
        reverse("allocations:check-create", args=[application.pk]),
        {
            "partner": police.pk,
            "purpose": "Pitch offer",
            "legal_basis": "ISA 4.2",
            **_date("due_on", timezone.localdate() + timedelta(days=14)),
        },
    )
    assert response.status_code == 302
    check = application.checks.get()
    response = client.post(
        reverse("allocations:check-return", args=[check.pk]),
        {
            **_date("returned_on", timezone.localdate()),
            "outcome": "concerns",
            "notes": "Harassment caution, 2021",
        },
    )
    assert response.status_code == 302
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Harassment caution" not in page  # never on the case page: only on the check's own
    assert "Harassment caution" in client.get(check.get_absolute_url()).content.decode()
    client.force_login(user_for_role("head_of_service"))
    assert "Harassment caution" not in client.get(check.get_absolute_url()).content.decode()
    history = client.get(reverse("allocations:check-history", args=[check.pk])).content.decode()
    assert "Harassment caution" not in history


def test_the_vacancy_page_offers_the_next_in_order_and_shows_the_sequence(client, officer):
    vacancy, (first, second) = frozen_vacancy(officer, 90, 10)
    checks_back(first.application, officer)
    checks_back(second.application, officer)
    client.force_login(officer)
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert reverse("allocations:offer-create", args=[first.pk]) in page
    assert reverse("allocations:offer-create", args=[second.pk]) not in page
    response = client.post(
        reverse("allocations:offer-create", args=[first.pk]), _date("respond_by", in_a_week())
    )
    offer = Offer.objects.get()
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    response = client.post(
        reverse("allocations:offer-reply", args=[offer.pk]),
        {"reply": "refuse", **_date("responded_on", timezone.localdate())},
    )
    assert response.status_code == 400
    assert "Enter the household&#x27;s reason for refusing" in response.content.decode()
    client.post(
        reverse("allocations:offer-reply", args=[offer.pk]),
        {
            "reply": "refuse",
            **_date("responded_on", timezone.localdate()),
            "refusal_reason": "Too near the main road",
            "reasonable": "no",
        },
    )
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Too near the main road" in page
    assert reverse("allocations:offer-create", args=[second.pk]) in page


def test_team_leaders_decide_from_their_queue_but_never_their_own_proposal(
    client, officer, team_leader
):
    vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    client.force_login(officer)
    form = {
        f"clause_{c['code']}": "yes" for c in rules.decision_checklist(vacancy.policy_version.rules)
    }
    url = reverse("allocations:decision-propose", args=[offer.pk])
    # "Yes" to an interview and a visit the records do not show: refused, typing kept.
    response = client.post(url, {**form, "reasons": "Top"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The records say no interview is recorded as held" in page and "Top" in page
    notes = {"note_interview_held": "Held at home", "note_site_visit_held": "Walked round"}
    response = client.post(url, {**form, **notes, "reasons": "Top"})
    decision = AllocationDecision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()

    client.force_login(team_leader)
    queue = client.get(reverse("allocations:decision-queue")).content.decode()
    assert decision.get_absolute_url() in queue
    response = client.post(decision.get_absolute_url(), {"decision": "return"})
    assert response.status_code == 400
    assert "Say what the officer needs to put right" in response.content.decode()
    response = client.post(decision.get_absolute_url(), {"decision": "approve", "comments": "OK"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (
        decision.status == AllocationDecision.Status.APPROVED and decision.decided_by == team_leader
    )


def test_a_team_leader_who_proposed_sees_no_decision_form(client, team_leader):
    _vacancy, (entry,) = frozen_vacancy(team_leader, 50)
    checks_back(entry.application, team_leader)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=team_leader)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=team_leader)
    decision = services.decision_propose(
        offer=offer,
        answers=answers_as_records(offer),
        reasons="Top",
        by=team_leader,
    )
    client.force_login(team_leader)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "another team leader must decide it" in page and "Record decision" not in page
    assert client.post(decision.get_absolute_url(), {"decision": "approve"}).status_code == 403


def test_a_team_leader_who_made_the_offer_sees_no_decision_form(client, officer, team_leader):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=team_leader)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=officer
    )
    client.force_login(team_leader)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "You made the offer in this allocation" in page and "Record decision" not in page
    assert client.post(decision.get_absolute_url(), {"decision": "approve"}).status_code == 403
    decision.refresh_from_db()
    assert decision.status == AllocationDecision.Status.AWAITING


def test_the_decision_queue_takes_a_fixed_number_of_queries(
    client, officer, team_leader, django_assert_max_num_queries
):
    for _ in range(5):
        _vacancy, (entry,) = frozen_vacancy(officer, 50)
        checks_back(entry.application, officer)
        offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
        services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
        services.decision_propose(
            offer=offer,
            answers=answers_as_records(offer),
            reasons="r",
            by=officer,
        )
    client.force_login(team_leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("allocations:decision-queue"))
    assert response.content.decode().count("/allocations/decisions/") >= 5


def test_the_application_page_takes_a_query_for_each_kind_of_casework_however_many(client, officer):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    application = entry.application
    checks_back(application, officer)
    second = UserFactory(username="colleague", roles=["officer"])

    def casework(times: int) -> None:
        for _ in range(times):
            # Each booking at its own time: the same one twice is refused.
            soon = timezone.now() + timedelta(days=1, hours=application.interviews.count())
            services.interview_schedule(
                application=application,
                starts_at=soon,
                place="Office",
                lead_officer=officer,
                by=officer,
            )
            services.site_visit_arrange(
                application=application,
                site=SiteFactory(),
                starts_at=soon,
                officers=[officer, second],
                by=officer,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ran:
            assert client.get(application.get_absolute_url()).status_code == 200
        return len(ran)

    client.force_login(officer)
    client.get(application.get_absolute_url())  # the first request after sign-in
    before = queries()
    assert not application.letters.exists()
    casework(1)
    assert application.letters.exists()  # the interview's and the visit's letters
    once = queries()
    casework(3)
    # Interviews and site visits: one query more for each kind, never one for each record;
    # letters (like checks, offers and the other usual kinds) come with the application's own.
    assert once == before + 2 == queries() == CASEWORK_PAGE_QUERIES


def test_the_case_history_shows_every_step_but_no_check_answers(client, officer, team_leader):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    application = entry.application
    police = partner("police", name="Northshire Police")
    check = services.check_request(
        application=application,
        partner=police,
        purpose="Offer",
        legal_basis="ISA",
        due_on=timezone.localdate(),
        by=officer,
    )
    services.check_return(
        check=check,
        returned_on=timezone.localdate(),
        outcome="concerns",
        notes="Assault 2017",
        by=officer,
    )
    checks_back(application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_refuse(
        offer=offer,
        on=timezone.localdate(),
        reason="Too far from work",
        reasonable=True,
        by=officer,
    )
    client.force_login(team_leader)
    page = client.get(reverse("allocations:case-history", args=[application.pk])).content.decode()
    assert "Check: created" in page and "Offer: changed" in page and "Too far from work" in page
    assert "Assault 2017" not in page


def test_a_proposal_missing_its_reasons_and_a_note_is_told_both_at_once(client, officer):
    vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    client.force_login(officer)
    clauses = rules.decision_checklist(vacancy.policy_version.rules)
    form = {f"clause_{c['code']}": "yes" for c in clauses}
    # One clause left unanswered, one contradicting the records with no note, no reasons:
    # every problem is on the page after one submission, not one stage at a time.
    del form[f"clause_{clauses[0]['code']}"]
    response = client.post(reverse("allocations:decision-propose", args=[offer.pk]), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the reasons for the allocation" in page
    assert f"Answer: {clauses[0]['label']}" in page
    assert "The records say no interview is recorded as held" in page
    assert not AllocationDecision.objects.exists()


def test_an_interview_with_two_problems_is_told_both_at_once(client, officer):
    application = ActiveApplicationFactory()
    household = application.household
    household.interpreter_needed = True
    household.save()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:interview-create", args=[application.pk]),
        {
            **_date("day", timezone.localdate() + timedelta(days=1)),
            "at": "10:00",
            "place": "Room 4, County Hall",
            "lead_officer": officer.pk,
            "second_officer": officer.pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a different second officer, or none" in page
    assert "enter the language the interpreter is booked for" in page
    assert not Interview.objects.exists()


def test_an_offer_with_checks_outstanding_and_a_past_reply_date_is_told_both(client, officer):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:offer-create", args=[entry.pk]),
        _date("respond_by", timezone.localdate()),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The required checks are not all back" in page
    assert "The reply date must be after today" in page
    assert not Offer.objects.exists()


def test_the_casework_read_with_the_application_is_what_the_orm_reads(officer):
    """The usual kinds of casework come in the application's own query as JSON: each record,
    and each record it points to, has the values (and the order) the ORM's query gives."""
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    application = entry.application
    checks_back(application, officer)
    services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.application_assess(application=application, criteria=[], by=officer)
    upload = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 papers", content_type="application/pdf")
    upload.detected_content_type = "application/pdf"
    services.evidence_attach(
        application=application, kind="other", description="Proof", upload=upload, by=officer
    )
    ApplicationValidation.objects.create(
        application=application,
        policy_version=PolicyVersion.objects.filter(scheme=application.scheme).first(),
        answers=[],
        outcome=ApplicationValidation.Outcome.VALID,
        validated_by=officer,
    )
    read = selectors.application_detail_queryset().get(pk=application.pk)
    casework = selectors.prefetch_casework(read)

    def values(record, related: tuple[str, ...]) -> list:
        found = [field.value_from_object(record) for field in type(record)._meta.concrete_fields]
        for path in related:
            target = record
            for name in path.split("__"):
                target = getattr(target, name)
                found.append(values(target, ()) if target is not None else None)
        return found

    for kind, related in CASEWORK_FOLDED.items():
        expected = getattr(application, kind).select_related(*related)
        assert expected, kind
        assert [values(r, related) for r in casework[kind]] == [
            values(r, related) for r in expected
        ], kind


def test_the_application_query_is_built_once_a_day_and_handed_out_as_a_copy(monkeypatch):
    """The page's query (two dozen annotations) is built once a day in a process; each caller
    gets its own copy, so reading one never leaves rows in the one kept."""
    application = ActiveApplicationFactory()
    first = selectors.application_detail_queryset()
    assert first is not selectors.application_detail_queryset()
    assert list(first) == [application]
    later = ActiveApplicationFactory()
    assert set(selectors.application_detail_queryset()) == {application, later}
    today = selectors.application_detail_queryset().get(pk=application.pk).policy_today
    current = PolicyVersion.objects.filter(
        scheme=application.scheme, effective_from__lte=timezone.localdate()
    ).latest("effective_from")
    assert today["id"] == current.pk
    # Another day, another query: the day before the scheme's first version, none in force.
    earliest = PolicyVersion.objects.filter(scheme=application.scheme).earliest("effective_from")
    day_before = earliest.effective_from - timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day_before)
    assert selectors.application_detail_queryset().get(pk=application.pk).policy_today is None


# Links of the application page, each with the permission it needs: an active, assessed,
# open case (a pitch one: no band to correct) shows every one a role may follow.
PAGE_LINKS = {
    "Reasonable preference (CORE)": "change_application",
    "Ask for an override": "assess_application",
    "Schedule an interview": "add_interview",
    "Request a check": "add_duediligencecheck",
    "Arrange a site visit": "add_sitevisit",
    "Record a vulnerability interview": "add_vulnerabilityinterview",
}


@pytest.mark.parametrize(
    "role", ["officer", "team_leader", "auditor", "head_of_service", "business_support"]
)
def test_the_application_pages_links_follow_the_readers_permissions(client, user_for_role, role):
    _vacancy, (entry,) = frozen_vacancy(UserFactory(), 50)
    application = entry.application
    services.application_assess(application=application, criteria=[], by=UserFactory())
    user = user_for_role(role)
    client.force_login(user)
    response = client.get(reverse("allocations:application-detail", args=[application.pk]))
    if not user.has_perm("allocations.view_application"):
        assert response.status_code == 403
        return
    page = response.content.decode()
    for link, codename in PAGE_LINKS.items():
        assert (link in page) == user.has_perm(f"allocations.{codename}"), (role, link)
    assert bare_links(page) == []


def test_the_site_visit_form_offers_only_open_sites_of_the_kind_applied_for(client, officer):
    open_site = SiteFactory(name="Oak Lane")
    SiteFactory(name="Old Quarry", status=Site.Status.CLOSED)
    SiteFactory(name="Elm Court", kind=Site.Kind.HOUSING_SCHEME)
    application = ActiveApplicationFactory()  # for a pitch
    client.force_login(officer)
    url = reverse("allocations:sitevisit-create", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Oak Lane" in page
    assert "Old Quarry" not in page and "Elm Court" not in page
    closed = Site.objects.get(name="Old Quarry")
    response = client.post(url, {"site": closed.pk, "at": "10:00"})
    assert "Select an open site from the list" in response.content.decode()
    assert not SiteVisit.objects.exists() and open_site.status == Site.Status.OPEN
