"""CORE lettings logs: the year's export page (its problems, each linked to where it is put
right) and download, and the pages where officers record what CORE needs and we lacked."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations.core.derive import collection_year_of
from allocations.core.export import SUPPORTED_YEARS, core_export
from allocations.forms.core import CoreAnswersForm, PreferenceForm, VacancyCoreForm
from allocations.models import (
    AllocationDecision,
    Application,
    CoreLetAnswers,
    Nomination,
    Vacancy,
)
from allocations.services import core as services
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.kernel.exports import csv_response
from config.pages import form_page, saved_then
from residents.services import special_category_views_record

EXPORT = "allocations.export_core"
RECORD = "allocations.change_coreletanswers"
SPECIAL_CATEGORY = "config.view_special_category"
# The export carries each lead tenant's ethnicity and the household's health codes.
EXPORTED_SPECIAL_FIELDS = [
    "ethnicity",
    "illness",
    "condition_effects",
    "injured_in_service",
    "pregnancy_due_date",
    "application:reasonable_preference_grounds",
]


def _year(request: HttpRequest) -> int:
    default = collection_year_of(timezone.localdate())
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        year = default
    return year if year in SUPPORTED_YEARS else SUPPORTED_YEARS[-1]


@permission_required(EXPORT, raise_exception=True)
@require_GET
def core_export_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    export = core_export(year=year)
    page_obj = Paginator(export.problems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/core/core_export.html",
        {
            "year": year,
            "year_label": f"{year}/{year + 1 - 2000}",
            "years": SUPPORTED_YEARS,
            "export": export,
            "lets_with_problems": len({p.let for p in export.problems}),
            "page_obj": page_obj,
        },
    )


@permission_required(EXPORT, raise_exception=True)
@require_GET
def core_export_csv(request: HttpRequest, year: int) -> HttpResponse:
    if year not in SUPPORTED_YEARS:
        raise Http404("CORE's layout is not held for that year.")
    export = core_export(year=year)
    if request.GET.get("what") == "problems":
        rows = [["Let", "Field", "Question", "Problem", "How to fix it"]]
        rows += [[p.let, p.field, p.question, p.message, p.fix] for p in export.problems]
        return csv_response(f"core-problems-{year}.csv", rows)
    special_category_views_record(
        people=[person for let in export.lets for person in let.people],
        user=request.user,
        fields=EXPORTED_SPECIAL_FIELDS,
        where="CORE lettings export",
    )
    return csv_response(export.filename, export.table())


def _initial(answers: CoreLetAnswers | None) -> dict:
    if answers is None:
        return {}
    initial = {name: getattr(answers, name) for name in services.ANSWER_FIELDS}
    for name in ("via_cbl", "via_common_allocation_policy", "via_common_housing_register"):
        initial[name] = _yes_no(initial[name])
    initial["via_accessible_register"] = _yes_no(initial["via_accessible_register"])
    for row in answers.people.all():
        for name in services.PERSON_FIELDS:
            initial[f"{name}_{row.person_id}"] = getattr(row, name)
    return initial


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _answers_page(request: HttpRequest, let: dict, household, back) -> HttpResponse:
    """The CORE answers of one let: {"decision": ...} for the council's own, {"nomination":
    ...} for a provider's let on the council's nomination (returned to CORE on its behalf)."""
    answers = CoreLetAnswers.objects.filter(**let).first()
    people = list(household.people.order_by("date_of_birth"))
    if answers is not None and request.method == "GET":
        CoreLetAnswers.special_category_view_log(
            record=answers,
            user=request.user,
            fields=sorted(CoreLetAnswers.SPECIAL_CATEGORY_FIELDS),
            where="CORE answers",
        )
    form = CoreAnswersForm(
        posted_data(request),
        initial=_initial(answers),
        people=people,
        nomination="nomination" in let,
    )

    def save(data: dict) -> CoreLetAnswers:
        fields, by_person = form.split()
        reason = fields.pop("reason")
        return services.core_answers_record(
            **let, by=request.user, reason=reason, people=by_person, **fields
        )

    result = form_page(
        request,
        form,
        title=f"CORE answers: {back}",
        intro="What the government's CORE lettings log asks that the allocation does not "
        "record. Ask the tenant at sign-up; anything left unanswered shows as a problem "
        "on the CORE export.",
        back_url=back.get_absolute_url(),
        save=save,
        check=lambda data: services.core_answers_problems(data),
    )
    return saved_then(request, result, "CORE answers saved.", back)


@permission_required(RECORD, raise_exception=True)
@permission_required(SPECIAL_CATEGORY, raise_exception=True)
@require_http_methods(["GET", "POST"])
def core_answers(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        AllocationDecision.objects.select_related(
            "offer__application__household", "offer__vacancy__unit__site"
        ),
        pk=pk,
    )
    household = decision.offer.application.household
    return _answers_page(request, {"decision": decision}, household, decision)


@permission_required(RECORD, raise_exception=True)
@permission_required(SPECIAL_CATEGORY, raise_exception=True)
@require_http_methods(["GET", "POST"])
def nomination_core_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider's let on the council's nomination: the council records its CORE answers
    (saved only once the provider has confirmed the let)."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("application__household", "vacancy__unit__site"),
        pk=pk,
    )
    household = nomination.application.household
    return _answers_page(request, {"nomination": nomination}, household, nomination)


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_core(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy.objects.select_related("unit__site"), pk=pk)
    form = VacancyCoreForm(
        posted_data(request),
        initial={
            "needs_type": vacancy.needs_type,
            "rent_type": vacancy.rent_type,
            "home_type": vacancy.home_type,
        },
    )
    result = form_page(
        request,
        form,
        title=f"Needs and rent type: {vacancy.reference}",
        intro="How the government's CORE lettings log classes this let.",
        back_url=vacancy.get_absolute_url(),
        save=lambda data: services.vacancy_core_record(vacancy=vacancy, by=request.user, **data),
    )
    return saved_then(request, result, "Needs and rent type saved.", vacancy)


@permission_required("allocations.change_application", raise_exception=True)
@permission_required(SPECIAL_CATEGORY, raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_core(request: HttpRequest, pk: int) -> HttpResponse:
    """Reasonable preference and its grounds: a ground can be medical or welfare, health data
    shown only to roles that may read it, each showing logged."""
    application = get_object_or_404(Application.objects.select_related("household"), pk=pk)
    if request.method == "GET" and application.reasonable_preference_grounds:
        special_category_views_record(
            people=application.household.people.all(),
            user=request.user,
            fields=["application:reasonable_preference_grounds"],
            where="Reasonable preference",
        )
    form = PreferenceForm(
        posted_data(request),
        initial={
            "reasonable_preference": application.reasonable_preference,
            "grounds": application.reasonable_preference_grounds,
        },
    )
    result = form_page(
        request,
        form,
        title=f"Reasonable preference: {application.reference}",
        intro="Whether the household was given reasonable preference (Housing Act 1996 "
        "s.166A(3)), as the government's CORE lettings log asks.",
        back_url=application.get_absolute_url(),
        save=lambda data: services.application_preference_record(
            application=application, by=request.user, **data
        ),
    )
    return saved_then(request, result, "Reasonable preference saved.", application)
