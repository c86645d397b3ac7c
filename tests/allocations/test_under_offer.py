"""A household under offer: one offer at a time, one accepted offer at a time; accepting takes
it off its other shortlists of the cycle, and only withdrawing that accepted offer puts it
back (on the shortlists that offer took it off); a household nominated to a registered
provider is not offered a council home meanwhile. Each refusal says why and writes nothing."""

import re
import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from allocations import selectors, services
from allocations.models import Letter, Offer, ShortlistEntry
from allocations.services import nominations
from projects.models import WorkItem
from residents.selectors import household_name
from sites.models import Unit
from tests.allocations.casework import checks_back, in_a_week
from tests.allocations.cbl import advert, applicant, cycle_opening, uk
from tests.allocations.nominations import (
    council_home_shortlisted,
    provider,
    provider_home_shortlisted,
)
from tests.factories import UserFactory

OPEN = uk(2027, 3, 26, 10, 0)  # Friday of the cycle opening Thursday 25 March 2027
CLOSED = uk(2027, 3, 30, 9, 0)  # the Tuesday after it closed
REPLIED = date(2027, 3, 30)


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


@pytest.fixture
def at_close():
    with time_machine.travel(CLOSED, tick=False):
        yield


def bid(application, home, officer):
    return services.place_bid(application=application, advert=home, channel="phone", by=officer)


def top_of(cycle, officer, homes=3, *, others_on=()):
    """A household at the top of `homes` adverts' shortlists in the cycle (another, lower,
    household also on the adverts numbered in `others_on`), the cycle closed and the
    household's checks back: the household, the adverts, and the household's entries."""
    with time_machine.travel(OPEN, tick=False):
        household = applicant(band=1)
        adverts = [advert(cycle, officer) for _ in range(homes)]
        for home in adverts:
            bid(household, home, officer)
        other = applicant(band=4)
        for n in others_on:
            bid(other, adverts[n], officer)
    with time_machine.travel(CLOSED, tick=False):
        services.cycles_close_due(by=officer)
        checks_back(household, officer)
    entries = [ShortlistEntry.objects.get(vacancy=v, application=household) for v in adverts]
    return household, adverts, entries


def offered_before_the_rule(entry, officer) -> Offer:
    """An open offer made while a household could hold two at once (as data from before the
    one-offer-at-a-time rule may hold)."""
    with transaction.atomic():  # the letting checks run at the commit
        Unit.objects.filter(vacancies=entry.vacancy).update(status=Unit.Status.UNDER_OFFER)
        return Offer.objects.create(
            vacancy=entry.vacancy,
            entry=entry,
            application=entry.application,
            made_by=officer,
            respond_by=in_a_week(),
        )


def written() -> tuple:
    return (
        Offer.objects.count(),
        Offer.history.count(),
        ShortlistEntry.history.count(),
        Letter.objects.count(),
        WorkItem.objects.count(),
    )


def refused(match, action):
    before = written()
    with pytest.raises(ValidationError, match=match):
        action()
    assert written() == before  # nothing written


def name_of(application) -> str:
    """The household as refusals name it: its lead applicant's name, never a bare reference."""
    lead = application.household.people.get(relationship="lead")
    name = household_name(application.household)
    assert name == f"{lead.first_name} {lead.last_name} ({application.household.reference})"
    return name


def named(application) -> str:
    return re.escape(name_of(application))


def make(entry, officer):
    return services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _today():
    return timezone.localdate()


def _at_once(actions) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(len(actions))

    def run(action):
        try:
            barrier.wait()
            action()
            results.append("done")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- Back on the shortlists: only those the accepted offer took it off ---------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("at_close")
@pytest.mark.parametrize("ending", ["refused", "withdrawn"])
def test_a_second_offer_ending_leaves_a_household_that_accepted_one_off_its_shortlists(
    officer, cycle, ending
):
    household, (a, _b, d), (on_a, on_b, on_d) = top_of(cycle, officer, others_on=[2])
    offer_a = make(on_a, officer)
    offer_b = offered_before_the_rule(on_b, officer)
    services.offer_accept(offer=offer_a, on=REPLIED, by=officer)
    on_d.refresh_from_db()
    assert on_d.removed_reason == f"Accepted an offer of {a.reference} in the same cycle"
    if ending == "refused":
        services.offer_refuse(offer=offer_b, on=REPLIED, reason="No", reasonable=True, by=officer)
    else:
        services.offer_withdraw(offer=offer_b, reason="Made in error", by=officer)
    on_d.refresh_from_db()
    assert on_d.removed_reason == f"Accepted an offer of {a.reference} in the same cycle"
    assert selectors.next_in_order(d).application != household
    assert on_d.removed_by_offer == offer_a


@pytest.mark.django_db
@pytest.mark.usefixtures("at_close")
def test_withdrawing_the_accepted_offer_puts_back_only_the_entries_it_took_off(officer, cycle):
    _household, (a, _b, d), (on_a, on_b, on_d) = top_of(cycle, officer)
    # Taken off B's shortlist by something else (an officer's earlier correction, say).
    ShortlistEntry.objects.filter(pk=on_b.pk).update(removed_reason="Moved away in the week")
    offer_a = services.offer_accept(offer=make(on_a, officer), on=REPLIED, by=officer)
    services.offer_withdraw(offer=offer_a, reason="The household withdrew", by=officer)
    on_b.refresh_from_db()
    on_d.refresh_from_db()
    assert on_b.removed_reason == "Moved away in the week"
    assert (on_d.removed_reason, on_d.removed_by_offer) == ("", None)
    assert selectors.next_in_order(d) == on_d
    assert on_d.history.first().history_change_reason == (
        f"Back on the shortlist: the accepted offer of {a.reference} was withdrawn"
    )
    assert on_d.history.first().history_user == officer


# --- One offer at a time, one accepted offer at a time --------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("at_close")
def test_no_offer_of_a_home_whose_shortlist_the_household_left_on_accepting_another(officer, cycle):
    household, (a, _b), (on_a, on_b) = top_of(cycle, officer, homes=2)
    services.offer_accept(offer=make(on_a, officer), on=REPLIED, by=officer)
    refused(
        f"{named(household)} accepted the offer of {a.unit} \\(vacancy {a.reference}\\) in "
        "the same cycle, so was taken off this shortlist",
        lambda: make(on_b, officer),
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("at_close")
def test_a_second_open_offer_to_one_household_is_refused(officer, cycle):
    household, (a, _b), (on_a, on_b) = top_of(cycle, officer, homes=2)
    make(on_a, officer)
    refused(
        f"{named(household)} already has an open offer of {a.unit} \\(vacancy "
        f"{a.reference}\\): record the reply to that one first",
        lambda: make(on_b, officer),
    )


@pytest.mark.django_db
def test_no_offer_to_a_household_holding_an_accepted_offer_from_another_cycle(officer):
    household = applicant()
    checks_back(household, officer)
    first, second = (council_home_shortlisted(household, officer) for _ in range(2))
    services.offer_accept(offer=make(first, officer), on=_today(), by=officer)
    refused(
        f"{named(household)} has accepted the offer of {first.vacancy.unit}",
        lambda: make(second, officer),
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("at_close")
def test_a_household_holding_an_accepted_offer_cannot_accept_another(officer, cycle):
    household, (a, _b), (on_a, on_b) = top_of(cycle, officer, homes=2)
    offer_a = make(on_a, officer)
    offer_b = offered_before_the_rule(on_b, officer)
    services.offer_accept(offer=offer_a, on=REPLIED, by=officer)
    refused(
        f"{named(household)} has already accepted the offer of {a.unit} \\(vacancy "
        f"{a.reference}\\)",
        lambda: services.offer_accept(offer=offer_b, on=REPLIED, by=officer),
    )
    offer_b.refresh_from_db()
    assert offer_b.status == Offer.Status.OPEN
    assert household.offers.filter(status=Offer.Status.ACCEPTED).get() == offer_a


# --- Through the pages ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("at_close")
def test_the_offer_page_says_why_a_household_under_offer_is_not_offered_another(
    client, officer, cycle
):
    household, (a, _b), (on_a, on_b) = top_of(cycle, officer, homes=2)
    make(on_a, officer)
    client.force_login(officer)
    before = written()
    response = client.post(
        reverse("allocations:offer-create", args=[on_b.pk]), _date("respond_by", in_a_week())
    )
    assert response.status_code == 400
    assert (
        f"{name_of(household)} already has an open offer of {a.unit} (vacancy {a.reference}): "
        "record the reply to that one first"
    ) in response.content.decode().replace("&#x27;", "'")
    assert written() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("at_close")
def test_the_reply_page_says_why_a_second_acceptance_is_refused(client, officer, cycle):
    household, (a, _b), (on_a, on_b) = top_of(cycle, officer, homes=2)
    offer_a = make(on_a, officer)
    offer_b = offered_before_the_rule(on_b, officer)
    services.offer_accept(offer=offer_a, on=REPLIED, by=officer)
    client.force_login(officer)
    before = written()
    response = client.post(
        reverse("allocations:offer-reply", args=[offer_b.pk]),
        {"reply": "accept", **_date("responded_on", REPLIED)},
    )
    assert response.status_code == 400
    assert (
        f"{name_of(household)} has already accepted the offer of {a.unit} (vacancy {a.reference})"
    ) in response.content.decode().replace("&#x27;", "'")
    assert written() == before


# --- Two officers at once -------------------------------------------------------------------


def test_two_officers_offering_one_household_two_homes_at_once_make_one_offer(
    transactional_db, officer
):
    household = applicant()
    checks_back(household, officer)
    entries = [council_home_shortlisted(household, officer) for _ in range(2)]
    officers = [UserFactory(username=f"officer{n}", roles=["officer"]) for n in range(2)]
    results = _at_once(
        [lambda e=e, o=o: make(e, o) for e, o in zip(entries, officers, strict=True)]
    )
    assert results.count("done") == 1
    assert any("already has an open offer" in r for r in results if r != "done")
    assert household.offers.count() == 1


def test_two_officers_recording_acceptances_of_two_offers_at_once_accept_one(
    transactional_db, officer
):
    household = applicant()
    checks_back(household, officer)
    entries = [council_home_shortlisted(household, officer) for _ in range(2)]
    offers = [make(entries[0], officer), offered_before_the_rule(entries[1], officer)]
    officers = [UserFactory(username=f"officer{n}", roles=["officer"]) for n in range(2)]
    results = _at_once(
        [
            lambda f=f, o=o: services.offer_accept(offer=f, on=_today(), by=o)
            for f, o in zip(offers, officers, strict=True)
        ]
    )
    assert results.count("done") == 1
    assert any("has already accepted the offer" in r for r in results if r != "done")
    assert household.offers.filter(status=Offer.Status.ACCEPTED).count() == 1


# --- Nominated to a registered provider ----------------------------------------------------


@pytest.mark.django_db
def test_a_household_nominated_to_a_provider_is_not_offered_a_council_home(client, officer):
    home, (top, *_rest) = provider_home_shortlisted(officer, provider())
    household = top.application
    nomination = nominations.nomination_next(vacancy=home, by=officer)
    assert nomination.application == household
    checks_back(household, officer)
    council = council_home_shortlisted(household, officer)
    message = (
        f"{name_of(household)} is nominated to Northshire Homes for {home.unit} (vacancy "
        f"{home.reference}, sent, waiting for the provider): no offer of another home while "
        "that nomination is live"
    )
    refused(re.escape(message), lambda: make(council, officer))
    client.force_login(officer)
    response = client.post(
        reverse("allocations:offer-create", args=[council.pk]), _date("respond_by", in_a_week())
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    nominations.nomination_reject(
        nomination=nomination,
        reason="no_contact",
        detail="",
        answered_by="Lettings team",
        by=officer,
    )
    refused("rejected, for the council to review", lambda: make(council, officer))
    nominations.nomination_rejection_accept(nomination=nomination, note="Fair", by=officer)
    assert make(council, officer).application == household
