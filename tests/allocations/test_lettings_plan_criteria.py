"""A local lettings plan's conduct, under-occupation and working-share rules: no one in the
household with a proven anti-social behaviour record in the plan's months, tenants releasing
a home larger than they need, and a share of the plan's lets for households in work — each
refusing a bid when required or ranking first at the close when a priority, with the reason
on the frozen line, the same in the live position and the replay."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations import rules, selectors, services
from allocations.models import Application, LocalLettingsPlan, ShortlistEntry
from residents.models import Breach
from tests.allocations.cbl import advert, applicant, connect, cycle_opening, uk
from tests.allocations.corrections import let_to
from tests.factories import HomeFactory, LicenceFactory, UserFactory

pytestmark = pytest.mark.django_db

OPEN = uk(2027, 3, 26, 10, 0)
CLOSED = uk(2027, 3, 30, 9, 0)


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


def plan(officer, **criteria) -> LocalLettingsPlan:
    draft = services.lettings_plan_save(
        name=criteria.pop("name", "Cheriton new build"), area="Cheriton", by=officer, **criteria
    )
    return services.lettings_plan_approve(
        plan=draft,
        starts_on=date(2020, 1, 1),
        reason="Agreed for the new build",
        by=UserFactory(roles=["team_leader"]),
    )


def bid(application, home, officer):
    return services.place_bid(application=application, advert=home, channel="phone", by=officer)


def close(officer):
    with time_machine.travel(CLOSED, tick=False):
        services.cycles_close_due(by=officer)


def shortlist(home) -> list[ShortlistEntry]:
    return list(ShortlistEntry.objects.filter(vacancy=home, eligible=True).order_by("position"))


def tenancy(application: Application, *, bedrooms: int):
    """A live secure tenancy of a council home with `bedrooms` bedrooms."""
    return LicenceFactory(
        household=application.household,
        unit=HomeFactory(bedrooms=bedrooms),
        kind="secure",
        weekly_fee=None,
        deposit=Decimal("0.00"),
        weekly_rent=Decimal("110.00"),
        service_charge=Decimal("5.00"),
    )


def asb(application: Application, *, on: date, status: str = "notice_served"):
    """A nuisance breach of the household's tenancy, observed on `on`."""
    licence = tenancy(application, bedrooms=2)
    return Breach.objects.create(
        licence=licence,
        category=Breach.Category.NUISANCE,
        observed_on=on,
        description="Loud music and threats to neighbours",
        status=status,
        remedy_due_on=on + timedelta(days=28) if status != "investigating" else None,
        raised_by=UserFactory(),
    )


# --- No recent anti-social behaviour ---------------------------------------------------


def test_a_bid_from_a_household_with_recent_asb_is_refused_with_the_date(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle,
            officer,
            local_lettings_plan=plan(officer, no_recent_asb="required", asb_months=12),
        )
        troubled, settled = applicant(), applicant()
        asb(troubled, on=date(2026, 6, 3))
        with pytest.raises(ValidationError) as refused:
            bid(troubled, home, officer)
        assert refused.value.messages == [
            "This home is let under the Cheriton new build local lettings plan: it is for "
            "households where no one has a proven anti-social behaviour record in the last 12 "
            "months; a breach for anti-social behaviour on 3 June 2026 is within 12 months."
        ]
        assert bid(settled, home, officer).vacancy == home


def test_an_old_or_unproven_asb_breach_does_not_refuse_the_bid(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle,
            officer,
            local_lettings_plan=plan(officer, no_recent_asb="required", asb_months=12),
        )
        old, unproven = applicant(), applicant()
        asb(old, on=date(2026, 3, 1))  # more than 12 months before 26 March 2027
        asb(unproven, on=date(2027, 1, 10), status="investigating")
        assert bid(old, home, officer).vacancy == home
        assert bid(unproven, home, officer).vacancy == home


def test_a_priority_for_no_recent_asb_ranks_the_others_first_saying_why(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle,
            officer,
            local_lettings_plan=plan(officer, no_recent_asb="priority", asb_months=12),
        )
        troubled, settled = applicant(band=1), applicant(band=3)
        asb(troubled, on=date(2027, 3, 3))
        bid(troubled, home, officer)  # a priority never refuses a bid
        bid(settled, home, officer)
        (position,) = selectors.bid_positions(troubled)
        assert position.position == 2
    close(officer)
    entries = shortlist(home)
    assert [e.application for e in entries] == [settled, troubled]
    assert entries[0].priority_reason.startswith(
        "Meets the Cheriton new build local lettings plan's priority (no one in the household "
        "with a proven anti-social behaviour record in the last 12 months)"
    )
    assert entries[1].priority_reason.endswith(
        ": a breach for anti-social behaviour on 3 March 2027 is within 12 months"
    )
    assert selectors.shortlist_replay(vacancy=home).same_as_frozen


def test_the_asb_reason_is_shown_only_to_roles_that_read_applications(
    client, officer, cycle, sites_manager
):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle,
            officer,
            local_lettings_plan=plan(officer, no_recent_asb="priority", asb_months=12),
        )
        troubled = applicant()
        asb(troubled, on=date(2027, 3, 3))
        bid(troubled, home, officer)
    close(officer)
    url = reverse("allocations:vacancy-detail", args=[home.pk])
    client.force_login(officer)
    assert "anti-social behaviour on 3 March 2027" in client.get(url).content.decode()
    client.force_login(sites_manager)
    page = client.get(url).content.decode()
    assert "3 March 2027" not in page
    assert "shown to those who can read the application" in page


# --- Under-occupation --------------------------------------------------------------------


def test_a_required_under_occupation_refuses_a_household_not_releasing_a_larger_home(
    officer, cycle
):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle, officer, local_lettings_plan=plan(officer, under_occupation="required")
        )
        renting, releasing = applicant(need=2), applicant(need=2)
        tenancy(releasing, bedrooms=4)
        with pytest.raises(ValidationError, match="more bedrooms than they need"):
            bid(renting, home, officer)
        assert bid(releasing, home, officer).vacancy == home


def test_a_tenant_releasing_a_larger_home_ranks_first_under_the_priority(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle, officer, local_lettings_plan=plan(officer, under_occupation="priority")
        )
        waiting, right_sized, releasing = applicant(band=1), applicant(band=2), applicant(band=4)
        tenancy(right_sized, bedrooms=2)
        tenancy(releasing, bedrooms=3)
        for application in (waiting, right_sized, releasing):
            bid(application, home, officer)
        (position,) = selectors.bid_positions(releasing)
        assert position.position == 1
    close(officer)
    entries = shortlist(home)
    assert [e.application for e in entries] == [releasing, waiting, right_sized]
    assert "releasing a home with more bedrooms than they need" in entries[0].priority_reason
    assert entries[2].priority_reason.endswith(
        "not recorded as a tenant of a home larger than they need"
    )
    assert selectors.shortlist_replay(vacancy=home).same_as_frozen


# --- A share for working households ------------------------------------------------------


def let_under(plan_: LocalLettingsPlan, application: Application, officer, *, at) -> None:
    """An earlier let under the plan: offered, accepted and approved on one of its adverts."""
    with time_machine.travel(at - timedelta(days=7), tick=False):
        earlier = cycle_opening(timezone.localdate(), officer)
    with time_machine.travel(earlier.opens_at + timedelta(hours=1), tick=False):
        home = advert(earlier, officer, local_lettings_plan=plan_)
        bid(application, home, officer)
    with time_machine.travel(earlier.closes_at + timedelta(minutes=5), tick=False):
        services.shortlist_freeze(vacancy=home, by=officer)
    with time_machine.travel(at, tick=False):
        let_to(home, application, officer, UserFactory(roles=["team_leader"]))


def test_while_the_share_is_short_working_households_rank_first_saying_so(officer, cycle):
    share = plan(officer, working_share=50)
    earlier_idle, earlier_working = applicant(), applicant()
    connect(earlier_working, "Hythe", kind="work", years=5)
    let_under(share, earlier_idle, officer, at=uk(2027, 1, 7, 10, 0))
    let_under(share, earlier_working, officer, at=uk(2027, 1, 14, 10, 0))
    let_under(share, applicant(), officer, at=uk(2027, 1, 21, 10, 0))
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, local_lettings_plan=share)
        idle, working = applicant(band=1), applicant(band=4)
        connect(working, "Dover", kind="work")
        bid(idle, home, officer)
        bid(working, home, officer)
        (position,) = [p for p in selectors.bid_positions(working) if p.bid.vacancy == home]
        assert position.position == 1
    close(officer)
    entries = shortlist(home)
    assert [e.application for e in entries] == [working, idle]
    assert entries[0].priority_reason == (
        "Meets the Cheriton new build local lettings plan's priority (someone in the household "
        "in work; plan share: 1 of 3 lets so far to working households, below 50%)"
    )
    assert entries[1].priority_reason.endswith(": no one recorded in work")
    assert selectors.shortlist_replay(vacancy=home).same_as_frozen


def test_once_the_share_is_met_it_no_longer_reorders(officer, cycle):
    share = plan(officer, working_share=50)
    earlier = applicant()
    connect(earlier, "Hythe", kind="work", years=5)
    let_under(share, earlier, officer, at=uk(2027, 1, 7, 10, 0))
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, local_lettings_plan=share)
        idle, working = applicant(band=1), applicant(band=4)
        connect(working, "Dover", kind="work")
        bid(idle, home, officer)
        bid(working, home, officer)
        (position,) = [p for p in selectors.bid_positions(working) if p.bid.vacancy == home]
        assert position.position == 2
    close(officer)
    entries = shortlist(home)
    assert [e.application for e in entries] == [idle, working]
    assert entries[0].snapshot["plan_priority"] is None
    assert entries[0].priority_reason == (
        "The Cheriton new build local lettings plan's share for working households does not "
        "change the order (plan share: 1 of 1 let so far to working households, meeting 50%)"
    )
    assert selectors.shortlist_replay(vacancy=home).same_as_frozen


def test_a_plan_with_no_lets_yet_is_short_of_its_share():
    share = rules.PlanShare(share=50, lets=0, working=0)
    assert share.below
    assert share.words() == "plan share: no lets so far under the plan, below 50%"
    assert not rules.PlanShare(share=50, lets=4, working=2).below
    assert rules.PlanShare(share=50, lets=5, working=2).below


def test_the_close_reads_the_share_in_one_query_however_many_bids(officer, cycle):
    def queries_to_close(bids: int) -> int:
        with time_machine.travel(OPEN, tick=False):
            this = cycle_opening(date(2027, 3, 25) + timedelta(days=7 * bids), officer)
        with time_machine.travel(this.opens_at + timedelta(hours=1), tick=False):
            home = advert(
                this,
                officer,
                local_lettings_plan=plan(
                    officer,
                    name=f"Plan {bids}",
                    working_share=50,
                    no_recent_asb="priority",
                    asb_months=12,
                ),
            )
            for _ in range(bids):
                bid(applicant(), home, officer)
        with (
            time_machine.travel(this.closes_at + timedelta(minutes=5), tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            services.shortlist_freeze(vacancy=home, by=officer)
        return len(queries)

    assert queries_to_close(2) == queries_to_close(6)


# --- The plan's form and pages -----------------------------------------------------------


def test_a_plan_needs_months_for_its_asb_criterion_and_a_share_within_100(officer):
    with pytest.raises(ValidationError) as refused:
        services.lettings_plan_save(
            name="Cheriton new build", area="Cheriton", no_recent_asb="priority", by=officer
        )
    assert refused.value.message_dict == {
        "asb_months": [
            "Enter how many months an anti-social behaviour record counts for, or choose not "
            "to use it"
        ]
    }
    with pytest.raises(ValidationError, match="from 1% to 100%"):
        services.lettings_plan_save(
            name="Cheriton new build", area="Cheriton", working_share=150, by=officer
        )
    assert not LocalLettingsPlan.objects.exists()


def test_a_share_alone_is_enough_for_a_plan(officer):
    saved = services.lettings_plan_save(
        name="Cheriton new build", area="Cheriton", working_share=50, by=officer
    )
    assert saved.criteria_lines() == [
        "A share for working households: at least 50% of the lets under the plan go to "
        "households with someone in work; while the lets so far fall short, those households "
        "rank first at the close"
    ]


def test_an_officer_adds_a_plan_with_the_new_criteria_on_the_list_page(client, officer):
    client.force_login(officer)
    url = reverse("allocations:lettings-plan-list")
    response = client.post(
        url,
        {
            "name": "Cheriton new build",
            "area": "Cheriton",
            "no_recent_asb": "required",
            "asb_months": "12",
            "under_occupation": "priority",
            "working_share": "50",
            "active": "on",
        },
    )
    assert response.status_code == 302
    saved = LocalLettingsPlan.objects.get()
    assert (saved.no_recent_asb, saved.asb_months, saved.under_occupation) == (
        "required",
        12,
        "priority",
    )
    assert saved.working_share == 50
    assert saved.history.first().history_change_reason == "Local lettings plan added"
    page = client.get(url).content.decode()
    assert (
        "Required to bid: no one in the household with a proven anti-social behaviour record "
        "in the last 12 months"
    ) in page
    assert "Ranks first at the close: a tenant releasing a home with more bedrooms" in page
    assert "at least 50% of the lets under the plan" in page


def test_the_form_refuses_a_bad_share_and_asb_months_keeping_what_was_typed(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:lettings-plan-list"),
        {
            "name": "Cheriton new build",
            "area": "Cheriton",
            "no_recent_asb": "priority",
            "asb_months": "0",
            "working_share": "120",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The months must be 1 or more" in page
    assert "The share must be 100% or less" in page
    assert 'value="Cheriton new build"' in page
    assert not LocalLettingsPlan.objects.exists()


def test_changing_the_asb_months_sends_an_approved_plan_back_to_draft(client, officer):
    saved = plan(officer, no_recent_asb="priority", asb_months=12)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:lettings-plan-edit", args=[saved.pk]),
        {
            "name": saved.name,
            "area": "Cheriton",
            "no_recent_asb": "priority",
            "asb_months": "24",
            "active": "on",
        },
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.asb_months == 24
    assert not saved.is_approved


def test_the_advert_page_shows_the_plans_criteria_in_plain_words(client, officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle,
            officer,
            local_lettings_plan=plan(
                officer, no_recent_asb="priority", asb_months=12, working_share=50
            ),
        )
    client.force_login(officer)
    page = client.get(reverse("allocations:vacancy-detail", args=[home.pk])).content.decode()
    assert (
        "Ranks first at the close: no one in the household with a proven anti-social "
        "behaviour record in the last 12 months"
    ) in page
    assert "at least 50% of the lets under the plan go to households" in page
    assert "Now, the plan share: no lets so far under the plan, below 50%." in page
