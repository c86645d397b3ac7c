import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from allocations import services
from allocations.lifecycles import APPLICATION
from allocations.models import (
    Application,
    Assessment,
    PolicyVersion,
    Scheme,
    Vacancy,
)
from sites import services as site_services
from sites.models import Site, Unit
from tests.allocations.cbl import legacy_bid
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    HouseholdWithPeopleFactory,
    VacancyFactory,
    pitch_policy,
)
from tests.factories import SiteFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


def test_the_default_policies_are_published_by_a_migration():
    assert PolicyVersion.objects.filter(scheme=Scheme.PITCH, version=1).exists()
    assert PolicyVersion.objects.filter(scheme=Scheme.CBL, version=1).exists()


def test_a_published_policy_version_cannot_be_changed_in_the_database():
    version = PolicyVersion.objects.get(scheme=Scheme.PITCH, version=1)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        PolicyVersion.objects.filter(pk=version.pk).update(name="Rewritten")


def test_publishing_a_new_version_keeps_the_old_one_and_takes_effect_from_its_date(administrator):
    old = PolicyVersion.objects.get(scheme=Scheme.PITCH, version=1)
    rules = dict(old.rules, lapse_months=18)
    new = services.policy_publish(
        scheme=Scheme.PITCH,
        name=old.name,
        effective_from=TODAY + timedelta(days=30),
        policy_rules=rules,
        by=administrator,
    )
    assert new.version == old.version + 1
    assert services.policy_in_force(scheme=Scheme.PITCH, on=TODAY) == old
    assert services.policy_in_force(scheme=Scheme.PITCH, on=TODAY + timedelta(days=30)) == new
    old.refresh_from_db()
    assert old.rules["lapse_months"] == 12


def test_a_version_cannot_take_effect_before_the_latest_one(administrator):
    old = PolicyVersion.objects.get(scheme=Scheme.PITCH, version=1)
    with pytest.raises(ValidationError, match="must take effect after"):
        services.policy_publish(
            scheme=Scheme.PITCH,
            name="x",
            effective_from=old.effective_from,
            policy_rules=old.rules,
            by=administrator,
        )


def test_a_broken_policy_is_refused_with_its_problems(administrator):
    rules = dict(pitch_policy().rules, tie_breakers=["shoe_size"])
    with pytest.raises(ValidationError) as error:
        services.policy_publish(
            scheme=Scheme.PITCH,
            name="x",
            effective_from=TODAY + timedelta(days=400),
            policy_rules=rules,
            by=administrator,
        )
    assert "shoe_size" in " ".join(error.value.messages)


def test_an_application_moves_from_draft_to_active_when_validated(officer):
    application = ApplicationFactory()
    services.application_submit(application=application, by=officer)
    answers = {item["code"]: {"met": True} for item in pitch_policy().rules["eligibility"]}
    answers |= {item["code"]: {"met": False} for item in pitch_policy().rules["exclusions"]}
    validation = services.application_validate(application=application, answers=answers, by=officer)
    application.refresh_from_db()
    assert validation.outcome == "valid" and application.status == Application.Status.ACTIVE


def test_an_application_that_fails_a_rule_is_invalid_with_the_reason(officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    eligibility = pitch_policy().rules["eligibility"]
    answers = {item["code"]: {"met": True} for item in eligibility}
    answers[eligibility[0]["code"]] = {"met": False, "note": "Aged 17"}
    answers |= {item["code"]: {"met": False} for item in pitch_policy().rules["exclusions"]}
    validation = services.application_validate(application=application, answers=answers, by=officer)
    application.refresh_from_db()
    assert application.status == Application.Status.INVALID
    assert validation.reasons == [f"Not met: {eligibility[0]['label']}"]
    assert eligibility[0]["label"] in application.status_reason


def test_consent_to_enquiries_is_not_met_where_the_application_records_none(officer):
    application = ApplicationFactory(
        status=Application.Status.SUBMITTED, consent_to_enquiries=False
    )
    answers = {item["code"]: {"met": True} for item in pitch_policy().rules["eligibility"]}
    answers |= {item["code"]: {"met": False} for item in pitch_policy().rules["exclusions"]}
    with pytest.raises(ValidationError, match="has not consented to enquiries"):
        services.application_validate(application=application, answers=answers, by=officer)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.validations.exists()
    # Answered as it stands, the application is invalid for it.
    answers["consent_to_enquiries"] = {"met": False, "note": "Not given"}
    validation = services.application_validate(application=application, answers=answers, by=officer)
    assert validation.outcome == "invalid"
    assert validation.reasons == ["Not met: Consent to enquiries of the police and other councils"]


def test_validation_must_answer_every_checklist_item(officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="Answer: "):
        services.application_validate(application=application, answers={}, by=officer)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Application.Status.DRAFT, Application.Status.ACTIVE),
        (Application.Status.WITHDRAWN, Application.Status.ACTIVE),
        (Application.Status.HOUSED, Application.Status.SUSPENDED),
        (Application.Status.INVALID, Application.Status.HOUSED),
    ],
)
def test_impossible_status_changes_are_refused_with_a_message(officer, start, to):
    application = ApplicationFactory(status=start)
    with pytest.raises(ValidationError, match="cannot become"):
        services.application_transition(application=application, to=to, reason="x", by=officer)


@pytest.mark.parametrize("to", [Application.Status.ACTIVE, Application.Status.INVALID])
def test_a_submitted_application_is_made_active_or_invalid_only_by_validating_it(officer, to):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="only by validating it"):
        services.application_transition(
            application=application, to=to, reason="Looks fine to me", by=officer
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_assessment_scores_under_the_policy_and_explains_why(officer):
    application = ActiveApplicationFactory()
    criterion = pitch_policy().rules["criteria"][0]
    assessment = services.application_assess(
        application=application,
        criteria=[{"code": criterion["code"], "evidence": "Letter from the council"}],
        local_connection=1,
        by=officer,
    )
    application.refresh_from_db()
    assert application.points == criterion["points"] == assessment.points
    assert any(criterion["label"] in reason for reason in assessment.reasons)
    assert application.bedroom_need == assessment.bedroom_need >= 1
    assert assessment.policy_version == pitch_policy()
    assert application.local_connection == 1


def test_a_criterion_without_evidence_is_refused(officer):
    criterion = pitch_policy().rules["criteria"][0]
    with pytest.raises(ValidationError, match="Say what evidence shows"):
        services.application_assess(
            application=ActiveApplicationFactory(),
            criteria=[{"code": criterion["code"], "evidence": " "}],
            by=officer,
        )


def test_reassessing_keeps_one_current_assessment(officer):
    application = ActiveApplicationFactory()
    services.application_assess(application=application, criteria=[], by=officer)
    services.application_assess(application=application, criteria=[], by=officer)
    assert application.assessments.filter(is_current=True).count() == 1
    assert application.assessments.count() == 2


def test_an_override_needs_a_team_leader_who_did_not_ask_for_it(officer, team_leader):
    application = ActiveApplicationFactory()
    assessment = services.application_assess(application=application, criteria=[], by=officer)
    services.assessment_override_request(
        assessment=assessment, points=200, reason="Exceptional welfare need", by=team_leader
    )
    assessment.refresh_from_db()
    assert assessment.override_requested_by == team_leader  # on the row, not read from history
    with pytest.raises(ValidationError, match="someone else must decide"):
        services.assessment_override_decide(
            assessment=assessment, approve=True, note="Agreed", by=team_leader
        )
    with pytest.raises(PermissionDenied, match="Only a team leader"):
        services.assessment_override_decide(
            assessment=assessment, approve=True, note="Agreed", by=officer
        )


def test_an_override_of_an_assessment_since_replaced_is_not_approved(officer, team_leader):
    application = ActiveApplicationFactory()
    first = services.application_assess(application=application, criteria=[], by=officer)
    services.assessment_override_request(
        assessment=first, points=200, reason="Exceptional welfare need", by=officer
    )
    criterion = pitch_policy().rules["criteria"][0]
    services.application_assess(
        application=application,
        criteria=[{"code": criterion["code"], "evidence": "Letter from the GP"}],
        by=officer,
    )
    with pytest.raises(ValidationError, match="replaced by a newer one"):
        services.assessment_override_decide(
            assessment=first, approve=True, note="Agreed", by=team_leader
        )
    application.refresh_from_db()
    assert application.points == criterion["points"]  # the newer assessment's priority stands
    services.assessment_override_decide(
        assessment=first, approve=False, note="Reassessed since", by=team_leader
    )
    first.refresh_from_db()
    assert first.override_status == Assessment.Override.REJECTED


def test_an_approved_override_changes_the_priority_with_the_reason(officer, team_leader):
    application = ActiveApplicationFactory()
    assessment = services.application_assess(application=application, criteria=[], by=officer)
    services.assessment_override_request(
        assessment=assessment, points=200, reason="Exceptional welfare need", by=officer
    )
    services.assessment_override_decide(
        assessment=assessment, approve=True, note="Agreed after case review", by=team_leader
    )
    application.refresh_from_db()
    assert application.points == 200
    assert application.history.latest().history_change_reason.startswith("Override approved")
    assessment.refresh_from_db()
    assert assessment.override_status == Assessment.Override.APPROVED


def test_dates_change_only_with_a_reason_and_are_audited(officer):
    application = ActiveApplicationFactory()
    with pytest.raises(ValidationError, match="Enter the reason for this change"):
        services.application_dates_change(
            application=application, effective_date=date(2024, 3, 1), reason="", by=officer
        )
    services.application_dates_change(
        application=application,
        registration_date=date(2024, 1, 1),
        effective_date=date(2024, 3, 1),
        reason="Backdated: medical evidence received in March was not acted on",
        by=officer,
    )
    latest = application.history.latest()
    assert latest.effective_date == date(2024, 3, 1)
    assert latest.history_change_reason.startswith("Backdated")


def test_a_vacancy_needs_a_void_unit(officer):
    with pytest.raises(ValidationError, match="is occupied: it can be advertised once"):
        services.vacancy_create(
            unit=UnitFactory(),
            scheme=Scheme.PITCH,
            by=officer,
            advert_text="Pitch",
            opens_on=TODAY,
            closes_on=TODAY + timedelta(days=14),
        )


def test_a_void_pitch_on_a_closed_site_is_not_advertised(officer):
    closed = SiteFactory(status=Site.Status.CLOSED)
    unit = UnitFactory(
        site=closed,
        status=Unit.Status.VOID,
        void_date=TODAY,
        void_reason=Unit.VoidReason.OTHER,
    )
    with pytest.raises(ValidationError, match="is closed: its units cannot be advertised"):
        services.vacancy_create(
            unit=unit,
            scheme=Scheme.PITCH,
            by=officer,
            advert_text="Pitch",
            opens_on=TODAY,
            closes_on=TODAY + timedelta(days=14),
        )
    unit.refresh_from_db()
    assert unit.status == Unit.Status.VOID and not unit.vacancies.exists()


def test_a_site_cannot_close_while_one_of_its_units_is_being_let(officer):
    vacancy = VacancyFactory()
    site = vacancy.unit.site
    being_let = f"units are being let \\({vacancy.unit.reference}\\)"
    with pytest.raises(ValidationError, match=being_let):
        site_services.site_update(
            site=site, by=officer, reason="Site shut for works", status=Site.Status.CLOSED
        )
    site.refresh_from_db()
    assert site.status == Site.Status.OPEN
    services.vacancy_withdraw(vacancy=vacancy, reason="Site shutting for works", by=officer)
    site_services.site_update(
        site=site, by=officer, reason="Site shut for works", status=Site.Status.CLOSED
    )
    site.refresh_from_db()
    assert site.status == Site.Status.CLOSED


def test_only_active_applications_of_the_same_scheme_can_express_interest(officer):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    with pytest.raises(ValidationError, match="not active"):
        services.bid_place(vacancy=vacancy, application=ApplicationFactory(), by=officer)
    with pytest.raises(ValidationError, match="different scheme"):
        services.bid_place(
            vacancy=vacancy, application=ActiveApplicationFactory(scheme=Scheme.CBL), by=officer
        )


def _shortlist(officer, *applications, **vacancy_fields):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, **vacancy_fields)
    for application in applications:
        services.bid_place(vacancy=vacancy, application=application, by=officer)
    return vacancy


def test_freezing_ranks_by_the_policy_and_explains_every_position(officer):
    low = ActiveApplicationFactory(points=10, effective_date=date(2023, 1, 1))
    high = ActiveApplicationFactory(points=90, effective_date=date(2025, 1, 1))
    tie_early = ActiveApplicationFactory(points=10, effective_date=date(2022, 6, 1))
    vacancy = _shortlist(officer, low, high, tie_early)
    entries = services.shortlist_freeze(vacancy=vacancy, by=officer)
    ranked = sorted((e for e in entries if e.eligible), key=lambda e: e.position)
    assert [e.application_id for e in ranked] == [high.pk, tie_early.pk, low.pk]
    assert "points" in ranked[1].explanation
    assert "effective date" in ranked[2].explanation and "1 June 2022" in ranked[2].explanation
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED and vacancy.policy_version == pitch_policy()


def test_ineligible_bids_are_listed_with_their_reason(officer):
    big = ActiveApplicationFactory(household=HouseholdWithPeopleFactory(people=5))
    small = ActiveApplicationFactory(household=HouseholdWithPeopleFactory(people=2))
    vacancy = _shortlist(officer, big, small, max_household_size=4)
    entries = {e.application_id: e for e in services.shortlist_freeze(vacancy=vacancy, by=officer)}
    assert not entries[big.pk].eligible and entries[big.pk].position is None
    assert "Household of 5 is larger than the 4" in entries[big.pk].ineligible_reason
    assert entries[small.pk].position == 1


def test_a_frozen_shortlist_cannot_be_frozen_again(officer):
    vacancy = _shortlist(officer, ActiveApplicationFactory())
    services.shortlist_freeze(vacancy=vacancy, by=officer)
    with pytest.raises(ValidationError, match="already frozen"):
        services.shortlist_freeze(vacancy=vacancy, by=officer)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("registration_date", "The registration date cannot be in the future"),
        ("effective_date", "The effective date cannot be in the future"),
    ],
)
def test_a_date_in_the_future_is_refused_on_its_field_and_nothing_changes(officer, field, message):
    application = ActiveApplicationFactory()
    before = (application.registration_date, application.effective_date)
    with pytest.raises(ValidationError) as refused:
        services.application_dates_change(
            application=application,
            reason="Typed 2099 by mistake",
            by=officer,
            **{field: date(2099, 1, 1)},
        )
    assert refused.value.message_dict == {field: [message]}
    application.refresh_from_db()
    assert (application.registration_date, application.effective_date) == before
    assert not application.corrections.exists()


def test_replay_gives_the_same_order_and_shows_what_a_correction_would_change(officer):
    first = ActiveApplicationFactory(points=50, effective_date=date(2024, 5, 1))
    second = ActiveApplicationFactory(points=50, effective_date=date(2024, 6, 1))
    vacancy = _shortlist(officer, first, second)
    services.shortlist_freeze(vacancy=vacancy, by=officer)
    replay = services.shortlist_replay(vacancy=vacancy)
    assert replay.same_as_frozen and not replay.changed_by_corrections
    services.application_dates_change(
        application=second,
        effective_date=date(2024, 3, 1),
        registration_date=date(2024, 1, 1),
        reason="Backdated after review",
        by=officer,
    )
    replay = services.shortlist_replay(vacancy=vacancy)
    assert replay.same_as_frozen and replay.changed_by_corrections
    moved = {line.application_id: line for line in replay.lines}
    assert (moved[second.pk].frozen_position, moved[second.pk].current_position) == (2, 1)


def test_bypassing_needs_a_reason(officer):
    vacancy = _shortlist(officer, ActiveApplicationFactory())
    entry = next(e for e in services.shortlist_freeze(vacancy=vacancy, by=officer) if e.eligible)
    with pytest.raises(ValidationError, match="Enter the reason for this change"):
        services.shortlist_bypass(entry=entry, reason=" ", by=officer)
    services.shortlist_bypass(entry=entry, reason="Needs ground floor access", by=officer)
    entry.refresh_from_db()
    assert entry.bypass_reason == "Needs ground floor access" and entry.bypassed_by == officer


def test_two_officers_freezing_at_once_give_one_shortlist(transactional_db, officer):
    vacancy = _shortlist(officer, ActiveApplicationFactory(), ActiveApplicationFactory())
    results, barrier = [], threading.Barrier(2)

    def freeze():
        try:
            barrier.wait()
            services.shortlist_freeze(vacancy=vacancy, by=officer)
            results.append("frozen")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=freeze) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["This shortlist is already frozen.", "frozen"]
    assert vacancy.shortlist.count() == 2


def test_shortlist_ranking_takes_a_constant_number_of_queries(
    officer, django_assert_max_num_queries
):
    vacancy = _shortlist(officer, *ActiveApplicationFactory.create_batch(30))
    with django_assert_max_num_queries(3):
        snapshots = services.shortlist_snapshots(vacancy, on=vacancy.closes_on)
    assert len(snapshots) == 30


@pytest.mark.parametrize("scheme", [Scheme.PITCH, Scheme.CBL])
def test_the_database_ranks_in_exactly_the_policys_order(officer, scheme):
    """Freezing ranks with SQL; the rules check every pair while explaining. Awkward data —
    ties, missing values, every tier — must never make the two disagree."""
    import random

    from allocations import rules

    rng = random.Random(7)
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, scheme=scheme)
    for _ in range(40):
        application = ActiveApplicationFactory(
            scheme=scheme,
            points=rng.choice([None, 0, 20, 20, 50]),
            band=rng.choice([None, 1, 2, 2, 3, 4]),
            local_connection=rng.choice([None, 1, 2, 3]),
            effective_date=date(2024, 1, 1) + timedelta(days=rng.choice([0, 0, 30, 400])),
        )
        if scheme == Scheme.CBL:
            # An advert outside any cycle, as the data of that time holds it (bids on one
            # are refused now): the ranking alone is under test.
            legacy_bid(application, vacancy, officer)
        else:
            services.bid_place(vacancy=vacancy, application=application, by=officer)
    entries = services.shortlist_freeze(vacancy=vacancy, by=officer)  # raises if out of order
    frozen = [e.application_id for e in sorted(entries, key=lambda e: e.position)]
    policy = services.policy_in_force(scheme=scheme, on=vacancy.closes_on)
    order = [rules.TieBreaker(rule) for rule in policy.rules["tie_breakers"]]
    python = rules.rank_order([services.snapshot_candidate(e.snapshot) for e in entries], order)
    assert frozen == [candidate.application_id for candidate in python]


def test_a_server_writing_dates_another_way_gives_the_same_snapshots(officer):
    """Ranking reads a shortlist's dates as the ISO text the server sends; a server whose
    DateStyle writes them another way gives the same snapshots, and the connection's other
    queries read dates as dates all along."""
    vacancy = _shortlist(officer, *ActiveApplicationFactory.create_batch(3))
    iso = services.shortlist_snapshots(vacancy, on=vacancy.closes_on)
    assert isinstance(Application.objects.values_list("effective_date", flat=True)[0], date)
    with connection.cursor() as cursor:
        cursor.execute("SET datestyle = 'SQL, DMY'")
    try:
        assert services.shortlist_snapshots(vacancy, on=vacancy.closes_on) == iso
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET datestyle")
    assert {snapshot["lead_age"] for snapshot in iso} != {None}
    assert {s["application_id"]: s["registration_date"] for s in iso} == {
        a.pk: a.registration_date.isoformat()
        for a in Application.objects.filter(pk__in=[s["application_id"] for s in iso])
    }


# Refusing registration and admitting a refused household go through the qualification
# rules and their review (tests/allocations/test_registration.py), and a submitted application
# is made active or invalid by validating it, never by a bare status change.
REGISTRATION_DECISIONS = {
    ("submitted", "refused"),
    ("active", "refused"),
    ("refused", "active"),
    ("submitted", "active"),
    ("submitted", "invalid"),
}


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (start, to)
        for start, targets in APPLICATION.transitions.items()
        for to in sorted(targets)
        if (start, to) not in REGISTRATION_DECISIONS
    ],
)
def test_every_allowed_status_change_is_made_with_its_reason(officer, start, to):
    application = ApplicationFactory(status=start)
    services.application_transition(
        application=application, to=to, reason="Household asked by phone", by=officer
    )
    application.refresh_from_db()
    assert application.status == to
    assert application.history.latest().history_change_reason == "Household asked by phone"


def test_two_officers_bypassing_the_same_applicant_at_once_record_one_bypass(
    transactional_db, officer, team_leader
):
    vacancy = _shortlist(officer, ActiveApplicationFactory(), ActiveApplicationFactory())
    entry = next(e for e in services.shortlist_freeze(vacancy=vacancy, by=officer) if e.eligible)
    results, barrier = [], threading.Barrier(2)

    def bypass(user, reason):
        try:
            barrier.wait()
            services.shortlist_bypass(entry=entry, reason=reason, by=user)
            results.append("bypassed")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    # Two team leaders (whose bypass needs nobody else's agreement) at the same moment.
    other_leader = UserFactory(username="leader-two", roles=["team_leader"])
    threads = [
        threading.Thread(target=bypass, args=(other_leader, "Needs ground-floor access")),
        threading.Thread(target=bypass, args=(team_leader, "Refused a similar pitch")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["This applicant has already been bypassed.", "bypassed"]
    entry.refresh_from_db()
    assert entry.history.filter(history_change_reason__startswith="Bypassed").count() == 1


def test_the_override_requester_migration_fills_existing_rows_from_history(officer, team_leader):
    """Migration 0008 names who asked for each existing override, as the history recorded."""
    import importlib

    from django.apps import apps

    from allocations.models import Assessment

    migration = importlib.import_module("allocations.migrations.0008_override_requested_by")
    assessment = services.application_assess(
        application=ActiveApplicationFactory(), criteria=[], by=officer
    )
    services.assessment_override_request(
        assessment=assessment, band=1, reason="Exceptional welfare need", by=team_leader
    )
    Assessment.objects.filter(pk=assessment.pk).update(override_requested_by=None)
    migration.requester_from_history(apps, None)
    assessment.refresh_from_db()
    assert assessment.override_requested_by == team_leader
