"""Auto-bid preference areas under a lettings policy that lists the council's parishes: the
auto-bidder matches an area with an advert's parish, so a slip ("Hyth") would silently mean it
never bids for a household that cannot bid for itself. The one service refuses it, writing
nothing; a policy without the list takes any area, as before."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from allocations import services, tasks
from allocations.models import AutoBidPreference, Bid
from tests.allocations.cbl import (
    advert,
    applicant,
    auto_bid_last_change,
    cycle_opening,
    parishes_listed,
    uk,
)

pytestmark = pytest.mark.django_db

HYTH = "Hyth is not a parish in the lettings policy: choose from the list"


def preferred(application, by, areas, **fields) -> AutoBidPreference:
    return services.auto_bid_preference_save(
        application=application,
        group="cannot_bid",
        areas=areas,
        reason="Cannot bid for themselves: support worker's letter",
        by=by,
        last_change_seen=auto_bid_last_change(application),
        **fields,
    )


def test_an_area_not_on_the_policys_list_is_refused_and_nothing_is_recorded(officer, administrator):
    parishes_listed(administrator)
    with pytest.raises(ValidationError) as refused:
        preferred(applicant(), officer, ["Folkestone", "Hyth"])
    assert refused.value.message_dict == {"areas": [HYTH]}
    assert not AutoBidPreference.objects.exists()
    assert not AutoBidPreference.history.exists()


def test_a_refused_area_leaves_the_households_preferences_as_they_were(officer, administrator):
    parishes_listed(administrator)
    application = applicant()
    before = preferred(application, officer, ["Cheriton"], highest_floor=0)
    with pytest.raises(ValidationError):
        preferred(application, officer, ["Hyth"], highest_floor=2, active=False)
    before.refresh_from_db()
    assert (before.areas, before.highest_floor, before.active) == (["Cheriton"], 0, True)
    assert before.history.count() == 1


def test_every_refusal_is_told_at_once(officer, administrator):
    parishes_listed(administrator)
    with pytest.raises(ValidationError) as refused:
        services.auto_bid_preference_save(
            application=applicant(),
            group="nobody",
            areas=["Hyth", "Sangate"],
            reason="Asked by the support worker",
            by=officer,
            last_change_seen=None,
        )
    assert refused.value.message_dict == {
        "group": ["The policy does not auto-bid for that group"],
        "areas": [HYTH, "Sangate is not a parish in the lettings policy: choose from the list"],
    }
    assert not AutoBidPreference.objects.exists()


def test_listed_areas_typed_in_any_case_are_kept_as_the_policy_spells_them(officer, administrator):
    parishes_listed(administrator)
    preference = preferred(applicant(), officer, [" hythe", "CHERITON "])
    assert preference.areas == ["Hythe", "Cheriton"]
    preference.refresh_from_db()
    assert preference.areas == ["Hythe", "Cheriton"]


def test_under_a_policy_without_the_list_an_area_is_still_free_text(officer, administrator):
    # Version 1 (published before the list existed) is in force; the list takes effect later.
    parishes_listed(administrator, effective_from=date(2027, 4, 1))
    preference = preferred(applicant(), officer, ["Hyth", "Shorncliffe"])
    assert preference.areas == ["Hyth", "Shorncliffe"]


def test_the_auto_bidder_bids_for_a_home_in_a_listed_area_recorded_in_another_case(
    officer, administrator
):
    parishes_listed(administrator)
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        hythe = advert(cycle, officer, parish="Hythe", town="Hythe")
        advert(cycle, officer, parish="Cheriton", town="Folkestone")
        application = applicant()
        preferred(application, officer, ["hythe "])
    with time_machine.travel(uk(2027, 3, 25, 0, 0, 30), tick=False):
        assert tasks.cycles_open_due() == [cycle.reference]
    bid = Bid.objects.get(application=application)
    assert (bid.vacancy_id, bid.channel) == (hythe.pk, Bid.Channel.AUTO)
    assert bid.match_reason.startswith("Matches area Hythe (choice 1)")


def test_a_household_limited_to_the_ground_floor_is_not_bid_for_a_flat_of_unknown_floor(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        unknown_flat = advert(cycle, officer, floor_level=None, home_type="flat")
        bungalow = advert(cycle, officer, floor_level=None, home_type="bungalow")
        lift_flat = advert(
            cycle, officer, floor_level=None, home_type="flat", access_categories=["e"]
        )
        ground_only, any_floor = applicant(access_category="e"), applicant()
        preferred(ground_only, officer, [], highest_floor=0)
        preferred(any_floor, officer, [])
    with time_machine.travel(uk(2027, 3, 25, 0, 0, 30), tick=False):
        assert tasks.cycles_open_due() == [cycle.reference]
    bids = {
        bid.vacancy_id: bid.match_reason
        for bid in Bid.objects.filter(application=ground_only, withdrawn=False)
    }
    assert set(bids) == {bungalow.pk, lift_flat.pk}
    assert "floor not recorded, but a bungalow" in bids[bungalow.pk]
    assert "floor not recorded, but access category E" in bids[lift_flat.pk]
    # Without a floor limit, the flat of unknown floor is bid for as any other home.
    assert Bid.objects.filter(application=any_floor, vacancy=unknown_flat).exists()
