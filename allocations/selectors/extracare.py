"""Extra Care referrals read for the panel's agenda and the referral rule."""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from allocations.models import ExtraCarePanelItem, ExtraCareReferral


def referrals_awaiting_panel() -> QuerySet[ExtraCareReferral]:
    """Referrals no panel has approved or declined yet (new, or deferred): by the latest
    decision, the one that counts, so one deferred by a later panel is listed again."""
    latest = (
        ExtraCarePanelItem.objects.filter(referral=OuterRef("pk"))
        .exclude(decision="")
        .order_by(*ExtraCarePanelItem.LATEST_FIRST)
        .values("decision")[:1]
    )
    return (
        ExtraCareReferral.objects.annotate(latest_decision=Subquery(latest))
        .filter(
            Q(latest_decision__isnull=True) | Q(latest_decision=ExtraCarePanelItem.Decision.DEFER)
        )
        .select_related("application__household")
        .order_by("referred_on", "pk")
    )
