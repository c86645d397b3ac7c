"""Renewals, suspensions and refusal penalties that end (issue 15), on a frozen clock: the
default policy reminds 28 days before the registration anniversary, holds on the day after,
closes 28 days after the renewal date, and reinstates within 60 days with the dates kept."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations import selectors, services
from allocations.models import Application, Letter, Renewal, Vacancy
from config.history import system_user
from projects.models import WorkItem
from tests.allocations.cbl import legacy_bid
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db

REGISTERED = date(2025, 3, 1)
DUE = date(2026, 3, 1)


def _run(day):
    with time_machine.travel(day, tick=False):
        return services.renewals_run(today=day, by=system_user())


def _application(officer):
    with time_machine.travel(date(2026, 1, 1), tick=False):
        application = ActiveApplicationFactory(
            registration_date=REGISTERED, effective_date=date(2025, 4, 1)
        )
        services.application_assess(application=application, criteria=[], by=officer)
    return application


def _letters(application):
    return list(application.letters.order_by("pk").values_list("kind", flat=True))


def test_a_renewal_goes_reminder_hold_closure_and_reinstated_keeping_its_date(officer):
    application = _application(officer)
    _run(date(2026, 1, 31))  # 29 days before: nothing yet
    assert not application.renewals.exists()

    _run(date(2026, 2, 1))  # 28 days before: the reminder
    renewal = application.renewals.get()
    assert (renewal.due_on, renewal.status) == (DUE, Renewal.Status.REMINDED)
    assert _letters(application) == [Letter.Kind.RENEWAL_REMINDER]
    reminder = WorkItem.objects.get(kind="renewal")
    assert reminder.assignee == officer and reminder.due_on == DUE

    _run(DUE)  # the renewal day itself: still time to answer
    application.refresh_from_db()
    assert not application.is_on_hold

    _run(date(2026, 3, 2))  # no answer by the date: on hold, second letter
    application.refresh_from_db()
    assert application.is_on_hold and not selectors.application_can_bid(application)
    # Why not, said to the household as a refused bid is, never "The application is …".
    assert application.bidding_blocked_reason == (
        "You cannot bid while your application is on hold: the renewal due on 1 March 2026 has "
        "not been answered; it will be closed on 29 March 2026 without an answer."
    )
    assert _letters(application)[-1] == Letter.Kind.RENEWAL_HOLD
    assert WorkItem.objects.get(kind="renewal_no_answer").due_on == date(2026, 3, 29)

    _run(date(2026, 3, 29))  # 28 days after the renewal date: closed, with the review right
    application.refresh_from_db()
    assert application.status == Application.Status.LAPSED and not application.is_on_hold
    assert application.bidding_blocked_reason == (
        "Your application is lapsed, not active, so you cannot bid."
    )
    assert _letters(application)[-1] == Letter.Kind.RENEWAL_CLOSED
    assert set(WorkItem.objects.values_list("status", flat=True)) == {WorkItem.Status.DONE}

    with time_machine.travel(date(2026, 5, 1), tick=False):
        renewal = services.renewal_receive(
            application=application,
            answered_on=date(2026, 5, 1),
            circumstances="Still living roadside; no change in the household",
            by=officer,
        )
    application.refresh_from_db()
    assert renewal.status == Renewal.Status.REINSTATED
    assert application.status == Application.Status.ACTIVE
    assert application.effective_date == date(2025, 4, 1)  # kept within the window
    assert application.registration_date == REGISTERED
    assert application.renewal_date == date(2027, 3, 1)
    reasons = list(application.history.values_list("history_change_reason", flat=True))
    assert any("original effective date 1 April 2025 is kept" in (r or "") for r in reasons)


def test_reopened_after_the_window_the_effective_date_is_the_day_it_reopened(officer):
    application = _application(officer)
    for day in (date(2026, 2, 1), date(2026, 3, 2), date(2026, 3, 29)):
        _run(day)
    with time_machine.travel(date(2026, 6, 1), tick=False):
        services.renewal_receive(
            application=application,
            answered_on=date(2026, 6, 1),
            circumstances="Back in touch",
            by=officer,
        )
    application.refresh_from_db()
    assert application.effective_date == date(2026, 6, 1)


def test_a_renewal_received_lifts_the_hold_and_keeps_the_dates(officer):
    application = _application(officer)
    _run(date(2026, 2, 1))
    _run(date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 5), tick=False):
        services.renewal_receive(
            application=application,
            answered_on=date(2026, 3, 5),
            circumstances="A second child born in February",
            by=officer,
        )
    application.refresh_from_db()
    assert not application.is_on_hold and selectors.application_can_bid(application)
    assert (application.registration_date, application.effective_date) == (
        REGISTERED,
        date(2025, 4, 1),
    )
    assert application.renewal_date == date(2027, 3, 1)
    assert application.renewals.get().status == Renewal.Status.RENEWED
    assert set(WorkItem.objects.values_list("status", flat=True)) == {WorkItem.Status.DONE}
    _run(date(2026, 3, 29))  # nothing closes it afterwards
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE


def test_an_application_on_hold_cannot_bid(officer):
    application = _application(officer)
    _run(date(2026, 2, 1))
    _run(date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 3), tick=False):
        vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
        with pytest.raises(ValidationError, match="on hold"):
            services.bid_place(vacancy=vacancy, application=application, by=officer)


def test_the_renewal_pages(client, officer, auditor):
    application = _application(officer)
    _run(date(2026, 2, 1))
    client.force_login(auditor)
    with time_machine.travel(date(2026, 3, 1), tick=False):
        listed = client.get(reverse("allocations:renewals-due"))
        detail = client.get(application.get_absolute_url())
    assert application.reference.encode() in listed.content
    assert b"Next renewal due on 1 March 2026" in detail.content
    client.force_login(officer)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        refused = client.post(
            reverse("allocations:renewal-receive", args=[application.pk]),
            {"answered_on_0": "2", "answered_on_1": "3", "answered_on_2": "2026"},
        )
        assert refused.status_code == 400
        assert b"Say what the household told you" in refused.content
        saved = client.post(
            reverse("allocations:renewal-receive", args=[application.pk]),
            {
                "answered_on_0": "2",
                "answered_on_1": "3",
                "answered_on_2": "2026",
                "circumstances": "No change",
            },
        )
    assert saved.status_code == 302
    assert application.renewals.get().status == Renewal.Status.RENEWED


def test_a_suspension_ends_by_itself_and_the_household_is_told(officer):
    with time_machine.travel(date(2026, 1, 1), tick=False):
        application = ActiveApplicationFactory(registration_date=date(2025, 10, 1))
        application.suspended_until = date(2026, 6, 1)
        services.application_move(
            application, Application.Status.SUSPENDED, by=officer, reason="Two refusals"
        )
    _run(date(2026, 5, 31))
    application.refresh_from_db()
    assert application.status == Application.Status.SUSPENDED
    _run(date(2026, 6, 1))
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    assert application.suspended_until is None
    assert "Suspension ended on 1 June 2026" in application.status_reason
    assert _letters(application) == [Letter.Kind.SUSPENSION_ENDED]
    with time_machine.travel(date(2026, 6, 1), tick=False):
        vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
        services.bid_place(vacancy=vacancy, application=application, by=officer)


def test_a_lowest_band_penalty_ends_and_the_band_returns(officer):
    with time_machine.travel(date(2026, 1, 1), tick=False):
        application = ActiveApplicationFactory(
            registration_date=date(2025, 10, 1),
            band=4,
            band_before_penalty=2,
            band_penalty_until=date(2026, 6, 1),
        )
    _run(date(2026, 6, 1))
    application.refresh_from_db()
    assert (application.band, application.band_penalty_until) == (2, None)


def _in_the_lowest_band_until(day, *, band_before_penalty):
    from allocations.models import Scheme

    with time_machine.travel(date(2026, 1, 1), tick=False):
        return ActiveApplicationFactory(
            scheme=Scheme.CBL,
            registration_date=date(2025, 10, 1),
            effective_date=date(2025, 10, 1),
            band=4,
            band_before_penalty=band_before_penalty,
            band_penalty_until=day,
        )


def test_a_lowest_band_penalty_ends_through_the_band_change_by_the_system(officer):
    application = _in_the_lowest_band_until(date(2026, 6, 1), band_before_penalty=2)
    _run(date(2026, 6, 1))
    application.refresh_from_db()
    assert (application.band, application.band_before_penalty) == (2, None)
    assert application.effective_date == date(2025, 10, 1)  # given back, not a new rise
    last = application.history.order_by("-history_date", "-history_id").first()
    assert last.history_user == system_user()
    assert last.history_change_reason == "Refusal penalty ended on 1 June 2026: band 2 returns"


def test_a_reassessment_during_a_penalty_is_the_band_the_household_returns_to(officer):
    # Reproduced by a reviewer: reassessed band 1 during the penalty, then put back in band 4
    # (the band before the penalty) on the day it ended.
    application = _in_the_lowest_band_until(date(2026, 6, 1), band_before_penalty=4)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.application_assess(
            application=application,
            criteria=[{"code": "urgent_medical_welfare", "evidence": "GP letter"}],
            by=officer,
        )
    application.refresh_from_db()
    # The penalty band stays until its date; the new assessment is the band to return to,
    # and the rise is dated (by this policy's rule) from the day it was assessed.
    assert (application.band, application.band_before_penalty) == (4, 1)
    assert application.band_penalty_until == date(2026, 6, 1)
    assert application.effective_date == date(2025, 10, 1)
    assert "band 4 to band 1 on 2 March 2026" in application.effective_date_reason
    _run(date(2026, 6, 1))
    application.refresh_from_db()
    assert (application.band, application.band_penalty_until) == (1, None)
    assert application.effective_date == date(2025, 10, 1)


def test_a_reassessment_refused_during_a_penalty_ends_the_penalty_with_no_band_to_return(
    officer,
):
    application = _in_the_lowest_band_until(date(2026, 6, 1), band_before_penalty=2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.application_assess(application=application, criteria=[], by=officer)
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    assert (application.band, application.band_before_penalty) == (None, None)
    assert application.band_penalty_until is None
    _run(date(2026, 6, 1))  # the day the penalty would have ended gives no band back
    application.refresh_from_db()
    assert application.band is None and application.status == Application.Status.REFUSED


def test_where_the_policy_says_so_refusals_put_the_application_in_the_lowest_band(officer):
    from django.utils import timezone

    from allocations.models import Scheme
    from tests.allocations.casework import checks_back, in_a_week

    today = timezone.localdate()
    current = services.policy_in_force(scheme=Scheme.CBL, on=today)
    services.policy_publish(
        scheme=Scheme.CBL,
        name=current.name,
        effective_from=today,
        policy_rules={**current.rules, "refusal_penalty": "lowest_band"},
        by=officer,
    )
    application = ActiveApplicationFactory(scheme=Scheme.CBL, band=2, points=None)
    checks_back(application, officer)
    for _ in range(2):
        vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, scheme=Scheme.CBL)
        legacy_bid(application, vacancy, officer)
        (entry,) = services.shortlist_freeze(vacancy=vacancy, by=officer)
        offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
        services.offer_refuse(
            offer=offer, on=today, reason="Wants another area", reasonable=False, by=officer
        )
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE  # not suspended
    assert (application.band, application.band_before_penalty) == (4, 2)
    assert application.band_penalty_until is not None
    letter = application.letters.order_by("-pk").first()
    assert letter.kind == Letter.Kind.REFUSAL and letter.context["lowest_band"] == 4


def test_a_closed_application_is_not_reinstated_from_an_answer_date_still_to_come(officer):
    application = _application(officer)
    for day in (date(2026, 2, 1), date(2026, 3, 2), date(2026, 3, 29)):
        _run(day)
    with (
        time_machine.travel(date(2026, 6, 1), tick=False),
        pytest.raises(ValidationError, match="today or in the past"),
    ):
        services.renewal_receive(
            application=application,
            answered_on=date(2027, 6, 1),  # the year mistyped
            circumstances="Back in touch",
            by=officer,
        )
    application.refresh_from_db()
    assert application.status == Application.Status.LAPSED
    assert application.effective_date == date(2025, 4, 1)


def test_a_renewal_answered_on_a_day_to_come_is_refused_on_the_page_keeping_what_was_typed(
    client, officer
):
    application = _application(officer)
    _run(date(2026, 2, 1))
    client.force_login(officer)
    with time_machine.travel(date(2026, 2, 10), tick=False):
        response = client.post(
            reverse("allocations:renewal-receive", args=[application.pk]),
            {
                "answered_on_0": "10",
                "answered_on_1": "2",
                "answered_on_2": "2027",
                "circumstances": "A new baby in the household",
            },
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "must be today or in the past" in page
    assert "A new baby in the household" in page
    assert application.renewals.get().status == Renewal.Status.REMINDED


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1-1", "99999-01"])
def test_renewals_due_for_a_month_with_no_month_beside_it_lists_this_month(client, auditor, month):
    client.force_login(auditor)
    with time_machine.travel(date(2026, 3, 1), tick=False):
        page = client.get(reverse("allocations:renewals-due"), {"month": month})
    assert page.status_code == 200
    assert b"2026-04" in page.content  # the link to the next month: this month is listed


def _suspended(officer, *, until):
    with time_machine.travel(date(2026, 1, 1), tick=False):
        application = ActiveApplicationFactory(registration_date=date(2025, 10, 1))
        application.suspended_until = until
        services.application_move(
            application, Application.Status.SUSPENDED, by=officer, reason="Two refusals"
        )
    return application


def test_a_renewal_of_an_application_withdrawn_after_its_reminder_ends_without_a_letter(officer):
    application = _application(officer)
    suspended = _suspended(officer, until=date(2026, 3, 2))
    _run(date(2026, 2, 1))  # the reminder
    with time_machine.travel(date(2026, 2, 10), tick=False):
        services.application_transition(
            application=application,
            to=Application.Status.WITHDRAWN,
            reason="Household moved away",
            by=officer,
        )
    renewal = application.renewals.get()
    assert renewal.status == Renewal.Status.ENDED and renewal.closed_on == date(2026, 2, 10)
    assert renewal.get_status_display() == "Ended: the application left the register"
    assert "withdrawn" in renewal.history.latest().history_change_reason
    assert set(WorkItem.objects.values_list("status", flat=True)) == {WorkItem.Status.DONE}

    counts = _run(date(2026, 3, 2))  # the day a hold would come: nothing is held or sent
    counts.update(_run(date(2026, 3, 29)))  # nor closed into a lapse
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert _letters(application) == [Letter.Kind.RENEWAL_REMINDER]
    suspended.refresh_from_db()
    assert suspended.status == Application.Status.ACTIVE  # the later steps still ran


def test_an_open_renewal_left_on_an_application_no_longer_on_the_register_is_ended_by_the_run(
    officer,
):
    application = _application(officer)
    suspended = _suspended(officer, until=date(2026, 3, 2))
    _run(date(2026, 2, 1))
    # Housed without the renewal being ended (as before this was fixed, or by a direct move).
    Application.objects.filter(pk=application.pk).update(status=Application.Status.HOUSED)
    counts = _run(date(2026, 3, 2))
    assert counts["held"] == 0 and counts["renewals_ended"] == 1
    renewal = application.renewals.get()
    assert renewal.status == Renewal.Status.ENDED
    assert "housed" in renewal.history.latest().history_change_reason
    assert _letters(application) == [Letter.Kind.RENEWAL_REMINDER]
    application.refresh_from_db()
    assert application.status == Application.Status.HOUSED
    suspended.refresh_from_db()
    assert suspended.status == Application.Status.ACTIVE


def test_a_renewal_ended_by_a_lapse_by_hand_is_not_a_closure_to_reinstate_from(officer):
    application = _application(officer)
    _run(date(2026, 2, 1))  # the reminder
    with time_machine.travel(date(2026, 2, 10), tick=False):
        services.application_transition(
            application=application,
            to=Application.Status.LAPSED,
            reason="Household did not keep in touch",
            by=officer,
        )
    renewal = application.renewals.get()
    assert renewal.status == Renewal.Status.ENDED
    with (
        time_machine.travel(date(2026, 2, 20), tick=False),
        pytest.raises(ValidationError, match="closed for a renewal not answered"),
    ):
        services.renewal_reinstate(
            application=application,
            answered_on=date(2026, 2, 20),
            circumstances="Back in touch",
            by=officer,
        )
    application.refresh_from_db()
    assert application.status == Application.Status.LAPSED


def test_one_item_failing_in_the_nightly_run_does_not_stop_the_others(officer, monkeypatch, caplog):
    first, second = _application(officer), _application(officer)
    suspended = _suspended(officer, until=date(2026, 3, 2))
    _run(date(2026, 2, 1))
    real_hold = services.renewals.renewal_hold

    def hold(*, renewal, today, by):
        if renewal.application_id == first.pk:
            raise RuntimeError("a fault")
        return real_hold(renewal=renewal, today=today, by=by)

    monkeypatch.setattr(services.renewals, "renewal_hold", hold)
    counts = _run(date(2026, 3, 2))
    assert counts["failed"] == 1 and counts["held"] == 1
    assert "could not be" in caplog.text
    assert first.renewals.get().status == Renewal.Status.REMINDED
    assert second.renewals.get().status == Renewal.Status.ON_HOLD
    suspended.refresh_from_db()
    assert suspended.status == Application.Status.ACTIVE


def test_a_suspended_household_renews_and_stays_suspended(officer):
    application = _application(officer)
    _run(date(2026, 2, 1))
    with time_machine.travel(date(2026, 2, 10), tick=False):
        application.refresh_from_db()
        application.suspended_until = date(2027, 2, 10)
        services.application_move(
            application, Application.Status.SUSPENDED, by=officer, reason="Two refusals"
        )
        renewal = services.renewal_receive(
            application=application,
            answered_on=date(2026, 2, 10),
            circumstances="No change",
            by=officer,
        )
    assert renewal.status == Renewal.Status.RENEWED
    _run(date(2026, 3, 2))
    _run(date(2026, 3, 29))
    application.refresh_from_db()
    assert application.status == Application.Status.SUSPENDED
    assert application.suspended_until == date(2027, 2, 10)
    assert application.renewal_date == date(2027, 3, 1)


def test_a_suspended_application_closed_for_no_answer_is_reinstated_still_suspended(officer):
    application = _application(officer)
    _run(date(2026, 2, 1))
    with time_machine.travel(date(2026, 2, 10), tick=False):
        application.refresh_from_db()
        application.suspended_until = date(2027, 2, 10)
        services.application_move(
            application, Application.Status.SUSPENDED, by=officer, reason="Two refusals"
        )
    _run(date(2026, 3, 2))
    _run(date(2026, 3, 29))
    application.refresh_from_db()
    assert application.status == Application.Status.LAPSED
    with time_machine.travel(date(2026, 5, 1), tick=False):
        services.renewal_receive(
            application=application,
            answered_on=date(2026, 5, 1),
            circumstances="Back in touch",
            by=officer,
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUSPENDED
    assert application.suspended_until == date(2027, 2, 10)
    assert "suspended until 10 February 2027" in application.status_reason


def _words(letter) -> str:
    from allocations.documents import letter_merge_context, letter_wording_for, wording_page_context

    return " ".join(
        wording_page_context(letter_wording_for(letter), letter_merge_context(letter))[
            "wording_html"
        ].split()
    )


@pytest.mark.parametrize("penalty", ["lowest_band", "suspend"])
def test_the_offer_and_refusal_letters_name_the_penalty_the_policy_gives(officer, penalty):
    """Under a policy whose penalty for refusals is the lowest band, the letters say so; they
    never warn of a suspension the policy does not give."""
    from django.utils import timezone

    from allocations.models import Scheme
    from tests.allocations.casework import checks_back, in_a_week

    today = timezone.localdate()
    current = services.policy_in_force(scheme=Scheme.CBL, on=today)
    services.policy_publish(
        scheme=Scheme.CBL,
        name=current.name,
        effective_from=today,
        policy_rules={**current.rules, "refusal_penalty": penalty},
        by=officer,
    )
    application = ActiveApplicationFactory(scheme=Scheme.CBL, band=2, points=None)
    checks_back(application, officer)
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, scheme=Scheme.CBL)
    legacy_bid(application, vacancy, officer)
    (entry,) = services.shortlist_freeze(vacancy=vacancy, by=officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_refuse(
        offer=offer, on=today, reason="Wants another area", reasonable=False, by=officer
    )
    offer_letter = application.letters.get(kind=Letter.Kind.OFFER)
    refusal_letter = application.letters.get(kind=Letter.Kind.REFUSAL)
    if penalty == "lowest_band":
        assert "after which an application is placed in our lowest band" in _words(offer_letter)
        assert (
            "If the number reaches 2, your application will be placed in our lowest band "
            "(band 4) for 12 months" in _words(refusal_letter)
        )
        assert "suspended" not in _words(offer_letter) + _words(refusal_letter)
    else:
        assert "after which an application is suspended" in _words(offer_letter)
        assert "your application will be suspended for 12 months" in _words(refusal_letter)
