"""Bedroom-need changes seen coming (issue 15): the rule, the nightly alert 28 days ahead, the
need recorded on the day with history, pregnancy kept from those who may not read health data.
Every test runs on a frozen clock."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from allocations import rules, services
from allocations.models import Application, BedroomNeedChange, Vacancy
from config.history import system_user
from projects.models import WorkItem
from residents.models import SpecialCategoryView
from residents.selectors import household_name
from tests.allocations.factories import VacancyFactory
from tests.allocations.housekeeping import TURNS_TEN, assessed_family_application

pytestmark = pytest.mark.django_db


def _people(*births_and_sexes):
    return [
        rules.Occupant(key=f"p{index}", date_of_birth=born, sex=sex)
        for index, (born, sex) in enumerate(births_and_sexes)
    ]


def test_a_girl_turning_10_with_a_younger_brother_needs_a_room_of_her_own():
    household = _people((date(2016, 12, 20), "female"), (date(2019, 5, 1), "male"))
    (change,) = rules.need_changes(
        household,
        due_date=None,
        standard=rules.STANDARD_BEDROOM,
        after=date(2026, 11, 1),
        until=date(2027, 2, 1),
    )
    assert (change.on, change.before, change.after) == (date(2026, 12, 20), 1, 2)
    assert change.reasons == ("p0 turns 10 on 20 December 2026",)


def test_two_sisters_still_share_when_the_elder_turns_10():
    household = _people((date(2016, 12, 20), "female"), (date(2019, 5, 1), "female"))
    assert not rules.need_changes(
        household,
        due_date=None,
        standard=rules.STANDARD_BEDROOM,
        after=date(2026, 11, 1),
        until=date(2027, 2, 1),
    )


def test_under_the_size_criteria_a_16_year_old_gets_a_room():
    household = _people((date(2010, 12, 20), "male"), (date(2012, 5, 1), "male"))
    (change,) = rules.need_changes(
        household,
        due_date=None,
        standard=rules.SIZE_CRITERIA,
        after=date(2026, 11, 1),
        until=date(2027, 2, 1),
    )
    assert (change.on, change.before, change.after) == (date(2026, 12, 20), 1, 2)
    assert "turns 16" in change.reasons[0]


def test_where_a_pregnancy_is_not_counted_the_need_changes_on_the_due_date():
    standard = rules.BedroomStandard("no pregnancy", count_pregnancy=False)
    household = _people((date(1990, 1, 1), "female"))
    (change,) = rules.need_changes(
        household,
        due_date=date(2027, 1, 31),
        standard=standard,
        after=date(2026, 12, 1),
        until=date(2027, 3, 1),
    )
    assert (change.on, change.before, change.after) == (date(2027, 1, 31), 1, 2)
    assert change.expected_child


def test_a_29_february_birthday_counts_from_1_march():
    assert rules.birthday(date(2016, 2, 29), 10) == date(2026, 3, 1)


def _run(day):
    with time_machine.travel(day, tick=False):
        return services.need_changes_run(today=day, by=system_user())


def _need_item(application):
    return WorkItem.objects.filter(
        kind="need_change", object_id__in=application.need_changes.values("pk")
    ).first()


def test_the_case_officer_is_told_28_days_before_a_child_turns_10(officer):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
    assert application.bedroom_need == 2
    _run(TURNS_TEN - timedelta(days=29))
    assert _need_item(application) is None
    _run(TURNS_TEN - timedelta(days=28))
    item = _need_item(application)
    assert item.assignee == officer and item.due_on == TURNS_TEN
    assert "Bedroom need changes on 20 December 2026: 2 to 3 bedrooms" in item.title
    assert "Amy Ward turns 10" in item.title
    _run(TURNS_TEN - timedelta(days=27))  # the next night adds nothing
    assert WorkItem.objects.filter(kind="need_change").count() == 1


def test_on_the_day_the_need_is_recorded_with_history_and_the_item_completes(officer):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
    _run(TURNS_TEN - timedelta(days=28))
    _run(TURNS_TEN - timedelta(days=1))
    application.refresh_from_db()
    assert application.bedroom_need == 2  # not before the day
    _run(TURNS_TEN)
    application.refresh_from_db()
    assert application.bedroom_need == 3
    latest = application.history.order_by("-history_date", "-history_id").first()
    assert (
        "Bedroom need recorded on 20 December 2026: 2 to 3 bedrooms" in latest.history_change_reason
    )
    assert "Amy Ward turns 10" in latest.history_change_reason
    change = application.need_changes.get()
    assert change.status == BedroomNeedChange.Status.APPLIED
    assert _need_item(application).status == WorkItem.Status.DONE


def test_the_item_says_when_a_bid_already_placed_would_stop_being_eligible(officer):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
        vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, max_bedroom_need=2)
        services.bid_place(vacancy=vacancy, application=application, by=officer)
    _run(TURNS_TEN - timedelta(days=28))
    (effect,) = application.need_changes.get().effects
    assert f"The bid on {vacancy.reference} would no longer be eligible" in effect
    assert effect in _need_item(application).notes


def test_an_expected_child_is_not_named_in_the_queue_or_to_the_head_of_service(
    client, officer, head_of_service
):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer, girl_born=date(2019, 12, 20))
        mother = application.household.people.get(first_name="Rose")
        mother.pregnancy_due_date = date(2027, 1, 31)
        mother.pregnancy_evidence = "MATB1 seen"
        mother.save()
        change = services.need_change_alert(
            application=application,
            change=rules.NeedChange(
                on=date(2027, 1, 31),
                before=2,
                after=3,
                reasons=("the expected child's due date on 31 January 2027",),
                expected_child=True,
            ),
            by=officer,
        )
    item = _need_item(application)
    assert "expected" not in item.title and "a change in the household" in item.title
    client.force_login(head_of_service)
    page = client.get(reverse("allocations:need-change-detail", args=[change.pk]))
    assert page.status_code == 200
    assert b"expected child" not in page.content and b"A change in the household" in page.content
    assert not SpecialCategoryView.objects.exists()
    client.force_login(officer)
    page = client.get(reverse("allocations:need-change-detail", args=[change.pk]))
    assert b"expected child" in page.content
    assert SpecialCategoryView.objects.get().person == mother


def test_an_expected_child_is_not_told_by_the_history_page_or_the_change_log(
    client, officer, head_of_service, auditor
):
    # The page said "a change in the household" to the head of service, while its History page
    # and the change log (page and CSV) said "About an expected child: Yes".
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer, girl_born=date(2019, 12, 20))
        mother = application.household.people.get(first_name="Rose")
        mother.pregnancy_due_date = date(2027, 1, 31)
        mother.save()
        change = services.need_change_alert(
            application=application,
            change=rules.NeedChange(
                on=date(2027, 1, 31), before=2, after=3, reasons=(), expected_child=True
            ),
            by=officer,
        )
    history = reverse("allocations:need-change-history", args=[change.pk])
    client.force_login(head_of_service)
    page = client.get(history).content.decode()
    assert "About an expected child" in page and "Yes" not in page.split("expected child")[1][:200]
    query = {"record_type": "allocations.bedroomneedchange"}
    for url in (reverse("change-log"), reverse("change-log-csv")):
        response = client.get(url, query)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200 and b"expected child: Yes" not in body
    assert not SpecialCategoryView.objects.exists()
    # Those who read health data see it on the History page, the showing logged.
    client.force_login(auditor)
    page = client.get(history).content.decode()
    assert "Yes" in page.split("About an expected child")[1][:300]
    assert SpecialCategoryView.objects.get(user=auditor).person == mother


def test_a_due_date_passed_without_a_birth_asks_the_officer_to_check(client, officer):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
        mother = application.household.people.get(first_name="Rose")
        mother.pregnancy_due_date = date(2026, 11, 20)
        mother.pregnancy_evidence = "MATB1 seen"
        mother.save()
    _run(date(2026, 11, 20))
    assert not WorkItem.objects.filter(kind="need_check").exists()
    _run(date(2026, 11, 21))
    item = WorkItem.objects.get(kind="need_check")
    assert item.assignee == officer and "pregnan" not in item.title
    check = application.need_changes.get(kind=BedroomNeedChange.Kind.BIRTH_CHECK)
    client.force_login(officer)
    with time_machine.travel(date(2026, 11, 22), tick=False):
        response = client.post(
            reverse("allocations:need-change-check", args=[check.pk]),
            {"note": "Baby born on 18 November; added to the household"},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE


def test_the_report_lists_every_change_in_the_next_3_months(client, officer, auditor):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
        client.force_login(auditor)
        page = client.get(reverse("allocations:need-changes-report"))
    assert page.status_code == 200
    assert application.reference.encode() in page.content
    assert b"Amy Ward turns 10 on 20 December 2026" in page.content


def test_the_report_logs_each_showing_of_an_expected_child(
    client, officer, head_of_service, monkeypatch
):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer, girl_born=date(2019, 12, 20))
        mother = application.household.people.get(first_name="Rose")
        mother.pregnancy_due_date = date(2027, 1, 31)
        mother.pregnancy_evidence = "MATB1 seen"
        mother.save()
        # A policy whose standard counts the child at birth (count_pregnancy false) forecasts
        # the change on the due date.
        change = rules.NeedChange(
            on=date(2027, 1, 31),
            before=2,
            after=3,
            reasons=("the expected child's due date on 31 January 2027",),
            expected_child=True,
        )
        monkeypatch.setattr(
            services,
            "need_changes_forecast",
            lambda today: [{"application": application, "change": change, "pitch": False}],
        )
        client.force_login(head_of_service)
        withheld = client.get(reverse("allocations:need-changes-report"))
        assert application.reference.encode() in withheld.content
        assert b"expected child" not in withheld.content
        assert not SpecialCategoryView.objects.exists()
        client.force_login(officer)
        shown = client.get(reverse("allocations:need-changes-report"))
    assert b"expected child" in shown.content
    logged = SpecialCategoryView.objects.get()
    assert (logged.person, logged.user, logged.where) == (mother, officer, "need change")


def test_an_application_no_longer_active_on_the_day_is_not_changed(officer):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
    _run(TURNS_TEN - timedelta(days=28))
    services.application_transition(
        application=application, to=Application.Status.WITHDRAWN, reason="Moved away", by=officer
    )
    _run(TURNS_TEN)
    application.refresh_from_db()
    assert application.bedroom_need == 2
    assert application.need_changes.get().status == BedroomNeedChange.Status.NO_LONGER
    assert _need_item(application).status == WorkItem.Status.CANCELLED


def test_a_couple_share_a_room_only_from_the_day_they_start_living_together():
    mother, partner = _people((date(1990, 4, 2), "female"), (date(1988, 6, 9), "male"))
    partner = rules.Occupant(
        key=partner.key,
        date_of_birth=partner.date_of_birth,
        sex=partner.sex,
        partner_key=mother.key,
        couple_from=date(2027, 1, 10),
    )
    (change,) = rules.need_changes(
        [mother, partner],
        due_date=None,
        standard=rules.STANDARD_BEDROOM,
        after=date(2026, 12, 1),
        until=date(2027, 3, 1),
    )
    assert (change.on, change.before, change.after) == (date(2027, 1, 10), 2, 1)
    assert change.reasons == ("p1 and p0 start living as a couple on 10 January 2027",)


def test_the_case_officer_is_told_28_days_before_a_couple_start_living_together(officer):
    starts = date(2027, 1, 10)
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer, girl_born=date(2018, 1, 1))
        father = application.household.people.get(first_name="John")
        father.couple_from = starts
        father.save()
        services.application_assess(application=application, criteria=[], by=officer)
    application.refresh_from_db()
    assert application.bedroom_need == 3  # two adults apart until then, the children share
    _run(starts - timedelta(days=28))
    item = _need_item(application)
    assert item.due_on == starts
    assert "Bedroom need changes on 10 January 2027: 3 to 2 bedrooms" in item.title
    assert "John Ward and Rose Ward start living as a couple" in item.title


def test_a_couples_start_needs_the_partner(officer):
    from django.core.exceptions import ValidationError

    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
    amy = application.household.people.get(first_name="Amy")
    amy.couple_from = date(2027, 1, 10)
    with pytest.raises(ValidationError) as refused:
        amy.full_clean()
    assert refused.value.message_dict["couple_from"] == [
        "Choose the partner they will live with as a couple"
    ]


def test_one_change_failing_on_the_day_does_not_stop_the_others(officer, monkeypatch, caplog):
    # One household's bad record aborted the whole nightly run: no other need was recorded.
    with time_machine.travel(date(2026, 11, 1), tick=False):
        first = assessed_family_application(officer)
        second = assessed_family_application(officer)
    _run(TURNS_TEN - timedelta(days=28))
    real_need = services.housekeeping.bedroom_need_for

    def need(household, *, policy, on):
        if household.pk == first.household_id:
            raise RuntimeError("a fault")
        return real_need(household, policy=policy, on=on)

    monkeypatch.setattr(services.housekeeping, "bedroom_need_for", need)
    counts = _run(TURNS_TEN)
    assert (counts["applied"], counts["need_changes_failed"]) == (1, 1)
    assert "Nightly need changes: recording the need change of" in caplog.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.bedroom_need, second.bedroom_need) == (2, 3)
    assert first.need_changes.get().status == BedroomNeedChange.Status.COMING  # tried again
    assert second.need_changes.get().status == BedroomNeedChange.Status.APPLIED


def test_one_household_failing_in_the_nightly_alerts_does_not_stop_the_others(officer, monkeypatch):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        broken = assessed_family_application(officer)
        fine = assessed_family_application(officer)
    real_alert = services.housekeeping.need_change_alert

    def alert(*, application, change, by):
        made = real_alert(application=application, change=change, by=by)
        if application.pk == broken.pk:
            raise RuntimeError("bad data, found after the alert was written")
        return made

    monkeypatch.setattr(services.housekeeping, "need_change_alert", alert)
    counts = _run(TURNS_TEN - timedelta(days=28))
    assert counts["alerts"] == 1 and counts["need_changes_failed"] == 1
    assert _need_item(fine) is not None
    assert _need_item(broken) is None and not broken.need_changes.exists()


def test_an_application_whose_records_cannot_be_worked_through_is_listed_with_why(
    client, officer, auditor
):
    # Tom's date of birth typed a year out: his household's need cannot be worked out for
    # the days before it. The report says so, rather than leaving the household out.
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
        application.household.people.filter(first_name="Tom").update(date_of_birth=date(2027, 1, 1))
        (row,) = services.need_changes_forecast(today=date(2026, 11, 1))
        client.force_login(auditor)
        page = client.get(reverse("allocations:need-changes-report"))
    assert row["application"] == application and row["change"] is None
    assert not row["problem_health"]
    assert page.status_code == 200
    assert "1 application could not be checked" in page.text
    assert (
        f"{application.reference}</a> could not be checked: Tom Ward was born on "
        "1 January 2027, after 19 December 2026." in page.text
    )


def test_the_need_change_in_the_queue_names_the_household_not_its_reference(client, officer):
    with time_machine.travel(date(2026, 11, 1), tick=False):
        application = assessed_family_application(officer)
    _run(TURNS_TEN - timedelta(days=28))
    name = household_name(application.household)
    assert f"2 to 3 bedrooms, {name} (Amy Ward turns 10" in _need_item(application).title
    with time_machine.travel(TURNS_TEN - timedelta(days=28), tick=False):
        client.force_login(officer)
        page = client.get(reverse("home"), {"show": "all"}).content.decode()
    assert f"2 to 3 bedrooms, {name} (" in page
    assert f"bedrooms, {application.reference}" not in page
