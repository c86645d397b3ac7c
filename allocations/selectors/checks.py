"""What due-diligence checks are still outstanding for a case, and how long they are kept."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Case, Max, OuterRef, QuerySet, Subquery, When
from django.utils import timezone

from allocations.models import (
    Application,
    DueDiligenceCheck,
    Partner,
)
from allocations.selectors.policies import policy_for

# A case has ended when its application has: closed without a home (refused, invalid,
# withdrawn, lapsed) or housed. Active, suspended, submitted and draft cases are still live
# (a lapsed, refused or housed one can be live again: it is then no longer ended).
CASE_ENDED = (
    Application.Status.REFUSED,
    Application.Status.INVALID,
    Application.Status.WITHDRAWN,
    Application.Status.LAPSED,
    Application.Status.HOUSED,
)


def checks_outstanding(
    application: Application, *, policy=None, checks: list[DueDiligenceCheck] | None = None
) -> list[str]:
    """Required partner types with no answer back yet, in words; empty when ready for offer.

    Under `policy` (an offer's: the version its vacancy was ranked under), else the policy in
    force today. `checks`: the application's checks with their partners, when already read."""
    policy = policy or policy_for(application)
    if checks is None:
        returned = set(
            application.checks.filter(returned_on__isnull=False).values_list(
                "partner__kind", flat=True
            )
        )
    else:
        returned = {check.partner.kind for check in checks if check.returned_on is not None}
    labels = dict(Partner.Kind.choices)
    return [labels[kind] for kind in policy.policy.required_checks if kind not in returned]


def checks_cleared(application: Application, *, policy=None) -> bool:
    return (
        not checks_outstanding(application, policy=policy) or application.check_exceptions.exists()
    )


def partner_list() -> QuerySet:
    return Partner.objects.order_by("-active", "name")


def checks_with_case_end() -> QuerySet:
    """Checks with `case_ended_at`: when their application's case ended, None while it is
    live. The application has no closing date of its own; its last change is the latest the
    case can have ended (a later change only keeps the check longer, never shorter)."""
    last_change = (
        Application.history.model.objects.filter(id=OuterRef("application_id"))
        .values("id")
        .annotate(last=Max("history_date"))
        .values("last")
    )
    return DueDiligenceCheck.objects.annotate(
        case_ended_at=Case(
            When(application__status__in=CASE_ENDED, then=Subquery(last_change)), default=None
        )
    )


def check_kept_until(check: DueDiligenceCheck) -> date | None:
    """The day after which the check's answers may go: the schedule's years (the life of the
    case plus six) from the end of its case; None while the case is live. A check read through
    `checks_with_case_end`. (Its stored `retention_until` counts from the request, not the end
    of the case, and is not used.)"""
    if check.case_ended_at is None:
        return None
    years = int(settings.RETENTION_SCHEDULE["due_diligence_answers"])
    return timezone.localdate(check.case_ended_at) + relativedelta(years=years)


def check_detail_queryset() -> QuerySet:
    return checks_with_case_end().select_related(
        "application__household", "partner", "requested_by"
    )
