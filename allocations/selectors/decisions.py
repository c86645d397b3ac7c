"""What the records say about a proposed allocation, and decisions with their case."""

from django.db.models import QuerySet

from allocations.models import (
    AllocationDecision,
    Application,
    Interview,
    Offer,
    SiteVisit,
)
from allocations.selectors.checks import checks_cleared
from residents.models import Licence


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


def decisions_with_cases():
    return AllocationDecision.objects.select_related(
        "offer__vacancy__unit__site", "offer__application__household", "proposed_by", "decided_by"
    )


def decisions_awaiting() -> QuerySet:
    """The team leaders' queue: proposals waiting for a decision, oldest first."""
    return (
        decisions_with_cases()
        .filter(status=AllocationDecision.Status.AWAITING)
        .order_by("proposed_at")
    )


def decision_licence(decision: AllocationDecision) -> Licence | None:
    """The draft licence an approved decision made (None before approval)."""
    if decision.status != AllocationDecision.Status.APPROVED:
        return None
    return (
        Licence.objects.filter(
            household=decision.offer.application.household_id,
            unit=decision.offer.vacancy.unit_id,
        )
        .order_by("-pk")
        .first()
    )


def offer_detail_queryset() -> QuerySet:
    return Offer.objects.select_related("vacancy__unit__site", "application__household", "entry")


def offer_decisions(offer: Offer) -> list[AllocationDecision]:
    return list(offer.decisions.select_related("proposed_by", "decided_by"))
