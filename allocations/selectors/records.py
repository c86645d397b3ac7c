"""Each record as the form pages load it, with the joins those pages use."""

from django.db.models import QuerySet

from allocations.models import (
    Assessment,
    DueDiligenceCheck,
    Interview,
    Offer,
    PolicyVersion,
    ShortlistEntry,
    SiteVisit,
    Vacancy,
)
from sites.models import Unit


def assessments_with_application() -> QuerySet:
    return Assessment.objects.select_related("application")


def checks_with_application() -> QuerySet:
    return DueDiligenceCheck.objects.select_related("application")


def interviews_with_application() -> QuerySet:
    return Interview.objects.select_related("application")


def site_visits_with_application() -> QuerySet:
    return SiteVisit.objects.select_related("application", "site")


def offers_with_case() -> QuerySet:
    return Offer.objects.select_related("vacancy__unit", "application")


def offers_for_proposal() -> QuerySet:
    return Offer.objects.select_related("vacancy__unit", "vacancy__policy_version", "application")


def shortlist_entries_with_case() -> QuerySet:
    return ShortlistEntry.objects.select_related("vacancy__unit", "application")


def vacancies_with_unit() -> QuerySet:
    return Vacancy.objects.select_related("unit__site")


def vacancies_with_policy() -> QuerySet:
    return Vacancy.objects.select_related("policy_version")


def units_with_site() -> QuerySet:
    return Unit.objects.select_related("site")


def policy_versions_with_publisher() -> QuerySet:
    return PolicyVersion.objects.select_related("published_by")
