"""One way to send an email: with a Message-ID made from what the email is about.

The same email sent twice (a worker killed between sending and recording it) carries the same
Message-ID, so mail systems that drop repeats drop it, and anyone can tell the two apart from
two different emails.

    mail_send(subject=..., body=..., to=[...], message_id=message_id("breach", breach.pk))
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage


def message_id(*about: object) -> str:
    """A deterministic Message-ID, e.g. <reminder.42@northshire.example>."""
    sender = str(settings.DEFAULT_FROM_EMAIL or "")
    domain = settings.EMAIL_MESSAGE_ID_DOMAIN or sender.rpartition("@")[2]
    local = ".".join(str(part) for part in about).replace(" ", "-")
    return f"<{local}@{domain or 'localhost'}>"


def mail_send(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    message_id: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Send one email; `attachments` are (filename, content, MIME type)."""
    message = EmailMessage(
        subject=subject, body=body, to=list(to), headers={"Message-ID": message_id}
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
