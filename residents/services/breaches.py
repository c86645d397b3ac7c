"""Licence breaches: raised, passed to the sites manager, and moved along to closed."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.history import system_user
from config.kernel import outbox
from config.kernel.dates import letter_date, page_date
from config.kernel.files import upload_keep
from config.kernel.mail import mail_send, message_id
from config.kernel.people import person_name
from config.kernel.records import reason_required, save
from config.roles import SITES_MANAGER
from projects.services import work_item_create
from projects.work import (
    source_key,
    work_item_complete_for_source,
    work_items_close_for_prefix,
)
from residents.lifecycles import BREACH
from residents.models import (
    Breach,
    Licence,
    NewResidentVisit,
)
from residents.selectors import licence_holders
from residents.services.common import date_not_future
from residents.services.licence_common import licence_state_words

BREACH_FIRST_LOOK_DAYS = 5  # working week for the sites manager to pick a breach up
BREACH_ESCALATED_DAYS = 14  # an escalated breach's next step (court papers, or closing it)


@transaction.atomic
def breach_raise(
    *,
    licence: Licence,
    category: str,
    observed_on: date,
    description: str,
    by: AbstractBaseUser,
    evidence=None,
    visit: NewResidentVisit | None = None,
) -> Breach:
    """Record a suspected breach and pass it to the sites manager: a work item in the sites
    managers' queue now, and an email sent by a worker once this commits."""
    from residents.tasks import breach_notify

    # Locked: the same report sent twice at once is then seen by the second as already made.
    licence = (
        Licence.objects.select_for_update(of=("self",))
        .select_related("unit__site")
        .get(pk=licence.pk)
    )
    if licence.status != Licence.Status.LIVE:
        raise ValidationError("A breach can only be raised on a live licence.")
    if visit is not None and visit.licence_id != licence.pk:
        raise ValidationError("That visit is for another licence.")
    date_not_future(observed_on, "observed_on")
    if observed_on < licence.start_date:
        raise ValidationError(
            {
                "observed_on": "The date observed cannot be before the licence started, on "
                f"{page_date(licence.start_date)}"
            }
        )
    if not description.strip():
        raise ValidationError({"description": "Describe what was found"})
    # The same report twice (a second press of the button) would be a second breach for the
    # sites manager to work and a second email.
    reported = (
        licence.breaches.filter(
            category=category, observed_on=observed_on, description=description.strip()
        )
        .exclude(status=Breach.Status.CLOSED)
        .first()
    )
    if reported is not None:
        raise ValidationError(
            f"The same breach of licence {licence.reference} (category, date observed and what "
            f"was found) was already reported on {page_date(reported.raised_at)} and is "
            f"{reported.get_status_display().lower()}: it is on the licence's page."
        )
    breach = Breach(
        licence=licence,
        visit=visit,
        category=category,
        observed_on=observed_on,
        description=description.strip(),
        raised_by=by,
    )
    if evidence is not None:
        breach.evidence_content_type = upload_keep(breach.evidence, evidence)
    save(breach, by=by, reason="Breach reported")
    work_item_create(
        kind="licence_breach",
        kind_label="Licence breach",
        title=_breach_work_title(breach, licence),
        due=timezone.localdate() + timedelta(days=BREACH_FIRST_LOOK_DAYS),
        about=breach,
        role=SITES_MANAGER.name,
        priority=3,
        source_key=source_key("licence_breach", breach.pk),
        by=by,
    )
    outbox.enqueue(breach_notify, what="the sites managers will be emailed", breach_id=breach.pk)
    return breach


def _breach_work_title(breach: Breach, licence: Licence) -> str:
    """ "Unauthorised occupant: licence L-000012 held by Charlie Price (Pitch 11, Hop Garden)":
    the holder named as the holder ("Unauthorised occupant: Charlie Price" would name them as
    the occupant)."""
    holders = " and ".join(str(named.person) for named in licence_holders(licence))
    held_by = f" held by {holders}" if holders else ""
    return f"{breach.get_category_display()}: licence {licence.reference}{held_by} ({licence.unit})"


def breach_notification_send(*, breach_id: int) -> str:
    """Email the sites managers about a breach, once."""
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        breach = (
            Breach.objects.select_for_update(of=("self",))
            .select_related("licence__unit__site", "raised_by")
            .get(pk=breach_id)
        )
        if breach.sites_manager_notified_at is not None:
            return "already sent"
        recipients = sorted(
            get_user_model()
            .objects.filter(groups__name=SITES_MANAGER.name, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        if not recipients:
            return "no sites manager has an email address"
        licence = breach.licence
        # No household's name: email leaves the service, and a name on a Gypsy and Traveller
        # site's pitch says as much as its ethnicity (as reminder emails: projects.services).
        # The work item and the breach's page name the licence holders.
        subject = f"Licence breach reported: {licence.unit}"
        body = (
            f"A suspected breach of licence {licence.reference} has been reported.\n\n"
            f"Pitch: {licence.unit}\n"
            f"Category: {breach.get_category_display()}\n"
            f"Observed on: {letter_date(breach.observed_on)}\n"
            f"Reported by: {person_name(breach.raised_by)}\n"
            "\n"
            f"Open it in {settings.SERVICE_NAME}: {breach.get_absolute_url()}\n"
            "It is also in the sites managers' work queue.\n"
        )
        # Marked first, sent last: the only gap in which a lost worker leaves an email sent
        # but not recorded (so sent again, under the same Message-ID) is the commit itself,
        # not the save with its history.
        breach.sites_manager_notified_at = timezone.now()
        save(breach, by=system_user(), reason="Sites managers emailed")
        mail_send(
            subject=subject, body=body, to=recipients, message_id=message_id("breach", breach.pk)
        )
    return "sent"


@transaction.atomic
def breach_transition(
    *,
    breach: Breach,
    to: str,
    by: AbstractBaseUser,
    reason: str,
    remedy_due_on: date | None = None,
) -> Breach:
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    was = breach.status
    BREACH.move(breach, to)  # or refused, in words
    reason = reason_required(reason)
    if to in (Breach.Status.NOTICE_SERVED, Breach.Status.ESCALATED):
        # A notice to remedy and escalating are steps towards the court ending the agreement:
        # there is none to end once the licence has ended (its open breaches are then only
        # closed).
        licence = Licence.objects.select_for_update().get(pk=breach.licence_id)
        if licence.status != Licence.Status.LIVE:
            step = (
                "a notice to remedy can be served"
                if to == Breach.Status.NOTICE_SERVED
                else "a breach can be escalated"
            )
            raise ValidationError(
                {
                    "status": f"Licence {licence.reference} "
                    f"{licence_state_words(licence)}: {step} only while the licence is live"
                }
            )
    if (
        to == Breach.Status.CLOSED
        and was == Breach.Status.NOTICE_SERVED
        and Licence.objects.filter(pk=breach.licence_id, status=Licence.Status.LIVE).exists()
    ):
        raise ValidationError(
            {
                "status": "A breach under a notice to remedy is closed once it is remedied or "
                "escalated (or once the licence has ended)"
            }
        )
    if to == Breach.Status.NOTICE_SERVED:
        if remedy_due_on is None:
            raise ValidationError(
                {"remedy_due_on": "Enter the date the breach must be put right by"}
            )
        if remedy_due_on <= timezone.localdate():
            raise ValidationError({"remedy_due_on": "The remedy date must be in the future"})
        breach.remedy_due_on = remedy_due_on
    if to == Breach.Status.ESCALATED and breach.remedy_due_on >= timezone.localdate():
        # The court ends an agreement for a breach only when it was not put right after a
        # notice to remedy (MHA 1983 Sch. 1 Pt 1 Ch. 4 para 4): not while the notice runs.
        raise ValidationError(
            {
                "status": "The notice to remedy gives until "
                f"{page_date(breach.remedy_due_on)} to put the breach right: it can be "
                "escalated only once that date has passed"
            }
        )
    save(breach, by=by, reason=reason)
    # The first look is done once the breach moves on; a remedy date is done with once the
    # breach is remedied, escalated or closed (never left to go overdue).
    work_item_complete_for_source(source_key("licence_breach", breach.pk), by=by)
    if to != Breach.Status.NOTICE_SERVED:
        work_items_close_for_prefix(source_key("breach_remedy_due", breach.pk), by=by)
    if to == Breach.Status.CLOSED:
        work_item_complete_for_source(source_key("breach_escalated", breach.pk), by=by)
    if to == Breach.Status.ESCALATED:
        # Escalated, the breach goes towards the court: work for the sites managers until
        # the breach is closed with its outcome (or the agreement ends).
        work_item_create(
            kind="breach_escalated",
            kind_label="Breach escalated",
            title=f"Escalated breach on licence {breach.licence.reference}: take it forward "
            "and close it with its outcome",
            due=timezone.localdate() + timedelta(days=BREACH_ESCALATED_DAYS),
            about=breach,
            role=SITES_MANAGER.name,
            priority=2,
            source_key=source_key("breach_escalated", breach.pk),
            by=by,
        )
    if to == Breach.Status.NOTICE_SERVED:
        work_item_create(
            kind="breach_remedy_due",
            kind_label="Breach remedy due",
            title=f"Check breach on licence {breach.licence.reference} was put right",
            due=remedy_due_on,
            about=breach,
            role=SITES_MANAGER.name,
            source_key=source_key("breach_remedy_due", breach.pk, f"{remedy_due_on:%Y%m%d}"),
            by=by,
        )
    return breach
