"""Reads about applications: lists, the detail page's records, the case summary."""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Count, JSONField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone

from allocations.models import (
    AllocationDecision,
    Application,
    BandReview,
    CheckException,
    Interview,
    Offer,
    PolicyVersion,
    Referral,
    RegistrationRefusal,
    SiteVisit,
)
from allocations.selectors.checks import checks_outstanding
from config.kernel.present import has_rows, prefetch_present, rows_from_json, rows_json
from residents.models import Person
from residents.selectors import household_name, lead_name


def case_summary(application: Application) -> dict[str, Any]:
    """The casework shown on an application's page, in a fixed number of queries: those
    `prefetch_casework` asks (none more when `application_detail_queryset` read it)."""
    if not hasattr(application, "checks_json"):
        application = application_detail_queryset().get(pk=application.pk)
    casework = prefetch_casework(application)
    checks = casework["checks"]
    # The policy in force today, read in the application's own query (else asked here).
    found = getattr(application, "policy_today", None)
    policy = (
        PolicyVersion.from_db(None, ["id", "rules"], [found["id"], found["rules"]])
        if found
        else None
    )
    return {
        "interviews": casework["interviews"],
        "checks": checks,
        "check_exceptions": casework["check_exceptions"],
        "checks_outstanding": checks_outstanding(application, policy=policy, checks=checks),
        "site_visits": casework["site_visits"],
        "offers": casework["offers"],
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


# The kinds of record nearly every application's page lists, read in the application's own
# query as JSON (`rows_json`), with the rows each shows (paths as in select_related).
CASEWORK_FOLDED: dict[str, tuple[str, ...]] = {
    "assessments": ("policy_version", "assessed_by", "override_decided_by"),
    "validations": ("policy_version", "validated_by"),
    "evidence": ("uploaded_by",),
    "letters": (),
    "checks": ("partner",),
    "offers": ("vacancy__unit__site",),
}

# The other kinds the page lists, and how it reads them (None: as is): one query for each
# kind the application has any of (`has_rows`), none for the others.
CASEWORK: dict[str, Any] = {
    "registration_refusals": lambda: RegistrationRefusal.objects.select_related(
        "refused_by", "reviewed_by", "review_recorded_by", "policy_version"
    ),
    "band_reviews": lambda: BandReview.objects.select_related(
        "assessed_by", "recorded_by", "reviewed_by", "assessment"
    ),
    "interviews": lambda: Interview.objects.select_related(
        "lead_officer", "second_officer", "recorded_after_by"
    ),
    "check_exceptions": lambda: CheckException.objects.select_related("decided_by"),
    "site_visits": lambda: SiteVisit.objects.select_related(
        "site", "first_officer", "second_officer", "recorded_after_by"
    ),
    "renewals": None,
    "need_changes": None,
    "vulnerability_interviews": None,
    "referrals": lambda: Referral.objects.select_related("partner", "household"),
    "corrections": None,
}


def application_detail_queryset() -> QuerySet:
    """The application with its household and, all in the same query: its people
    (`people_json`, for `household_people`: the page names the lead from them), the casework
    nearly every application has (`<kind>_json`, for `prefetch_casework`), whether it has any
    of each other kind (`has_<kind>`), and the id and rules of the policy in force today for
    its scheme (`policy_today`), for its outstanding checks. Built once a day in a process
    (`_detail_queryset`: its two dozen annotations took 0.4 ms of CPU to build, each time),
    and handed out as a copy, so the kept one is never read."""
    return _detail_queryset(timezone.localdate()).all()


@lru_cache(maxsize=2)
def _detail_queryset(today: date) -> QuerySet:
    return Application.objects.select_related("household").annotate(
        policy_today=_policy_in_force(today),
        people_json=rows_json(Application, "people", via="household"),
        **{
            f"{kind}_json": rows_json(Application, kind, related)
            for kind, related in CASEWORK_FOLDED.items()
        },
        **has_rows(Application, *CASEWORK),
    )


def _policy_in_force(today: date) -> RawSQL:
    """The id and rules of the policy version in force on `today` for the application's
    scheme, as JSON (null when none): written from the models' metadata, as `has_rows`, so
    the ORM has nothing to compile (a Subquery of JSONObject took a fifth of the query's
    compiling)."""
    table = Application._meta.db_table
    scheme = Application._meta.get_field("scheme").column
    meta = PolicyVersion._meta
    pk, rules, of_scheme, effective = (
        f'"p"."{meta.get_field(name).column}"'
        for name in ("id", "rules", "scheme", "effective_from")
    )
    # Names from the models' metadata only; the day a parameter.
    sql = (
        f"(SELECT jsonb_build_object('id', {pk}, 'rules', {rules}) "  # noqa: S608
        f'FROM "{meta.db_table}" AS "p" WHERE {of_scheme} = "{table}"."{scheme}" '
        f"AND {effective} <= %s ORDER BY {effective} DESC LIMIT 1)"
    )
    return RawSQL(sql, (today,), output_field=JSONField())  # noqa: S611


def household_people(application: Application) -> list[Person]:
    """The people of the application's household, read by `application_detail_queryset`."""
    return rows_from_json(application.household, "people", application.people_json)  # type: ignore[return-value]


def prefetch_casework(application: Application) -> dict[str, list]:
    """Each kind of casework of the application (read by `application_detail_queryset`), as
    lists by kind: the kinds read as JSON made into records, no query; then one query for
    each other kind it has (`application.<kind>` then reads it too; the kinds it has none of
    are empty, with no query). Kept on the application as `casework`."""
    found = getattr(application, "casework", None)
    if found is not None:
        return found
    casework = {
        kind: rows_from_json(application, kind, getattr(application, f"{kind}_json"), related)
        for kind, related in CASEWORK_FOLDED.items()
    }
    prefetch_present(application, CASEWORK)
    casework.update({kind: list(getattr(application, kind).all()) for kind in CASEWORK})
    application.casework = casework
    return casework


def application_by_reference(reference: str) -> Application | None:
    return Application.objects.filter(reference__iexact=reference.strip()).first()


def application_named(application: Application) -> str:
    """An application as a refusal an officer reads names it: by its household, with the
    reference the officer typed ("Mary Smith (H-000123)'s application A-000123")."""
    return f"{household_name(application.household)}'s application {application.reference}"


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


def live_offer(application: Application) -> Offer | None:
    """The household's live offer, with its home: open (waiting for the reply) or accepted
    (waiting for the allocation decision); None when it has none. A household is made one
    offer at a time and holds one accepted offer at a time."""
    return (
        application.offers.filter(status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED])
        .select_related("vacancy__unit")
        .first()
    )
