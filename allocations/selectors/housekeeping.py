"""Reads for keeping the register true: who the case officer is, whether an application may
bid now, bedroom-need changes, renewals due."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from allocations.models import Application, BedroomNeedChange, Renewal
from residents.selectors import lead_name, named_household


def case_officer(application: Application):
    """The officer who runs the case: who last assessed it, else who validated it; None when
    neither is known (the work then goes to the officers' queue)."""
    assessment = application.assessments.select_related("assessed_by").first()
    if assessment is not None:
        return assessment.assessed_by
    validation = application.validations.select_related("validated_by").first()
    return validation.validated_by if validation is not None else None


def application_can_bid(application: Application) -> bool:
    """The one question bidding asks: active, and not on hold (a renewal not answered).
    Why not, in words: `application.bidding_blocked_reason`."""
    return not application.bidding_blocked_reason


def applications_able_to_bid() -> QuerySet:
    """The same rule as a queryset, for lists and bulk checks."""
    return Application.objects.filter(status=Application.Status.ACTIVE, on_hold_reason="")


def need_change_queryset() -> QuerySet:
    """Need changes with their household as pages name it ("Mary Smith (H-000123)")."""
    return BedroomNeedChange.objects.select_related("application__household").annotate(
        household_named=named_household("application__household")
    )


def renewal_queryset() -> QuerySet:
    """Renewals with their household as pages name it ("Mary Smith (H-000123)")."""
    return Renewal.objects.select_related("application__household").annotate(
        household_named=named_household("application__household")
    )


def renewals_due_between(first: date, last: date) -> QuerySet:
    """Renewals falling due in a period (the bulk "renewals due this month" list)."""
    return renewal_queryset().filter(due_on__range=(first, last)).order_by("due_on", "pk")


def application_renewals(application: Application) -> QuerySet:
    return application.renewals.order_by("-due_on")


def conference_cases() -> Prefetch:
    """A conference's cases, each with its lead applicant's name (one query for a page)."""
    return Prefetch(
        "applications",
        queryset=Application.objects.annotate(lead_name=lead_name("household")).order_by(
            "reference"
        ),
    )


def conference_actions(conference) -> QuerySet:
    """The work items a case conference's actions became."""
    from django.contrib.contenttypes.models import ContentType

    from projects.models import WorkItem

    return WorkItem.objects.filter(
        content_type=ContentType.objects.get_for_model(type(conference)),
        object_id=conference.pk,
    ).select_related("assignee")
