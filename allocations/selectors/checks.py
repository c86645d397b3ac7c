"""What due-diligence checks are still outstanding for a case."""

from django.db.models import QuerySet

from allocations.models import (
    Application,
    DueDiligenceCheck,
    Partner,
)
from allocations.selectors.policies import policy_for


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


def check_detail_queryset() -> QuerySet:
    return DueDiligenceCheck.objects.select_related(
        "application__household", "partner", "requested_by"
    )
