"""Closing an application as housed by hand: not while the register still has something live
for it (a bid, a frozen shortlist, an offer, a nomination). The council houses a household by
approving its allocation decision, which closes the application itself."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Application, Vacancy
from tests.allocations.casework import checks_back, in_a_week
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def _status_page(client, user, application) -> str:
    client.force_login(user)
    return client.get(
        reverse("allocations:application-status", args=[application.pk])
    ).content.decode()


def test_housed_is_offered_for_an_active_application_with_nothing_live(client, officer):
    application = ActiveApplicationFactory()
    assert 'value="housed"' in _status_page(client, officer, application)


def test_an_application_with_a_live_bid_is_not_offered_housed_and_is_refused(client, officer):
    application = ActiveApplicationFactory()
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, reference="VT-HOUSED")
    services.bid_place(vacancy=vacancy, application=application, by=officer)
    page = _status_page(client, officer, application)
    assert 'value="housed"' not in page and 'value="withdrawn"' in page
    response = client.post(
        reverse("allocations:application-status", args=[application.pk]),
        {"to": "housed", "reason": "Housed"},
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError, match="has live bids on VT-HOUSED: withdraw them"):
        services.application_transition(
            application=application, to=Application.Status.HOUSED, reason="Housed", by=officer
        )
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE


def test_an_application_on_a_frozen_shortlist_is_not_closed_as_housed(client, officer):
    application = ActiveApplicationFactory()
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    services.bid_place(vacancy=vacancy, application=application, by=officer)
    services.shortlist_freeze(vacancy=vacancy, by=officer)
    assert 'value="housed"' not in _status_page(client, officer, application)
    with pytest.raises(ValidationError, match=r"is on the frozen shortlist for .* may still be"):
        services.application_transition(
            application=application, to=Application.Status.HOUSED, reason="Housed", by=officer
        )


@pytest.mark.parametrize("accepted", [False, True])
def test_an_application_under_offer_or_accepted_is_housed_only_by_approval(
    client, officer, accepted
):
    application = ActiveApplicationFactory()
    checks_back(application, officer)
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    services.bid_place(vacancy=vacancy, application=application, by=officer)
    (entry,) = services.shortlist_freeze(vacancy=vacancy, by=officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    expected = "is under offer for"
    if accepted:
        services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
        expected = r"has accepted the offer of .*: it becomes housed when a team leader approves"
    assert 'value="housed"' not in _status_page(client, officer, application)
    with pytest.raises(ValidationError, match=expected):
        services.application_transition(
            application=application, to=Application.Status.HOUSED, reason="Housed", by=officer
        )
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
