"""Reads for the document inbox and a household's communications log."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse

from allocations.models import Application, Contact, EvidenceDocument, InboxDocument, Letter
from residents.models import Household
from residents.selectors import named_household


def inbox_queryset() -> QuerySet:
    return InboxDocument.objects.select_related(
        "uploaded_by", "filed_by", "forwarded_to", "application", "household"
    )


def inbox_list(*, status: str = InboxDocument.Status.UNFILED) -> QuerySet:
    documents = inbox_queryset()
    if status in InboxDocument.Status.values:
        documents = documents.filter(status=status)
    return documents.order_by("uploaded_at", "pk")


def household_open_applications(households) -> QuerySet:
    """The applications a scan may be filed to, for the households a search found, each with
    its household as pages name it (`household_named`: "Mary Smith (H-000123)")."""
    return (
        Application.objects.filter(household__in=households)
        .exclude(status=Application.Status.WITHDRAWN)
        .select_related("household")
        .annotate(household_named=named_household("household"))
        .order_by("household__reference", "reference")
    )


@dataclass(frozen=True)
class LogEntry:
    """One line of a household's communications log."""

    when: datetime
    channel: str
    what: str
    who: object  # a user
    link: str
    link_text: str
    # The type of a scan filed as special-category evidence (a pregnancy, a medical letter:
    # health data) shown by its type and name: the page logs the showing.
    shows_special: str = ""


def _letter_entry(letter: Letter, household: Household, *, may_send_again: bool) -> LogEntry:
    if letter.delivery == Letter.Delivery.BY_OFFICER:
        channel = f"Letter ({household.get_preferred_contact_display().lower()} preferred)"
        status = letter.get_status_display().lower()
    else:
        channel = letter.get_channel_display()
        status = letter.get_delivery_display().lower()
        if letter.sent_to:
            status += f" to {letter.sent_to}"
        if letter.delivery == Letter.Delivery.FAILED and letter.delivery_failure:
            status += f": {letter.delivery_failure}"
    wording = f", wording version {letter.wording.version}" if letter.wording else ""
    if letter.delivery == Letter.Delivery.FAILED and may_send_again:
        link = reverse("allocations:letter-send-again", args=[letter.pk])
        link_text = "Send it again"
    else:
        download = (
            "allocations:tenancy-letter" if letter.tenancy_id else "allocations:letter-download"
        )
        link = reverse(download, args=[letter.pk])
        link_text = "Download the letter"
    return LogEntry(
        when=letter.sent_at or letter.ready_at or letter.requested_at,
        channel=channel,
        what=f"{letter.get_kind_display()} letter, {letter.reference} ({status}){wording}",
        who=letter.posted_by or letter.requested_by,
        link=link,
        link_text=link_text,
    )


def communications_log(
    household: Household,
    *,
    may_open_documents: bool,
    may_send_again: bool = False,
    may_read_special: bool = False,
) -> list[LogEntry]:
    """Every letter sent (by which channel, and whether it arrived with its carrier), contact
    recorded and document received, newest first. A scan filed as pregnancy or medical evidence is
    health data: without `may_read_special` it is listed as a document received, its type
    and file name withheld, as the application's evidence list leaves it out."""
    entries: list[LogEntry] = []
    # The household's letters: about its applications, and to it as tenants.
    letters = Letter.objects.filter(
        Q(application__household=household) | Q(tenancy__household=household)
    ).select_related("application", "tenancy", "requested_by", "posted_by", "wording")
    entries.extend(
        _letter_entry(letter, household, may_send_again=may_send_again) for letter in letters
    )
    contacts = Contact.objects.filter(household=household).select_related(
        "recorded_by", "application"
    )
    for contact in contacts:
        entries.append(
            LogEntry(
                when=contact.occurred_at,
                channel=contact.get_channel_display(),
                what=f"{contact.get_direction_display()}: {contact.summary}",
                who=contact.recorded_by,
                link=contact.application.get_absolute_url() if contact.application else "",
                link_text=contact.application.reference if contact.application else "",
            )
        )
    for document in inbox_queryset().filter(household=household):
        special = document.kind in EvidenceDocument.SPECIAL_CATEGORY_KINDS
        withheld = special and not may_read_special
        may_open = may_open_documents and not withheld
        entries.append(
            LogEntry(
                when=document.uploaded_at,
                channel="Document received",
                what=(
                    f"A document (its type is special-category data), filed to "
                    f"{document.application.reference}"
                    if withheld
                    else f"{document.get_kind_display() or 'Document'}: "
                    f"{document.original_name}, filed to {document.application.reference}"
                ),
                who=document.filed_by,
                link=reverse("allocations:inbox-download", args=[document.pk]) if may_open else "",
                link_text="Download the scan" if may_open else "",
                shows_special=document.kind if special and not withheld else "",
            )
        )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
