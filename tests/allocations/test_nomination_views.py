"""Nominations through the pages: the council nominates, reviews and re-advertises; the
provider's staff see and answer only their own provider's nominations (every showing logged
with the lawful basis), never household or application pages; the secure link works for one
nomination and a wrong or expired one shows no data."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from allocations.models import Nomination, NominationShowing
from allocations.services import nominations as services
from config.kernel.records import REASON_MISSING
from residents.selectors import household_name
from tests.allocations.nominations import provider, provider_home_shortlisted, provider_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominated(officer):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    return services.nomination_next(vacancy=vacancy, by=officer)


def test_an_officer_nominates_the_next_from_the_vacancy_page(client, officer):
    vacancy, entries = provider_home_shortlisted(officer, provider())
    client.force_login(officer)
    page = client.get(vacancy.get_absolute_url())
    assert b"Nominations to Northshire Homes" in page.content
    assert b"Make an offer" not in page.content
    response = client.post(reverse("allocations:nomination-create", args=[vacancy.pk]))
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
    assert nomination.entry == entries[0]
    again = client.post(reverse("allocations:nomination-create", args=[vacancy.pk]), follow=True)
    assert b"one nomination at a time" in again.content


def test_the_provider_sees_only_what_the_nomination_discloses_and_it_is_logged(client, nominated):
    staff = provider_staff(nominated.provider, first_name="Priya", last_name="Nair")
    client.force_login(staff)
    listing = client.get(reverse("allocations:provider-nomination-list"))
    assert str(nominated.vacancy.unit).encode() in listing.content
    page = client.get(reverse("allocations:provider-nomination-detail", args=[nominated.pk]))
    assert page.status_code == 200
    household = nominated.application.household
    lead = household.people.get(relationship="lead")
    assert str(lead).encode() in page.content
    assert b"Band" in page.content and b"Bedroom need" in page.content
    # No household or application record: no references, no links to them.
    assert household.reference.encode() not in page.content
    assert nominated.application.reference.encode() not in page.content
    showing = NominationShowing.objects.get()
    assert showing.user == staff and showing.via == "account"
    assert showing.lawful_basis == nominated.provider.lawful_basis
    for url in (
        household.get_absolute_url(),
        nominated.application.get_absolute_url(),
        nominated.get_absolute_url(),
        nominated.vacancy.get_absolute_url(),
        reverse("allocations:provider-report", args=[nominated.provider_id]),
    ):
        assert client.get(url).status_code == 403, url


def test_another_providers_staff_are_refused_the_nomination(client, nominated):
    other = provider_staff(provider("Southdown Housing", contact_email="n@southdown.example"))
    client.force_login(other)
    url = reverse("allocations:provider-nomination-detail", args=[nominated.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"answer": "accept"}).status_code == 403
    listing = client.get(reverse("allocations:provider-nomination-list"))
    assert str(nominated.vacancy.unit).encode() not in listing.content
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.SENT
    assert not NominationShowing.objects.exists()


def test_the_provider_rejects_with_a_reason_and_the_form_keeps_what_was_typed(client, nominated):
    staff = provider_staff(nominated.provider)
    client.force_login(staff)
    url = reverse("allocations:provider-nomination-detail", args=[nominated.pk])
    refused = client.post(url, {"answer": "reject", "rejection_detail": "Too far from work"})
    assert refused.status_code == 400
    assert b"Choose the reason for rejecting" in refused.content
    assert b"Too far from work" in refused.content
    response = client.post(
        url,
        {"answer": "reject", "rejection_reason": "affordability", "rejection_detail": "Rent"},
    )
    assert response.status_code == 302
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.REJECTED
    assert nominated.rejection_reason == "affordability"


def test_an_officer_challenges_a_rejection_then_the_provider_accepts_and_confirms(
    client, officer, nominated
):
    staff = provider_staff(nominated.provider)
    services.nomination_reject(
        nomination=nominated,
        reason="tenancy_history",
        detail="Old arrears",
        answered_by="Priya",
        by=staff,
    )
    client.force_login(officer)
    review = reverse("allocations:nomination-review", args=[nominated.pk])
    assert client.post(review, {"decision": "challenge"}).status_code == 400
    client.post(review, {"decision": "challenge", "note": "The arrears were cleared."})
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.SENT
    client.force_login(staff)
    url = reverse("allocations:provider-nomination-detail", args=[nominated.pk])
    assert b"The arrears were cleared." in client.get(url).content
    client.post(url, {"answer": "accept"})
    bad = client.post(
        url,
        {
            "tenancy_start_date_0": "31",
            "tenancy_start_date_1": "2",
            "tenancy_start_date_2": "2027",
        },
    )
    assert bad.status_code == 400
    start = timezone.localdate() + timedelta(days=14)
    when = {
        "tenancy_start_date_0": start.day,
        "tenancy_start_date_1": start.month,
        "tenancy_start_date_2": start.year,
    }
    # CORE's questions about the tenancy: a fixed term needs its length (2 to 99 years at
    # social rent); what was typed is kept.
    refused = client.post(
        url,
        {**when, "tenancy_type": "4", "starter_tenancy": "no", "joint_tenancy": "no"},
    )
    assert refused.status_code == 400
    assert b"Enter the length of the fixed term in years" in refused.content
    kept = [
        tag
        for tag in re.findall(rb"<input[^>]*>", refused.content)
        if b'name="tenancy_type"' in tag and b'value="4"' in tag
    ]
    assert len(kept) == 1 and b"checked" in kept[0]
    refused = client.post(url, when)
    assert b"Select the type of tenancy" in refused.content
    assert b"Select whether it is a starter tenancy" in refused.content
    client.post(
        url,
        {
            **when,
            "tenancy_type": "4",
            "tenancy_length": "5",
            "starter_tenancy": "yes",
            "joint_tenancy": "no",
        },
    )
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.LET and nominated.tenancy_start_date == start
    assert (nominated.tenancy_type, nominated.tenancy_length) == (4, 5)
    assert nominated.starter_tenancy is True and nominated.joint_tenancy is False


def test_the_secure_link_shows_one_nomination_and_takes_the_answer(client, nominated):
    token = services.nomination_link_token(nominated)
    url = reverse("allocations:nomination-link", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Your name" in page.content
    assert NominationShowing.objects.get().via == "secure_link"
    refused = client.post(url, {"answer": "accept"})
    assert refused.status_code == 400 and b"Enter your name" in refused.content
    assert client.post(url, {"answer": "accept", "answered_by": "Sam Lee"}).status_code == 200
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.ACCEPTED
    assert nominated.responded_by_name == "Sam Lee"


def test_a_wrong_or_expired_link_gets_a_404_and_no_data(client, nominated):
    lead = str(nominated.application.household.people.get(relationship="lead"))
    token = services.nomination_link_token(nominated)
    for bad in (token[:-3] + "abc", "nonsense", token.replace(":", ".")):
        response = client.get(reverse("allocations:nomination-link", args=[bad]))
        assert response.status_code == 404
        assert b"This link cannot be used" in response.content
        assert lead.encode() not in response.content
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        old = services.nomination_link_token(nominated)
    response = client.post(reverse("allocations:nomination-link", args=[old]), {"answer": "accept"})
    assert response.status_code == 404 and b"expired" in response.content
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.SENT
    assert not NominationShowing.objects.exists()


def test_the_provider_report_counts_answers_reasons_and_shares(client, officer, nominated):
    staff = provider_staff(nominated.provider)
    services.nomination_reject(
        nomination=nominated, reason="affordability", detail="", answered_by="P", by=staff
    )
    second = services.nomination_rejection_accept(nomination=nominated, note="Fair", by=officer)
    services.nomination_accept(nomination=second, answered_by="P", by=staff)
    client.force_login(officer)
    page = client.get(reverse("allocations:provider-report", args=[nominated.provider_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cannot afford the rent and charges" in text
    report = page.context["report"]
    assert (report.made, report.accepted, report.rejected) == (2, 1, 1)
    assert report.relets == 1 and report.relets_share == 100
    assert report.median_days_to_answer is not None


def test_administrators_keep_providers_and_their_staff_in_the_admin(client, administrator):
    client.force_login(administrator)
    for name in ("registeredprovider", "providerstaff"):
        assert client.get(reverse(f"admin:sites_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:sites_{name}_add")).status_code == 200


def test_an_overdue_answer_is_in_the_officers_queue(client, officer, nominated):
    from projects.models import WorkItem

    item = WorkItem.objects.get(kind="nomination_answer", assignee=officer)
    assert item.due_on == nominated.respond_by
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        nominated.refresh_from_db()
        assert nominated.is_overdue
        client.force_login(officer)
        page = client.get(reverse("allocations:nomination-list"))
        assert b"Overdue" in page.content


def test_an_answer_sent_after_a_colleague_answered_is_not_taken_for_a_let(client, nominated):
    # A colleague accepted through the emailed link while this page was open.
    staff = provider_staff(nominated.provider)
    services.nomination_accept(nomination=nominated, answered_by="Sam Lee", by=staff)
    client.force_login(staff)
    url = reverse("allocations:provider-nomination-detail", args=[nominated.pk])
    response = client.post(
        url, {"answer": "reject", "rejection_reason": "affordability", "rejection_detail": "Rent"}
    )
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "Your answer was not recorded: this nomination is now accepted by the provider." in page
    assert "Enter the tenancy start date" not in page
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.ACCEPTED


def test_a_let_confirmed_twice_through_the_link_is_refused_as_used(client, nominated):
    services.nomination_accept(nomination=nominated, answered_by="Sam Lee", by=nominated.sent_by)
    nominated.refresh_from_db()  # the let's own link (the answer's is used)
    token = services.nomination_link_token(nominated)
    url = reverse("allocations:nomination-link", args=[token])
    start = timezone.localdate() + timedelta(days=14)
    let = {
        "answered_by": "Sam Lee",
        "tenancy_start_date_0": start.day,
        "tenancy_start_date_1": start.month,
        "tenancy_start_date_2": start.year,
        "tenancy_type": "2",
        "starter_tenancy": "yes",
        "joint_tenancy": "no",
    }
    assert client.post(url, let).status_code == 200
    again = client.post(url, let)
    assert again.status_code == 410
    assert "This link has already been used" in again.content.decode()
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.LET


@pytest.fixture
def emailed(django_capture_on_commit_callbacks):
    """`with emailed():` sends what it queues as it commits (the outbox's emails run eagerly)."""
    from allocations.tasks import nomination_email_send  # registers the task
    from config.celery import app

    assert nomination_email_send.name == "allocations.tasks.nomination_email_send"
    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def emailed_links() -> list[str]:
    """The secure links emailed so far, in order."""
    from django.core import mail

    return [
        link
        for email in mail.outbox
        for link in re.findall(r"/allocations/nomination-link/[^/\s]+/", email.body)
    ]


def _let(name="Sam Lee"):
    start = timezone.localdate() + timedelta(days=14)
    return {
        "answered_by": name,
        "tenancy_start_date_0": start.day,
        "tenancy_start_date_1": start.month,
        "tenancy_start_date_2": start.year,
        "tenancy_type": "2",
        "starter_tenancy": "yes",
        "joint_tenancy": "no",
    }


def test_a_used_link_is_refused_on_get_and_post_and_nothing_is_written(client, nominated):
    url = reverse("allocations:nomination-link", args=[services.nomination_link_token(nominated)])
    done = client.post(url, {"answer": "accept", "answered_by": "Sam Lee"})
    # The answer's own response thanks the provider: it does not send them back to the link.
    assert done.status_code == 200 and b"Thank you" in done.content
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.ACCEPTED
    changes, showings = nominated.history.count(), NominationShowing.objects.count()
    lead = str(nominated.application.household.people.get(relationship="lead"))
    page = client.get(url)
    assert page.status_code == 410
    assert b"This link has already been used" in page.content
    assert lead.encode() not in page.content and b"Your answer" not in page.content
    for posted in (
        {"answer": "reject", "rejection_reason": "affordability", "answered_by": "Sam Lee"},
        _let(),
    ):
        again = client.post(url, posted)
        assert again.status_code == 410 and b"already been used" in again.content
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.ACCEPTED and nominated.tenancy_start_date is None
    assert nominated.history.count() == changes
    assert NominationShowing.objects.count() == showings


def test_an_acceptance_emails_a_fresh_link_that_confirms_the_let_once(client, officer, emailed):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    with emailed():
        nominated = services.nomination_next(vacancy=vacancy, by=officer)
    (answer_link,) = emailed_links()
    with emailed():
        accepted = client.post(answer_link, {"answer": "accept", "answered_by": "Sam Lee"})
    assert accepted.status_code == 200 and b"emailed you a new link" in accepted.content
    first, let_link = emailed_links()
    assert first == answer_link and let_link != answer_link
    assert client.get(answer_link).status_code == 410
    page = client.get(let_link)
    assert page.status_code == 200 and b"Enter your name" not in page.content
    assert b"tenancy start date" in page.content.lower()
    with emailed():
        done = client.post(let_link, _let())
    assert done.status_code == 200 and b"Thank you" in done.content
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.LET
    assert client.post(let_link, _let("Someone Else")).status_code == 410
    nominated.refresh_from_db()
    assert nominated.responded_by_name == "Sam Lee"
    assert len(emailed_links()) == 2  # nothing more to ask once the let is confirmed


def test_a_challenged_rejection_emails_a_fresh_link_and_the_old_one_stays_used(
    client, officer, emailed
):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    with emailed():
        nominated = services.nomination_next(vacancy=vacancy, by=officer)
    (answer_link,) = emailed_links()
    reject = {"answer": "reject", "rejection_reason": "affordability", "answered_by": "Sam Lee"}
    with emailed():
        done = client.post(answer_link, reject)
    assert done.status_code == 200 and b"Thank you" in done.content
    assert client.get(answer_link).status_code == 410
    assert len(emailed_links()) == 1  # a rejection waits for the council: no new link yet
    with emailed():
        services.nomination_rejection_challenge(
            nomination=nominated, note="Income rose", by=officer
        )
    first, again_link = emailed_links()
    assert first == answer_link and again_link != answer_link
    assert client.post(answer_link, {**reject, "answer": "accept"}).status_code == 410
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.SENT
    page = client.get(again_link)
    assert page.status_code == 200 and b"Your answer" in page.content
    answered = client.post(again_link, {"answer": "accept", "answered_by": "Sam Lee"})
    assert answered.status_code == 200
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.ACCEPTED
    assert client.get(again_link).status_code == 410


def test_an_officer_sends_a_lost_link_again_with_a_reason_and_it_works(client, officer, emailed):
    vacancy, _ = provider_home_shortlisted(officer, provider())
    with emailed():
        nominated = services.nomination_next(vacancy=vacancy, by=officer)
    client.force_login(officer)
    url = reverse("allocations:nomination-link-resend", args=[nominated.pk])
    page = client.get(nominated.get_absolute_url()).content.decode()
    assert url in page
    assert household_name(nominated.application.household) in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and REASON_MISSING in refused.content.decode()
    assert len(mail.outbox) == 1  # the first link only: nothing sent for a refused form
    with emailed():
        sent = client.post(url, {"reason": "Their lettings team lost the email"})
    assert sent.status_code == 302 and sent["Location"] == nominated.get_absolute_url()
    _first, again = emailed_links()  # signed now: it works for the full period from today
    assert mail.outbox[0].extra_headers["Message-ID"] != mail.outbox[1].extra_headers["Message-ID"]
    latest = nominated.history.latest()
    assert latest.history_user == officer
    assert latest.history_change_reason == (
        "Secure link sent again: for the answer: Their lettings team lost the email"
    )
    client.logout()
    answered = client.post(again, {"answer": "accept", "answered_by": "Sam Lee"})
    assert answered.status_code == 200
    nominated.refresh_from_db()
    assert nominated.status == Nomination.Status.ACCEPTED


def test_no_link_is_sent_again_for_a_nomination_that_waits_for_nothing(client, officer, nominated):
    nominated.status = Nomination.Status.WITHDRAWN
    nominated.save()
    client.force_login(officer)
    url = reverse("allocations:nomination-link-resend", args=[nominated.pk])
    assert url not in client.get(nominated.get_absolute_url()).content.decode()
    refused = client.post(url, {"reason": "Lost"})
    assert refused.status_code == 400
    assert b"has nothing to answer or confirm through a link" in refused.content
    assert not nominated.history.filter(history_change_reason__startswith="Secure link").exists()
