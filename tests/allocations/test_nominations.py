"""Nominations to registered providers: strictly in shortlist order, one at a time; the
provider's answer (accept, or reject with a reason) within its working days; the council's
review of a rejection (challenge, or accept and nominate the next); the let confirmed with
its tenancy start date; the home re-advertised when nobody is left."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations import services as allocation_services
from allocations.models import Nomination, Scheme, Vacancy
from allocations.rules.nominations import median_days, share_percent, working_days_after
from allocations.services import nominations as services
from projects.models import WorkItem
from sites.models import Unit
from tests.allocations.casework import checks_back, in_a_week
from tests.allocations.cbl import applicant, legacy_bid
from tests.allocations.factories import VacancyFactory
from tests.allocations.nominations import (
    council_home_shortlisted,
    provider,
    provider_home_shortlisted,
)
from tests.factories import HomeFactory

pytestmark = pytest.mark.django_db


def test_working_days_skip_the_weekend():
    # Thursday 3 December 2026 + 5 working days = Thursday 10 December.
    assert working_days_after(date(2026, 12, 3), 5) == date(2026, 12, 10)
    assert working_days_after(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday -> Monday


def test_report_figures():
    assert median_days([timedelta(days=1), timedelta(days=3), timedelta(days=8)]) == 3.0
    assert median_days([]) is None
    assert share_percent(1, 2) == 50
    assert share_percent(0, 0) is None


def test_the_first_on_the_shortlist_is_nominated_with_the_providers_answer_date(officer):
    vacancy, entries = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    assert nomination.entry == entries[0] and nomination.position == 1
    assert nomination.provider.name == "Northshire Homes"
    assert nomination.respond_by == working_days_after(timezone.localdate(), 5)
    assert nomination.history.first().history_change_reason.startswith("Nominated to")
    assert WorkItem.objects.get(kind="nomination_answer").due_on == nomination.respond_by


def test_a_household_under_offer_elsewhere_is_skipped_with_the_reason_and_the_next_nominated(
    officer,
):
    vacancy, (top, second, _third) = provider_home_shortlisted(officer, provider())
    checks_back(top.application, officer)
    council = council_home_shortlisted(top.application, officer)
    offer = allocation_services.offer_make(entry=council, respond_by=in_a_week(), by=officer)
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    assert nomination.entry == second and nomination.application == second.application
    top.refresh_from_db()
    reason = f"Skipped: under offer for {offer.vacancy.unit} (vacancy {offer.vacancy.reference})"
    assert top.removed_reason == reason
    recorded = top.history.first()
    assert recorded.history_change_reason == f"Not nominated to Northshire Homes: {reason}"
    assert recorded.history_user == officer
    assert not top.application.nominations.exists()


def test_a_household_skipped_for_an_offer_it_then_refuses_is_nominated_next_when_it_is_back(
    officer, provider_staff
):
    vacancy, (top, second, _third) = provider_home_shortlisted(officer, provider())
    checks_back(top.application, officer)
    council = council_home_shortlisted(top.application, officer)
    offer = allocation_services.offer_make(entry=council, respond_by=in_a_week(), by=officer)
    first = services.nomination_next(vacancy=vacancy, by=officer)
    assert first.application == second.application
    allocation_services.offer_refuse(
        offer=offer,
        on=timezone.localdate(),
        reason="Too far from school",
        reasonable=True,
        by=officer,
    )
    top.refresh_from_db()
    assert (top.removed_reason, top.removed_by_offer) == ("", None)
    assert top.history.first().history_change_reason == (
        f"Back on the shortlist: the offer of {offer.vacancy.reference} was refused"
    )
    # The provider turns the second household down: the first, back on the shortlist and
    # free of any offer, is nominated next, in shortlist order.
    services.nomination_reject(
        nomination=first,
        reason=Nomination.RejectionReason.AFFORDABILITY,
        detail="Rent would be 60% of income.",
        answered_by="Priya Nair",
        by=provider_staff,
    )
    nominated = services.nomination_rejection_accept(
        nomination=first, note="Affordability check seen", by=officer
    )
    assert (nominated.application, nominated.position) == (top.application, 1)


def test_a_household_nominated_for_another_home_is_skipped_with_the_reason(officer):
    first_home, (top, *_rest) = provider_home_shortlisted(officer, provider())
    held = services.nomination_next(vacancy=first_home, by=officer)
    assert held.application == top.application
    unit = HomeFactory(
        status=Unit.Status.ADVERTISED,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
        provider=provider("Southshire Homes"),
    )
    second_home = VacancyFactory(unit=unit, scheme=Scheme.CBL, status=Vacancy.Status.ADVERTISED)
    legacy_bid(top.application, second_home, officer)
    other = applicant(band=3)
    legacy_bid(other, second_home, officer)
    allocation_services.shortlist_freeze(vacancy=second_home, by=officer)

    nomination = services.nomination_next(vacancy=second_home, by=officer)

    assert nomination.application == other
    skipped = second_home.shortlist.get(application=top.application)
    assert skipped.removed_reason == (
        f"Skipped: nominated to Northshire Homes for {first_home.unit} "
        f"(vacancy {first_home.reference}, sent, waiting for the provider)"
    )
    assert list(top.application.nominations.all()) == [held]


def test_one_nomination_at_a_time(officer):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    services.nomination_next(vacancy=vacancy, by=officer)
    with pytest.raises(ValidationError, match="one nomination at a time"):
        services.nomination_next(vacancy=vacancy, by=officer)


def test_a_council_home_is_not_nominated_and_a_provider_home_is_not_offered(officer):
    vacancy, entries = provider_home_shortlisted(officer, provider())
    with pytest.raises(ValidationError, match="let by nominating"):
        allocation_services.offer_make(
            entry=entries[0], respond_by=timezone.localdate() + timedelta(days=7), by=officer
        )
    Unit.objects.filter(pk=vacancy.unit_id).update(provider=None)
    vacancy.refresh_from_db()
    with pytest.raises(ValidationError, match="council's own home"):
        services.nomination_next(vacancy=vacancy, by=officer)


def test_the_provider_is_emailed_a_secure_link_not_the_households_details(
    officer, django_capture_on_commit_callbacks
):
    from allocations.tasks import nomination_email_send  # registers the task
    from config.celery import app

    assert nomination_email_send.name == "allocations.tasks.nomination_email_send"
    vacancy, entries = provider_home_shortlisted(officer, provider())
    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            nomination = services.nomination_next(vacancy=vacancy, by=officer)
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = before
    (email,) = mail.outbox
    assert email.to == ["lettings@northshire.example"]
    assert "/allocations/nomination-link/" in email.body
    household = entries[0].application.household
    lead = household.people.first()
    assert lead.last_name not in email.body and household.reference not in email.body
    token = email.body.split("/allocations/nomination-link/")[1].split("/")[0]
    assert services.nomination_for_token(token) == nomination


def test_a_wrong_or_expired_link_is_refused(officer):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    token = services.nomination_link_token(nomination)
    with pytest.raises(ValidationError, match="not valid"):
        services.nomination_for_token(token[:-2] + "xx")
    with pytest.raises(ValidationError, match="not valid"):
        services.nomination_for_token(signing.TimestampSigner(salt="other").sign("1"))
    with time_machine.travel(timezone.now() - timedelta(days=15)):
        old = services.nomination_link_token(nomination)
    with pytest.raises(ValidationError, match="expired"):
        services.nomination_for_token(old)


def test_a_rejection_needs_a_reason_from_the_list_and_other_needs_words(officer):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    with pytest.raises(ValidationError, match="Choose the reason"):
        services.nomination_reject(
            nomination=nomination, reason="", detail="", answered_by="Priya Nair", by=officer
        )
    with pytest.raises(ValidationError, match="Explain the reason"):
        services.nomination_reject(
            nomination=nomination, reason="other", detail=" ", answered_by="Priya", by=officer
        )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SENT


def test_an_accepted_rejection_nominates_the_next_in_order(officer, provider_staff):
    vacancy, entries = provider_home_shortlisted(officer, provider())
    first = services.nomination_next(vacancy=vacancy, by=officer)
    services.nomination_reject(
        nomination=first,
        reason=Nomination.RejectionReason.AFFORDABILITY,
        detail="Rent would be 60% of income.",
        answered_by="Priya Nair",
        by=provider_staff,
    )
    review = WorkItem.objects.get(kind="nomination_review")
    assert review.assignee == officer and review.status == WorkItem.Status.OPEN
    second = services.nomination_rejection_accept(
        nomination=first, note="Affordability check seen", by=officer
    )
    assert second.entry == entries[1] and second.position == 2
    first.refresh_from_db()
    assert first.status == Nomination.Status.REJECTION_ACCEPTED
    review.refresh_from_db()
    assert review.status == WorkItem.Status.DONE


def test_a_challenge_goes_back_to_the_provider_with_the_note(officer, provider_staff):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    services.nomination_reject(
        nomination=nomination,
        reason=Nomination.RejectionReason.TENANCY_HISTORY,
        detail="Arrears at a previous tenancy.",
        answered_by="Priya Nair",
        by=provider_staff,
    )
    with pytest.raises(ValidationError):
        services.nomination_rejection_challenge(nomination=nomination, note=" ", by=officer)
    services.nomination_rejection_challenge(
        nomination=nomination, note="The arrears were cleared in 2024.", by=officer
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SENT and nomination.challenges == 1
    assert nomination.challenge_note == "The arrears were cleared in 2024."
    services.nomination_accept(nomination=nomination, answered_by="Priya", by=provider_staff)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED


# An assured lifetime tenancy, not a starter tenancy, held by one person (CORE's fields 36-38).
ASSURED = {"tenancy_type": 2, "starter_tenancy": False, "joint_tenancy": False}


def test_the_let_is_confirmed_with_the_tenancy_start_date(officer, provider_staff):
    vacancy, _entries = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    with pytest.raises(ValidationError, match="Only an accepted"):
        services.nomination_let_confirm(
            nomination=nomination,
            tenancy_start_date=timezone.localdate(),
            **ASSURED,
            answered_by="Priya",
            by=provider_staff,
        )
    services.nomination_accept(nomination=nomination, answered_by="Priya", by=provider_staff)
    with pytest.raises(ValidationError, match="before the nomination was accepted"):
        services.nomination_let_confirm(
            nomination=nomination,
            tenancy_start_date=timezone.localdate() - timedelta(days=3),
            **ASSURED,
            answered_by="Priya",
            by=provider_staff,
        )
    start = timezone.localdate() + timedelta(days=10)
    services.nomination_let_confirm(
        nomination=nomination,
        tenancy_start_date=start,
        **ASSURED,
        answered_by="Priya",
        by=provider_staff,
    )
    nomination.refresh_from_db()
    vacancy.refresh_from_db()
    assert nomination.status == Nomination.Status.LET
    assert nomination.tenancy_start_date == start
    assert (nomination.tenancy_type, nomination.starter_tenancy) == (2, False)
    assert vacancy.status == Vacancy.Status.LET
    assert vacancy.unit.status == Unit.Status.OCCUPIED


def test_the_tenancy_terms_are_checked_as_core_checks_them(officer, provider_staff):
    vacancy, _entries = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    services.nomination_accept(nomination=nomination, answered_by="Priya", by=provider_staff)
    nomination.refresh_from_db()
    today = timezone.localdate()

    def problems(**terms) -> dict:
        return services.nomination_let_problems(
            nomination=nomination, tenancy_start_date=today, **terms
        )

    assert problems(tenancy_type=None) == {"tenancy_type": "Select the type of tenancy"}
    assert problems(tenancy_type=7) == {"tenancy_type": "Select the type of tenancy"}  # secure
    assert "tenancy_length" in problems(tenancy_type=4)  # a fixed term needs its length
    Vacancy.objects.filter(pk=vacancy.pk).update(rent_type="social")
    nomination.vacancy.refresh_from_db()
    assert problems(tenancy_type=4, tenancy_length=1) == {
        "tenancy_length": "The fixed term must be 2 to 99 years for this home's rent type"
    }
    assert problems(tenancy_type=4, tenancy_length=5) == {}
    assert "tenancy_length" in problems(tenancy_type=2, tenancy_length=5)  # lifetime
    assert problems(tenancy_type=8, tenancy_length=3) == {}  # periodic may say
    household = nomination.application.household
    alone = household.people.count() < 2
    assert ("joint_tenancy" in problems(tenancy_type=2, joint_tenancy=True)) is alone
    with pytest.raises(ValidationError):
        services.nomination_let_confirm(
            nomination=nomination,
            tenancy_start_date=today,
            tenancy_type=4,
            starter_tenancy=False,
            joint_tenancy=False,
            answered_by="Priya",
            by=provider_staff,
        )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED


def test_an_answer_is_given_once(officer, provider_staff):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    services.nomination_accept(nomination=nomination, answered_by="Priya", by=provider_staff)
    with pytest.raises(ValidationError, match="already answered"):
        services.nomination_reject(
            nomination=nomination,
            reason="affordability",
            detail="",
            answered_by="Priya",
            by=provider_staff,
        )


def test_when_the_shortlist_is_exhausted_the_home_is_readvertised_with_the_reason(
    officer, provider_staff
):
    vacancy, _ = provider_home_shortlisted(officer, provider(), bidders=1)
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    with pytest.raises(ValidationError, match="still open"):
        services.vacancy_readvertise(vacancy=vacancy, reason="Nobody left", by=officer)
    services.nomination_reject(
        nomination=nomination,
        reason="household_refused",
        detail="",
        answered_by="Priya",
        by=provider_staff,
    )
    assert (
        services.nomination_rejection_accept(nomination=nomination, note="OK", by=officer) is None
    )
    again = services.vacancy_readvertise(
        vacancy=vacancy, reason="The only bidder turned it down", by=officer
    )
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.WITHDRAWN
    assert vacancy.withdrawal_reason == "Nominations exhausted: The only bidder turned it down"
    assert again.status == Vacancy.Status.ADVERTISED and again.cycle is not None
    assert again.unit == vacancy.unit and again.unit.status == Unit.Status.ADVERTISED


def test_every_showing_to_the_provider_is_logged_with_the_lawful_basis(officer, provider_staff):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    showing = services.nomination_showing_record(
        nomination=nomination, user=provider_staff, via="account"
    )
    assert showing.lawful_basis.startswith("UK GDPR art. 6(1)(e)")
    assert showing.fields == services.DISCLOSED
    assert "ethnicity" not in showing.fields


def test_at_the_cycles_close_a_provider_home_is_nominated_to_the_first_in_order(officer):
    from allocations import tasks
    from allocations.models import Bid
    from tests.allocations.cbl import advert, applicant, cycle_opening, uk

    northshire = provider()
    with time_machine.travel(uk(2027, 3, 25, 9, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        home = advert(cycle, officer)
        Unit.objects.filter(pk=home.unit_id).update(provider=northshire)
        bidders = [applicant(band=2), applicant(band=1)]
        for bidder in bidders:
            allocation_services.place_bid(
                application=bidder, advert=home, channel=Bid.Channel.PHONE, by=officer
            )
        nobody = advert(cycle, officer)
        Unit.objects.filter(pk=nobody.unit_id).update(provider=northshire)
    with time_machine.travel(uk(2027, 3, 30, 0, 0, 1), tick=False):
        assert tasks.cycles_close_due() == [cycle.reference]
    nomination = Nomination.objects.get(vacancy=home)
    assert nomination.application == bidders[1] and nomination.position == 1
    # Nobody bid for the other: it goes into the next cycle, saying why.
    nobody.refresh_from_db()
    assert nobody.status == Vacancy.Status.WITHDRAWN
    assert "nobody on the frozen shortlist" in nobody.withdrawal_reason
    again = Vacancy.objects.get(unit=nobody.unit, status=Vacancy.Status.ADVERTISED)
    assert again.cycle.opens_at > cycle.closes_at


def test_a_nominated_vacancy_cannot_be_withdrawn_under_the_nomination(officer):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    services.nomination_next(vacancy=vacancy, by=officer)
    with pytest.raises(ValidationError, match="until the nomination is settled"):
        allocation_services.vacancy_withdraw(vacancy=vacancy, reason="Repairs", by=officer)


def test_a_provider_home_let_on_a_nomination_publishes_its_result_from_that_shortlist(
    officer, provider_staff
):
    # The result was read from an accepted offer only: a provider's home, let through the
    # council's nomination, had none, and its result could not be published.
    vacancy, entries = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    with pytest.raises(ValidationError, match="once the home is let"):
        allocation_services.let_result_publish(vacancy=vacancy, by=officer)
    services.nomination_accept(nomination=nomination, answered_by="Priya", by=provider_staff)
    services.nomination_let_confirm(
        nomination=nomination,
        tenancy_start_date=timezone.localdate() + timedelta(days=10),
        **ASSURED,
        answered_by="Priya",
        by=provider_staff,
    )
    result = allocation_services.let_result_publish(vacancy=vacancy, by=officer)
    first = entries[0]
    assert nomination.entry == first
    assert result.bid_count == 3
    assert result.band == first.snapshot["band"] == 1
    assert result.effective_date.isoformat() == first.snapshot["effective_date"]
    assert result.connection_tier == first.connection_tier


def test_a_link_sent_before_links_had_stages_answers_once(officer, provider_staff):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    legacy = signing.TimestampSigner(salt=services.LINK_SALT).sign(str(nomination.pk))
    assert services.nomination_for_token(legacy) == nomination
    services.nomination_accept(nomination=nomination, answered_by="Priya", by=provider_staff)
    with pytest.raises(services.NominationLinkUsed):
        services.nomination_for_token(legacy)
