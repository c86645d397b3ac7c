"""Direct lets: the list (filtered, with the lead applicant's name), the count by reason
reported apart from lets through the cycle, and the actions a direct let's page may offer."""

from django.db.models import Count, Q, QuerySet

from allocations.models import DirectLet, Offer
from residents.selectors import lead_name


def direct_let_list(*, reason: str = "", status: str = "", search: str = "") -> QuerySet:
    """Direct lets, newest first, each with its household's lead name; `search` matches the
    direct let's, the application's or the vacancy's reference, or the lead's name."""
    lets = DirectLet.objects.select_related(
        "vacancy__unit__site", "application", "proposed_by", "decided_by"
    ).annotate(lead=lead_name("application__household"))
    if reason:
        lets = lets.filter(reason=reason)
    if status:
        lets = lets.filter(status=status)
    if search:
        lets = lets.filter(
            Q(reference__icontains=search)
            | Q(application__reference__icontains=search)
            | Q(vacancy__reference__icontains=search)
            | Q(lead__icontains=search)
        )
    return lets.order_by("-proposed_at", "-pk")


def direct_let_counts(*, status: str = "") -> list[dict]:
    """How many direct lets each reason accounts for (every reason, none left out), with how
    many were approved: reported apart from lets through the cycle."""
    lets = DirectLet.objects.all()
    if status:
        lets = lets.filter(status=status)
    counted = {
        row["reason"]: row
        for row in lets.values("reason").annotate(
            total=Count("pk"), approved=Count("pk", filter=Q(status=DirectLet.Status.APPROVED))
        )
    }
    return [
        {
            "reason": label,
            "code": code,
            "total": counted.get(code, {}).get("total", 0),
            "approved": counted.get(code, {}).get("approved", 0),
        }
        for code, label in DirectLet.Reason.choices
    ]


def direct_let_detail_queryset() -> QuerySet:
    return DirectLet.objects.select_related(
        "vacancy__unit__site", "application__household", "proposed_by", "decided_by", "entry"
    ).annotate(lead=lead_name("application__household"))


def direct_let_offer(direct_let: DirectLet) -> Offer | None:
    """The offer made on the approved direct let, if one has been."""
    if direct_let.entry_id is None:
        return None
    return direct_let.entry.offers.order_by("-made_at").first()
