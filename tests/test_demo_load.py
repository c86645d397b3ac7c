import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from config.management.commands.demo_load import DEMO_PASSWORD, DEMO_PROJECT, DEMO_USERS
from config.roles import ROLES
from projects.models import Project, WorkItem
from residents.models import Household, Person
from sites.models import Site, Unit

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_user_for_every_role_who_can_sign_in():
    call_command("demo_load", verbosity=0)
    assert {role for *_, role in DEMO_USERS} == {role.name for role in ROLES}
    for username, *_ in DEMO_USERS:
        assert get_user_model().objects.get(username=username).check_password(DEMO_PASSWORD)


def test_demo_data_has_pitch_sites_and_a_housing_estate_and_loads_once():
    call_command("demo_load", verbosity=0)
    counts = (Site.objects.count(), Unit.objects.count())
    # One household reference format, the app's own (H-000123), demo and app alike.
    references = list(Household.objects.values_list("reference", flat=True))
    assert references and all(re.fullmatch(r"H-\d{6}", ref) for ref in references)
    assert Site.objects.filter(kind=Site.Kind.HOUSING_SCHEME).exists()
    assert Unit.objects.filter(kind=Unit.Kind.PITCH).count() > 50
    call_command("demo_load", verbosity=0)
    assert (Site.objects.count(), Unit.objects.count()) == counts


def test_scale_data_is_deterministic_for_a_seed():
    call_command("demo_load", scale=1, seed=7, verbosity=0)
    first = list(Unit.objects.order_by("pk").values_list("reference", "status", "weekly_charge"))
    people = Person.objects.count()
    assert Site.objects.filter(reference__startswith="SC-").count() == 12
    assert people > 3000
    # A fresh database and the same seed give the same data.
    Person.objects.all().delete()
    from residents.models import Household

    Household.objects.all().delete()
    Unit.objects.all().delete()
    Site.objects.all().delete()
    call_command("demo_load", scale=1, seed=7, verbosity=0)
    second = list(Unit.objects.order_by("pk").values_list("reference", "status", "weekly_charge"))
    assert second == first and Person.objects.count() == people


def test_demo_has_the_head_of_services_project_with_work_in_the_officers_queues():
    call_command("demo_load", verbosity=0)
    project = Project.objects.get(name=DEMO_PROJECT)
    assert project.lead.username == "head"
    today = timezone.localdate()
    tasks = list(project.tasks.select_related("assignee"))
    assert {t.assignee.username for t in tasks} == {"officer", "officer2"}
    assert any(t.is_overdue for t in tasks)
    assert any(t.due_on == today + timedelta(days=1) for t in tasks)
    assert any(t.status == WorkItem.Status.DONE for t in tasks)
    assert project.milestones.count() == 1 and project.risks.count() == 1
    assert project.history.get().history_user == project.lead
    work_before = WorkItem.objects.count()
    call_command("demo_load", verbosity=0)
    assert WorkItem.objects.count() == work_before  # loading again adds nothing
    # Other apps put their own work in queues too (the census demo's follow-ups): count tasks.
    projects_tasks = WorkItem.objects.filter(project__isnull=False).count()
    assert (Project.objects.count(), projects_tasks) == (1, 3)


def test_demo_data_shows_applications_at_each_stage_and_an_advertised_vacancy():
    from allocations.models import Application, BandReview, Scheme, Vacancy

    call_command("demo_load", verbosity=0)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "invalid", "active"} <= statuses
    # The pitch scheme's advertised vacancy (the CBL demo's adverts are its own).
    vacancy = Vacancy.objects.get(scheme=Scheme.PITCH, status=Vacancy.Status.ADVERTISED)
    assert vacancy.bids.count() >= 1
    assert Application.objects.get(status="invalid").letters.count() == 1
    # The lettings register's refused registration, its review asked for (issue 13).
    refused = Application.objects.get(status="refused")
    assert refused.letters.get().kind == "registration_refused"
    assert refused.registration_refusals.get().review == "requested"
    # A lettings household told its band by letter has asked for a review of it.
    review = BandReview.objects.get()
    assert review.outcome == "awaited"
    assert review.application.letters.filter(kind="assessment_decision").count() == 1


def test_demo_has_a_case_part_way_from_shortlist_to_offer():
    from allocations import services
    from allocations.models import Partner, Scheme, Vacancy

    call_command("demo_load", verbosity=0)
    assert Partner.objects.count() == 5
    # The pitch scheme's case (the CBL demo's lettings are its own).
    closed = Vacancy.objects.get(scheme=Scheme.PITCH, status=Vacancy.Status.CLOSED)
    top = services.next_in_order(closed).application
    assert top.interviews.get().status == "scheduled"
    assert services.checks_outstanding(top) == ["Police"]
    vacancies = Vacancy.objects.count()
    call_command("demo_load", verbosity=0)
    assert Partner.objects.count() == 5 and Vacancy.objects.count() == vacancies
    assert Vacancy.objects.filter(scheme=Scheme.PITCH).count() == 2


def test_demo_has_a_printed_handbook_a_licence_to_sign_and_a_signed_one(settings, tmp_path):
    from residents.models import HandbookEdition, Licence

    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)
    assert HandbookEdition.objects.filter(status="ready").count() == 1
    assert set(Licence.objects.values_list("status", flat=True)) == {"draft", "live"}
    live = Licence.objects.get(  # the census adds others
        status="live", signing__isnull=False, kind=Licence.Kind.PITCH
    )
    assert live.visit.visited_on is not None and live.signing.agreement.status == "ready"
    # A council home let on an introductory tenancy, signed, the keys handed over.
    tenancy = Licence.objects.get(kind=Licence.Kind.INTRODUCTORY)
    assert tenancy.status == "live" and tenancy.unit.kind == "home"
    assert tenancy.keys_handed_over_on is not None and tenancy.weekly_rent is not None
    assert tenancy.signing.agreement.kind == "tenancy_agreement"
    assert tenancy.signing.agreement.status == "ready"


def test_no_unit_in_the_demo_is_in_two_letting_states_at_once(settings, tmp_path):
    """Every unit's one letting state agrees with its vacancies, offers and agreements."""
    from django.db import connection

    from allocations.models import Vacancy
    from residents.models import Licence

    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)
    for unit in Unit.objects.prefetch_related("vacancies__offers", "licences"):
        open_vacancies = [v for v in unit.vacancies.all() if v.is_open]
        live_offers = [
            o for v in open_vacancies for o in v.offers.all() if o.status in ("open", "accepted")
        ]
        statuses = {lic.status for lic in unit.licences.all()}
        pending = statuses & set(Licence.PENDING_STATUSES)
        if open_vacancies:
            expected = {Unit.Status.UNDER_OFFER if live_offers else Unit.Status.ADVERTISED}
        elif Licence.Status.LIVE in statuses:
            expected = {Unit.Status.OCCUPIED}
        elif pending:
            expected = {Unit.Status.ALLOCATED}
        else:
            expected = {Unit.Status.VOID, Unit.Status.OCCUPIED, Unit.Status.UNAVAILABLE}
        assert unit.status in expected, f"{unit} is {unit.status}"
        assert len(open_vacancies) <= 1 and not (open_vacancies and (pending or "live" in statuses))
        assert Vacancy.objects.filter(unit=unit, status__in=Vacancy.OPEN_STATUSES).count() <= 1
    # And the database's own check agrees, unit by unit.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT letting_unit_check(id, true) FROM sites_unit) checked"
        )
        assert cursor.fetchone()[0] == Unit.objects.count()


def test_demo_has_a_correction_that_would_have_changed_the_let_homes_shortlist():
    from allocations.models import Correction
    from allocations.selectors import correction_replay

    call_command("demo_load", verbosity=0)
    correction = Correction.objects.get(field="band")
    assert correction.awaiting_remedy
    (changed,) = correction_replay(correction).changed
    assert changed.let_to and changed.let_on and changed.ahead_of_let
    call_command("demo_load", verbosity=0)
    assert Correction.objects.filter(field="band").count() == 1


def test_demo_new_build_plan_has_a_working_share_and_no_recent_asb_on_its_shortlist():
    from allocations.models import LocalLettingsPlan, ShortlistEntry

    call_command("demo_load", verbosity=0)
    plan = LocalLettingsPlan.objects.get(name="Shorncliffe new homes")
    assert (plan.working_share, plan.no_recent_asb, plan.asb_months) == (50, "priority", 12)
    assert plan.is_approved
    lines = ShortlistEntry.objects.filter(vacancy__local_lettings_plan=plan, eligible=True)
    reasons = [line.priority_reason for line in lines]
    assert reasons and all("local lettings plan's priority" in reason for reason in reasons)
    assert any("plan share: no lets so far under the plan, below 50%" in r for r in reasons)


def test_demo_resale_has_a_letter_for_each_step():
    from allocations.demo_resales import DEMO_RESALE_ADDRESS
    from allocations.models import Letter, ResaleCase

    call_command("demo_load", verbosity=0)
    case = ResaleCase.objects.get(address=DEMO_RESALE_ADDRESS)
    letters = {(letter.kind, letter.addressee) for letter in case.letters.all()}
    assert letters == {
        (Letter.Kind.RESALE_NOTICE, "Dan Green"),
        (Letter.Kind.RESALE_VALUATION, "Dan Green"),
        (Letter.Kind.RESALE_NOMINATED, "Dan Green"),
        (Letter.Kind.RESALE_NOMINEE, "Priya Shah"),
        (Letter.Kind.RESALE_NOT_ELIGIBLE, "Ellen Marsh"),
    }


def test_demo_lettings_policy_lists_every_parish_the_demo_uses_in_a_version_of_its_own():
    from allocations import services
    from allocations.models import HouseholdConnection, PolicyVersion, Scheme, Vacancy

    call_command("demo_load", verbosity=0)
    today = timezone.localdate()
    in_force = services.policy_in_force(scheme=Scheme.CBL, on=today)
    local = in_force.policy.lettings.local_connection
    assert in_force.version == 2 and "Hythe" in local.parishes
    used = {
        *HouseholdConnection.objects.values_list("parish", flat=True),
        *Vacancy.objects.exclude(parish="").values_list("parish", flat=True),
        *Site.objects.exclude(parish="").values_list("parish", flat=True),
    }
    assert used and all(local.parish_named(parish) == parish for parish in used)
    # Every frozen lettings shortlist was ranked under the version with the list.
    assert set(
        Vacancy.objects.filter(scheme=Scheme.CBL, policy_version__isnull=False).values_list(
            "policy_version__version", flat=True
        )
    ) == {2}
    # Version 1 is as it was published: no list, a parish is free text under it.
    first = PolicyVersion.objects.get(scheme=Scheme.CBL, version=1)
    assert "local_connection" not in first.rules
    assert first.policy.lettings.local_connection.parishes == ()


def test_demo_pitch_policy_no_longer_names_the_repealed_housing_act_section():
    # The Housing Act 2004 s.225 duty and its definition were repealed by the Housing and
    # Planning Act 2016 s.124: version 1 (published by a migration) named it; the demo
    # publishes version 2 without it, nothing else changed, and version 1 stays as it was.
    from allocations import services
    from allocations.models import Application, PolicyVersion, Scheme

    call_command("demo_load", verbosity=0)
    in_force = services.policy_in_force(scheme=Scheme.PITCH, on=timezone.localdate())
    first = PolicyVersion.objects.get(scheme=Scheme.PITCH, version=1)
    assert in_force.version == 2
    assert "s.225" not in str(in_force.rules) and "s.225" in str(first.rules)
    labels = [item.label for item in in_force.policy.eligibility]
    assert "Gypsy or Traveller status (ethnicity, or the planning definition)" in labels
    changed = {key for key in first.rules if first.rules[key] != in_force.rules[key]}
    assert changed == {"eligibility"}
    assert Application.objects.filter(scheme=Scheme.PITCH).exists()


def test_demo_bids_on_choice_based_homes_only_in_a_cycle_and_nominates_at_its_close():
    from allocations.models import Bid, Nomination, Scheme, Vacancy
    from config.history import system_user

    call_command("demo_load", verbosity=0)
    assert Bid.objects.filter(vacancy__scheme=Scheme.CBL).exists()
    assert not Bid.objects.filter(vacancy__scheme=Scheme.CBL, vacancy__cycle=None).exists()
    first, second = Vacancy.objects.filter(unit__site__name="Orchard Rise").order_by("unit")
    assert first.cycle == second.cycle and first.cycle.frozen_at is not None
    # Each flat nominated at the close, by the system, to the first on its shortlist.
    rejected, let = first.nominations.order_by("pk")
    assert rejected.sent_by == system_user() and rejected.position == 1
    assert (rejected.status, rejected.rejection_reason) == ("rejection_accepted", "affordability")
    assert let.status == Nomination.Status.LET and let.position > 1
    (waiting,) = second.nominations.all()
    assert waiting.sent_by == system_user() and waiting.position == 1
    assert (waiting.status, waiting.challenges) == (Nomination.Status.SENT, 1)
    assert waiting.respond_by > timezone.localdate()
    assert not {rejected.application_id, let.application_id} & {waiting.application_id}
