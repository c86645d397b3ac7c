"""Direct lets (issue 14): a home let to a named household outside the bidding cycle, with the
policy's reason and a team leader's approval (never the proposer's) before the offer."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from allocations import services
from allocations.models import DirectLet, Offer, Scheme, Vacancy
from projects.models import WorkItem
from residents.selectors import household_name
from sites.models import Unit
from tests.allocations.casework import checks_back, frozen_vacancy, in_a_week
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.allocations.nominations import provider
from tests.factories import HomeFactory, UserFactory

pytestmark = pytest.mark.django_db

VOID = date(2026, 1, 5)
DETAILS = "Fleeing domestic abuse: MARAC referral, needs a home away from the current area"


def _propose(by, *, vacancy=None, application=None, reason="emergency") -> DirectLet:
    return services.direct_let_propose(
        vacancy=vacancy or VacancyFactory(),
        application=application or ActiveApplicationFactory(),
        reason=reason,
        details=DETAILS,
        by=by,
    )


def test_a_proposal_waits_in_the_team_leaders_queue(officer):
    direct_let = _propose(officer)
    assert direct_let.status == DirectLet.Status.PROPOSED
    assert direct_let.reference.startswith("DL-")
    work = WorkItem.objects.get(source_key=f"direct_let_approval:{direct_let.pk}")
    assert work.assigned_role.name == "team_leader"
    assert work.status == WorkItem.Status.OPEN
    # Named by its household, never by a bare application reference.
    assert work.title.endswith(f" to {household_name(direct_let.application.household)}")
    assert direct_let.application.reference not in work.title
    assert direct_let.history.first().history_change_reason == (
        "Direct let proposed: Emergency move (risk to life or safety)"
    )


def test_a_proposal_without_reason_or_details_for_an_inactive_household_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        services.direct_let_propose(
            vacancy=VacancyFactory(),
            application=ActiveApplicationFactory(status="suspended"),
            reason="because",
            details="  ",
            by=officer,
        )
    assert set(refused.value.message_dict) == {"reason", "details", "application_reference"}
    assert "only an active application" in refused.value.message_dict["application_reference"][0]


def test_a_household_on_another_register_cannot_be_let_the_home_directly(officer):
    vacancy = VacancyFactory()  # a pitch
    with pytest.raises(ValidationError, match="let under"):
        _propose(officer, vacancy=vacancy, application=ActiveApplicationFactory(scheme="cbl"))


def test_a_second_direct_let_of_the_same_vacancy_is_refused(officer):
    first = _propose(officer)
    with pytest.raises(ValidationError, match=f"already has direct let {first.reference}"):
        _propose(officer, vacancy=first.vacancy)


def test_a_vacancy_with_someone_left_on_its_shortlist_is_offered_in_order_first(officer):
    vacancy, _ = frozen_vacancy(officer, 10)
    with pytest.raises(ValidationError, match="offer it in order, or bypass them"):
        _propose(officer, vacancy=vacancy)


def test_a_proposed_direct_let_keeps_the_shortlist_from_being_frozen(officer):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    direct_let = _propose(officer, vacancy=vacancy)
    with pytest.raises(ValidationError, match=f"Direct let {direct_let.reference}"):
        services.shortlist_freeze(vacancy=vacancy, by=officer)


def test_the_proposer_cannot_decide_their_own_direct_let_even_as_a_team_leader(team_leader):
    direct_let = _propose(team_leader)
    with pytest.raises(PermissionDenied):
        services.direct_let_decide(
            direct_let=direct_let, approve=True, reason="Urgent", by=team_leader
        )
    direct_let.refresh_from_db()
    assert direct_let.status == DirectLet.Status.PROPOSED


def test_the_database_refuses_a_direct_let_decided_by_its_proposer(team_leader):
    direct_let = _propose(team_leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectLet.objects.filter(pk=direct_let.pk).update(
            status="declined", decided_by=team_leader, decision_reason="Mine"
        )


def test_an_officer_cannot_decide_a_direct_let(officer):
    direct_let = _propose(UserFactory())
    with pytest.raises(PermissionDenied):
        services.direct_let_decide(direct_let=direct_let, approve=True, reason="Yes", by=officer)


def test_a_decision_needs_a_reason(officer, team_leader):
    direct_let = _propose(officer)
    with pytest.raises(ValidationError) as refused:
        services.direct_let_decide(direct_let=direct_let, approve=False, reason=" ", by=team_leader)
    assert set(refused.value.message_dict) == {"reason"}


def test_declining_leaves_the_vacancy_as_it_was_and_closes_the_queue_item(officer, team_leader):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    direct_let = _propose(officer, vacancy=vacancy)
    services.direct_let_decide(
        direct_let=direct_let,
        approve=False,
        reason="Not an emergency: the household can bid",
        by=team_leader,
    )
    direct_let.refresh_from_db()
    vacancy.refresh_from_db()
    assert (direct_let.status, direct_let.decided_by) == ("declined", team_leader)
    assert direct_let.decision_reason == "Not an emergency: the household can bid"
    assert vacancy.status == Vacancy.Status.ADVERTISED
    work = WorkItem.objects.get(source_key=f"direct_let_approval:{direct_let.pk}")
    assert work.status == WorkItem.Status.DONE
    # Declined, the shortlist can be frozen as usual.
    services.shortlist_freeze(vacancy=vacancy, by=officer)


def test_approval_closes_the_vacancy_and_the_normal_offer_follows(officer, team_leader):
    vacancy = VacancyFactory(status=Vacancy.Status.DRAFT)
    application = ActiveApplicationFactory()
    direct_let = _propose(officer, vacancy=vacancy, application=application, reason="decant")
    services.direct_let_decide(
        direct_let=direct_let, approve=True, reason="Decant agreed at panel", by=team_leader
    )
    direct_let.refresh_from_db()
    vacancy.refresh_from_db()
    assert direct_let.status == DirectLet.Status.APPROVED
    assert vacancy.status == Vacancy.Status.CLOSED
    assert vacancy.policy_version is not None
    entry = direct_let.entry
    assert (entry.application, entry.position, entry.eligible) == (application, 1, True)
    assert direct_let.reference in entry.explanation
    checks_back(application, officer)
    offer = services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    assert offer.status == Offer.Status.OPEN
    assert offer.application == application


def test_approval_after_the_shortlist_is_exhausted_puts_the_household_next(officer, team_leader):
    vacancy, (entry,) = frozen_vacancy(officer, 10)
    services.shortlist_bypass(entry=entry, reason="No longer needs a pitch", by=team_leader)
    direct_let = _propose(officer, vacancy=vacancy, reason="no_suitable_bidder")
    services.direct_let_decide(direct_let=direct_let, approve=True, reason="Agreed", by=team_leader)
    direct_let.refresh_from_db()
    assert direct_let.entry.position == 2
    assert services.next_in_order(vacancy) == direct_let.entry
    # Replaying the frozen shortlist leaves the direct let's entry out: it was not ranked.
    assert services.shortlist_replay(vacancy=vacancy).same_as_frozen


# --- Pages -----------------------------------------------------------------------------------


def test_an_officer_proposes_a_direct_let_through_the_page(client, officer):
    vacancy = VacancyFactory()
    application = ActiveApplicationFactory()
    client.force_login(officer)
    typed = {
        "vacancy_reference": vacancy.reference.lower(),
        "application_reference": application.reference,
        "reason": "statutory",
        "details": DETAILS,
    }
    # First the household's name to check; only what was confirmed there is sent.
    check = client.post(reverse("allocations:direct-let-create"), typed)
    assert check.status_code == 200 and not DirectLet.objects.exists()
    response = client.post(
        reverse("allocations:direct-let-create"),
        typed | {"confirmed": f"{vacancy.pk}:{application.pk}"},
    )
    direct_let = DirectLet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == direct_let.get_absolute_url()
    assert (direct_let.vacancy, direct_let.application, direct_let.reason) == (
        vacancy,
        application,
        "statutory",
    )


def test_a_proposal_names_the_household_to_check_before_it_is_sent(client, officer):
    vacancy, application = VacancyFactory(), ActiveApplicationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:direct-let-create"),
        {
            "vacancy_reference": vacancy.reference,
            "application_reference": application.reference,
            "reason": "decant",
            "details": DETAILS,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    name = household_name(application.household)
    assert f"Let {vacancy.unit} to {name}?" in page
    assert "Send to a team leader" in page and "Change the details" in page
    assert f'value="{vacancy.pk}:{application.pk}"' in page
    assert not DirectLet.objects.exists()


def test_a_reference_changed_after_the_check_is_checked_again_not_sent(client, officer):
    vacancy, meant, typo = VacancyFactory(), ActiveApplicationFactory(), ActiveApplicationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:direct-let-create"),
        {
            "vacancy_reference": vacancy.reference,
            "application_reference": typo.reference,
            "reason": "decant",
            "details": DETAILS,
            "confirmed": f"{vacancy.pk}:{meant.pk}",  # what the officer checked
        },
    )
    assert response.status_code == 200
    assert household_name(typo.household) in response.content.decode()
    assert not DirectLet.objects.exists()


def test_changing_the_details_from_the_check_page_keeps_what_was_typed(client, officer):
    vacancy, application = VacancyFactory(), ActiveApplicationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:direct-let-create"),
        {
            "vacancy_reference": vacancy.reference,
            "application_reference": application.reference,
            "reason": "decant",
            "details": DETAILS,
            "confirmed": f"{vacancy.pk}:{application.pk}",
            "change": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{application.reference}"' in page and "MARAC referral" in page
    assert "Continue" in page
    assert not DirectLet.objects.exists()


def test_a_refused_proposal_keeps_what_was_typed_and_says_what_is_wrong(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:direct-let-create"),
        {"vacancy_reference": "V-999999", "application_reference": "", "details": DETAILS},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No vacancy with reference V-999999" in page
    assert "Enter the application reference" in page
    assert "Choose the policy&#x27;s reason for the direct let" in page
    assert "MARAC referral" in page
    assert not DirectLet.objects.exists()


def test_a_team_leader_approves_on_the_direct_lets_page(client, officer, team_leader):
    direct_let = _propose(officer)
    client.force_login(team_leader)
    page = client.get(direct_let.get_absolute_url())
    assert "Approve or decline" in page.content.decode()
    response = client.post(
        direct_let.get_absolute_url(), {"decision": "approve", "reason": "Agreed: urgent"}
    )
    assert response.status_code == 302
    direct_let.refresh_from_db()
    assert (direct_let.status, direct_let.decided_by) == ("approved", team_leader)
    # The officer is offered the next step: the offer.
    client.force_login(officer)
    page = client.get(direct_let.get_absolute_url()).content.decode()
    assert reverse("allocations:offer-create", args=[direct_let.entry.pk]) in page


def test_the_proposing_team_leader_is_told_another_must_decide_and_cannot_post(client, team_leader):
    direct_let = _propose(team_leader)
    client.force_login(team_leader)
    page = client.get(direct_let.get_absolute_url()).content.decode()
    assert "another team leader must decide it" in page
    response = client.post(direct_let.get_absolute_url(), {"decision": "approve", "reason": "x"})
    assert response.status_code == 403


def test_the_list_counts_direct_lets_by_reason_and_filters(client, officer, team_leader):
    emergency = _propose(officer)
    decant = _propose(officer, reason="decant")
    services.direct_let_decide(direct_let=decant, approve=True, reason="Yes", by=team_leader)
    client.force_login(officer)
    response = client.get(reverse("allocations:direct-let-list"))
    counts = {row["code"]: (row["total"], row["approved"]) for row in response.context["counts"]}
    assert counts == {
        "emergency": (1, 0),
        "management": (0, 0),
        "decant": (1, 1),
        "statutory": (0, 0),
        "no_suitable_bidder": (0, 0),
    }
    filtered = client.get(reverse("allocations:direct-let-list"), {"reason": "emergency"})
    assert [let.pk for let in filtered.context["page_obj"]] == [emergency.pk]
    searched = client.get(
        reverse("allocations:direct-let-list"), {"q": decant.application.reference}
    )
    assert [let.pk for let in searched.context["page_obj"]] == [decant.pk]
    nothing = client.get(reverse("allocations:direct-let-list"), {"q": "nobody-at-all"})
    assert "No direct let matches those filters." in nothing.content.decode()


def test_a_direct_lets_history_names_who_and_why(client, officer, team_leader):
    direct_let = _propose(officer)
    services.direct_let_decide(
        direct_let=direct_let, approve=False, reason="Can bid instead", by=team_leader
    )
    client.force_login(officer)
    page = client.get(direct_let.get_history_url()).content.decode()
    assert "Direct let declined: Can bid instead" in page


# --- The demo --------------------------------------------------------------------------------


def test_the_demo_has_a_direct_let_approved_and_offered_and_one_waiting(settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)
    approved = DirectLet.objects.get(status=DirectLet.Status.APPROVED)
    assert approved.reason == DirectLet.Reason.DECANT
    assert approved.decided_by.username == "teamleader"
    assert approved.proposed_by.username == "officer"
    assert approved.entry.offers.get().status == Offer.Status.OPEN
    waiting = DirectLet.objects.get(status=DirectLet.Status.PROPOSED)
    work = WorkItem.objects.get(source_key=f"direct_let_approval:{waiting.pk}")
    assert (work.assigned_role.name, work.status) == ("team_leader", WorkItem.Status.OPEN)


def test_the_vacancy_page_links_its_direct_let_and_offers_to_propose_one(client, officer):
    vacancy = VacancyFactory()
    client.force_login(officer)
    page = client.get(vacancy.get_absolute_url()).content.decode()
    create = reverse("allocations:direct-let-create") + f"?vacancy={vacancy.reference}"
    assert create in page
    form = client.get(create)
    assert form.context["form"]["vacancy_reference"].value() == vacancy.reference
    direct_let = _propose(officer, vacancy=vacancy)
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert direct_let.get_absolute_url() in page


def test_a_registered_providers_home_is_not_let_directly(officer, team_leader):
    # Its vacancy would close for an offer the council never makes of a provider's home.
    unit = HomeFactory(provider=provider(), status=Unit.Status.ADVERTISED, void_date=VOID)
    vacancy = VacancyFactory(unit=unit, scheme=Scheme.CBL, status=Vacancy.Status.ADVERTISED)
    application = ActiveApplicationFactory(scheme=Scheme.CBL)
    with pytest.raises(ValidationError) as refused:
        _propose(officer, vacancy=vacancy, application=application)
    assert refused.value.message_dict["vacancy_reference"] == [
        f"{unit} is a registered provider's home: it is let by nominating to the provider, "
        "not by a direct let."
    ]
    assert not DirectLet.objects.exists()


def test_a_direct_let_proposed_before_the_home_went_to_a_provider_is_not_approved(
    officer, team_leader
):
    unit = HomeFactory(status=Unit.Status.ADVERTISED, void_date=VOID)
    vacancy = VacancyFactory(unit=unit, scheme=Scheme.CBL, status=Vacancy.Status.ADVERTISED)
    direct_let = _propose(
        officer, vacancy=vacancy, application=ActiveApplicationFactory(scheme=Scheme.CBL)
    )
    Unit.objects.filter(pk=unit.pk).update(provider=provider())
    with pytest.raises(ValidationError, match="registered provider's home"):
        services.direct_let_decide(
            direct_let=direct_let, approve=True, reason="Agreed", by=team_leader
        )
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.ADVERTISED


def test_a_second_team_leaders_decision_on_a_decided_direct_let_is_told_it_was_decided(
    client, officer, team_leader
):
    direct_let = _propose(officer)
    other = UserFactory(roles=["team_leader"], first_name="Grace", last_name="Obi")
    services.direct_let_decide(direct_let=direct_let, approve=True, reason="Urgent", by=other)
    client.force_login(team_leader)  # their page was opened before Grace decided
    response = client.post(
        direct_let.get_absolute_url(), {"decision": "decline", "reason": "Can bid instead"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert (
        f"Direct let {direct_let.reference} was already approved by Grace Obi: your decision "
        "was not recorded." in page
    )
    direct_let.refresh_from_db()
    assert (direct_let.status, direct_let.decided_by) == ("approved", other)


def test_a_direct_let_while_bidding_is_open_withdraws_the_bids_and_takes_the_home_off_the_week(
    officer, team_leader
):
    """The home let directly mid-cycle takes its bids with it, with the reason: each household
    has its weekly bid back, and the home is no longer in the newsletter or live positions."""
    import time_machine

    from allocations import selectors
    from tests.allocations.cbl import advert, applicant, cycle_opening, uk

    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        homes = [advert(cycle, officer) for _ in range(4)]
    bidder, moving = applicant(), applicant()
    with time_machine.travel(uk(2027, 3, 26, 10, 0), tick=False):
        bids = [
            services.place_bid(application=bidder, advert=home, channel="phone", by=officer)
            for home in homes[:3]
        ]
        direct_let = services.direct_let_propose(
            vacancy=homes[0], application=moving, reason="emergency", details=DETAILS, by=officer
        )
        services.direct_let_decide(
            direct_let=direct_let, approve=True, reason="Urgent", by=team_leader
        )
        bids[0].refresh_from_db()
        assert bids[0].withdrawn
        assert bids[0].withdrawal_reason == (
            f"Home let outside the bidding cycle: Let directly ({direct_let.reference}: "
            "emergency move (risk to life or safety))"
        )
        # The slot is free again: a fourth home can be bid for.
        services.place_bid(application=bidder, advert=homes[3], channel="phone", by=officer)
        assert [p.bid.vacancy for p in selectors.bid_positions(bidder)] == sorted(
            homes[1:], key=lambda home: home.reference
        )
        newsletters = services.newsletter_publish(cycle=cycle, by=officer)
        listed = [
            item["reference"]
            for area in newsletters[0].context["areas"]
            for item in area["adverts"]
        ]
        assert homes[0].reference not in listed
        assert homes[1].reference in listed
