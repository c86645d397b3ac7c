"""Letters reach households by the channel each prefers, through the one sending adapter
(config/kernel/sending.py): emailed once with the PDF attached, or queued in the post room
and marked posted; a letter that cannot be sent is in its officer's queue. Each step is on the
household's communications log."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from allocations import documents, services
from allocations.models import Letter, LetterWording
from allocations.tasks import letter_send
from config.kernel import outbox
from config.kernel.documents import document_render
from config.kernel.sending import OutgoingLetter, Posting
from config.models import OutboxJob
from projects.models import WorkItem
from tests.allocations.factories import ActiveApplicationFactory, HouseholdWithPeopleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class BrokenSending:
    """A carrier that is down: every letter fails."""

    def email(self, letter: OutgoingLetter) -> str:
        raise ConnectionRefusedError("The mail server refused the connection")

    def post(self, letter: OutgoingLetter) -> Posting:
        raise ConnectionRefusedError("The print service refused the connection")


class PrintingSending:
    """A notification service that prints and posts letters itself."""

    posted: list[OutgoingLetter] = []

    def email(self, letter: OutgoingLetter) -> str:
        raise AssertionError("not by email")

    def post(self, letter: OutgoingLetter) -> Posting:
        self.posted.append(letter)
        return Posting(in_post_room=False, reference=f"print-{len(self.posted)}")


@contextmanager
def eager():
    """The worker's part runs here, as each job is sent."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = before


def _household(*, prefers="letter", email="", easy_read=False):
    return HouseholdWithPeopleFactory(
        preferred_contact=prefers,
        email=email,
        easy_read=easy_read,
        address_line_1="4 Mill Lane",
        town="Ashford",
        postcode="TN23 4QP",
    )


def _letter(officer, household=None, kind="renewal_reminder") -> Letter:
    application = ActiveApplicationFactory(household=household or _household())
    policy = services.policy_for(application)
    context = documents.letter_context(
        application, reasons=[], policy=policy, extra={"renew_by": "1 March 2027"}
    )
    return services.letter_request(application=application, kind=kind, context=context, by=officer)


def _drawn(officer, household=None, **kwargs) -> Letter:
    letter = _letter(officer, household, **kwargs)
    document_render(model="allocations.Letter", pk=letter.pk)
    letter.refresh_from_db()
    return letter


def test_the_channel_is_the_households_preference(officer):
    by_email = _letter(officer, _household(prefers="email", email="mary@example.org"))
    assert by_email.channel == Letter.Channel.EMAIL
    # A household that prefers a call still gets its letters on paper.
    for prefers in ("letter", "phone"):
        household = _household(prefers=prefers)
        if prefers == "phone":
            household.phone = "01632 960 001"
            household.save()
        assert _letter(officer, household).channel == Letter.Channel.POST
    # One that prefers to be seen has them handed over; so does one with nowhere to send them.
    assert _letter(officer, _household(prefers="in_person")).channel == Letter.Channel.BY_HAND
    roadside = HouseholdWithPeopleFactory(preferred_contact="phone", phone="01632 960 001")
    assert _letter(officer, roadside).channel == Letter.Channel.BY_HAND


def test_an_emailed_letter_is_sent_once_with_its_pdf_attached(
    officer, django_capture_on_commit_callbacks
):
    household = _household(prefers="email", email="mary@example.org")
    with eager(), django_capture_on_commit_callbacks(execute=True):
        letter = _letter(officer, household)
    letter.refresh_from_db()
    assert letter.delivery == Letter.Delivery.EMAILED and letter.sent_to == "mary@example.org"
    (email,) = mail.outbox
    assert email.to == ["mary@example.org"]
    assert email.subject == f"Please renew your application: {letter.application.reference}"
    assert "Please find attached a letter" in email.body
    ((filename, content, mimetype),) = email.attachments
    assert filename.endswith("-renewal_reminder-letter.pdf") and mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")
    assert email.extra_headers["Message-ID"] == f"<letter.{letter.pk}.1@northshire.example>"
    assert letter.history.first().history_change_reason.startswith("Emailed to mary@example.org")

    # Delivered again (a redelivery, a sweep): the job is done, the letter sent; nothing goes.
    job = OutboxJob.objects.get(task="allocations.tasks.letter_send")
    assert job.status == OutboxJob.Status.DONE
    assert letter_send.apply(kwargs={"letter_id": letter.pk, "outbox_job": job.pk}).get() == (
        "already done"
    )
    assert letter_send.apply(kwargs={"letter_id": letter.pk}).get() == "already sent"
    assert outbox.sweep(now=timezone.now() + outbox.resend_after() * 2)["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_letter_by_post_waits_in_the_post_room_until_marked_posted(
    client, officer, business_support
):
    letter = _drawn(officer)
    assert services.letter_send(letter_id=letter.pk, by=officer) == Letter.Delivery.IN_POST_ROOM
    assert mail.outbox == []
    client.force_login(business_support)
    page = client.get(reverse("allocations:post-room")).content.decode()
    lead = letter.context["lead_name"]
    assert lead in page and letter.application.reference in page
    pdf = client.get(reverse("allocations:post-room-letter", args=[letter.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")

    response = client.post(reverse("allocations:letter-posted", args=[letter.pk]), follow=True)
    assert f"Renewal reminder letter to {lead} ({letter.application.reference}) marked posted." in (
        response.content.decode()
    )
    letter.refresh_from_db()
    assert letter.delivery == Letter.Delivery.POSTED and letter.posted_by == business_support
    assert (
        lead
        not in client.get(reverse("allocations:post-room"))
        .content.decode()
        .split("Posted lately")[0]
    )
    # Marked twice (a double click): refused with a message, nothing changes.
    again = client.post(reverse("allocations:letter-posted", args=[letter.pk]), follow=True)
    assert "This letter is not waiting in the post room." in again.content.decode()


def test_a_printing_service_is_a_setting_away(officer, settings):
    settings.LETTER_SENDING_ADAPTER = "tests.allocations.test_letter_sending.PrintingSending"
    letter = _drawn(officer)
    assert services.letter_send(letter_id=letter.pk, by=officer) == Letter.Delivery.POSTED
    letter.refresh_from_db()
    assert letter.delivery_reference.startswith("print-") and letter.sent_at is not None
    assert PrintingSending.posted[-1].address[0] == letter.context["lead_name"]


def test_a_letter_that_cannot_be_sent_goes_to_the_case_officers_queue_until_sent_again(
    client, officer, settings, django_capture_on_commit_callbacks
):
    settings.LETTER_SENDING_ADAPTER = "tests.allocations.test_letter_sending.BrokenSending"
    household = _household(prefers="email", email="mary@example.org")
    letter = _drawn(officer, household)
    # The task's last retry: out of retries, the failure is recorded and the officer told.
    result = letter_send.apply(kwargs={"letter_id": letter.pk}, retries=letter_send.max_retries)
    assert isinstance(result.result, ConnectionRefusedError)
    letter.refresh_from_db()
    assert letter.delivery == Letter.Delivery.FAILED
    assert "refused the connection" in letter.delivery_failure
    item = WorkItem.objects.get(kind="letter_not_sent", status=WorkItem.Status.OPEN)
    assert "could not be sent by email" in item.title
    assert mail.outbox == []

    client.force_login(officer)
    log = client.get(reverse("allocations:communications", args=[household.pk])).content.decode()
    assert "could not be sent" in log and "Send it again" in log
    # The officer puts it right: sent again by post, it goes to the post room; the work closes.
    settings.LETTER_SENDING_ADAPTER = "config.kernel.sending.SmtpSending"
    url = reverse("allocations:letter-send-again", args=[letter.pk])
    refused = client.post(url, {"channel": "post"})
    assert refused.status_code == 400 and "Enter the reason" in refused.content.decode()
    with eager(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"channel": "post", "reason": "Rang: prefers post now"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.delivery == Letter.Delivery.IN_POST_ROOM and letter.send_round == 2
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE


def test_the_communications_log_shows_how_each_letter_went(client, officer, head_of_service):
    household = _household(prefers="email", email="mary@example.org")
    letter = _drawn(officer, household)
    services.letter_send(letter_id=letter.pk, by=officer)
    client.force_login(head_of_service)
    log = client.get(reverse("allocations:communications", args=[household.pk])).content.decode()
    assert "Email with the letter attached" in log
    assert "Renewal reminder letter" in log and "emailed to mary@example.org" in log
    assert f"wording version {letter.wording.version}" in log


def test_an_easy_read_household_gets_the_easy_read_wording(officer):
    letter = _letter(officer, _household(easy_read=True))
    assert letter.wording.variant == LetterWording.Variant.EASY_READ
    assert "Please tell us if you still need" in letter.wording.body


def test_a_letter_whose_address_went_before_it_was_sent_is_the_officers_at_once(officer):
    household = _household()
    letter = _drawn(officer, household)
    assert letter.channel == Letter.Channel.POST
    household.address_line_1 = household.town = household.postcode = ""
    household.save()
    assert services.letter_send(letter_id=letter.pk, by=officer) == Letter.Delivery.FAILED
    letter.refresh_from_db()
    assert letter.delivery_failure == "The household has no postal address"
    assert WorkItem.objects.filter(kind="letter_not_sent", status=WorkItem.Status.OPEN).exists()


def test_a_letter_handed_over_in_person_waits_in_the_officers_queue_until_recorded(client, officer):
    household = _household(prefers="in_person")
    letter = _drawn(officer, household)
    assert services.letter_send(letter_id=letter.pk, by=officer) == (Letter.Delivery.TO_HAND_OVER)
    assert mail.outbox == []
    item = WorkItem.objects.get(kind="letter_hand_over", status=WorkItem.Status.OPEN)
    assert item.title.startswith("Hand over the renewal reminder letter to ")
    assert letter.application.reference in item.title
    # Not in the post room: business support does not post it.
    letter.refresh_from_db()
    client.force_login(officer)
    page = client.get(letter.application.get_absolute_url()).content.decode()
    url = reverse("allocations:letter-handed-over", args=[letter.pk])
    assert url in page and "waiting to be handed over" in page
    today = timezone.localdate()
    tomorrow = today + timezone.timedelta(days=1)
    refused = client.post(
        url,
        {
            "handed_to": "",
            "on_0": tomorrow.day,
            "on_1": tomorrow.month,
            "on_2": tomorrow.year,
            "note": "At the site office",
        },
    )
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "Enter the name of the person it was handed to" in body
    assert "At the site office" in body  # what was typed is kept
    response = client.post(
        url,
        {
            "handed_to": "Mary Smith",
            "on_0": today.day,
            "on_1": today.month,
            "on_2": today.year,
            "note": "Read it through with her at the site office",
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.delivery == Letter.Delivery.HANDED_OVER and letter.posted_by == officer
    assert letter.sent_to == "Handed to Mary Smith"
    reason = letter.history.latest().history_change_reason
    assert reason.startswith("Handed over in person to Mary Smith on ")
    assert "site office" in reason
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    # Recorded twice: the page is gone (the letter no longer waits).
    assert client.get(url).status_code == 404
    log = client.get(reverse("allocations:communications", args=[household.pk])).content.decode()
    assert "Handed over in person" in log


@pytest.mark.celery_worker
def test_a_real_worker_draws_each_letter_and_sends_it_once_by_its_channel(
    transactional_db, celery_worker_process, officer
):
    """Through Redis to a worker started by the tests: drawn, then emailed (one message with
    the PDF attached) or queued in the post room."""
    import time

    mail_dir = celery_worker_process.mail_dir
    for old in mail_dir.iterdir():
        old.unlink()
    by_email = _letter(officer, _household(prefers="email", email="mary@example.org"))
    by_post = _letter(officer)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        by_email.refresh_from_db()
        by_post.refresh_from_db()
        if by_email.delivery != Letter.Delivery.WAITING and by_post.delivery != (
            Letter.Delivery.WAITING
        ):
            break
        time.sleep(0.3)
    assert by_email.delivery == Letter.Delivery.EMAILED, by_email.delivery_failure
    assert by_post.delivery == Letter.Delivery.IN_POST_ROOM, by_post.delivery_failure
    time.sleep(1.0)  # a second send, if there were one, would have been written by now
    messages = [path.read_text() for path in mail_dir.iterdir()]
    sent = [text for text in messages if "To: mary@example.org" in text]
    assert len(sent) == 1
    assert f"<letter.{by_email.pk}.1@" in sent[0]
    assert "application/pdf" in sent[0]


def test_the_post_room_lists_letters_waiting_a_page_at_a_time(client, officer, business_support):
    application = ActiveApplicationFactory()
    now = timezone.now()
    for number in range(27):
        Letter.objects.create(
            application=application,
            kind=Letter.Kind.RENEWAL_REMINDER,
            context={"lead_name": f"Waiting Person {number:02d}"},
            channel=Letter.Channel.POST,
            delivery=Letter.Delivery.IN_POST_ROOM,
            requested_by=officer,
            ready_at=now + timedelta(minutes=number),
        )
    client.force_login(business_support)
    first = client.get(reverse("allocations:post-room")).content.decode()
    assert "Waiting Person 00" in first and "Waiting Person 24" in first
    assert "Waiting Person 25" not in first
    assert "Showing 1 to 25 of 27 results" in first
    second = client.get(reverse("allocations:post-room"), {"page": "2"}).content.decode()
    assert "Waiting Person 26" in second and "Waiting Person 00" not in second
