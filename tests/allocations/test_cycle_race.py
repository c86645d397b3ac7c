"""The next bidding cycle made by two people at the same moment (two homes re-advertised at
once when nobody was left to nominate): the second uses the cycle the first just made, never
a second cycle, an error or a server error. The clash is made deterministic: the other
person's cycle is committed from a second database connection just before this one's insert.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from allocations import services
from allocations.models import BiddingCycle, Vacancy
from allocations.services.nominations import vacancy_readvertise
from tests.allocations.nominations import provider, provider_home_shortlisted
from tests.races import saved_by_someone_else_first


def _nobody_left_to_nominate(officer) -> Vacancy:
    vacancy, entries = provider_home_shortlisted(officer, provider(), bidders=0)
    assert entries == []
    return vacancy


def test_two_homes_readvertised_at_once_both_go_into_the_one_next_cycle(transactional_db, officer):
    first, second = _nobody_left_to_nominate(officer), _nobody_left_to_nominate(officer)

    def readvertise(vacancy: Vacancy) -> Vacancy:
        return vacancy_readvertise(vacancy=vacancy, reason="Nobody left", by=officer)

    with saved_by_someone_else_first(BiddingCycle, lambda: readvertise(first)):
        again = readvertise(second)
    cycle = BiddingCycle.objects.get()
    assert again.cycle == cycle and again.status == Vacancy.Status.ADVERTISED
    advertised = Vacancy.objects.filter(cycle=cycle, status=Vacancy.Status.ADVERTISED)
    assert set(advertised.values_list("unit", flat=True)) == {first.unit_id, second.unit_id}


def test_the_next_cycle_made_twice_at_once_is_made_once(transactional_db, officer):
    with saved_by_someone_else_first(BiddingCycle, lambda: services.cycle_next_create(by=officer)):
        cycle = services.cycle_next_create(by=officer)
    assert BiddingCycle.objects.get() == cycle
    assert cycle.history.count() == 1
    # Asked again later, the same cycle: it is the next one still.
    assert services.cycle_next_create(by=officer) == cycle


def test_a_cycle_an_officer_makes_twice_at_once_tells_the_second_it_is_there(
    transactional_db, officer
):
    opens_on = date(2031, 1, 2)  # a Thursday, the policy's opening day
    with (
        saved_by_someone_else_first(
            BiddingCycle, lambda: services.cycle_create(opens_on=opens_on, by=officer)
        ),
        pytest.raises(ValidationError) as refused,
    ):
        services.cycle_create(opens_on=opens_on, by=officer)
    assert refused.value.message_dict == {
        "opens_on": ["There is already a cycle opening on that day (C-2031-01-02)."]
    }
    assert BiddingCycle.objects.get().reference == "C-2031-01-02"


def test_the_next_cycle_closed_early_is_not_used_again(officer):
    cycle = services.cycle_next_create(by=officer)
    BiddingCycle.objects.filter(pk=cycle.pk).update(frozen_at=cycle.opens_at)
    with pytest.raises(ValidationError, match="already a cycle opening on that day"):
        services.cycle_next_create(by=officer)
