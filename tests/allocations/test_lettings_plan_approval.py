"""Local lettings plans need a team leader's approval, with start and end dates: only an
approved plan in date on the advert's opening day refuses bids or ranks the shortlist."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from allocations import selectors, services
from allocations.models import LocalLettingsPlan
from allocations.selectors import priorities
from tests.allocations.cbl import advert, applicant, cycle_opening, uk

pytestmark = pytest.mark.django_db

OPEN = uk(2027, 3, 26, 10, 0)
REFUSAL = "This home is let under the Shorncliffe new homes local lettings plan"


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


def draft(officer, **criteria) -> LocalLettingsPlan:
    criteria = criteria or {"local_connection": "required"}
    return services.lettings_plan_save(
        name="Shorncliffe new homes", area="Cheriton", by=officer, **criteria
    )


def approve(plan, leader, starts_on=date(2027, 1, 1), ends_on=None, reason="Agreed with the RP"):
    return services.lettings_plan_approve(
        plan=plan, starts_on=starts_on, ends_on=ends_on, reason=reason, by=leader
    )


# --- The service --------------------------------------------------------------------------


def test_a_team_leader_approves_a_drafted_plan_with_dates_and_reason(officer, team_leader):
    plan = draft(officer)
    assert plan.status_on(date(2027, 3, 1)) == "draft"
    approved = approve(plan, team_leader, ends_on=date(2027, 12, 31))
    assert (approved.approved_by, approved.starts_on, approved.ends_on) == (
        team_leader,
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    assert approved.status_on(date(2027, 3, 1)) == "approved"
    assert approved.status_on(date(2028, 1, 1)) == "ended"
    latest = approved.history.first()
    assert latest.history_user == team_leader
    assert latest.history_change_reason == "Local lettings plan approved: Agreed with the RP"


def test_an_officer_cannot_approve_a_plan(officer):
    plan = draft(officer)
    with pytest.raises(PermissionDenied):
        approve(plan, officer)
    plan.refresh_from_db()
    assert not plan.is_approved


def test_approval_needs_a_start_date_and_a_reason(officer, team_leader):
    plan = draft(officer)
    with pytest.raises(ValidationError) as refused:
        approve(plan, team_leader, starts_on=None, reason="  ")
    assert refused.value.message_dict == {
        "starts_on": ["Enter the date the plan starts"],
        "reason": ["Enter why the plan is approved"],
    }
    plan.refresh_from_db()
    assert not plan.is_approved


def test_an_end_date_before_the_start_is_refused(officer, team_leader):
    plan = draft(officer)
    with pytest.raises(ValidationError) as refused:
        approve(plan, team_leader, starts_on=date(2027, 5, 1), ends_on=date(2027, 4, 30))
    assert refused.value.message_dict == {
        "ends_on": ["The end date must be the same as or after the start date"]
    }
    plan.refresh_from_db()
    assert not plan.is_approved


def test_changing_an_approved_plans_dates_keeps_it_approved_with_the_reason(officer, team_leader):
    plan = approve(draft(officer), team_leader)
    ended = approve(plan, team_leader, ends_on=date(2027, 2, 1), reason="Estate fully let")
    assert ended.status_on(date(2027, 3, 1)) == "ended"
    assert ended.history.first().history_change_reason == (
        "Local lettings plan dates changed: Estate fully let"
    )


# --- Whether it applies -------------------------------------------------------------------


def test_a_draft_plan_does_not_refuse_a_bid_and_an_approved_one_does(officer, team_leader, cycle):
    plan = draft(officer)
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, local_lettings_plan=plan)
        assert not home.plan_applies
        # A household with no local connection: the draft's required criterion does not refuse.
        services.place_bid(application=applicant(), advert=home, channel="phone", by=officer)

        approve(plan, team_leader)
        home.refresh_from_db()
        assert home.plan_applies
        with pytest.raises(ValidationError, match=REFUSAL):
            services.place_bid(application=applicant(), advert=home, channel="phone", by=officer)


def test_an_ended_plan_does_not_refuse_a_bid_nor_rank_the_shortlist(officer, team_leader, cycle):
    plan = approve(
        draft(officer, local_connection="required", work_or_volunteering="priority"),
        team_leader,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 3, 1),
    )
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, local_lettings_plan=plan)
        assert home.opens_on > plan.ends_on and not home.plan_applies
        assert priorities.plan_priority_uses(home) == ()
        bid = services.place_bid(application=applicant(), advert=home, channel="phone", by=officer)
        assert bid.vacancy == home
        assert selectors.bid_positions(bid.application)[0].position == 1


def test_a_plan_starting_after_the_advert_opens_does_not_apply(officer, team_leader, cycle):
    plan = approve(draft(officer), team_leader, starts_on=date(2027, 4, 1))
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, local_lettings_plan=plan)
        assert not home.plan_applies
        bid = services.place_bid(application=applicant(), advert=home, channel="phone", by=officer)
        assert bid.vacancy == home


# --- Pages --------------------------------------------------------------------------------


def test_a_team_leader_approves_a_plan_on_its_page(client, officer, team_leader):
    plan = draft(officer)
    client.force_login(team_leader)
    listing = client.get(reverse("allocations:lettings-plan-list")).content.decode()
    assert "Draft" in listing and "Does not apply until a team leader approves it" in listing
    url = reverse("allocations:lettings-plan-approve", args=[plan.pk])
    assert url in listing
    response = client.post(
        url,
        {
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "reason": "Agreed with the housing association",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.approved_by, plan.starts_on, plan.ends_on) == (
        team_leader,
        date(2027, 4, 1),
        None,
    )
    listing = client.get(reverse("allocations:lettings-plan-list")).content.decode()
    assert "Approved" in listing and "1 April 2027" in listing
    assert "Agreed with the housing association" in listing


def test_the_approval_page_refuses_an_end_before_the_start_keeping_what_was_typed(
    client, officer, team_leader
):
    plan = draft(officer)
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:lettings-plan-approve", args=[plan.pk]),
        {
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "ends_on_0": "1",
            "ends_on_1": "3",
            "ends_on_2": "2027",
            "reason": "Agreed with the housing association",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end date must be the same as or after the start date" in page
    assert "Agreed with the housing association" in page
    plan.refresh_from_db()
    assert not plan.is_approved


def test_the_approval_page_needs_a_reason(client, officer, team_leader):
    plan = draft(officer)
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:lettings-plan-approve", args=[plan.pk]),
        {"starts_on_0": "1", "starts_on_1": "4", "starts_on_2": "2027", "reason": ""},
    )
    assert response.status_code == 400
    assert 'value="2027"' in response.content.decode()
    plan.refresh_from_db()
    assert not plan.is_approved


def test_an_officer_cannot_open_or_post_the_approval_page(client, officer):
    plan = draft(officer)
    client.force_login(officer)
    url = reverse("allocations:lettings-plan-approve", args=[plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    listing = client.get(reverse("allocations:lettings-plan-list")).content.decode()
    assert url not in listing
    plan.refresh_from_db()
    assert not plan.is_approved


def test_the_list_says_an_ended_plan_does_not_apply(client, officer, team_leader):
    approve(draft(officer), team_leader, starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31))
    client.force_login(officer)
    listing = client.get(reverse("allocations:lettings-plan-list")).content.decode()
    assert "Ended" in listing
    assert "Does not apply to adverts opening after 31 December 2020" in listing


def test_the_advert_page_shows_its_plan_with_dates_and_whether_it_applies(
    client, officer, team_leader, cycle
):
    plan = draft(officer)
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, local_lettings_plan=plan)
    client.force_login(officer)
    page = client.get(home.get_absolute_url()).content.decode()
    assert "Does not apply: not approved by a team leader" in page
    approve(plan, team_leader, ends_on=date(2027, 12, 31))
    page = client.get(home.get_absolute_url()).content.decode()
    assert "From 1 January 2027 to 31 December 2027" in page
    assert "Applies to this advert" in page


# --- The demo -----------------------------------------------------------------------------


def test_the_demo_plan_is_on_a_new_build_approved_by_the_team_leader(settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)
    plan = LocalLettingsPlan.objects.get(name="Shorncliffe new homes")
    assert plan.approved_by.username == "teamleader"
    assert plan.starts_on is not None and plan.approval_reason
    assert plan.history.last().history_user.username == "officer"  # drafted by an officer
    (home,) = plan.adverts.all()
    assert home.plan_applies
    assert home.unit.void_reason == "new_build"
    assert home.shortlist.exclude(priority_reason="").exists()
