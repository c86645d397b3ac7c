"""The allocation decision (proposed, approved or returned by a team leader) and sampling."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.lifecycles import DECISION, VACANCY
from allocations.models import (
    AllocationDecision,
    Application,
    DecisionReview,
    Letter,
    Offer,
    Vacancy,
)
from allocations.predicates import (
    APPROVE_DECISION,
    granted_checks_exception,
    is_decision_deputy,
    is_proposer,
    made_the_offer,
)
from allocations.selectors.decisions import checklist_mismatch, decision_deciders, decision_facts
from allocations.selectors.policies import policy_for
from allocations.services.applications import application_locked, application_move
from allocations.services.letters import letter_request
from allocations.services.reminders import work_add
from config.kernel.records import save
from config.roles import HEAD_OF_SERVICE, TEAM_LEADER
from projects.work import source_key, work_item_complete_for_source
from residents.selectors import household_name
from residents.services import TRANSIT_STAY_DAYS, licence_draft_create
from sites.models import Unit
from sites.services import unit_letting_move

# --- The allocation decision -----------------------------------------------------------------


def decision_propose_problems(
    *, offer: Offer, answers: dict[str, dict[str, Any]], reasons: str | None
) -> dict[str, Any]:
    """Every refusal of `decision_propose` at once (each unanswered clause, each answer the
    records contradict without a note, the reasons), without writing."""
    return _proposal_read(offer, answers, reasons)[2]


def _proposal_read(offer: Offer, answers: dict[str, dict[str, Any]], reasons: str | None):
    """The policy, the checklist as answered, and every problem with the proposal."""
    policy = offer.vacancy.policy_version or policy_for(offer.application)
    if offer.status != Offer.Status.ACCEPTED:
        return policy, [], {NON_FIELD_ERRORS: "Only an accepted offer can be put to a team leader."}
    if offer.decisions.filter(
        status__in=[AllocationDecision.Status.AWAITING, AllocationDecision.Status.APPROVED]
    ).exists():
        return policy, [], {NON_FIELD_ERRORS: "This allocation is already with a team leader."}
    facts = decision_facts(offer)
    checklist = []
    problems: dict[str, Any] = {}
    for clause in policy.policy.decision_checklist:
        answer = answers.get(clause.code) or {}
        met, note = answer.get("met"), (answer.get("note") or "").strip()
        mismatch = checklist_mismatch(clause.code, met, facts.get(clause.code))
        if met is None:
            problems[f"clause_{clause.code}"] = f"Answer: {clause.label}"
        elif mismatch and not note:
            # An answer against the records stands only with the officer's explanation; the
            # team leader's page flags it either way.
            problems[f"note_{clause.code}"] = (
                f"{mismatch}: explain in the note why you answered "
                f"{'yes' if met else 'no'} to: {clause.label}"
            )
        elif not met and not note:
            problems[f"note_{clause.code}"] = f"Explain why not: {clause.label}"
        checklist.append(
            {
                **clause.to_json(),
                "met": met,
                "note": note,
                "records_say": facts.get(clause.code),
                "mismatch": mismatch,
            }
        )
    if not reasons or not reasons.strip():
        problems["reasons"] = "Enter the reasons for the allocation"
    return policy, checklist, problems


@transaction.atomic
def decision_propose(
    *, offer: Offer, answers: dict[str, dict[str, Any]], reasons: str, by: AbstractBaseUser
) -> AllocationDecision:
    """Put an accepted offer to a team leader, each clause of the policy's checklist answered."""
    offer = Offer.objects.select_for_update().select_related("vacancy").get(pk=offer.pk)
    policy, checklist, problems = _proposal_read(offer, answers, reasons)
    if problems:
        raise ValidationError(problems)
    decision = AllocationDecision(
        offer=offer,
        policy_version=policy,
        checklist=checklist,
        reasons=reasons.strip(),
        proposed_by=by,
    )
    save(decision, by=by, reason="Allocation proposed for approval")
    work_add(
        key=source_key("decision_approval", decision.pk),
        kind="decision_approval",
        title=f"Approve or send back: {offer.vacancy.unit} (vacancy {offer.vacancy.reference}) to "
        f"{household_name(offer.application.household)}",
        due=timezone.localdate() + timedelta(days=settings.DECISION_APPROVAL_DAYS),
        about=decision,
        role=TEAM_LEADER.name,
        by=by,
    )
    # A sent-back proposal put right and proposed again: the officer's "put right" is done.
    for returned in offer.decisions.filter(status=AllocationDecision.Status.RETURNED):
        work_item_complete_for_source(source_key("decision_returned", returned.pk), by=by)
    if not decision_deciders(decision):
        # A decision must not sit stuck: nobody may decide it under the separation of duties.
        work_add(
            key=source_key("decision_stuck", decision.pk),
            kind="decision_stuck",
            title=f"Nobody may decide: {offer.vacancy.unit} to "
            f"{household_name(offer.application.household)} (name a team leader or deputy)",
            due=timezone.localdate(),
            about=decision,
            role=HEAD_OF_SERVICE.name,
            by=by,
        )
    return decision


def decision_work_close(decision: AllocationDecision, *, by: AbstractBaseUser) -> None:
    """The team leaders' and the head of service's work on a decision, once it is decided."""
    for kind in ("decision_approval", "decision_stuck"):
        work_item_complete_for_source(source_key(kind, decision.pk), by=by)


def _decision_for_deciding(decision: AllocationDecision, by: AbstractBaseUser):
    decision = (
        AllocationDecision.objects.select_for_update()
        .select_related("offer__vacancy__unit", "offer__application")
        .get(pk=decision.pk)
    )
    if not by.has_perm("allocations.decide_proposal", decision):
        if not (by.has_perm(APPROVE_DECISION) or is_decision_deputy.test(by)):
            raise PermissionDenied("Only a team leader can decide an allocation.")
        # Four eyes: said on the page, where the proposer sees why they cannot decide.
        if is_proposer.test(by, decision):
            raise ValidationError(
                "You proposed this allocation: another team leader must decide it."
            )
        if made_the_offer.test(by, decision):
            raise ValidationError(
                "You made the offer in this allocation: another team leader must decide it."
            )
        if granted_checks_exception.test(by, decision):
            raise ValidationError(
                "You recorded the exception to this case's checks: another team leader must "
                "decide it."
            )
        raise PermissionDenied("Only a team leader can decide an allocation.")
    if DECISION.is_final(decision.status):
        raise ValidationError(f"This decision is already {decision.get_status_display().lower()}.")
    return decision


@transaction.atomic
def decision_approve(
    *, decision: AllocationDecision, comments: str, by: AbstractBaseUser
) -> AllocationDecision:
    """The only way a unit becomes allocated: the vacancy is let, the household housed, and
    a draft licence (a pitch) or tenancy (a home) prepared for the officer to sign up
    (residents.services)."""
    # Lock order as in every letting step: the unit, then the vacancy, then the rest.
    Unit.objects.select_for_update().get(vacancies__offers__decisions__pk=decision.pk)
    decision = _decision_for_deciding(decision, by)
    offer = decision.offer
    vacancy = Vacancy.objects.select_for_update().get(pk=offer.vacancy_id)
    if offer.status != Offer.Status.ACCEPTED:
        raise ValidationError("The offer is no longer accepted: send the decision back.")
    DECISION.move(decision, AllocationDecision.Status.APPROVED)
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.comments = comments.strip()
    save(decision, by=by, reason="Allocation approved")
    VACANCY.move(
        vacancy,
        Vacancy.Status.LET,
        refusal=f"{vacancy.reference} is {vacancy.get_status_display().lower()}: it cannot be let.",
    )
    save(vacancy, by=by, reason=f"Let to {offer.application.reference} (decision approved)")
    # Approval closes the vacancy as let: the unit is allocated, its agreement being prepared.
    unit_letting_move(
        unit=vacancy.unit,
        to=Unit.Status.ALLOCATED,
        by=by,
        reason=f"Allocated to {offer.application.reference} (vacancy {vacancy.reference})",
    )
    application = application_locked(offer.application)
    application_move(
        application,
        Application.Status.HOUSED,
        by=by,
        reason=f"Allocated {vacancy.unit} (vacancy {vacancy.reference})",
    )
    decision_work_close(decision, by=by)
    # The household's agreement, in the officer's queue to sign: a draft licence for a pitch,
    # a draft tenancy for a home (its kind from the policy).
    start = timezone.localdate() + timedelta(days=settings.LICENCE_START_AFTER_DAYS)
    licence_draft_create(
        household=application.household,
        unit=vacancy.unit,
        start_date=start,
        # A transit pitch is let for a fixed term (MHA 1983 Sch. 1 Pt 1 Ch. 3).
        end_date=start + timedelta(days=TRANSIT_STAY_DAYS) if vacancy.unit.is_transit else None,
        by=by,
        reason=f"Allocation approved (vacancy {vacancy.reference})",
        officer=decision.proposed_by,
        deposit_weeks=decision.policy_version.policy.deposit_weeks,
        fixed_term_tenancies=decision.policy_version.policy.fixed_term_tenancies,
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
    DECISION.move(decision, AllocationDecision.Status.RETURNED)
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.comments = comments.strip()
    save(decision, by=by, reason="Sent back to the officer")
    decision_work_close(decision, by=by)
    work_add(
        key=source_key("decision_returned", decision.pk),
        kind="decision_returned",
        title=f"Put right and propose again: {decision.offer.vacancy.unit} to "
        f"{household_name(decision.offer.application.household)}",
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
    save(review, by=by, reason="Quality review")
    return review
