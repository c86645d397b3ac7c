"""After the cycle: a let's published result names no one; the newsletter in three editions,
drawn through the shared document path and emailed once to each recipient."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations import services
from allocations.models import CycleNewsletter, NewsletterRecipient, ShortlistEntry
from config.kernel.documents import document_render
from tests.allocations.casework import answers_as_records, checks_back
from tests.allocations.cbl import advert, applicant, cycle_opening, uk

pytestmark = pytest.mark.django_db


def test_a_let_result_gives_the_bids_band_and_date_never_who(officer, team_leader):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        home = advert(cycle, officer)
    with time_machine.travel(uk(2027, 3, 26, 10, 0), tick=False):
        winner = applicant(band=1, effective_date=date(2024, 5, 1))
        for application in (winner, applicant(band=3), applicant(band=2)):
            services.place_bid(application=application, advert=home, channel="phone", by=officer)
    with time_machine.travel(uk(2027, 3, 30, 9, 0), tick=False):
        services.cycles_close_due(by=officer)
        entry = ShortlistEntry.objects.select_related("vacancy__policy_version").get(
            vacancy=home, position=1
        )
        assert entry.application == winner
        with pytest.raises(ValidationError, match="once the home is let"):
            services.let_result_publish(vacancy=home, by=officer)
        checks_back(winner, officer)
        offer = services.offer_make(entry=entry, respond_by=date(2027, 4, 6), by=officer)
        services.offer_accept(offer=offer, on=date(2027, 3, 30), by=officer)
        decision = services.decision_propose(
            offer=offer,
            answers=answers_as_records(offer),
            reasons="First on the shortlist",
            by=officer,
        )
        services.decision_approve(decision=decision, comments="Agreed", by=team_leader)
        result = services.let_result_publish(vacancy=home, by=officer)
    assert (result.bid_count, result.band, result.effective_date) == (3, 1, date(2024, 5, 1))
    assert not hasattr(result, "application")  # the result names no one


def test_the_newsletter_is_drawn_in_three_editions_and_emailed_once(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        advert(cycle, officer, area="Folkestone", access_categories=["a", "b"])
        advert(cycle, officer, area="Hythe")
        services.newsletter_recipient_add(
            name="Folkestone Library",
            kind="library",
            email="lib@example.org",
            edition="standard",
            by=officer,
        )
        services.newsletter_recipient_add(
            name="Advocacy Kent",
            kind="support_agency",
            email="help@example.org",
            edition="easy_read",
            by=officer,
        )
        newsletters = services.newsletter_publish(cycle=cycle, by=officer)
    assert {n.edition for n in newsletters} == set(CycleNewsletter.Edition.values)
    standard = next(n for n in newsletters if n.edition == "standard")
    assert [a["name"] for a in standard.context["areas"]] == ["Folkestone", "Hythe"]
    adapted = standard.context["areas"][0]["adverts"][0]
    assert adapted["adapted"] and adapted["access"][0] == "A: wheelchair accessible throughout"
    # Who may bid is in the newsletter, as on the advert's page: a bid outside it is refused.
    assert adapted["who"] == ["Households needing 2 bedrooms"]
    assert standard.context["closes"] == "23:59:59 on Monday 29 March 2027"
    for newsletter in newsletters:
        document_render(model="allocations.CycleNewsletter", pk=newsletter.pk)
    assert services.newsletters_email_due(by=officer) == 3
    assert services.newsletters_email_due(by=officer) == 0
    assert sorted(m.bcc[0] for m in mail.outbox) == ["help@example.org", "lib@example.org"]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert NewsletterRecipient.objects.count() == 2


def test_the_newsletter_is_not_published_once_bidding_in_its_cycle_has_closed(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        advert(cycle, officer)
    with time_machine.travel(uk(2027, 3, 30, 0, 0, 1), tick=False):
        with pytest.raises(ValidationError, match="nobody can bid for"):
            services.newsletter_publish(cycle=cycle, by=officer)
        client.force_login(officer)
        page = client.get(cycle.get_absolute_url()).content.decode()
    assert not cycle.newsletters.exists()
    assert "Publish the newsletter" not in page


def test_publishing_the_newsletter_again_unchanged_is_refused_and_sends_nothing_twice(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        advert(cycle, officer, area="Hythe")
        services.newsletter_recipient_add(
            name="Folkestone Library",
            kind="library",
            email="lib@example.org",
            edition="standard",
            by=officer,
        )
        client.force_login(officer)
        url = reverse("allocations:newsletter-publish", args=[cycle.pk])
        client.post(url)
        again = client.post(url, follow=True)
        assert "already published with these adverts" in again.content.decode()
        assert cycle.newsletters.count() == 3
        for newsletter in cycle.newsletters.all():
            document_render(model="allocations.CycleNewsletter", pk=newsletter.pk)
        services.newsletters_email_due(by=officer)
        assert len(mail.outbox) == 1
        # A home added to the cycle since is news: the newsletter goes out again.
        advert(cycle, officer, area="Folkestone")
        assert len(services.newsletter_publish(cycle=cycle, by=officer)) == 3


def test_a_recipient_is_stopped_with_a_reason_and_is_not_emailed_the_next_newsletter(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        advert(cycle, officer)
        wrong = services.newsletter_recipient_add(
            name="Advocacy Kent",
            kind="support_agency",
            email="wrong@example.org",
            edition="easy_read",
            by=officer,
        )
        client.force_login(officer)
        listed = client.get(reverse("allocations:newsletter-recipients")).content.decode()
        assert '<td class="govuk-table__cell">Easy read</td>' in listed
        url = reverse("allocations:newsletter-recipient-stop", args=[wrong.pk])
        assert "Stop sending the newsletter to Advocacy Kent?" in client.get(url).content.decode()
        assert client.post(url, {"reason": ""}).status_code == 400  # a reason is needed
        assert client.post(url, {"reason": "Address typed wrongly"}).status_code == 302
        for newsletter in services.newsletter_publish(cycle=cycle, by=officer):
            document_render(model="allocations.CycleNewsletter", pk=newsletter.pk)
        services.newsletters_email_due(by=officer)
    wrong.refresh_from_db()
    assert not wrong.active and not mail.outbox
    assert wrong.history.first().history_change_reason == (
        "Newsletter no longer sent: Address typed wrongly"
    )


def test_a_stopped_recipient_can_be_sent_the_newsletter_again(officer):
    recipient = services.newsletter_recipient_add(
        name="Folkestone Library",
        kind="library",
        email="lib@example.org",
        edition="standard",
        by=officer,
    )
    services.newsletter_recipient_stop(recipient=recipient, reason="Closed for works", by=officer)
    again = services.newsletter_recipient_add(
        name="Folkestone Library",
        kind="library",
        email="LIB@example.org",
        edition="standard",
        by=officer,
    )
    assert (again.pk, again.active) == (recipient.pk, True)
    with pytest.raises(ValidationError, match="already gets this edition"):
        services.newsletter_recipient_add(
            name="Folkestone Library",
            kind="library",
            email="lib@example.org",
            edition="standard",
            by=officer,
        )


def test_the_let_results_page_leaves_out_withdrawn_adverts(officer, client):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        withdrawn, kept = advert(cycle, officer), advert(cycle, officer)
    with time_machine.travel(uk(2027, 3, 26, 10, 0), tick=False):
        services.advert_withdraw(vacancy=withdrawn, reason="Roof leak found", by=officer)
        client.force_login(officer)
        body = client.get(reverse("allocations:cycle-results", args=[cycle.pk])).content.decode()
    assert withdrawn.reference not in body
    assert kept.reference in body


def test_a_newsletter_with_every_advert_withdrawn_is_refused(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        home = advert(cycle, officer)
    with time_machine.travel(uk(2027, 3, 26, 10, 0), tick=False):
        services.advert_withdraw(vacancy=home, reason="Roof", by=officer)
        with pytest.raises(ValidationError) as refused:
            services.newsletter_publish(cycle=cycle, by=officer)
    assert refused.value.messages == [
        "Every advert in this cycle has been withdrawn or let outside the cycle: there is "
        "no home to put in a newsletter."
    ]
    assert not cycle.newsletters.exists()
