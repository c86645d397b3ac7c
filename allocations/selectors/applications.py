"""Reads about applications: lists, the detail page's records, the case summary."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone

from allocations.models import (
    AllocationDecision,
    Application,
    Assessment,
    Offer,
)
from allocations.selectors.checks import checks_outstanding
from residents.models import Person
from residents.selectors import lead_name


def case_summary(application: Application) -> dict[str, Any]:
    """The casework shown on an application's page, in a fixed number of queries."""
    return {
        "interviews": list(
            application.interviews.select_related(
                "lead_officer", "second_officer", "recorded_after_by"
            )
        ),
        "checks": list(application.checks.select_related("partner")),
        "check_exceptions": list(application.check_exceptions.select_related("decided_by")),
        "checks_outstanding": checks_outstanding(application),
        "site_visits": list(
            application.site_visits.select_related(
                "site", "first_officer", "second_officer", "recorded_after_by"
            )
        ),
        "offers": list(application.offers.select_related("vacancy__unit__site")),
        "today": timezone.localdate(),
    }


def application_or_404(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("household"), pk=pk)


def application_list(
    *,
    status: str = "",
    scheme: str = "",
    reference: str = "",
    household_id: int | None = None,
    name: str = "",
) -> QuerySet:
    applications = Application.objects.select_related("household").annotate(
        people_count=Count("household__people", distinct=True),
        lead_name=lead_name("household"),
    )
    if name.strip():
        # Anyone in the household, by first name, last name or both.
        named = Person.objects.annotate(
            full_name=Concat("first_name", Value(" "), "last_name")
        ).filter(full_name__icontains=name.strip())
        applications = applications.filter(household__in=named.values("household"))
    if status:
        applications = applications.filter(status=status)
    if scheme:
        applications = applications.filter(scheme=scheme)
    if reference:
        applications = applications.filter(reference__iexact=reference.strip())
    if household_id:
        applications = applications.filter(household_id=household_id)
    return applications.order_by("-registration_date", "reference")


def application_detail_queryset() -> QuerySet:
    return (
        Application.objects.select_related("household")
        .annotate(lead_name=lead_name("household"))
        .prefetch_related(
            "household__people",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related(
                    "policy_version", "assessed_by", "override_decided_by"
                ),
            ),
            "validations__validated_by",
            "evidence__uploaded_by",
            "letters",
        )
    )


def application_by_reference(reference: str) -> Application | None:
    return Application.objects.filter(reference__iexact=reference.strip()).first()


def case_history_steps(application: Application) -> list[tuple[str, Iterable]]:
    """The application and each of its casework records, by kind, for the case's history."""
    return [
        ("Application", [application]),
        ("Interview", application.interviews.all()),
        ("Check", application.checks.select_related("partner")),
        ("Checks exception", application.check_exceptions.all()),
        ("Site visit", application.site_visits.select_related("site")),
        ("Offer", application.offers.select_related("vacancy__unit__site")),
        (
            "Allocation decision",
            AllocationDecision.objects.filter(offer__application=application).select_related(
                "offer__vacancy__unit__site", "offer__application"
            ),
        ),
    ]


def record_history_rows(record) -> list:
    """A record's history rows, newest first, with who made each."""
    return list(
        record.history.select_related("history_user").order_by("-history_date", "-history_id")
    )


def latest_offer(application: Application) -> Offer | None:
    return application.offers.select_related("vacancy__unit").order_by("-made_at").first()
