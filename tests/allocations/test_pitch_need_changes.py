"""Pitch-need changes seen coming (issue 15): under the pitch policy's standard a young person
may need a caravan of their own from 18, so the case officer is told ahead to reassess the
caravans and pitch size with the household; the need is never changed by itself. Every test
runs on a frozen clock."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations import rules, services
from allocations.models import BedroomNeedChange
from config.history import system_user
from projects.models import WorkItem
from residents.models import Person
from residents.selectors import household_name
from tests.allocations.housekeeping import assessed_family_application
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TURNS_18 = date(2026, 12, 27)


def _people(*births):
    return [
        rules.Occupant(key=f"p{index}", date_of_birth=born, sex="male")
        for index, born in enumerate(births)
    ]


def test_a_son_turning_18_may_need_a_caravan_of_his_own():
    (change,) = rules.pitch_need_changes(
        _people(date(1978, 3, 1), date(2008, 12, 27)),
        caravans=2,
        own_caravan_age=18,
        after=date(2026, 11, 1),
        until=date(2027, 2, 1),
    )
    assert (change.on, change.before, change.after) == (TURNS_18, 2, 3)
    assert change.reasons == (
        "p1 turns 18 on 27 December 2026 and may need a caravan of their own",
    )


def test_twins_turning_18_together_are_one_change_of_two_caravans_and_later_birthdays_add_up():
    changes = rules.pitch_need_changes(
        _people(date(2008, 12, 27), date(2008, 12, 27), date(2009, 1, 15)),
        caravans=1,
        own_caravan_age=18,
        after=date(2026, 11, 1),
        until=date(2027, 2, 1),
    )
    assert [(c.on, c.before, c.after) for c in changes] == [
        (TURNS_18, 1, 3),
        (date(2027, 1, 15), 3, 4),
    ]


def test_nothing_is_forecast_without_a_standard_or_without_assessed_caravans():
    people = _people(date(2008, 12, 27))
    window = {"after": date(2026, 11, 1), "until": date(2027, 2, 1)}
    assert not rules.pitch_need_changes(people, caravans=2, own_caravan_age=None, **window)
    assert not rules.pitch_need_changes(people, caravans=None, own_caravan_age=18, **window)


def test_pitch_sizes_follow_the_caravans():
    assert [rules.pitch_size_for(n) for n in (1, 2, 3, 5)] == ["small", "medium", "large", "large"]
    assert services.pitch_need_words(2, 3) == "2 to 3 caravans (medium to large pitch)"
    assert services.pitch_need_words(3, 4) == "3 to 4 caravans (large pitch)"


def test_the_policy_sets_the_age_and_refuses_nonsense():
    pitch = dict(rules.DEFAULT_PITCH_POLICY)
    assert rules.Policy.from_json(pitch).own_caravan_age == 18
    pitch.pop("own_caravan_age")  # a version published before the setting: the default
    assert rules.Policy.from_json(pitch).own_caravan_age == 18
    assert rules.Policy.from_json(pitch | {"own_caravan_age": None}).own_caravan_age is None
    assert any(
        "caravan of their own" in problem
        for problem in rules.policy_validate(pitch | {"own_caravan_age": "eighteen"})
    )
    assert rules.policy_validate(dict(rules.DEFAULT_CBL_POLICY) | {"own_caravan_age": 18}) == [
        "Only a pitch policy has an age for a caravan of one's own"
    ]
    assert "own_caravan_age" not in rules.Policy.from_json(rules.DEFAULT_CBL_POLICY).to_json()


def _family_with_a_son(officer):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
        PersonFactory(
            household=application.household,
            first_name="Jack",
            last_name="Ward",
            date_of_birth=TURNS_18.replace(year=2008),
            relationship=Person.Relationship.CHILD,
            sex=Person.Sex.MALE,
        )
        application.caravans, application.pitch_size = 2, "medium"
        application.save()
    return application


def _run(day):
    with time_machine.travel(day, tick=False):
        return services.need_changes_run(today=day, by=system_user())


def _pitch_item(application):
    return WorkItem.objects.filter(
        kind="need_check",
        object_id__in=application.need_changes.filter(
            kind=BedroomNeedChange.Kind.PITCH_CHECK
        ).values("pk"),
    ).first()


def test_the_case_officer_is_told_28_days_ahead_to_reassess_the_pitch_need(officer):
    application = _family_with_a_son(officer)
    _run(TURNS_18 - timedelta(days=29))
    assert _pitch_item(application) is None
    counts = _run(TURNS_18 - timedelta(days=28))
    assert counts["pitch_checks"] == 1
    item = _pitch_item(application)
    assert item.assignee == officer and item.due_on == TURNS_18
    assert item.title.startswith(
        "Pitch need may change on 27 December 2026: 2 to 3 caravans (medium to large pitch)"
    )
    assert "Jack Ward turns 18" in item.title
    assert "would need a large pitch" in item.notes
    _run(TURNS_18 - timedelta(days=27))  # the next night adds nothing
    assert application.need_changes.filter(kind=BedroomNeedChange.Kind.PITCH_CHECK).count() == 1
    assert WorkItem.objects.filter(kind="need_check").count() == 1
    # Never applied by itself: the household says whether a caravan comes.
    _run(TURNS_18 + timedelta(days=1))
    application.refresh_from_db()
    assert (application.caravans, application.pitch_size) == (2, "medium")


def test_the_officer_records_the_reassessment_on_or_after_the_day(client, officer):
    application = _family_with_a_son(officer)
    _run(TURNS_18 - timedelta(days=28))
    check = application.need_changes.get(kind=BedroomNeedChange.Kind.PITCH_CHECK)
    with (
        time_machine.travel(TURNS_18 - timedelta(days=1), tick=False),
        pytest.raises(ValidationError),
    ):
        services.need_change_checked(change=check, by=officer, note="Spoke to them")
    with time_machine.travel(TURNS_18, tick=False):
        client.force_login(officer)
        page = client.get(reverse("allocations:need-change-detail", args=[check.pk]))
        assert b"Pitch need may change on 27 December 2026" in page.content
        assert b"2 to 3 caravans (medium to large pitch)" in page.content
        response = client.post(
            reverse("allocations:need-change-check", args=[check.pk]),
            {"note": "Jack will stay in his parents' trailer for now; need unchanged"},
        )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == BedroomNeedChange.Status.CHECKED
    assert "Jack will stay" in check.history.latest().history_change_reason
    assert _pitch_item(application).status == WorkItem.Status.DONE


def test_the_report_lists_pitch_needs_coming(client, officer, auditor):
    application = _family_with_a_son(officer)
    with time_machine.travel(date(2026, 11, 1), tick=False):
        client.force_login(auditor)
        page = client.get(reverse("allocations:need-changes-report"))
    assert application.reference.encode() in page.content
    assert b"2 to 3 caravans (medium to large pitch)" in page.content
    assert b"Jack Ward turns 18 on 27 December 2026" in page.content


def test_the_pitch_need_check_in_the_queue_names_the_household_not_its_reference(client, officer):
    application = _family_with_a_son(officer)
    _run(TURNS_18 - timedelta(days=28))
    name = household_name(application.household)
    assert f"(medium to large pitch), {name} (Jack Ward turns 18" in _pitch_item(application).title
    with time_machine.travel(TURNS_18 - timedelta(days=28), tick=False):
        client.force_login(officer)
        page = client.get(reverse("home"), {"show": "all"}).content.decode()
    assert f"(medium to large pitch), {name} (" in page
    assert f"pitch), {application.reference}" not in page
