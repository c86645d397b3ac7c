"""From a frozen shortlist to an approved allocation: interviews, due-diligence checks, site
visits, offers, and the team leader's decision. Every write to those records goes through here.

Each step puts its follow-up in someone's work queue (projects.services.work_item_create with a
source key), so the reminders that Celery beat sends — interview tomorrow, check overdue, reply
due, decision waiting — come from the one reminder engine, once each.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from allocations import documents, rules
from allocations.models import (
    AllocationDecision,
    Application,
    CheckException,
    DecisionReview,
    DueDiligenceCheck,
    Interview,
    Letter,
    Offer,
    Partner,
    ShortlistEntry,
    SiteVisit,
    Vacancy,
)
from allocations.services import (
    _locked,
    _reason_required,
    _save,
    _transition,
    letter_request,
)
from projects import services as work
from projects.models import WorkItem
from residents.services import licence_draft_create

# --- Work queue helpers ----------------------------------------------------------------------


def _work_add(*, key: str, kind: str, label: str, title: str, due: date, about, by, **owner):
    return work.work_item_create(
        kind=kind,
        kind_label=label,
        title=title,
        due=due,
        about=about,
        source_key=key,
        by=by,
        **owner,
    )


def _work_done(key: str, *, by: AbstractBaseUser) -> None:
    """Close the work a step put in a queue, if it is still open (safe to call twice)."""
    item = work.work_item_for_source(key)
    if item is not None and item.status == WorkItem.Status.OPEN:
        work.work_item_complete(item=item, by=by)


def _work_cancel(key: str, *, by: AbstractBaseUser, reason: str) -> None:
    item = work.work_item_for_source(key)
    if item is not None and item.status == WorkItem.Status.OPEN:
        work.work_item_cancel(item=item, by=by, reason=reason)


def _clock(moment: datetime) -> str:
    """10:30am, 2pm: the time as a letter says it."""
    local = timezone.localtime(moment)
    words = f"{local:%-I:%M%p}".lower()
    return words.replace(":00", "")


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _policy_for(application: Application):
    from allocations.services import policy_in_force

    return policy_in_force(scheme=application.scheme, on=timezone.localdate())


# --- Partners --------------------------------------------------------------------------------


@transaction.atomic
def partner_save(*, partner: Partner, by: AbstractBaseUser, reason: str = "") -> Partner:
    _save(partner, by=by, reason=reason or ("Partner changed" if partner.pk else "Partner added"))
    return partner


# --- Interviews ------------------------------------------------------------------------------


def _open_case(application: Application) -> Application:
    application = _locked(application)
    if application.status != Application.Status.ACTIVE:
        raise ValidationError(
            f"{application} is {application.get_status_display().lower()}: only an active "
            "application can go through interviews, checks, visits and offers."
        )
    return application


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    starts_at: datetime,
    place: str,
    lead_officer: AbstractBaseUser,
    by: AbstractBaseUser,
    second_officer: AbstractBaseUser | None = None,
    interpreter_language: str = "",
    vacancy: Vacancy | None = None,
) -> Interview:
    """Book an interview and ask the worker for the invitation letter."""
    application = _open_case(application)
    household = application.household
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The interview must be in the future"})
    if second_officer is not None and second_officer.pk == lead_officer.pk:
        raise ValidationError({"second_officer": "Choose a different second officer, or none"})
    interpreter_language = interpreter_language.strip()
    if household.interpreter_needed and not interpreter_language:
        raise ValidationError(
            {
                "interpreter_language": "The household needs an interpreter"
                + (f" ({household.interpreter_language})" if household.interpreter_language else "")
                + ": enter the language the interpreter is booked for"
            }
        )
    interview = Interview(
        application=application,
        vacancy=vacancy,
        starts_at=starts_at,
        place=place.strip(),
        lead_officer=lead_officer,
        second_officer=second_officer,
        interpreter_language=interpreter_language,
    )
    _save(interview, by=by, reason="Interview scheduled")
    day = _local_day(starts_at)
    _work_add(
        key=f"interview-{interview.pk}",
        kind="interview",
        label="Interview",
        title=f"Interview {application.reference} at {timezone.localtime(starts_at):%H:%M}, "
        f"{interview.place}",
        due=day,
        about=application,
        assignee=lead_officer,
        by=by,
    )
    letter_request(
        application=application,
        kind=Letter.Kind.INTERVIEW,
        context=documents.letter_context(
            application,
            reasons=[],
            policy=_policy_for(application),
            extra={
                "when": f"{rules.date_in_words(day)} at {_clock(starts_at)}",
                "place": interview.place,
                "interpreter_booked": interview.interpreter_language,
            },
        ),
        by=by,
    )
    return interview


def _outcome_record(record, *, waiting: str, status: str, notes: str, what: str, by):
    """An interview's or a visit's outcome: recorded once, with notes, from the choices."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.status != waiting:
        raise ValidationError(f"The outcome of this {what} has already been recorded.")
    if status not in ("held", "not_attended", "cancelled"):
        raise ValidationError({"status": "Choose what happened"})
    if not notes.strip():
        raise ValidationError({"outcome_notes": "Enter the outcome and notes"})
    record.status = status
    record.outcome_notes = notes.strip()
    _save(record, by=by, reason=f"{what.capitalize()}: {record.get_status_display().lower()}")
    return record


@transaction.atomic
def interview_record(
    *, interview: Interview, status: str, notes: str, by: AbstractBaseUser
) -> Interview:
    interview = _outcome_record(
        interview,
        waiting=Interview.Status.SCHEDULED,
        status=status,
        notes=notes,
        what="interview",
        by=by,
    )
    _work_done(f"interview-{interview.pk}", by=by)
    return interview


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
    application = _open_case(application)
    if not partner.active:
        raise ValidationError({"partner": f"{partner} is no longer used for checks"})
    requested_on = requested_on or timezone.localdate()
    if due_on < requested_on:
        raise ValidationError({"due_on": "The answer cannot be due before it is asked for"})
    check = DueDiligenceCheck(
        application=application,
        partner=partner,
        purpose=purpose.strip(),
        legal_basis=legal_basis.strip(),
        consent_reference=consent_reference.strip(),
        requested_on=requested_on,
        due_on=due_on,
        # Kept for the life of the case plus six years, then deleted (retention schedule).
        retention_until=requested_on + relativedelta(years=settings.CHECK_RETENTION_YEARS),
        requested_by=by,
    )
    _save(check, by=by, reason="Check requested")
    _work_add(
        key=f"check-{check.pk}",
        kind="check",
        label="Due-diligence check",
        title=f"{partner} check for {application.reference} due back",
        due=due_on,
        about=application,
        assignee=by,
        by=by,
    )
    return check


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
    if returned_on < check.requested_on:
        raise ValidationError({"returned_on": "The answer cannot come before it was asked for"})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": "The date received cannot be in the future"})
    if outcome not in DueDiligenceCheck.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    check.returned_on = returned_on
    check.outcome = outcome
    check.outcome_notes = notes.strip()
    _save(check, by=by, reason="Check answer received")
    _work_done(f"check-{check.pk}", by=by)
    return check


def checks_outstanding(application: Application, *, policy=None) -> list[str]:
    """Required partner types with no answer back yet, in words; empty when ready for offer.

    Under `policy` (an offer's: the version its vacancy was ranked under), else the policy in
    force today."""
    policy = policy or _policy_for(application)
    returned = set(
        application.checks.filter(returned_on__isnull=False).values_list("partner__kind", flat=True)
    )
    labels = dict(Partner.Kind.choices)
    return [labels[kind] for kind in rules.required_checks(policy.rules) if kind not in returned]


def checks_cleared(application: Application, *, policy=None) -> bool:
    return (
        not checks_outstanding(application, policy=policy) or application.check_exceptions.exists()
    )


@transaction.atomic
def check_exception_record(
    *, application: Application, reason: str, by: AbstractBaseUser
) -> CheckException:
    """A team leader lets a case go to offer before its required checks are back."""
    if not by.has_perm("allocations.add_checkexception"):
        raise ValidationError("Only a team leader can record an exception to the checks.")
    application = _open_case(application)
    if not checks_outstanding(application):
        raise ValidationError("Every required check is back: no exception is needed.")
    exception = CheckException(
        application=application, reason=_reason_required(reason), decided_by=by
    )
    _save(exception, by=by, reason="Exception to the required checks")
    return exception


# --- Site visits -----------------------------------------------------------------------------


@transaction.atomic
def site_visit_arrange(
    *,
    application: Application,
    site,
    starts_at: datetime,
    officers: Iterable[AbstractBaseUser],
    by: AbstractBaseUser,
    vacancy: Vacancy | None = None,
) -> SiteVisit:
    """A familiarisation visit always has two different officers (DOMAIN.md)."""
    application = _open_case(application)
    officers = list({officer.pk: officer for officer in officers if officer}.values())
    if len(officers) < 2:
        raise ValidationError(
            {"second_officer": "A site visit needs two different officers: choose a second"}
        )
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The visit must be in the future"})
    visit = SiteVisit(
        application=application,
        vacancy=vacancy,
        site=site,
        starts_at=starts_at,
        first_officer=officers[0],
        second_officer=officers[1],
    )
    _save(visit, by=by, reason="Site visit arranged")
    for officer in officers[:2]:
        _work_add(
            key=f"site-visit-{visit.pk}-{officer.pk}",
            kind="site_visit",
            label="Site visit",
            title=f"Site visit to {site} with {application.reference} at "
            f"{timezone.localtime(starts_at):%H:%M}",
            due=_local_day(starts_at),
            about=application,
            assignee=officer,
            by=by,
        )
    return visit


@transaction.atomic
def site_visit_record(
    *, visit: SiteVisit, status: str, notes: str, by: AbstractBaseUser
) -> SiteVisit:
    visit = _outcome_record(
        visit, waiting=SiteVisit.Status.ARRANGED, status=status, notes=notes, what="visit", by=by
    )
    for officer_id in (visit.first_officer_id, visit.second_officer_id):
        _work_done(f"site-visit-{visit.pk}-{officer_id}", by=by)
    return visit


def case_summary(application: Application) -> dict[str, Any]:
    """The casework shown on an application's page, in a fixed number of queries."""
    return {
        "interviews": list(application.interviews.select_related("lead_officer", "second_officer")),
        "checks": list(application.checks.select_related("partner")),
        "check_exceptions": list(application.check_exceptions.select_related("decided_by")),
        "checks_outstanding": checks_outstanding(application),
        "site_visits": list(
            application.site_visits.select_related("site", "first_officer", "second_officer")
        ),
        "offers": list(application.offers.select_related("vacancy__unit__site")),
        "today": timezone.localdate(),
    }


# --- Offers ----------------------------------------------------------------------------------


def next_in_order(vacancy: Vacancy) -> ShortlistEntry | None:
    """The highest-placed applicant who can still be offered this vacancy."""
    return (
        vacancy.shortlist.filter(
            eligible=True,
            bypass_reason="",
            offers__isnull=True,
            application__status=Application.Status.ACTIVE,
        )
        .order_by("position")
        .first()
    )


@transaction.atomic
def offer_make(*, entry: ShortlistEntry, respond_by: date, by: AbstractBaseUser) -> Offer:
    """Offer the vacancy to one shortlisted applicant, strictly in shortlist order.

    The vacancy row is locked first, so offers on one vacancy are made one at a time; the
    partial unique index `one_live_offer_per_vacancy` refuses a second live offer whatever
    happens above it.
    """
    vacancy = Vacancy.objects.select_for_update().get(pk=entry.vacancy_id)
    entry = ShortlistEntry.objects.select_related("application").get(pk=entry.pk)
    if vacancy.status != Vacancy.Status.CLOSED:
        raise ValidationError(
            f"Offers are made once the shortlist is frozen; {vacancy.reference} is "
            f"{vacancy.get_status_display().lower()}."
        )
    live = vacancy.offers.filter(status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]).first()
    if live is not None:
        raise ValidationError(
            f"{vacancy.reference} already has an offer {live.get_status_display().lower()} "
            f"({live.application.reference}): one offer at a time."
        )
    if not entry.eligible:
        raise ValidationError("Only an eligible, ranked applicant can be offered the vacancy.")
    if entry.bypass_reason:
        raise ValidationError("This applicant was bypassed for this vacancy.")
    if entry.offers.exists():
        raise ValidationError("This applicant has already been offered this vacancy.")
    first = next_in_order(vacancy)
    if first is not None and first.pk != entry.pk:
        raise ValidationError(
            f"Offers go in shortlist order: position {first.position} "
            f"({first.application.reference}) comes first. Bypass them with a reason to go on."
        )
    application = _open_case(entry.application)
    if not checks_cleared(application, policy=vacancy.policy_version):
        raise ValidationError(
            "The required checks are not all back ("
            + ", ".join(checks_outstanding(application, policy=vacancy.policy_version))
            + "): record the answers, or ask a team leader for an exception."
        )
    today = timezone.localdate()
    if respond_by <= today:
        raise ValidationError({"respond_by": "The reply date must be after today"})
    offer = Offer(
        vacancy=vacancy, entry=entry, application=application, made_by=by, respond_by=respond_by
    )
    try:
        with transaction.atomic():
            _save(offer, by=by, reason=f"Offer made (shortlist position {entry.position})")
    except IntegrityError as error:
        raise ValidationError(f"{vacancy.reference} already has a live offer.") from error
    _work_add(
        key=f"offer-{offer.pk}",
        kind="offer_reply",
        label="Offer reply due",
        title=f"Reply to the offer of {vacancy.unit} from {application.reference}",
        due=respond_by,
        about=offer,
        assignee=by,
        by=by,
    )
    letter_request(
        application=application,
        kind=Letter.Kind.OFFER,
        context=documents.letter_context(
            application,
            reasons=[],
            policy=vacancy.policy_version,
            extra={
                "unit": str(vacancy.unit),
                "site": str(vacancy.unit.site),
                "weekly_charge": str(vacancy.unit.weekly_charge or ""),
                "respond_by": rules.date_in_words(respond_by),
            },
        ),
        by=by,
    )
    return offer


def _unreasonable_refusals(application: Application) -> int:
    return application.offers.filter(status=Offer.Status.REFUSED, reasonable_refusal=False).count()


@transaction.atomic
def offer_accept(*, offer: Offer, on: date, by: AbstractBaseUser) -> Offer:
    offer = Offer.objects.select_for_update().select_related("application").get(pk=offer.pk)
    _reply_check(offer, on)
    offer.status = Offer.Status.ACCEPTED
    offer.responded_on = on
    _save(offer, by=by, reason="Offer accepted")
    _work_done(f"offer-{offer.pk}", by=by)
    return offer


def _reply_check(offer: Offer, on: date) -> None:
    if offer.status != Offer.Status.OPEN:
        raise ValidationError(f"This offer is already {offer.get_status_display().lower()}.")
    if on > timezone.localdate():
        raise ValidationError({"responded_on": "The reply date cannot be in the future"})
    if on < _local_day(offer.made_at):
        raise ValidationError({"responded_on": "The reply cannot come before the offer"})


@transaction.atomic
def offer_refuse(
    *, offer: Offer, on: date, reason: str, reasonable: bool, by: AbstractBaseUser
) -> Offer:
    """Record a refusal; unreasonable refusals count towards the policy's limit.

    Reaching the limit suspends the application for the policy's period, with a letter that
    explains the limit and the right to ask for a review.
    """
    offer = Offer.objects.select_for_update().select_related("application").get(pk=offer.pk)
    _reply_check(offer, on)
    if not reason or not reason.strip():
        raise ValidationError({"refusal_reason": "Enter the household's reason for refusing"})
    offer.status = Offer.Status.REFUSED
    offer.responded_on = on
    offer.refusal_reason = reason.strip()
    offer.reasonable_refusal = reasonable
    _save(offer, by=by, reason="Offer refused")
    _work_done(f"offer-{offer.pk}", by=by)

    application = _locked(offer.application)
    policy = offer.vacancy.policy_version or _policy_for(application)
    limit = policy.rules.get("refusal_limit") or {"count": 2, "suspension_months": 12}
    counted = _unreasonable_refusals(application)
    suspended = (
        not reasonable
        and counted >= limit["count"]
        and application.status == Application.Status.ACTIVE
    )
    extra = {
        "unit": str(offer.vacancy.unit),
        "refusals_counted": counted,
        "refusal_limit": limit["count"],
        "reasonable": reasonable,
        "suspension_months": limit["suspension_months"],
    }
    if suspended:
        until = on + relativedelta(months=limit["suspension_months"])
        application.suspended_until = until
        _transition(
            application,
            Application.Status.SUSPENDED,
            by=by,
            reason=f"Suspended until {until:%d/%m/%Y}: {counted} offers refused without good "
            f"reason (the policy's limit is {limit['count']})",
        )
        extra["suspended_until"] = rules.date_in_words(until)
    letter_request(
        application=application,
        kind=Letter.Kind.SUSPENSION if suspended else Letter.Kind.REFUSAL,
        context=documents.letter_context(application, reasons=[], policy=policy, extra=extra),
        by=by,
    )
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, reason: str, by: AbstractBaseUser) -> Offer:
    """The council takes an offer back (the household withdrew, or circumstances changed)."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status not in (Offer.Status.OPEN, Offer.Status.ACCEPTED):
        raise ValidationError(f"This offer is already {offer.get_status_display().lower()}.")
    if offer.decisions.filter(status=AllocationDecision.Status.APPROVED).exists():
        raise ValidationError("The allocation has been approved: the offer cannot be withdrawn.")
    offer.status = Offer.Status.WITHDRAWN
    offer.withdrawal_reason = _reason_required(reason)
    _save(offer, by=by, reason=f"Offer withdrawn: {offer.withdrawal_reason}")
    _work_cancel(f"offer-{offer.pk}", by=by, reason="Offer withdrawn")
    for decision in offer.decisions.filter(status=AllocationDecision.Status.AWAITING):
        decision.status = AllocationDecision.Status.RETURNED
        decision.comments = "Offer withdrawn before a decision"
        _save(decision, by=by, reason="Offer withdrawn")
        _work_cancel(f"decision-{decision.pk}", by=by, reason="Offer withdrawn")
    return offer


# --- The allocation decision -----------------------------------------------------------------


def decision_facts(offer: Offer) -> dict[str, bool]:
    """What the records say about each clause, shown beside the officer's answers."""
    application = offer.application
    return {
        # Nobody above was passed over unrecorded: everyone placed higher was offered it first,
        # bypassed with a reason, or no longer active (as `next_in_order` skips them).
        "shortlist_order": not offer.vacancy.shortlist.filter(
            position__lt=offer.entry.position,
            eligible=True,
            bypass_reason="",
            offers__isnull=True,
            application__status=Application.Status.ACTIVE,
        ).exists(),
        "checks_returned": checks_cleared(application, policy=offer.vacancy.policy_version),
        "interview_held": application.interviews.filter(status=Interview.Status.HELD).exists(),
        "site_visit_held": application.site_visits.filter(status=SiteVisit.Status.HELD).exists(),
    }


@transaction.atomic
def decision_propose(
    *, offer: Offer, answers: dict[str, dict[str, Any]], reasons: str, by: AbstractBaseUser
) -> AllocationDecision:
    """Put an accepted offer to a team leader, each clause of the policy's checklist answered."""
    offer = Offer.objects.select_for_update().select_related("vacancy").get(pk=offer.pk)
    if offer.status != Offer.Status.ACCEPTED:
        raise ValidationError("Only an accepted offer can be put to a team leader.")
    if offer.decisions.filter(
        status__in=[AllocationDecision.Status.AWAITING, AllocationDecision.Status.APPROVED]
    ).exists():
        raise ValidationError("This allocation is already with a team leader.")
    policy = offer.vacancy.policy_version or _policy_for(offer.application)
    checklist = []
    problems: dict[str, str] = {}
    for clause in rules.decision_checklist(policy.rules):
        answer = answers.get(clause["code"]) or {}
        met, note = answer.get("met"), (answer.get("note") or "").strip()
        if met is None:
            problems[f"clause_{clause['code']}"] = f"Answer: {clause['label']}"
        elif not met and not note:
            problems[f"note_{clause['code']}"] = f"Explain why not: {clause['label']}"
        checklist.append({**clause, "met": met, "note": note})
    if not reasons or not reasons.strip():
        problems["reasons"] = "Enter the reasons for the allocation"
    if problems:
        raise ValidationError(problems)
    decision = AllocationDecision(
        offer=offer,
        policy_version=policy,
        checklist=checklist,
        reasons=reasons.strip(),
        proposed_by=by,
    )
    _save(decision, by=by, reason="Allocation proposed for approval")
    _work_add(
        key=f"decision-{decision.pk}",
        kind="decision_approval",
        label="Decision awaiting approval",
        title=f"Approve or send back: {offer.vacancy.reference} to {offer.application.reference}",
        due=timezone.localdate() + timedelta(days=settings.DECISION_APPROVAL_DAYS),
        about=decision,
        role="team_leader",
        by=by,
    )
    return decision


def _decision_for_deciding(decision: AllocationDecision, by: AbstractBaseUser):
    decision = (
        AllocationDecision.objects.select_for_update()
        .select_related("offer__vacancy__unit", "offer__application")
        .get(pk=decision.pk)
    )
    if not by.has_perm("allocations.approve_allocationdecision"):
        raise ValidationError("Only a team leader can decide an allocation.")
    if decision.proposed_by_id == by.pk:
        raise ValidationError("You proposed this allocation: another team leader must decide it.")
    if decision.status != AllocationDecision.Status.AWAITING:
        raise ValidationError(f"This decision is already {decision.get_status_display().lower()}.")
    return decision


@transaction.atomic
def decision_approve(
    *, decision: AllocationDecision, comments: str, by: AbstractBaseUser
) -> AllocationDecision:
    """The only way a unit becomes allocated: the vacancy is let, the household housed, and
    a draft licence prepared for the officer to sign up (residents.services)."""
    decision = _decision_for_deciding(decision, by)
    offer = decision.offer
    vacancy = Vacancy.objects.select_for_update().get(pk=offer.vacancy_id)
    if offer.status != Offer.Status.ACCEPTED:
        raise ValidationError("The offer is no longer accepted: send the decision back.")
    decision.status = AllocationDecision.Status.APPROVED
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.comments = comments.strip()
    _save(decision, by=by, reason="Allocation approved")
    vacancy.status = Vacancy.Status.LET
    _save(vacancy, by=by, reason=f"Let to {offer.application.reference} (decision approved)")
    application = _locked(offer.application)
    _transition(
        application,
        Application.Status.HOUSED,
        by=by,
        reason=f"Allocated {vacancy.unit} (vacancy {vacancy.reference})",
    )
    _work_done(f"decision-{decision.pk}", by=by)
    # The household becomes a licence holder: a draft licence, in the officer's queue to sign.
    licence_draft_create(
        household=application.household,
        unit=vacancy.unit,
        start_date=timezone.localdate() + timedelta(days=settings.LICENCE_START_AFTER_DAYS),
        by=by,
        reason=f"Allocation approved (vacancy {vacancy.reference})",
        officer=decision.proposed_by,
        deposit_weeks=decision.policy_version.rules.get("deposit_weeks"),
    )
    letter_request(
        application=application,
        kind=Letter.Kind.DECISION,
        context=documents.letter_context(
            application,
            reasons=[],
            policy=decision.policy_version,
            extra={"unit": str(vacancy.unit), "site": str(vacancy.unit.site)},
        ),
        by=by,
    )
    return decision


@transaction.atomic
def decision_return(
    *, decision: AllocationDecision, comments: str, by: AbstractBaseUser
) -> AllocationDecision:
    """Send a proposal back to the officer with the team leader's comments."""
    decision = _decision_for_deciding(decision, by)
    if not comments or not comments.strip():
        raise ValidationError({"comments": "Say what the officer needs to put right"})
    decision.status = AllocationDecision.Status.RETURNED
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.comments = comments.strip()
    _save(decision, by=by, reason="Sent back to the officer")
    _work_done(f"decision-{decision.pk}", by=by)
    _work_add(
        key=f"decision-returned-{decision.pk}",
        kind="decision_returned",
        label="Decision sent back",
        title=f"Put right and propose again: {decision.offer.vacancy.reference}",
        due=timezone.localdate() + timedelta(days=settings.DECISION_APPROVAL_DAYS),
        about=decision.offer,
        assignee=decision.proposed_by,
        by=by,
    )
    return decision


def decisions_sample(*, size: int, since: date, until: date, seed: int) -> list[AllocationDecision]:
    """A reproducible random sample of approved decisions, for quality review."""
    import random

    ids = list(
        AllocationDecision.objects.filter(
            status=AllocationDecision.Status.APPROVED,
            decided_at__date__gte=since,
            decided_at__date__lte=until,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Not security: a reproducible sample, so a review can be repeated from its number.
    chosen = sorted(
        random.Random(seed).sample(  # noqa: S311
            ids, min(size, len(ids))
        )
    )
    return list(
        AllocationDecision.objects.filter(pk__in=chosen)
        .select_related("offer__vacancy__unit", "offer__application", "proposed_by", "decided_by")
        .prefetch_related("reviews")
        .order_by("decided_at")
    )


@transaction.atomic
def decision_review(
    *, decision: AllocationDecision, finding: str, notes: str, by: AbstractBaseUser
) -> DecisionReview:
    if decision.status != AllocationDecision.Status.APPROVED:
        raise ValidationError("Only approved decisions are reviewed for quality.")
    if decision.decided_by_id == by.pk:
        raise ValidationError("You made this decision: another team leader must review it.")
    if not notes or not notes.strip():
        raise ValidationError({"notes": "Enter what the review found"})
    review = DecisionReview(decision=decision, finding=finding, notes=notes.strip(), reviewed_by=by)
    _save(review, by=by, reason="Quality review")
    return review
