"""Reads about applications: lists, the detail page's records, the case summary."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat, JSONObject
from django.shortcuts import get_object_or_404
from django.utils import timezone

from allocations.models import (
    AllocationDecision,
    Application,
    ApplicationValidation,
    Assessment,
    CheckException,
    DueDiligenceCheck,
    EvidenceDocument,
    Interview,
    Offer,
    PolicyVersion,
    Referral,
    RegistrationRefusal,
    SiteVisit,
)
from allocations.selectors.checks import checks_outstanding
from config.kernel.present import has_rows, prefetch_present
from residents.models import Person
from residents.selectors import lead_name


def case_summary(application: Application) -> dict[str, Any]:
    """The casework shown on an application's page, in a fixed number of queries: one for each
    kind of record it has (`prefetch_casework`, when `application_detail_queryset` read it),
    none for the kinds it has none of."""
    if not hasattr(application, "has_checks"):
        application = application_detail_queryset().get(pk=application.pk)
    prefetch_casework(application)
    checks = list(application.checks.all())
    # The policy in force today, read in the application's own query (else asked here).
    found = getattr(application, "policy_today", None)
    policy = (
        PolicyVersion.from_db(None, ["id", "rules"], [found["id"], found["rules"]])
        if found
        else None
    )
    return {
        "interviews": list(application.interviews.all()),
        "checks": checks,
        "check_exceptions": list(application.check_exceptions.all()),
        "checks_outstanding": checks_outstanding(application, policy=policy, checks=checks),
        "site_visits": list(application.site_visits.all()),
        "offers": list(application.offers.all()),
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


# Each kind of record the application's page lists, and how it reads them (None: as is).
CASEWORK: dict[str, Any] = {
    "assessments": lambda: Assessment.objects.select_related(
        "policy_version", "assessed_by", "override_decided_by"
    ),
    "validations": lambda: ApplicationValidation.objects.select_related("validated_by"),
    "evidence": lambda: EvidenceDocument.objects.select_related("uploaded_by"),
    "letters": None,
    "registration_refusals": lambda: RegistrationRefusal.objects.select_related(
        "refused_by", "reviewed_by", "review_recorded_by", "policy_version"
    ),
    "interviews": lambda: Interview.objects.select_related(
        "lead_officer", "second_officer", "recorded_after_by"
    ),
    "checks": lambda: DueDiligenceCheck.objects.select_related("partner"),
    "check_exceptions": lambda: CheckException.objects.select_related("decided_by"),
    "site_visits": lambda: SiteVisit.objects.select_related(
        "site", "first_officer", "second_officer", "recorded_after_by"
    ),
    "offers": lambda: Offer.objects.select_related("vacancy__unit__site"),
    "renewals": None,
    "need_changes": None,
    "vulnerability_interviews": None,
    "referrals": lambda: Referral.objects.select_related("partner", "household"),
    "corrections": None,
}


def application_detail_queryset() -> QuerySet:
    """The application with its household and people (the page names the lead from them),
    whether it has any of each kind of
    casework (`has_<kind>`, in the same query), for `prefetch_casework`, and the id and rules
    of the policy in force today for its scheme (`policy_today`), for its outstanding checks."""
    return (
        Application.objects.select_related("household")
        .annotate(
            policy_today=Subquery(
                PolicyVersion.objects.filter(
                    scheme=OuterRef("scheme"), effective_from__lte=timezone.localdate()
                )
                .order_by("-effective_from")
                .values(json=JSONObject(id="id", rules="rules"))[:1]
            ),
            **has_rows(Application, *CASEWORK),
        )
        .prefetch_related("household__people")
    )


def prefetch_casework(application: Application) -> None:
    """Read each kind of casework the application has, one query a kind; `application.<kind>`
    then reads it (the kinds it has none of are empty, with no query)."""
    if "_casework_read" in application.__dict__:
        return
    prefetch_present(application, CASEWORK)
    application.__dict__["_casework_read"] = True


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
