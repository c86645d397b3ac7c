"""A direct let is refused for a household that could not be offered the home: one on hold,
or already holding an open or accepted offer of another home. Approved, it would take the
home off bidding (withdrawing everyone's bids) for an offer that can never be made."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations import services
from allocations.models import DirectLet, Offer, Vacancy
from tests.allocations.casework import checks_back, frozen_vacancy, in_a_week
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db

DETAILS = "Decant: the block is to be demolished this winter"


def _propose(officer, application, vacancy=None):
    return services.direct_let_propose(
        vacancy=vacancy or VacancyFactory(),
        application=application,
        reason="decant",
        details=DETAILS,
        by=officer,
    )


def _holding_an_offer(officer, *, accepted: bool):
    _, (entry,) = frozen_vacancy(officer, 10)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    if accepted:
        services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
        offer.refresh_from_db()
        assert offer.status == Offer.Status.ACCEPTED
    return entry.application


def test_a_household_on_hold_is_not_proposed_a_direct_let(officer):
    application = ActiveApplicationFactory(on_hold_reason="Renewal not answered")

    with pytest.raises(ValidationError) as refused:
        _propose(officer, application)

    assert (
        "is on hold (Renewal not answered)"
        in refused.value.message_dict["application_reference"][0]
    )
    assert not DirectLet.objects.exists()


def test_a_household_holding_an_open_offer_is_not_proposed_a_direct_let(officer):
    application = _holding_an_offer(officer, accepted=False)

    with pytest.raises(ValidationError) as refused:
        _propose(officer, application)

    assert "already has an open offer" in refused.value.message_dict["application_reference"][0]


def test_a_direct_let_is_not_approved_once_the_household_has_accepted_another_home(
    officer, team_leader
):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    _, (entry,) = frozen_vacancy(officer, 10)
    direct_let = _propose(officer, entry.application, vacancy=vacancy)
    checks_back(entry.application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)

    with pytest.raises(ValidationError, match="has accepted the offer of"):
        services.direct_let_decide(
            direct_let=direct_let, approve=True, reason="Decant agreed", by=team_leader
        )

    vacancy.refresh_from_db()
    direct_let.refresh_from_db()
    assert vacancy.status == Vacancy.Status.ADVERTISED
    assert direct_let.status == DirectLet.Status.PROPOSED
    # Declining it is still possible, so the vacancy is not held for ever.
    services.direct_let_decide(
        direct_let=direct_let, approve=False, reason="Housed elsewhere", by=team_leader
    )
