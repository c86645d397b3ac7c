"""The one way a letter leaves the council: by email with its PDF attached, or by post.

Every letter to a household goes through `send_letter`; which service carries it is a setting
(`LETTER_SENDING_ADAPTER`, a dotted path to a class), so moving from the council's own mail
server and post room to a notification service (GOV.UK Notify, say, which emails and prints
and posts a PDF) is a new adapter class and one setting, not a change to any caller.

An adapter has two methods:

    email(letter: OutgoingLetter) -> str   # the reference the carrier gave (a Message-ID)
    post(letter: OutgoingLetter) -> Posting

`SmtpSending` (the default) emails through Django's email backend (SMTP in production,
locmem in tests), under a Message-ID made from what the letter is, so a repeat is dropped by
mail systems and told apart by anyone; it cannot post, so a printed letter is queued for the
council's post room (`Posting(in_post_room=True)`), where business support marks it posted.
An adapter that prints and posts returns `Posting(in_post_room=False, reference=...)`.

Raising is failing: the caller's task retries, then records the failure.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from config.kernel.mail import mail_send

EMAIL = "email"
POST = "post"
# Unless settings.LETTER_SENDING_ADAPTER names another class.
DEFAULT_ADAPTER = "config.kernel.sending.SmtpSending"


@dataclass(frozen=True)
class OutgoingLetter:
    """What is sent: to whom, the covering words, the PDF, and what it is (for its id)."""

    subject: str
    body: str
    pdf: bytes
    filename: str
    message_id: str
    email: str = ""
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class Posting:
    in_post_room: bool
    reference: str = ""


@dataclass(frozen=True)
class Sent:
    channel: str
    reference: str
    in_post_room: bool = False


class SendingAdapter(Protocol):
    def email(self, letter: OutgoingLetter) -> str: ...

    def post(self, letter: OutgoingLetter) -> Posting: ...


class SmtpSending:
    """Emails through Django's email backend; printed letters go to the council's post room."""

    def email(self, letter: OutgoingLetter) -> str:
        mail_send(
            subject=letter.subject,
            body=letter.body,
            to=[letter.email],
            message_id=letter.message_id,
            attachments=[(letter.filename, letter.pdf, "application/pdf")],
        )
        return letter.message_id

    def post(self, letter: OutgoingLetter) -> Posting:
        return Posting(in_post_room=True)


def sending_adapter() -> SendingAdapter:
    path: str = getattr(settings, "LETTER_SENDING_ADAPTER", DEFAULT_ADAPTER)
    return import_string(path)()


def send_letter(*, channel: str, letter: OutgoingLetter) -> Sent:
    """Send one letter by `channel` ("email" or "post") through the configured adapter."""
    adapter = sending_adapter()
    if channel == EMAIL:
        if not letter.email:
            raise ValueError("The household has no email address to send the letter to")
        return Sent(channel=EMAIL, reference=adapter.email(letter))
    if channel == POST:
        if not letter.address:
            raise ValueError("The household has no postal address to send the letter to")
        posting = adapter.post(letter)
        return Sent(channel=POST, reference=posting.reference, in_post_room=posting.in_post_room)
    raise ValueError(f"Unknown channel {channel!r}")
