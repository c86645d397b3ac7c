"""Letters reach households by the channel each prefers, through the one sending adapter
(config.kernel.sending): emailed with the PDF attached, or printed and posted (today from the
council's post room, where business support marks each posted).

    letter_request -> document_render draws the PDF -> (same transaction) letter_send queued
    -> allocations.tasks.letter_send -> emailed / in the post room -> posted
                                     -> out of retries: failed, in the case officer's queue

Each step is recorded on the letter with its history, and the household's communications log
reads it there. An email is marked sent and then sent, in one transaction: if the send raises,
the mark is rolled back and the task retries; a worker lost after sending and before the commit
sends again under the same Message-ID (config.kernel.mail), which mail systems drop.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.models import Letter
from allocations.models.letters import letter_send_queue
from allocations.rules.wording import wording_render
from allocations.selectors.housekeeping import case_officer
from allocations.services.reminders import work_add
from config.kernel.dates import page_date
from config.kernel.mail import message_id
from config.kernel.records import reason_required, save
from config.kernel.sending import OutgoingLetter, send_letter
from config.roles import OFFICER
from projects.work import source_key, work_item_complete_for_source
from residents.models import Household
from residents.selectors import household_name


def letter_channel(household: Household) -> str:
    """Email when the household prefers email and has given an address; handed over in person
    when it prefers to be seen, or when it has no postal address and no email (living on the
    roadside, say); otherwise post (a household that prefers a call still gets paper)."""
    if household.preferred_contact == Household.PreferredContact.EMAIL and household.email:
        return Letter.Channel.EMAIL
    if household.preferred_contact == Household.PreferredContact.IN_PERSON:
        return Letter.Channel.BY_HAND
    if not household_address(household) and not household.email:
        return Letter.Channel.BY_HAND
    return Letter.Channel.POST


def household_address(household: Household) -> list[str]:
    return [
        line
        for line in (
            household.address_line_1,
            household.address_line_2,
            household.town,
            household.postcode,
        )
        if line
    ]


def _about_words(letter: Letter) -> str:
    if letter.resale_case_id:
        return "resale case"
    return "tenancy" if letter.tenancy_id else "application"


def _failure_key(letter: Letter) -> str:
    return source_key("letter_not_sent", letter.pk)


def _hand_over_key(letter: Letter) -> str:
    return source_key("letter_hand_over", letter.pk)


def _owner(letter: Letter) -> dict:
    officer = case_officer(letter.application) if letter.application_id else None
    return {"assignee": officer} if officer is not None else {"role": OFFICER.name}


def letter_email(letter: Letter) -> str:
    """Where an email goes: the household's address (a seller, buyer or tenant's letter is
    posted or handed over, never emailed)."""
    return letter.application.household.email if letter.application_id else ""


def letter_address(letter: Letter) -> list[str]:
    """The postal address: the household's now, or the one frozen into a letter to a seller,
    a buyer or the tenants."""
    if letter.application_id:
        return household_address(letter.application.household)
    return [str(line) for line in letter.context.get("address", []) if line]


def letter_to(letter: Letter) -> str:
    """Who the letter is to, for work items and pages: the household by its lead's name
    ("Mary Smith (H-000123), application A-000001"), not by two bare references."""
    if letter.application_id:
        household = household_name(letter.application.household)
        return f"{household}, application {letter.application.reference}"
    return f"{letter.addressee} ({letter.reference})"


def _missing(letter: Letter) -> str:
    """Why the letter cannot go by its channel at all ("" when it can)."""
    who = "The household" if letter.application_id else letter.addressee or "The addressee"
    if letter.channel == Letter.Channel.EMAIL and not letter_email(letter):
        return f"{who} has no email address"
    if letter.channel == Letter.Channel.POST and not letter_address(letter):
        return f"{who} has no postal address"
    return ""


def _outgoing(letter: Letter) -> OutgoingLetter:
    context = documents.letter_merge_context(letter)
    wording = documents.letter_wording_for(letter)
    with letter.file.open("rb") as pdf:
        content = pdf.read()
    return OutgoingLetter(
        subject=f"{documents.letter_title(letter)}: {letter.reference}",
        body=wording_render(wording.email_text, context, html=False).strip() + "\n",
        pdf=content,
        filename=f"{letter.reference}-{letter.kind}-letter.pdf",
        # One id per letter and per time it is sent again (to a corrected address, say).
        message_id=message_id("letter", letter.pk, letter.send_round),
        email=letter_email(letter),
        address=(letter.addressee, *letter_address(letter)),
    )


def letter_send(*, letter_id: int, by: AbstractBaseUser) -> str:
    """Send a drawn letter by its channel, once."""
    letter = Letter.objects.select_related(
        "application__household", "wording", "resale_case", "tenancy"
    ).get(pk=letter_id)
    if letter.delivery != Letter.Delivery.WAITING:
        return "already sent"
    if not letter.is_ready:
        return "not drawn yet"  # queued again when it is drawn
    missing = _missing(letter)
    if missing:
        # No retry can mend a missing address: the officer is told at once.
        letter_send_failed(letter_id=letter.pk, failure=missing, by=by)
        return Letter.Delivery.FAILED
    outgoing = _outgoing(letter)  # reads the PDF: outside the transaction
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.delivery != Letter.Delivery.WAITING:
            return "already sent"
        if letter.channel == Letter.Channel.BY_HAND:
            letter.delivery = Letter.Delivery.TO_HAND_OVER
            letter.delivery_failure = ""
            save(letter, by=by, reason="Waiting for the case officer to hand it over")
            work_add(
                key=_hand_over_key(letter),
                kind="letter_hand_over",
                title=f"Hand over the {letter.get_kind_display().lower()} letter to "
                f"{letter_to(letter)}"[:200],
                due=timezone.localdate() + timedelta(days=5),
                about=letter,
                by=by,
                notes=f"Print it from the {_about_words(letter)}'s letters, hand it over, then "
                "record when and to whom.",
                **_owner(letter),
            )
        elif letter.channel == Letter.Channel.EMAIL:
            # Marked first, sent last (see the module's docstring).
            letter.delivery = Letter.Delivery.EMAILED
            letter.sent_at = timezone.now()
            letter.sent_to = outgoing.email
            letter.delivery_reference = outgoing.message_id
            letter.delivery_failure = ""
            save(letter, by=by, reason=f"Emailed to {outgoing.email} with the letter attached")
            send_letter(channel=Letter.Channel.EMAIL, letter=outgoing)
        else:
            sent = send_letter(channel=Letter.Channel.POST, letter=outgoing)
            letter.sent_to = ", ".join(outgoing.address[1:])[:254]
            letter.delivery_failure = ""
            if sent.in_post_room:
                letter.delivery = Letter.Delivery.IN_POST_ROOM
                reason = "Queued in the post room to be printed and posted"
            else:
                letter.delivery = Letter.Delivery.POSTED
                letter.sent_at = timezone.now()
                letter.delivery_reference = sent.reference[:200]
                reason = "Sent to be printed and posted"
            save(letter, by=by, reason=reason)
        work_item_complete_for_source(_failure_key(letter), by=by)
    return letter.delivery


@transaction.atomic
def letter_send_failed(*, letter_id: int, failure: str, by: AbstractBaseUser) -> None:
    """Out of retries: the letter says why, and its case officer has it in their queue."""
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("application__household")
        .get(pk=letter_id)
    )
    if letter.delivery != Letter.Delivery.WAITING:
        return
    letter.delivery = Letter.Delivery.FAILED
    letter.delivery_failure = failure[:1000]
    save(letter, by=by, reason="The letter could not be sent")
    work_add(
        key=_failure_key(letter),
        kind="letter_not_sent",
        title=f"{letter.get_kind_display()} letter to {letter_to(letter)} could not be sent by "
        f"{letter.get_channel_display().lower()}"[:200],
        due=timezone.localdate() + timedelta(days=1),
        about=letter,
        by=by,
        **_owner(letter),
    )


@transaction.atomic
def letter_send_again(
    *, letter: Letter, channel: str, by: AbstractBaseUser, reason: str = ""
) -> Letter:
    """Send a letter that could not be sent again, by email or by post (after the household's
    address is corrected, say). Its work item closes once it is sent."""
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("application__household")
        .get(pk=letter.pk)
    )
    who = "The household" if letter.application_id else letter.addressee or "The addressee"
    problems: dict[str, str] = {}
    if letter.delivery != Letter.Delivery.FAILED:
        raise ValidationError("Only a letter that could not be sent can be sent again.")
    if channel not in Letter.Channel.values:
        problems["channel"] = "Choose email, post or by hand"
    elif channel == Letter.Channel.EMAIL and not letter_email(letter):
        problems["channel"] = f"{who} has no email address: add it first, or post it"
    elif channel == Letter.Channel.POST and not letter_address(letter):
        problems["channel"] = f"{who} has no postal address: add it first, or email it"
    try:
        reason = reason_required(reason)
    except ValidationError as error:
        problems["reason"] = error.message_dict["reason"][0]
    if problems:
        raise ValidationError(problems)
    letter.channel = channel
    letter.delivery = Letter.Delivery.WAITING
    letter.send_round += 1
    save(
        letter,
        by=by,
        reason=f"To be sent again by {letter.get_channel_display().lower()}: {reason}",
    )
    letter_send_queue(letter)
    return letter


@transaction.atomic
def letter_posted(*, letter: Letter, by: AbstractBaseUser) -> Letter:
    """Business support has printed the letter and put it in the post."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.delivery != Letter.Delivery.IN_POST_ROOM:
        raise ValidationError("This letter is not waiting in the post room.")
    letter.delivery = Letter.Delivery.POSTED
    letter.sent_at = timezone.now()
    letter.posted_by = by
    save(letter, by=by, reason="Printed and posted")
    return letter


@transaction.atomic
def letter_handed_over(
    *, letter: Letter, handed_to: str, on: date | None, by: AbstractBaseUser, note: str = ""
) -> Letter:
    """The officer handed the letter over: to whom and on which day (today or before)."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.delivery != Letter.Delivery.TO_HAND_OVER:
        raise ValidationError("This letter is not waiting to be handed over.")
    problems: dict[str, str] = {}
    handed_to = (handed_to or "").strip()
    if not handed_to:
        problems["handed_to"] = "Enter the name of the person it was handed to"
    if on is None:
        problems["on"] = "Enter the day it was handed over"
    elif on > timezone.localdate():
        problems["on"] = "The day it was handed over must be today or in the past"
    elif on < letter.requested_at.date():
        problems["on"] = "The day it was handed over cannot be before the letter was drawn"
    if problems:
        raise ValidationError(problems)
    letter.delivery = Letter.Delivery.HANDED_OVER
    letter.sent_at = timezone.make_aware(datetime.combine(on, timezone.localtime().time()))
    letter.sent_to = f"Handed to {handed_to}"[:254]
    letter.posted_by = by
    note = (note or "").strip()
    save(
        letter,
        by=by,
        reason=f"Handed over in person to {handed_to} on {page_date(on)}"
        + (f": {note}" if note else ""),
    )
    work_item_complete_for_source(_hand_over_key(letter), by=by)
    return letter
