import pytest
from django.core.management import call_command

from census.models import CensusDifference, CensusReturn, CensusRound

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_census_round_under_way_with_a_difference_to_follow_up():
    call_command("demo_load", verbosity=0)
    census_round = CensusRound.objects.get()
    assert census_round.status == CensusRound.Status.STARTED
    submitted = census_round.returns.filter(status=CensusReturn.Status.SUBMITTED)
    assert submitted.count() == 3
    assert census_round.returns.filter(status=CensusReturn.Status.IN_PROGRESS).count() == 1
    difference = CensusDifference.objects.get()
    assert difference.kind == CensusDifference.Kind.NEW_OCCUPANT
    call_command("demo_load", verbosity=0)
    assert CensusRound.objects.count() == 1
