"""Who a home goes to first: an adapted home to the households who need its adaptations (the
policy's rule, before band and date), its adaptations never given away without a recorded
reason; and a local lettings plan on an advert, refusing bids that fail a required criterion
and ranking those who meet its priority first at the close."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from allocations import rules, selectors, services
from allocations.models import Bid, LocalLettingsPlan, Offer, PolicyVersion, ShortlistEntry
from allocations.selectors import priorities
from sites.models import Unit
from tests.allocations.casework import answers_as_records, checks_back
from tests.allocations.cbl import advert, applicant, connect, cycle_opening, uk
from tests.factories import HomeFactory, UserFactory

pytestmark = pytest.mark.django_db

OPEN = uk(2027, 3, 26, 10, 0)
CLOSED = uk(2027, 3, 30, 9, 0)


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


def adapted(home, category: str = "b"):
    Unit.objects.filter(pk=home.unit_id).update(accessibility=category)
    home.refresh_from_db()
    return home


def bid(application, home, officer):
    return services.place_bid(application=application, advert=home, channel="phone", by=officer)


def close(officer):
    with time_machine.travel(CLOSED, tick=False):
        services.cycles_close_due(by=officer)


def shortlist(home) -> list[ShortlistEntry]:
    return list(
        ShortlistEntry.objects.filter(vacancy=home, eligible=True)
        .select_related("application", "vacancy__policy_version")
        .order_by("position")
    )


def plan(officer, **criteria) -> LocalLettingsPlan:
    """A plan an officer drafted and a team leader approved (only an approved plan applies)."""
    draft = services.lettings_plan_save(
        name=criteria.pop("name", "Shorncliffe new homes"),
        area="Cheriton",
        by=officer,
        **criteria,
    )
    return services.lettings_plan_approve(
        plan=draft,
        starts_on=date(2020, 1, 1),
        reason="Agreed for the new build",
        by=UserFactory(roles=["team_leader"]),
    )


# --- Adapted homes first ------------------------------------------------------------------


def test_the_categories_that_need_an_adapted_home_are_its_own_and_those_needing_more():
    categories = rules.LettingsRules().access_categories
    assert rules.needing_codes("c", categories) == ["a", "b", "c"]
    assert rules.needing_codes("f", categories) == []
    assert rules.needing_codes("", categories) == []


def test_an_adapted_home_goes_first_to_households_who_need_it_before_band(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = adapted(advert(cycle, officer))
        band_one, needs_it, needs_more = (
            applicant(band=1, access_category="f"),
            applicant(band=3, access_category="b"),
            applicant(band=4, access_category="a"),
        )
        for application in (band_one, needs_it, needs_more):
            bid(application, home, officer)
    close(officer)
    entries = shortlist(home)
    assert [e.application for e in entries] == [needs_it, needs_more, band_one]
    assert entries[0].priority_reason.startswith("Needs this adapted home (household category B")
    assert "ranked after the households who do" in entries[2].priority_reason
    assert "needs this adapted home's adaptations" in entries[2].explanation
    replay = selectors.shortlist_replay(vacancy=home)
    assert replay.same_as_frozen and not replay.changed_by_corrections


def test_a_general_needs_home_ranks_by_the_policy_alone(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = adapted(advert(cycle, officer), "f")
        first, second = (
            applicant(band=1, access_category="f"),
            applicant(band=2, access_category="b"),
        )
        bid(second, home, officer)
        bid(first, home, officer)
    close(officer)
    entries = shortlist(home)
    assert [e.application for e in entries] == [first, second]
    assert [e.priority_reason for e in entries] == ["", ""]


def test_a_policy_that_turns_adapted_homes_first_off_ranks_them_like_any_other(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = adapted(advert(cycle, officer))
    on = PolicyVersion(rules={**rules.DEFAULT_CBL_POLICY})
    off = PolicyVersion(rules={**rules.DEFAULT_CBL_POLICY, "adapted_homes_first": False})
    assert priorities.ranking_order(home, on)[0] == rules.TieBreaker.ADAPTED_HOME
    assert rules.TieBreaker.ADAPTED_HOME not in priorities.ranking_order(home, off)


def test_a_policy_cannot_list_an_advert_rule_among_its_tie_breakers():
    data = {**rules.DEFAULT_CBL_POLICY, "tie_breakers": ["adapted_home", "band"]}
    assert any("applied per advert" in p for p in rules.policy_validate(data))


def test_the_live_position_puts_those_who_need_the_home_first_in_three_queries(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = adapted(advert(cycle, officer))
        mine = applicant(band=4, access_category="b")
        bid(applicant(band=1, access_category="f"), home, officer)
        bid(mine, home, officer)
        with CaptureQueriesContext(connection) as queries:
            (position,) = selectors.bid_positions(mine)
    assert len(queries) <= 3
    assert (position.position, position.bids) == (1, 2)


def _offer_ready(officer, cycle):
    """An adapted home whose only bidder does not need it, its shortlist frozen."""
    with time_machine.travel(OPEN, tick=False):
        home = adapted(advert(cycle, officer), "a")
        general = applicant(band=1, access_category="f")
        bid(general, home, officer)
    close(officer)
    (entry,) = shortlist(home)
    checks_back(general, officer)
    return entry


def test_an_adapted_home_offered_to_a_household_not_needing_it_needs_a_reason(officer, cycle):
    entry = _offer_ready(officer, cycle)
    with time_machine.travel(CLOSED, tick=False):
        with pytest.raises(ValidationError) as refused:
            services.offer_make(entry=entry, respond_by=date(2027, 4, 6), by=officer)
        message = refused.value.message_dict["adaptations_reason"][0]
        assert "is an adapted home (category A: wheelchair accessible throughout)" in message
        assert "needs category F: general needs" in message
        assert "Say why this adapted home goes to a household that does not need it" in message
        assert not Offer.objects.exists()
        offer = services.offer_make(
            entry=entry,
            respond_by=date(2027, 4, 6),
            by=officer,
            adaptations_reason="No bidder needed category A; the home has waited two cycles",
        )
    assert offer.adaptations_reason.startswith("No bidder needed category A")
    assert "adapted home to a household that does not need it" in (
        offer.history.get().history_change_reason
    )


def test_the_team_leader_sees_why_the_adaptations_go_unused(client, officer, team_leader, cycle):
    entry = _offer_ready(officer, cycle)
    with time_machine.travel(CLOSED, tick=False):
        offer = services.offer_make(
            entry=entry,
            respond_by=date(2027, 4, 6),
            by=officer,
            adaptations_reason="Nobody on the register needs category A in this area",
        )
        services.offer_accept(offer=offer, on=date(2027, 3, 30), by=officer)
        decision = services.decision_propose(
            offer=offer, answers=answers_as_records(offer), reasons="First", by=officer
        )
        client.force_login(team_leader)
        page = client.get(decision.get_absolute_url()).content.decode()
    assert "Nobody on the register needs category A in this area" in page
    assert "does not need its adaptations" in page


def test_the_offer_page_asks_for_the_reason_and_keeps_the_date_typed(client, officer, cycle):
    entry = _offer_ready(officer, cycle)
    url = reverse("allocations:offer-create", args=[entry.pk])
    with time_machine.travel(CLOSED, tick=False):
        client.force_login(officer)
        assert "Why an adapted home goes" in client.get(url).content.decode()
        response = client.post(
            url,
            {"respond_by_0": "6", "respond_by_1": "4", "respond_by_2": "2027"},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why this adapted home goes to a household that does not need it" in page
    assert 'value="2027"' in page
    assert not Offer.objects.exists()


# --- Local lettings plans -----------------------------------------------------------------


def test_a_bid_failing_a_required_local_connection_is_refused_naming_the_plan(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle, officer, local_lettings_plan=plan(officer, local_connection="required")
        )
        stranger, local = applicant(), applicant()
        connect(local, "Cheriton")
        bids = Bid.objects.count()
        with pytest.raises(ValidationError) as refused:
            bid(stranger, home, officer)
        assert refused.value.messages == [
            "This home is let under the Shorncliffe new homes local lettings plan: it is for "
            "households with a local connection to Cheriton; yours has none recorded."
        ]
        assert Bid.objects.count() == bids
        assert bid(local, home, officer).vacancy == home


def test_a_bid_under_a_plans_minimum_age_is_refused_saying_both_ages(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle,
            officer,
            local_lettings_plan=plan(officer, min_age=55, min_age_use="required"),
        )
        with pytest.raises(ValidationError, match="aged 55 or over; yours is 38"):
            bid(applicant(), home, officer)


def test_a_plans_priority_ranks_households_in_work_or_volunteering_first(officer, cycle):
    with time_machine.travel(OPEN, tick=False):
        home = advert(
            cycle,
            officer,
            local_lettings_plan=plan(officer, work_or_volunteering="priority"),
        )
        idle, working, volunteering = applicant(band=1), applicant(band=3), applicant(band=4)
        connect(working, "Hythe", kind="work")
        connect(volunteering, "Dover", kind="volunteering")
        for application in (idle, working, volunteering):
            bid(application, home, officer)  # a priority never refuses a bid
        (position,) = [p for p in selectors.bid_positions(volunteering) if p.bid.vacancy == home]
        assert position.position == 2
    close(officer)
    entries = shortlist(home)
    assert [e.application for e in entries] == [working, volunteering, idle]
    assert entries[0].priority_reason == (
        "Meets the Shorncliffe new homes local lettings plan's priority (someone in the "
        "household in work or volunteering)"
    )
    assert entries[2].priority_reason.startswith("Does not meet")
    assert "local lettings plan's priority" in entries[2].explanation
    # Volunteering is not a connection to the parish: the tier is unchanged.
    assert entries[1].connection_tier == 3
    assert selectors.shortlist_replay(vacancy=home).same_as_frozen


def test_volunteering_is_read_by_plans_but_is_no_connection_for_the_tier():
    volunteering = rules.Connection(kind="volunteering", parish="Cheriton", since=date(2020, 1, 1))
    tier = rules.connection_tier(
        "Cheriton", [volunteering], rules.LettingsRules().local_connection, on=date(2027, 3, 29)
    )
    assert tier.tier == 3


def test_a_plan_needs_a_criterion_and_an_age_with_its_use(officer):
    with pytest.raises(ValidationError) as refused:
        services.lettings_plan_save(name="", area="", min_age=55, by=officer)
    assert set(refused.value.message_dict) == {"name", "area", "min_age_use", "local_connection"}
    assert not LocalLettingsPlan.objects.exists()


# --- Pages --------------------------------------------------------------------------------


def test_an_officer_adds_a_plan_on_the_list_page(client, officer):
    client.force_login(officer)
    url = reverse("allocations:lettings-plan-list")
    response = client.post(
        url,
        {
            "name": "Hawkinge village",
            "area": "Hawkinge",
            "local_connection": "required",
            "work_or_volunteering": "priority",
            "active": "on",
        },
    )
    assert response.status_code == 302
    plan_ = LocalLettingsPlan.objects.get()
    assert (plan_.local_connection, plan_.work_or_volunteering) == ("required", "priority")
    assert plan_.history.get().history_user == officer
    assert "Hawkinge village" in client.get(url).content.decode()


def test_a_plan_with_no_criterion_is_refused_on_the_page_keeping_what_was_typed(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:lettings-plan-list"), {"name": "Sandgate", "area": "Sandgate"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A plan needs at least one criterion" in page
    assert 'value="Sandgate"' in page


def test_an_auditor_reads_the_plans_but_cannot_add_or_change_one(client, auditor, officer):
    existing = plan(officer, local_connection="required")
    client.force_login(auditor)
    url = reverse("allocations:lettings-plan-list")
    page = client.get(url)
    assert page.status_code == 200 and "Add a plan" not in page.content.decode()
    assert client.post(url, {"name": "X", "area": "Y"}).status_code == 403
    edit = reverse("allocations:lettings-plan-edit", args=[existing.pk])
    assert client.get(edit).status_code == 403


def test_a_plan_is_changed_on_its_page_with_history(client, officer):
    existing = plan(officer, local_connection="required")
    client.force_login(officer)
    response = client.post(
        reverse("allocations:lettings-plan-edit", args=[existing.pk]),
        {
            "name": existing.name,
            "area": "Cheriton",
            "local_connection": "priority",
            "min_age": "55",
            "min_age_use": "required",
        },
    )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.local_connection, existing.min_age, existing.active) == (
        "priority",
        55,
        False,
    )
    # Its criteria changed, so the team leader's approval no longer covers it.
    assert not existing.is_approved
    assert existing.history.first().history_change_reason == (
        "Local lettings plan changed; its criteria changed, so it needs a team leader's "
        "approval again"
    )


def test_the_advert_form_puts_a_plan_on_the_advert(client, officer):
    existing = plan(officer, local_connection="required")
    unit = HomeFactory(
        status=Unit.Status.VOID, void_date=date(2026, 1, 5), void_reason=Unit.VoidReason.TRANSFER
    )
    client.force_login(officer)
    response = client.post(
        reverse("allocations:vacancy-create", args=[unit.pk]),
        {
            "scheme": "cbl",
            "advert_text": "A flat near the sea.",
            "opens_on_0": "1",
            "opens_on_1": "4",
            "opens_on_2": "2027",
            "closes_on_0": "5",
            "closes_on_1": "4",
            "closes_on_2": "2027",
            "local_lettings_plan": existing.pk,
        },
    )
    assert response.status_code == 302
    assert unit.vacancies.get().local_lettings_plan == existing
    page = client.get(response["Location"]).content.decode()
    assert "Shorncliffe new homes" in page
