"""The new-resident visit: its checklist, meter readings and telling business support."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.history import system_user
from config.kernel import outbox
from config.kernel.dates import letter_date, page_date
from config.kernel.files import upload_content_type, upload_keep
from config.kernel.mail import mail_send, message_id
from config.kernel.records import save
from projects.services import work_item_create
from projects.work import source_key, work_item_complete_for_source
from residents.models import (
    HandbookEdition,
    HandbookIssue,
    Licence,
    MeterReading,
    NewResidentVisit,
)
from residents.selectors import (
    business_support_recipients,
    licence_holder_names,
    licence_holders,
    visit_meters_needed,
    visit_outstanding,
)
from residents.services.common import date_not_future
from residents.services.licence_common import licence_state_words

VISIT_DAYS = 7  # a new-resident visit not complete this long after it can start reminds the officer


def visit_start(licence: Licence, *, by, on: date) -> NewResidentVisit:
    """The visit falls due `VISIT_DAYS` after the signing `on`, or after the licence starts
    where it starts later: there is no resident to visit before then."""
    due_on = max(on, licence.start_date) + timedelta(days=VISIT_DAYS)
    visit = NewResidentVisit(licence=licence, officer=by, due_on=due_on)
    save(visit, by=by, reason="Licence signed: new-resident visit due")
    # Not complete within 7 days of the start: the reminders task (projects) emails the
    # officer, because the work item is then overdue.
    work_item_create(
        kind="new_resident_visit",
        kind_label="New-resident visit",
        title=f"Complete the new-resident visit to {licence_holder_names(licence)} "
        f"({licence.reference}, {licence.unit})",
        due=visit.due_on,
        about=visit,
        assignee=by,
        source_key=source_key("new_resident_visit", visit.pk),
        by=by,
    )
    return visit


def _locked_visit(visit: NewResidentVisit) -> NewResidentVisit:
    visit = (
        NewResidentVisit.objects.select_for_update()
        .select_related("licence__unit__site", "licence__household")
        .get(pk=visit.pk)
    )
    if visit.completed_on is not None:
        raise ValidationError("This visit is complete.")
    licence = visit.licence
    if licence.status in (Licence.Status.ENDED, Licence.Status.CANCELLED):
        # The visit is to a new resident: once the licence has ended there is none, and
        # business support must not be asked to open an account for them.
        raise ValidationError(
            f"Licence {licence.reference} {licence_state_words(licence)}: the new-resident "
            "visit can no longer be done."
        )
    return visit


def _before_signing(visit: NewResidentVisit, day: date) -> str:
    """Every date on the checklist (the visit, handbook, policies, pay card, meter readings) is
    of something done for the household once the licence was signed: the words if `day` is
    before, else ""."""
    signed_on = visit.licence.signed_on
    if signed_on is not None and day < signed_on:
        return (
            f"The date must be on or after the day the licence was signed, {page_date(signed_on)}"
        )
    return ""


@transaction.atomic
def visit_dates_record(
    *,
    visit: NewResidentVisit,
    by: AbstractBaseUser,
    visited_on: date | None = None,
    policies_issued_on: date | None = None,
    pay_card_issued_on: date | None = None,
    notes: str | None = None,
) -> NewResidentVisit:
    visit = _locked_visit(visit)
    errors = {}
    for field, value in (
        ("visited_on", visited_on),
        ("policies_issued_on", policies_issued_on),
        ("pay_card_issued_on", pay_card_issued_on),
    ):
        if value is not None:
            date_not_future(value, field)
            if problem := _before_signing(visit, value):
                errors[field] = problem
            setattr(visit, field, value)
    start = visit.licence.start_date
    # The visit is to a resident: before the licence starts there is none on the pitch (a
    # mistyped date would also make a late visit look done within its seven days).
    if visited_on is not None and "visited_on" not in errors and visited_on < start:
        errors["visited_on"] = (
            f"The date of the visit must be on or after the licence starts, {page_date(start)}"
        )
    if errors:
        raise ValidationError(errors)
    if notes is not None:
        visit.notes = notes
    save(visit, by=by, reason="Visit checklist updated")
    return visit


@transaction.atomic
def visit_handbook_issue(
    *, visit: NewResidentVisit, issued_on: date, by: AbstractBaseUser
) -> HandbookIssue:
    """Give the household the latest printed handbook of their site, and record which."""
    visit = _locked_visit(visit)
    date_not_future(issued_on, "issued_on")
    if problem := _before_signing(visit, issued_on):
        raise ValidationError({"issued_on": problem})
    edition = (
        HandbookEdition.objects.filter(
            site_id=visit.licence.unit.site_id, status=HandbookEdition.Status.READY
        )
        .order_by("-number")
        .first()
    )
    if edition is None:
        raise ValidationError(
            f"There is no printed handbook for {visit.licence.unit.site} yet: print one from "
            "the handbook page first."
        )
    # The issue sent twice (a second press of the button) would record the household given
    # the same edition twice: the visit's row is locked above, so the second finds the first.
    earlier = edition.issues.filter(licence=visit.licence).first()
    if earlier is not None:
        raise ValidationError(
            f"Handbook edition {edition.number} was already issued to this household on "
            f"{page_date(earlier.issued_on)}."
        )
    issue = HandbookIssue(edition=edition, licence=visit.licence, issued_on=issued_on, issued_by=by)
    save(issue, by=by, reason="Handbook issued")
    visit.handbook_issued_on = issued_on
    save(visit, by=by, reason=f"Handbook edition {edition.number} issued")
    return issue


@transaction.atomic
def meter_reading_record(
    *,
    visit: NewResidentVisit,
    meter: str,
    serial: str,
    reading: Decimal,
    read_on: date,
    photo,
    by: AbstractBaseUser,
) -> MeterReading:
    visit = _locked_visit(visit)
    if meter not in visit_meters_needed(visit):
        raise ValidationError({"meter": "This pitch has no meter of that kind"})
    date_not_future(read_on, "read_on")
    if problem := _before_signing(visit, read_on):
        raise ValidationError({"read_on": problem})
    if reading < 0:
        raise ValidationError({"reading": "The reading cannot be negative"})
    if upload_content_type(photo) not in {"image/jpeg", "image/png"}:
        raise ValidationError({"photo": "The photo must be a JPEG or PNG"})
    # The same reading sent twice (a second press of Save) would be a second reading, and a
    # second photo kept: the visit's row is locked above, so the second finds the first.
    earlier = (
        visit.meter_readings.filter(
            meter=meter, serial=serial.strip(), reading=reading, read_on=read_on
        )
        .select_related("recorded_by")
        .first()
    )
    if earlier is not None:
        recorder = earlier.recorded_by
        raise ValidationError(
            f"This {earlier.get_meter_display().lower()} reading ({reading} on "
            f"{page_date(read_on)}) was already recorded by "
            f"{recorder.get_full_name() or recorder.get_username()}: it is on the visit's page."
        )
    record = MeterReading(
        visit=visit,
        meter=meter,
        serial=serial.strip(),
        reading=reading,
        read_on=read_on,
        recorded_by=by,
    )
    record.photo_content_type = upload_keep(record.photo, photo)
    save(record, by=by, reason="Meter reading recorded")
    return record


@transaction.atomic
def visit_business_support_notify(*, visit: NewResidentVisit, by: AbstractBaseUser) -> None:
    """Ask business support to open the resident's account: an email sent by a worker once
    this commits, and the time it was sent recorded. Asking again sends nothing more."""
    from residents.tasks import business_support_notify

    visit = _locked_visit(visit)
    if visit.business_support_notified_at is not None:
        raise ValidationError("Business support has already been told.")
    if not business_support_recipients():
        raise ValidationError(
            "No email address is set for business support: ask an administrator to set one."
        )
    if visit.business_support_requested_at is None:
        visit.business_support_requested_at = timezone.now()
        save(visit, by=by, reason="Business support to be notified")
    outbox.enqueue(
        business_support_notify,
        what="business support will be emailed",
        visit_id=visit.pk,
    )


def business_support_notification_send(*, visit_id: int) -> str:
    """Send the "open a resident account" email once: the row is locked while it is sent and
    marked sent in the same transaction, so two runs never send it twice."""
    with transaction.atomic():
        visit = (
            NewResidentVisit.objects.select_for_update(of=("self",))
            .select_related("licence__unit__site", "licence__household")
            .get(pk=visit_id)
        )
        if visit.business_support_notified_at is not None:
            return "already sent"
        licence = visit.licence
        if licence.status in (Licence.Status.ENDED, Licence.Status.CANCELLED):
            # Asked for, then the licence ended before the worker ran: no account to open.
            return "licence ended: not sent"
        recipients = business_support_recipients()
        holders = ", ".join(str(named.person) for named in licence_holders(licence))
        subject = f"Open a resident account: licence {licence.reference}"
        body = (
            "Please open a resident account for a new licence.\n\n"
            f"Licence: {licence.reference}\n"
            f"Household: {licence.household.reference}\n"
            f"Licence holders: {holders}\n"
            f"Pitch: {licence.unit}\n"
            f"Start date: {letter_date(licence.start_date)}\n"
            f"Weekly pitch fee: £{licence.weekly_fee}\n"
            f"Deposit: £{licence.deposit}\n\n"
            f"Open it in {settings.SERVICE_NAME}: {licence.get_absolute_url()}\n"
        )
        # Marked first, sent last (as breach emails): only the commit itself lies in the gap.
        visit.business_support_notified_at = timezone.now()
        visit.business_support_notified_to = ", ".join(recipients)[:500]
        save(visit, by=system_user(), reason="Business support notified")
        mail_send(
            subject=subject,
            body=body,
            to=recipients,
            message_id=message_id("resident-account", visit.pk),
        )
    return "sent"


@transaction.atomic
def visit_complete(*, visit: NewResidentVisit, by: AbstractBaseUser) -> NewResidentVisit:
    visit = _locked_visit(visit)
    outstanding = visit_outstanding(visit)
    if outstanding:
        raise ValidationError(
            "The visit cannot be completed yet. Still to do: " + "; ".join(outstanding) + "."
        )
    visit.completed_on = timezone.localdate()
    save(visit, by=by, reason="Visit completed")
    work_item_complete_for_source(source_key("new_resident_visit", visit.pk), by=by)
    return visit
