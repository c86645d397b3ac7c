"""What the records say about a proposed allocation, and decisions with their case."""

from django.conf import settings
from django.db.models import QuerySet

from allocations.models import (
    AllocationDecision,
    Application,
    Interview,
    Offer,
    ShortlistEntry,
    SiteVisit,
)
from allocations.selectors.checks import checks_cleared
from residents.models import Licence
from residents.selectors import lead_name

# What each fact says, in words, when an answer contradicts it.
FACT_WORDS: dict[str, tuple[str, str]] = {
    "shortlist_order": (
        "everyone placed higher was offered the vacancy, bypassed or is no longer active",
        "someone placed higher was neither offered the vacancy nor bypassed",
    ),
    "still_eligible": (
        "the application is active with the values it was ranked on",
        "the application is not active, or its priority changed after it was ranked",
    ),
    "checks_returned": (
        "the required checks are back or excepted",
        "a required check is not back and no exception is recorded",
    ),
    "interview_held": ("an interview is recorded as held", "no interview is recorded as held"),
    "site_visit_held": ("a site visit is recorded as held", "no site visit is recorded as held"),
    "home_suits_household": (
        "the home has the bedrooms the household needs and suits its access needs",
        "the home's bedrooms or accessibility do not match the household's need",
    ),
}


def decision_facts(offer: Offer) -> dict[str, bool | None]:
    """What the records say about each checklist clause, shown beside the officer's answers
    (None: the records cannot say, the officer's judgement stands)."""
    application = offer.application
    snapshot = offer.entry.snapshot or {}
    unit = offer.vacancy.unit
    facts: dict[str, bool | None] = {
        # Nobody above was passed over unrecorded: everyone placed higher was offered it first,
        # bypassed with a reason (agreed where the policy needs it), or no longer active (as
        # `next_in_order` skips them).
        "shortlist_order": not offer.vacancy.shortlist.filter(
            position__lt=offer.entry.position,
            eligible=True,
            offers__isnull=True,
            application__status=Application.Status.ACTIVE,
        )
        .exclude(bypass_status=ShortlistEntry.Bypass.BYPASSED)
        .exists(),
        "still_eligible": application.status
        in (Application.Status.ACTIVE, Application.Status.HOUSED)
        and all(
            snapshot.get(key) == value
            for key, value in (
                ("band", application.band),
                ("points", application.points),
                ("effective_date", application.effective_date.isoformat()),
            )
            if key in snapshot
        ),
        "checks_returned": checks_cleared(application, policy=offer.vacancy.policy_version),
        "interview_held": application.interviews.filter(status=Interview.Status.HELD).exists(),
        "site_visit_held": application.site_visits.filter(status=SiteVisit.Status.HELD).exists(),
        # A pitch's fit (caravans, access) is the officer's judgement: the records cannot say.
        "pitch_suits_household": None,
        "home_suits_household": None,
    }
    if unit.bedrooms is not None and application.bedroom_need is not None:
        facts["home_suits_household"] = unit.bedrooms >= application.bedroom_need and (
            not application.needs_accessible_home or unit.accessibility in ("a", "b", "c")
        )
    return facts


def checklist_mismatch(code: str, met: bool | None, fact: bool | None) -> str:
    """What the records say against the officer's answer, in words ("" when they agree or
    the records cannot say)."""
    if met is None or fact is None or met == fact:
        return ""
    words = FACT_WORDS.get(code)
    said = (words[0] if fact else words[1]) if words else ("yes" if fact else "no")
    return f"The records say {said}"


def decision_mismatches(decision: AllocationDecision) -> list[dict]:
    """Every checklist answer that contradicts the records: as they stood when proposed, and
    (while the decision waits) as they stand now. The team leader's page flags them first."""
    now = decision_facts(decision.offer) if decision.is_awaiting else {}
    flagged = []
    for clause in decision.checklist:
        then = clause.get("mismatch", "")
        today = checklist_mismatch(clause["code"], clause.get("met"), now.get(clause["code"]))
        if then or today:
            flagged.append(
                {**clause, "mismatch": then, "mismatch_now": today if today != then else ""}
            )
    return flagged


def decisions_with_cases():
    return AllocationDecision.objects.select_related(
        "offer__vacancy__unit__site", "offer__application__household", "proposed_by", "decided_by"
    ).annotate(lead_name=lead_name("offer__application__household"))


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
    return Offer.objects.select_related(
        "vacancy__unit__site", "application__household", "entry"
    ).annotate(lead_name=lead_name("application__household"))


def offer_decisions(offer: Offer) -> list[AllocationDecision]:
    return list(offer.decisions.select_related("proposed_by", "decided_by"))


def decision_deciders(decision: AllocationDecision) -> list:
    """Everyone who may decide this proposal under the separation of duties (team leaders
    but not its proposer nor whoever granted its checks exception; the council's deputy when
    the only team leader proposed). Empty: the decision would sit stuck."""
    from django.contrib.auth import get_user_model

    from config.roles import HEAD_OF_SERVICE, TEAM_LEADER

    candidates = get_user_model().objects.filter(
        is_active=True, groups__name__in=[TEAM_LEADER.name, HEAD_OF_SERVICE.name]
    )
    deputy = settings.DECISION_DEPUTY
    if deputy != HEAD_OF_SERVICE.name:
        candidates = candidates | get_user_model().objects.filter(is_active=True, username=deputy)
    return [
        user
        for user in candidates.distinct().order_by("pk")
        if user.has_perm("allocations.decide_proposal", decision)
    ]
