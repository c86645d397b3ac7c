"""Extra Care homes offered from the panel's ranking (issue 14): outside the bidding cycle, to
the highest-ranked approved referral still waiting, or lower down with a reason for skipping
those above; a refused offer passes the home to the next."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Application, Bid, ExtraCareLet, Offer, Scheme, Vacancy
from residents.selectors import household_name
from sites import services as site_services
from sites.models import Unit
from tests.allocations.casework import (
    answers_as_records,
    checks_back,
    frozen_vacancy,
    in_a_week,
)
from tests.allocations.cbl import applicant, cycle_open_today
from tests.factories import HomeFactory

pytestmark = pytest.mark.django_db


def _home(officer, *, extra_care: bool = True) -> Vacancy:
    """A void home (Extra Care unless told) with a draft vacancy under choice-based lettings."""
    today = timezone.localdate()
    unit = HomeFactory(
        status=Unit.Status.VOID,
        bedrooms=1,
        floor_level=0,
        extra_care=extra_care,
        void_date=today - timedelta(days=10),
        void_reason=Unit.VoidReason.CARE_HOME,
    )
    return services.vacancy_create(
        unit=unit,
        scheme=Scheme.CBL,
        advert_text="A one-bedroom Extra Care flat with care on site.",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        by=officer,
    )


def _ranked(officer, count: int, *, held_on: date | None = None) -> list:
    """A panel held on `held_on` (today) that approved `count` referrals, ranked in order;
    each household's checks are back. The panel items, first ranked first."""
    applications = [applicant(band=2) for _ in range(count)]
    referrals = []
    for application in applications:
        checks_back(application, officer)
        referrals.append(
            services.extracare_referral_make(
                application=application,
                referred_by="J. Patel, Adult Social Care",
                referred_on=timezone.localdate() - timedelta(days=30),
                care_hours_per_week=Decimal("12"),
                needs_summary="Help with personal care twice a day",
                by=officer,
            )
        )
    panel = services.extracare_panel_record(
        held_on=held_on or timezone.localdate(),
        staff=[officer],
        partner_members="A. Khan, Adult Social Care",
        referrals=referrals,
        by=officer,
    )
    items = list(panel.items.order_by("pk"))
    for ranking, item in enumerate(items, start=1):
        services.extracare_decision_record(
            item=item, decision="approve", reasons="Meets the criteria", ranking=ranking, by=officer
        )
    for item in items:
        item.refresh_from_db()
    return items


def _refs(items) -> list[str]:
    return [item.referral.application.reference for item in items]


# --- The ranking -----------------------------------------------------------------------------


def test_the_home_is_offered_to_the_first_ranked_referral_and_the_vacancy_leaves_bidding(
    officer,
):
    first, _second = _ranked(officer, 2)
    vacancy = _home(officer)
    let = services.extracare_let_make(vacancy=vacancy, respond_by=in_a_week(), by=officer)
    assert let.item == first and not let.skipped.exists()
    assert let.reference.startswith("EC-")
    offer = let.entry.offers.get()
    assert (offer.status, offer.application) == (Offer.Status.OPEN, first.referral.application)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
    assert vacancy.unit.status == Unit.Status.UNDER_OFFER
    assert "Extra Care panel's ranking" in let.entry.explanation
    assert let.history.get().history_user == officer
    assert let.history.get().history_change_reason == (
        f"Offered from the Extra Care panel's ranking to {first.referral.application.reference}"
    )


def test_the_most_recent_panels_ranking_comes_first_and_a_later_deferral_takes_one_out(officer):
    last_month = timezone.localdate() - timedelta(days=28)
    (older,) = _ranked(officer, 1, held_on=last_month)
    (newer,) = _ranked(officer, 1)
    assert _refs(services.extracare_waiting()) == _refs([newer, older])
    # Last month's panel deferred a referral to this month's, which deferred it again; last
    # month's minutes put right afterwards to an approval do not rank it: the later panel's
    # decision counts. (An approved referral is never put on a later agenda.)
    (put_right,) = _ranked(officer, 1, held_on=last_month)
    services.extracare_decision_record(
        item=put_right, decision="defer", reasons="Needs the OT's report", by=officer
    )
    panel = services.extracare_panel_record(
        held_on=timezone.localdate(),
        staff=[officer],
        partner_members="A. Khan, Adult Social Care",
        referrals=[put_right.referral],
        by=officer,
    )
    services.extracare_decision_record(
        item=panel.items.get(), decision="defer", reasons="Still no OT report", by=officer
    )
    services.extracare_decision_record(
        item=put_right, decision="approve", reasons="As minuted", ranking=2, by=officer
    )
    assert _refs(services.extracare_waiting()) == _refs([newer, older])


def test_an_application_no_longer_active_is_not_waiting(officer):
    first, second = _ranked(officer, 2)
    Application.objects.filter(pk=first.referral.application_id).update(
        status=Application.Status.WITHDRAWN
    )
    ranking = services.extracare_ranking()
    assert [ranked.not_waiting for ranked in ranking] == ["Application withdrawn", ""]
    let = services.extracare_let_make(vacancy=_home(officer), respond_by=in_a_week(), by=officer)
    assert let.item == second


# --- Skipping with a reason ------------------------------------------------------------------


def test_a_referral_lower_down_is_offered_only_with_a_reason_for_skipping_those_above(officer):
    first, second, third = _ranked(officer, 3)
    vacancy = _home(officer)
    with pytest.raises(ValidationError) as refused:
        services.extracare_let_make(vacancy=vacancy, item=third, respond_by=in_a_week(), by=officer)
    message = refused.value.message_dict["skip_reason"][0]
    assert first.referral.application.reference in message
    assert second.referral.application.reference in message
    assert not ExtraCareLet.objects.exists()
    let = services.extracare_let_make(
        vacancy=vacancy,
        item=third,
        skip_reason="Both need a ground-floor flat with a wet room; this flat is on the 2nd floor",
        respond_by=in_a_week(),
        by=officer,
    )
    assert set(let.skipped.all()) == {first, second}
    assert let.skip_reason.startswith("Both need a ground-floor flat")
    assert "skipping" in let.history.get().history_change_reason
    # Skipped for this home, they wait for the next, still first in the ranking.
    assert _refs(services.extracare_waiting()) == _refs([first, second])


# --- A refused offer passes the home to the next ---------------------------------------------


def test_a_refused_offer_makes_the_next_ranked_referral_the_one_offered(officer):
    first, second = _ranked(officer, 2)
    vacancy = _home(officer)
    offer = services.extracare_let_make(
        vacancy=vacancy, respond_by=in_a_week(), by=officer
    ).entry.offers.get()
    with pytest.raises(ValidationError, match="already has an offer waiting for a reply"):
        services.extracare_let_make(vacancy=vacancy, respond_by=in_a_week(), by=officer)
    services.offer_refuse(
        offer=offer,
        on=timezone.localdate(),
        reason="Wants to stay near her daughter in Hythe",
        reasonable=True,
        by=officer,
    )
    next_let = services.extracare_let_make(vacancy=vacancy, respond_by=in_a_week(), by=officer)
    assert next_let.item == second
    assert next_let.entry.position == 2
    standing = {r.item.pk: r.not_waiting for r in services.extracare_ranking()}
    assert standing[first.pk].startswith("Offered")


def test_an_accepted_offer_goes_to_a_team_leader_and_the_household_is_housed(officer, team_leader):
    (first,) = _ranked(officer, 1)
    vacancy = _home(officer)
    offer = services.extracare_let_make(
        vacancy=vacancy, respond_by=in_a_week(), by=officer
    ).entry.offers.get()
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = services.decision_propose(
        offer=offer,
        answers=answers_as_records(offer),
        reasons="First in the Extra Care panel's ranking",
        by=officer,
    )
    services.decision_approve(decision=decision, comments="Agreed", by=team_leader)
    vacancy.refresh_from_db()
    first.referral.application.refresh_from_db()
    assert vacancy.status == Vacancy.Status.LET
    assert first.referral.application.status == Application.Status.HOUSED


# --- Refusals --------------------------------------------------------------------------------


def test_a_home_not_marked_extra_care_is_refused_and_nothing_is_written(officer):
    _ranked(officer, 1)
    vacancy = _home(officer, extra_care=False)
    with pytest.raises(ValidationError, match="is not an Extra Care home"):
        services.extracare_let_make(vacancy=vacancy, respond_by=in_a_week(), by=officer)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.DRAFT and not ExtraCareLet.objects.exists()


def test_an_extra_care_home_is_not_published_for_bids(officer):
    cycle = cycle_open_today(officer)
    with pytest.raises(ValidationError, match="is an Extra Care home"):
        services.advert_publish(vacancy=_home(officer), cycle=cycle, by=officer)


def test_a_home_marked_extra_care_after_bids_were_placed_is_let_from_its_shortlist(officer):
    _ranked(officer, 1)
    vacancy = _home(officer, extra_care=False)
    cycle = cycle_open_today(officer)
    vacancy = services.advert_publish(vacancy=vacancy, cycle=cycle, by=officer)
    services.bid_place(vacancy=vacancy, application=applicant(), by=officer)
    site_services.unit_update(
        unit=vacancy.unit, extra_care=True, reason="Part of the new Extra Care scheme", by=officer
    )
    vacancy.refresh_from_db()
    problems = services.extracare_let_problems(vacancy=vacancy)
    assert "has bids in the bidding cycle" in problems["vacancy_reference"]


def test_with_nobody_approved_and_waiting_the_offer_is_refused(officer):
    problems = services.extracare_let_problems(vacancy=_home(officer))
    assert "No approved referral" in problems[NON_FIELD_ERRORS]


def test_every_refusal_is_listed_at_once_without_writing(officer):
    _first, second = _ranked(officer, 2)
    vacancy = _home(officer, extra_care=False)
    problems = services.extracare_let_problems(
        vacancy=vacancy, item=second, respond_by=timezone.localdate()
    )
    assert set(problems) == {"respond_by", "skip_reason", "vacancy_reference"}
    assert not ExtraCareLet.objects.exists()


def test_checks_not_back_keep_the_referral_from_being_offered(officer):
    application = applicant(band=2)
    referral = services.extracare_referral_make(
        application=application,
        referred_by="R. Hale, Hospital discharge team",
        referred_on=timezone.localdate(),
        care_hours_per_week=Decimal("10"),
        needs_summary="Personal care after a hip replacement",
        by=officer,
    )
    panel = services.extracare_panel_record(
        held_on=timezone.localdate(),
        staff=[officer],
        partner_members="A. Khan, Adult Social Care",
        referrals=[referral],
        by=officer,
    )
    services.extracare_decision_record(
        item=panel.items.get(), decision="approve", reasons="Eligible", ranking=1, by=officer
    )
    problems = services.extracare_let_problems(vacancy=_home(officer))
    assert problems["referral"].startswith(
        f"{household_name(application.household)}'s required checks are not all back ("
    )


# --- A refusal names the household by its lead applicant, not by "A-000123" alone -----------


def test_a_home_with_an_offer_waiting_names_the_household_holding_it(officer):
    first, _second = _ranked(officer, 2)
    vacancy = _home(officer)
    services.extracare_let_make(vacancy=vacancy, respond_by=in_a_week(), by=officer)
    vacancy.refresh_from_db()
    refusal = services.extracare_let_problems(vacancy=vacancy)["vacancy_reference"]
    assert refusal == (
        f"{vacancy.reference} already has an offer waiting for a reply "
        f"({household_name(first.referral.application.household)}): one offer at a time."
    )
    assert first.referral.application.reference not in refusal


def test_a_shortlist_still_to_offer_names_the_household_waiting(officer):
    unit = HomeFactory(
        extra_care=True,
        status=Unit.Status.ADVERTISED,
        void_date=timezone.localdate() - timedelta(days=10),
    )
    vacancy, (entry,) = frozen_vacancy(officer, 10, unit=unit)
    # The bids are withdrawn (the advert taken down), but the frozen shortlist remains.
    Bid.objects.filter(vacancy=vacancy).update(withdrawn=True)
    refusal = services.extracare_let_problems(vacancy=vacancy)["vacancy_reference"]
    assert refusal == (
        f"{vacancy.reference}'s shortlist still has "
        f"{household_name(entry.application.household)} at position 1 to offer it to: offer it "
        "to them first."
    )


def test_a_referral_no_longer_waiting_is_named_by_its_household(officer):
    first, _second = _ranked(officer, 2)
    application = first.referral.application
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    problems = services.extracare_let_problems(vacancy=_home(officer), item=first)
    assert problems["referral"] == (
        f"{household_name(application.household)} is not waiting in the ranking now"
    )


def test_a_referral_on_another_register_is_named_by_its_household(officer):
    (first,) = _ranked(officer, 1)
    application = first.referral.application
    Application.objects.filter(pk=application.pk).update(scheme=Scheme.PITCH)
    application.refresh_from_db()
    vacancy = _home(officer)
    problems = services.extracare_let_problems(vacancy=vacancy)
    assert problems["referral"] == (
        f"{household_name(application.household)}'s application {application.reference} is on "
        f"the {application.get_scheme_display()} register; {vacancy.reference} is let under "
        f"{vacancy.get_scheme_display()}."
    )


# --- Pages -----------------------------------------------------------------------------------


def test_an_officer_offers_the_home_from_the_vacancy_page_to_the_first_in_the_ranking(
    client, officer
):
    first, _second = _ranked(officer, 2)
    vacancy = _home(officer)
    client.force_login(officer)
    create = reverse("allocations:extracare-let-create") + f"?vacancy={vacancy.reference}"
    assert create in client.get(vacancy.get_absolute_url()).content.decode()
    form = client.get(create)
    assert form.context["form"]["vacancy_reference"].value() == vacancy.reference
    assert form.context["form"]["referral"].value() == first.pk
    reply = in_a_week()
    response = client.post(
        create,
        {
            "vacancy_reference": vacancy.reference,
            "referral": first.pk,
            "respond_by_0": reply.day,
            "respond_by_1": reply.month,
            "respond_by_2": reply.year,
        },
    )
    let = ExtraCareLet.objects.get()
    assert response.status_code == 302 and response.url == let.get_absolute_url()
    page = client.get(let.get_absolute_url()).content.decode()
    assert "Waiting for a reply" in page and "Nobody: the home went to the first" in page
    panel_page = client.get(first.panel.get_absolute_url()).content.decode()
    assert let.get_absolute_url() in panel_page and "Waiting" in panel_page


def test_skipping_without_a_reason_is_refused_on_the_page_keeping_what_was_typed(client, officer):
    _first, second = _ranked(officer, 2)
    vacancy = _home(officer)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:extracare-let-create"),
        {
            "vacancy_reference": vacancy.reference,
            "referral": second.pk,
            "respond_by_0": "31",
            "respond_by_1": "2",
            "respond_by_2": "2027",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Say why the referrals ranked above are skipped" in errors["skip_reason"][0]
    assert response.context["form"]["referral"].value() == str(second.pk)
    assert not ExtraCareLet.objects.exists()


def test_the_let_page_and_the_panel_show_who_was_skipped_and_why(client, officer):
    first, second = _ranked(officer, 2)
    let = services.extracare_let_make(
        vacancy=_home(officer),
        item=second,
        skip_reason="Needs a ground-floor flat",
        respond_by=in_a_week(),
        by=officer,
    )
    client.force_login(officer)
    page = client.get(let.get_absolute_url()).content.decode()
    assert first.referral.application.reference in page and "Needs a ground-floor flat" in page
    panel_page = client.get(first.panel.get_absolute_url()).content.decode()
    assert "Skipped for" in panel_page and "Needs a ground-floor flat" in panel_page
    history = client.get(let.get_history_url()).content.decode()
    assert "skipping" in history


def test_an_auditor_reads_the_let_but_cannot_offer_a_home(client, officer, auditor):
    (first,) = _ranked(officer, 1)
    let = services.extracare_let_make(vacancy=_home(officer), respond_by=in_a_week(), by=officer)
    client.force_login(auditor)
    assert client.get(let.get_absolute_url()).status_code == 200
    assert client.get(reverse("allocations:extracare-let-create")).status_code == 403
    assert (
        "Offer an Extra Care home"
        not in client.get(first.panel.get_absolute_url()).content.decode()
    )


# --- The demo --------------------------------------------------------------------------------


def test_the_demo_panel_has_an_offer_made_from_its_ranking(settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)
    let = ExtraCareLet.objects.get()
    assert let.vacancy.unit.extra_care and let.vacancy.unit.site.name == "Hythe Court"
    assert let.item.ranking == 1 and let.item.decision == "approve"
    assert let.made_by.username == "officer"
    assert let.entry.offers.get().status == Offer.Status.OPEN
    assert let.vacancy.unit.status == Unit.Status.UNDER_OFFER


# --- The panel's decision once a home was offered on it ----------------------------------------


def test_an_approval_a_home_is_offered_on_is_not_undone_while_the_offer_stands(officer):
    (first,) = _ranked(officer, 1)
    let = services.extracare_let_make(vacancy=_home(officer), respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError) as refused:
        services.extracare_decision_record(
            item=first, decision="decline", reasons="Care needs too low now", by=officer
        )
    assert refused.value.message_dict["decision"] == [
        f"{let.vacancy.unit} was offered on this approval ({let.reference}) and the offer is "
        "still open or accepted: withdraw the offer before changing the panel's decision"
    ]
    first.refresh_from_db()
    assert (first.decision, first.ranking) == ("approve", 1)
    # Its reasons can still be corrected, the approval kept.
    services.extracare_decision_record(
        item=first,
        decision="approve",
        reasons="Meets the criteria (minutes corrected)",
        ranking=1,
        by=officer,
    )
    services.offer_withdraw(
        offer=let.entry.offers.get(), reason="The panel is reconsidering", by=officer
    )
    services.extracare_decision_record(
        item=first, decision="decline", reasons="Care needs too low now", by=officer
    )
    first.refresh_from_db()
    assert (first.decision, first.ranking) == ("decline", None)
