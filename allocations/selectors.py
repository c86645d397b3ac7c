from django.db.models import Count, Prefetch, Q, QuerySet

from allocations.models import Application, Assessment, PolicyVersion, ShortlistEntry, Vacancy


def application_list(
    *, status: str = "", scheme: str = "", reference: str = "", household_id: int | None = None
) -> QuerySet:
    applications = Application.objects.select_related("household").annotate(
        people_count=Count("household__people", distinct=True)
    )
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
    return Application.objects.select_related("household").prefetch_related(
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


def vacancy_list(*, status: str = "", scheme: str = "") -> QuerySet:
    vacancies = Vacancy.objects.select_related("unit__site").annotate(
        bid_count=Count("bids", filter=Q(bids__withdrawn=False), distinct=True)
    )
    if status:
        vacancies = vacancies.filter(status=status)
    if scheme:
        vacancies = vacancies.filter(scheme=scheme)
    return vacancies.order_by("-closes_on", "reference")


def shortlist(vacancy: Vacancy) -> list[ShortlistEntry]:
    return list(
        vacancy.shortlist.select_related("application__household", "bypassed_by").order_by(
            "eligible", "position", "id"
        )
    )


def policy_versions() -> QuerySet:
    return PolicyVersion.objects.select_related("published_by").order_by(
        "scheme", "-effective_from"
    )
