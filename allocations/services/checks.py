"""Partners and due-diligence checks: requests, answers, what is outstanding, exceptions."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import (
    Application,
    CheckException,
    DueDiligenceCheck,
    Partner,
)
from allocations.predicates import ADD_CHECK_EXCEPTION
from allocations.selectors.checks import checks_outstanding
from allocations.services.cases import case_open
from allocations.services.reminders import work_add
from config.kernel.dates import page_date
from config.kernel.records import reason_required, save, save_unique
from projects.work import (
    source_key,
    work_item_cancel_for_source,
    work_item_complete_for_source,
)
from residents.selectors import household_name

# --- Partners --------------------------------------------------------------------------------


@transaction.atomic
def partner_save(*, partner: Partner, by: AbstractBaseUser, reason: str = "") -> Partner:
    reason = reason or ("Partner changed" if partner.pk else "Partner added")
    # Another partner given this name at the same moment, after this one's checks passed:
    # refused in the model's own words for a name taken.
    save_unique(
        partner,
        by=by,
        reason=reason,
        refusals={"name": {"name": partner.unique_error_message(Partner, ("name",))}},
    )
    return partner


# --- Due-diligence checks --------------------------------------------------------------------


@transaction.atomic
def check_request(
    *,
    application: Application,
    partner: Partner,
    purpose: str,
    legal_basis: str,
    due_on: date,
    by: AbstractBaseUser,
    consent_reference: str = "",
    requested_on: date | None = None,
) -> DueDiligenceCheck:
    """Ask a partner about a household; the check sits in the officer's queue until it is back."""
    application = case_open(application)
    if not partner.active:
        raise ValidationError({"partner": f"{partner} is no longer used for checks"})
    # Every disclosure to or from a partner needs its basis: the police, probation and other
    # councils are asked only with the household's consent to enquiries.
    if partner.kind in Partner.CONSENT_KINDS and not application.consent_to_enquiries:
        raise ValidationError(
            {
                "partner": f"{household_name(application.household)} has not consented to "
                f"enquiries of the police and other councils ({application.reference} records "
                f"no consent): {partner} ({partner.get_kind_display().lower()}) cannot be asked"
            }
        )
    # The same request sent twice (a second press of the button) would ask the partner twice
    # and record a second disclosure under the agreement.
    asked = (
        application.checks.filter(
            partner=partner,
            purpose=purpose.strip(),
            returned_on__isnull=True,
            stopped_on__isnull=True,
        )
        .order_by("requested_on")
        .first()
    )
    if asked is not None:
        raise ValidationError(
            {
                "partner": f"{partner} was asked about {household_name(application.household)} "
                f"for this purpose on {page_date(asked.requested_on)} and has not answered yet: "
                "record its answer when it comes"
            }
        )
    requested_on = requested_on or timezone.localdate()
    if due_on < requested_on:
        raise ValidationError({"due_on": "The answer cannot be due before it is asked for"})
    # The partner's information-sharing agreement is the basis unless another is given.
    legal_basis = (legal_basis or "").strip() or (partner.agreement or "").strip()
    if not legal_basis:
        raise ValidationError(
            {
                "legal_basis": f"{partner} has no information-sharing agreement recorded: "
                "enter the legal basis for this check"
            }
        )
    check = DueDiligenceCheck(
        application=application,
        partner=partner,
        purpose=purpose.strip(),
        legal_basis=legal_basis.strip(),
        consent_reference=consent_reference.strip(),
        requested_on=requested_on,
        due_on=due_on,
        # Kept for the life of the case plus six years, then deleted (retention schedule). The
        # case's end is not known yet: this is the earliest it could go, and the schedule
        # counts from the case's end (privacy/retention.py), not from this.
        retention_until=requested_on + relativedelta(years=settings.CHECK_RETENTION_YEARS),
        requested_by=by,
    )
    save(check, by=by, reason="Check requested")
    work_add(
        key=source_key("check", check.pk),
        kind="check",
        title=f"{partner} check for {household_name(application.household)} due back",
        due=due_on,
        about=application,
        assignee=by,
        by=by,
    )
    return check


def checks_stop_for_consent(*, application: Application, reason: str, by: AbstractBaseUser) -> int:
    """The household withdrew its consent to enquiries: each check it was the basis for (asked
    of the police, probation or another council) still waiting for its answer is stopped,
    saying why; its "due back" work is cancelled and the officer is asked to tell the partner
    not to answer. The caller holds the application's lock. Returns how many were stopped."""
    waiting = (
        DueDiligenceCheck.objects.select_for_update(of=("self",))
        .filter(
            application=application,
            partner__kind__in=Partner.CONSENT_KINDS,
            returned_on__isnull=True,
            stopped_on__isnull=True,
        )
        .select_related("partner")
        .order_by("pk")
    )
    today = timezone.localdate()
    name = household_name(application.household)
    count = 0
    for check in waiting:
        check.stopped_on = today
        check.stopped_reason = f"Consent to enquiries withdrawn: {reason}"[:300]
        save(check, by=by, reason=f"Check stopped: {check.stopped_reason}")
        work_item_cancel_for_source(
            source_key("check", check.pk), by=by, reason="Consent to enquiries withdrawn"
        )
        work_add(
            key=source_key("check_stopped", check.pk),
            kind="check_stopped",
            title=f"Tell {check.partner} not to answer the check about {name}: consent withdrawn",
            due=today,
            about=application,
            assignee=check.requested_by if check.requested_by.is_active else by,
            by=by,
        )
        count += 1
    return count


@transaction.atomic
def check_return(
    *,
    check: DueDiligenceCheck,
    returned_on: date,
    outcome: str,
    notes: str,
    by: AbstractBaseUser,
) -> DueDiligenceCheck:
    check = DueDiligenceCheck.objects.select_for_update().get(pk=check.pk)
    if check.returned_on:
        raise ValidationError("This check's answer has already been recorded.")
    if check.stopped_on:
        raise ValidationError(
            f"This check was stopped on {page_date(check.stopped_on)} ({check.stopped_reason}): "
            "no answer is recorded for it. Ask again if consent is given again."
        )
    if returned_on < check.requested_on:
        raise ValidationError({"returned_on": "The answer cannot come before it was asked for"})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": "The date received cannot be in the future"})
    if outcome not in DueDiligenceCheck.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    check.returned_on = returned_on
    check.outcome = outcome
    check.outcome_notes = notes.strip()
    save(check, by=by, reason="Check answer received")
    work_item_complete_for_source(source_key("check", check.pk), by=by)
    return check


@transaction.atomic
def check_exception_record(
    *, application: Application, reason: str, by: AbstractBaseUser
) -> CheckException:
    """A team leader lets a case go to offer before its required checks are back."""
    if not by.has_perm(ADD_CHECK_EXCEPTION):
        raise PermissionDenied("Only a team leader can record an exception to the checks.")
    application = case_open(application)
    if not checks_outstanding(application):
        raise ValidationError("Every required check is back: no exception is needed.")
    exception = CheckException(
        application=application, reason=reason_required(reason), decided_by=by
    )
    save(exception, by=by, reason="Exception to the required checks")
    return exception
