"""Yearly renewals (reminder -> on hold -> closed -> reinstated within the window, its date
kept), suspensions that end on their date, and refusal band penalties that end.

The policy's `renewal` settings decide the timing: a reminder `reminder_days_before` the
renewal date; no answer by the date puts the application on hold (no bids) with a second
letter; no answer `hold_after_days` later closes it (lapsed), with a letter and the review
right; a household that answers within `close_after_days` of the closure is reinstated with
its original effective date (an ombudsman theme: dates lost on re-registration). A renewal
falls due every `lapse_months` months from registration (pitch applications lapse after 12
months unless renewed).
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.models import Application, Letter, PolicyVersion, Renewal
from allocations.selectors.housekeeping import case_officer
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import (
    ON_THE_REGISTER,
    OPEN_RENEWAL,
    application_locked,
    application_move,
    evidence_attach,
    renewal_work_keys,
    renewals_end,
)
from allocations.services.assessments import band_change_apply
from allocations.services.letters import letter_request
from allocations.services.nightly import nightly_each
from allocations.services.reminders import work_add
from config.kernel.dates import letter_date, page_date
from config.kernel.records import save
from config.roles import OFFICER
from projects.work import work_item_complete_for_source
from residents.selectors import household_name


def _owner(application: Application) -> dict:
    officer = case_officer(application)
    return {"assignee": officer} if officer is not None else {"role": OFFICER.name}


def renewal_date_next(application: Application, *, policy: PolicyVersion, today: date) -> date:
    """The first anniversary (every `lapse_months`) of registration on or after today."""
    months = policy.policy.lapse_months
    day, step = application.registration_date, 1
    while (due := day + relativedelta(months=months * step)) < today:
        step += 1
    return due


def _letter(application: Application, kind: str, policy: PolicyVersion, by, **extra) -> Letter:
    extra["preferred_contact"] = application.household.get_preferred_contact_display()
    return letter_request(
        application=application,
        kind=kind,
        context=documents.letter_context(application, reasons=[], policy=policy, extra=extra),
        by=by,
    )


def _left_the_register(renewal: Renewal, application: Application, by) -> bool:
    """An application withdrawn, housed or lapsed has nothing to renew: no hold, no letter
    and no closure into a lapse; its renewal still open (left from before) is ended here."""
    if application.status in ON_THE_REGISTER:
        return False
    renewals_end(application, by=by)
    save(application, by=by, reason="Its renewal ended: the application is not on the register")
    renewal.refresh_from_db()
    return True


@transaction.atomic
def renewal_remind(
    *, application: Application, due_on: date, today: date, by: AbstractBaseUser
) -> Renewal:
    """The reminder letter, some weeks before the renewal date; the renewal in the queue."""
    application = application_locked(application)
    policy = policy_in_force(scheme=application.scheme, on=today)
    renewal = Renewal.objects.filter(application=application, due_on=due_on).first()
    if renewal is not None:
        return renewal
    if application.renewal_date != due_on:
        application.renewal_date = due_on
        save(application, by=by, reason=f"Renewal due on {page_date(due_on)}")
    renewal = Renewal(
        application=application, due_on=due_on, status=Renewal.Status.REMINDED, reminded_on=today
    )
    save(renewal, by=by, reason="Renewal reminder sent")
    _letter(application, Letter.Kind.RENEWAL_REMINDER, policy, by, renew_by=letter_date(due_on))
    work_add(
        key=renewal_work_keys(renewal)[0],
        kind="renewal",
        title=f"Renewal of {household_name(application.household)} due on {page_date(due_on)}",
        due=due_on,
        about=renewal,
        by=by,
        **_owner(application),
    )
    return renewal


@transaction.atomic
def renewal_hold(*, renewal: Renewal, today: date, by: AbstractBaseUser) -> Renewal:
    """No answer by the date: on hold (no bids), with a second letter."""
    renewal = Renewal.objects.select_for_update().get(pk=renewal.pk)
    if renewal.status not in {Renewal.Status.DUE, Renewal.Status.REMINDED}:
        return renewal
    application = application_locked(renewal.application)
    if _left_the_register(renewal, application, by):
        return renewal
    policy = policy_in_force(scheme=application.scheme, on=today)
    close_on = renewal.due_on + timedelta(days=policy.policy.renewal.hold_after_days)
    renewal.status = Renewal.Status.ON_HOLD
    renewal.held_on = today
    save(renewal, by=by, reason="No answer by the renewal date: on hold")
    application.on_hold_reason = (
        f"the renewal due on {page_date(renewal.due_on)} has not been answered; it will be "
        f"closed on {page_date(close_on)} without an answer"
    )
    application.on_hold_since = today
    save(application, by=by, reason="On hold: renewal not answered (no bids until it is)")
    _letter(
        application,
        Letter.Kind.RENEWAL_HOLD,
        policy,
        by,
        renew_by=letter_date(renewal.due_on),
        close_on=letter_date(close_on),
    )
    work_add(
        key=renewal_work_keys(renewal)[1],
        kind="renewal_no_answer",
        title=f"Renewal of {household_name(application.household)} not answered: on hold, "
        f"closes on {page_date(close_on)}",
        due=close_on,
        about=renewal,
        by=by,
        **_owner(application),
    )
    return renewal


@transaction.atomic
def renewal_close(*, renewal: Renewal, today: date, by: AbstractBaseUser) -> Renewal:
    """Still no answer after the policy's period: closed (lapsed), with a letter and the review
    right; it can be reinstated, its date kept, within the policy's window."""
    renewal = Renewal.objects.select_for_update().get(pk=renewal.pk)
    if renewal.status != Renewal.Status.ON_HOLD:
        return renewal
    application = application_locked(renewal.application)
    if _left_the_register(renewal, application, by):
        return renewal
    policy = policy_in_force(scheme=application.scheme, on=today)
    window_ends = today + timedelta(days=policy.policy.renewal.close_after_days)
    renewal.status = Renewal.Status.CLOSED
    renewal.closed_on = today
    save(renewal, by=by, reason="Closed: renewal not answered")
    application.on_hold_reason = ""
    application.on_hold_since = None
    application_move(
        application,
        Application.Status.LAPSED,
        by=by,
        reason=f"Closed on {page_date(today)}: the renewal due on {page_date(renewal.due_on)} "
        f"was not answered. Reinstated with its dates if the household answers by "
        f"{page_date(window_ends)}.",
    )
    _letter(
        application,
        Letter.Kind.RENEWAL_CLOSED,
        policy,
        by,
        renew_by=letter_date(renewal.due_on),
        reinstate_by=letter_date(window_ends),
    )
    work_item_complete_for_source(renewal_work_keys(renewal)[0], by=by)
    work_item_complete_for_source(renewal_work_keys(renewal)[1], by=by)
    return renewal


def _answered_on_check(answered_on: date) -> None:
    """The day the household's answer came: never after today. A mistyped year would renew
    from a day still to come or, on a closed application, move its effective date there."""
    if answered_on > timezone.localdate():
        raise ValidationError(
            {"answered_on": "The date the answer was received must be today or in the past"}
        )


def _answered_already_check(
    application: Application, *, due_on: date, answered_on: date, policy: PolicyVersion
) -> None:
    """An answer with no renewal open, for the renewal date the last answer set, long before
    that renewal is even reminded: the last answer recorded again (the form sent twice, or a
    second officer recording the same letter). Taken as next year's answer, it would move the
    renewal date on another period and the household would skip a renewal."""
    last = (
        application.renewals.filter(
            status__in=[Renewal.Status.RENEWED, Renewal.Status.REINSTATED],
            answered_on__isnull=False,
            due_on__lt=due_on,
        )
        .order_by("-due_on")
        .first()
    )
    if last is None:
        return
    opens = due_on - timedelta(days=policy.policy.renewal.reminder_days_before)
    if answered_on < opens:
        raise ValidationError(
            f"The renewal due on {page_date(last.due_on)} was already answered on "
            f"{page_date(last.answered_on)}. The next renewal is due on {page_date(due_on)} "
            f"and is recorded from {page_date(opens)}; record a change of circumstances "
            "on the household instead."
        )


def _evidence(application: Application, upload, kind: str, by) -> None:
    if upload is not None:
        evidence_attach(
            application=application,
            kind=kind or "other",
            description="Sent with the renewal",
            upload=upload,
            by=by,
        )


@transaction.atomic
def renewal_receive(
    *,
    application: Application,
    answered_on: date,
    circumstances: str,
    by: AbstractBaseUser,
    upload=None,
    evidence_kind: str = "",
) -> Renewal:
    """The household's answer: its circumstances recorded with any evidence, the hold lifted,
    the next renewal a period on; the registration and effective dates kept."""
    _answered_on_check(answered_on)
    application = application_locked(application)
    if application.status == Application.Status.LAPSED:
        return renewal_reinstate(
            application=application,
            answered_on=answered_on,
            circumstances=circumstances,
            by=by,
            upload=upload,
            evidence_kind=evidence_kind,
        )
    if application.status not in ON_THE_REGISTER:
        raise ValidationError(
            f"Only an active or suspended application is renewed; this one is "
            f"{application.get_status_display().lower()}."
        )
    if not circumstances.strip():
        raise ValidationError({"circumstances": "Say what the household told you"})
    policy = policy_in_force(scheme=application.scheme, on=answered_on)
    renewal = application.renewals.select_for_update().filter(status__in=OPEN_RENEWAL).first()
    if renewal is None:
        due_on = application.renewal_date or renewal_date_next(
            application, policy=policy, today=answered_on
        )
        renewal = Renewal.objects.filter(application=application, due_on=due_on).first()
        if renewal is not None:
            raise ValidationError("This year's renewal has already been answered.")
        _answered_already_check(application, due_on=due_on, answered_on=answered_on, policy=policy)
        renewal = Renewal(application=application, due_on=due_on)
    renewal.status = Renewal.Status.RENEWED
    renewal.answered_on = answered_on
    renewal.circumstances = circumstances.strip()
    save(renewal, by=by, reason="Renewal received")
    application.on_hold_reason = ""
    application.on_hold_since = None
    application.renewal_date = renewal.due_on + relativedelta(months=policy.policy.lapse_months)
    save(
        application,
        by=by,
        reason=f"Renewed on {page_date(answered_on)}: next renewal due "
        f"{page_date(application.renewal_date)}; registration and effective dates kept",
    )
    _evidence(application, upload, evidence_kind, by)
    for key in renewal_work_keys(renewal):
        work_item_complete_for_source(key, by=by)
    return renewal


@transaction.atomic
def renewal_reinstate(
    *,
    application: Application,
    answered_on: date,
    circumstances: str,
    by: AbstractBaseUser,
    upload=None,
    evidence_kind: str = "",
) -> Renewal:
    """A closed application answered: active again. Within the policy's window it keeps its
    original effective date; after it, the effective date is the day it was re-opened."""
    _answered_on_check(answered_on)
    application = application_locked(application)
    renewal = (
        application.renewals.select_for_update()
        .filter(status=Renewal.Status.CLOSED)
        .order_by("-closed_on")
        .first()
    )
    if application.status != Application.Status.LAPSED or renewal is None:
        raise ValidationError(
            "Only an application closed for a renewal not answered is reinstated."
        )
    if not circumstances.strip():
        raise ValidationError({"circumstances": "Say what the household told you"})
    policy = policy_in_force(scheme=application.scheme, on=answered_on)
    window_ends = renewal.closed_on + timedelta(days=policy.policy.renewal.close_after_days)
    if answered_on <= window_ends:
        words = (
            f"Reinstated on {page_date(answered_on)}, within the policy's window "
            f"(to {page_date(window_ends)}): the original effective date "
            f"{page_date(application.effective_date)} is kept"
        )
    else:
        application.effective_date = answered_on
        words = (
            f"Re-opened on {page_date(answered_on)}, after the policy's window ended on "
            f"{page_date(window_ends)}: the effective date is now {page_date(answered_on)}"
        )
        application.effective_date_evidence = None
        application.effective_date_reason = words
    renewal.status = Renewal.Status.REINSTATED
    renewal.answered_on = answered_on
    renewal.circumstances = circumstances.strip()
    save(renewal, by=by, reason=words)
    application.renewal_date = renewal.due_on + relativedelta(months=policy.policy.lapse_months)
    suspended_until = application.suspended_until
    if suspended_until is not None and suspended_until > timezone.localdate():
        # Closed while suspended: it returns to its suspension, not around it. (The table has
        # no lapsed -> suspended by hand, so it passes through active in the same step.)
        application_move(application, Application.Status.ACTIVE, by=by, reason=words)
        words = f"{words}; still suspended until {page_date(suspended_until)}"
        application_move(application, Application.Status.SUSPENDED, by=by, reason=words)
    else:
        application.suspended_until = None  # a suspension that ended while it was closed
        application_move(application, Application.Status.ACTIVE, by=by, reason=words)
    _evidence(application, upload, evidence_kind, by)
    for key in renewal_work_keys(renewal):
        work_item_complete_for_source(key, by=by)
    return renewal


@transaction.atomic
def suspension_end(*, application: Application, today: date, by: AbstractBaseUser) -> Application:
    """A suspension's end date has come: active again (bids possible from now), household told."""
    application = application_locked(application)
    if application.status != Application.Status.SUSPENDED or (
        application.suspended_until is None or application.suspended_until > today
    ):
        return application
    ended = application.suspended_until
    application.suspended_until = None
    application_move(
        application,
        Application.Status.ACTIVE,
        by=by,
        reason=f"Suspension ended on {page_date(ended)}: the application can bid again",
    )
    policy = policy_in_force(scheme=application.scheme, on=today)
    _letter(application, Letter.Kind.SUSPENSION_ENDED, policy, by, ended_on=letter_date(ended))
    return application


@transaction.atomic
def band_penalty_end(*, application: Application, today: date, by: AbstractBaseUser) -> Application:
    """A refusal penalty "lowest band for 12 months" ends: the band of the latest assessment
    (made before or during the penalty) returns, through the band change and its
    effective-date rule."""
    application = application_locked(application)
    if application.band_penalty_until is None or application.band_penalty_until > today:
        return application
    ended = application.band_penalty_until
    returning = application.band_before_penalty
    band_change_apply(
        application,
        new_band=returning,
        policy=policy_in_force(scheme=application.scheme, on=today),
        on=ended,
        penalty_ends=True,
    )
    save(
        application,
        by=by,
        reason=f"Refusal penalty ended on {page_date(ended)}: "
        + (f"band {returning} returns" if returning is not None else "no band to return to"),
    )
    return application


@transaction.atomic
def renewal_end_off_register(*, renewal: Renewal, by: AbstractBaseUser) -> bool:
    """End a renewal left open on an application no longer on the register (True if ended)."""
    application = application_locked(renewal.application)
    return _left_the_register(renewal, application, by)


def _each(step: str, items, do, counts: dict[str, int], counted: str) -> None:
    """One item at a time, each in its own savepoint (see nightly_each)."""
    nightly_each("Nightly renewals", step, items, do, counts, counted)


def renewals_run(*, today: date, by: AbstractBaseUser) -> dict[str, int]:
    """The nightly run: renewals of applications no longer on the register ended; reminders
    due, holds, closures; suspensions and band penalties ended. Each item in its own
    transaction; one that fails is logged and counted, and the rest still run."""
    counts = {
        "renewals_ended": 0,
        "reminded": 0,
        "held": 0,
        "closed": 0,
        "suspensions_ended": 0,
        "penalties_ended": 0,
        "failed": 0,
    }
    policies: dict[str, PolicyVersion] = {}

    def policy_for(scheme: str) -> PolicyVersion:
        if scheme not in policies:
            policies[scheme] = policy_in_force(scheme=scheme, on=today)
        return policies[scheme]

    _each(
        "ending the renewal",
        Renewal.objects.filter(status__in=OPEN_RENEWAL)
        .exclude(application__status__in=ON_THE_REGISTER)
        .order_by("pk"),
        lambda renewal: renewal_end_off_register(renewal=renewal, by=by),
        counts,
        "renewals_ended",
    )

    def remind(application: Application) -> bool:
        policy = policy_for(application.scheme)
        if application.renewals.filter(status__in=OPEN_RENEWAL).exists():
            return False
        # An anniversary passed less than the hold period ago (before this ran) still counts.
        due_on = application.renewal_date or renewal_date_next(
            application,
            policy=policy,
            today=today - timedelta(days=policy.policy.renewal.hold_after_days),
        )
        if today < due_on - timedelta(days=policy.policy.renewal.reminder_days_before):
            return False
        renewal_remind(application=application, due_on=due_on, today=today, by=by)
        return True

    _each(
        "the renewal reminder",
        Application.objects.filter(status=Application.Status.ACTIVE).order_by("pk"),
        remind,
        counts,
        "reminded",
    )
    _each(
        "the renewal hold",
        Renewal.objects.filter(
            status__in=[Renewal.Status.DUE, Renewal.Status.REMINDED], due_on__lt=today
        ).order_by("pk"),
        lambda renewal: (
            renewal_hold(renewal=renewal, today=today, by=by).status == Renewal.Status.ON_HOLD
        ),
        counts,
        "held",
    )

    def close(renewal: Renewal) -> bool:
        hold_days = policy_for(renewal.application.scheme).policy.renewal.hold_after_days
        if today < renewal.due_on + timedelta(days=hold_days):
            return False
        renewal = renewal_close(renewal=renewal, today=today, by=by)
        return renewal.status == Renewal.Status.CLOSED and renewal.closed_on == today

    _each(
        "the renewal closure",
        Renewal.objects.filter(status=Renewal.Status.ON_HOLD)
        .select_related("application")
        .order_by("pk"),
        close,
        counts,
        "closed",
    )
    _each(
        "the end of the suspension",
        Application.objects.filter(
            status=Application.Status.SUSPENDED, suspended_until__lte=today
        ).order_by("pk"),
        lambda application: suspension_end(application=application, today=today, by=by),
        counts,
        "suspensions_ended",
    )
    _each(
        "the end of the band penalty",
        Application.objects.filter(band_penalty_until__lte=today).order_by("pk"),
        lambda application: band_penalty_end(application=application, today=today, by=by),
        counts,
        "penalties_ended",
    )
    return counts
