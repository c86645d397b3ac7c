"""What a correction would have changed: a band or bedroom need corrected from a past date,
the report (page and CSV) of the household's frozen shortlists replayed with the corrected
value, the list of corrections awaiting a remedy, and the team leader's remedy decision."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.corrections import CorrectionForm, RemedyForm
from allocations.models import Application, Correction
from allocations.services.corrections import DECIDE_REMEDY
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.kernel.dates import page_date
from config.kernel.exports import csv_response
from config.pages import form_page, saved_then


@permission_required("allocations.change_priority", raise_exception=True)
@require_http_methods(["GET", "POST"])
def correction_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    form = CorrectionForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Correct the band or bedroom need: {application}",
        intro=f"{_band_now_in_words(application)}, bedroom need "
        f"{application.bedroom_need if application.bedroom_need is not None else 'not assessed'}"
        ". The value is put right now, and the household's frozen shortlists since the date "
        "it applies from are replayed with it.",
        back_url=application.get_absolute_url(),
        save=lambda data: services.correction_record(
            application=application,
            field=data["field"],
            value=data["value"],
            applies_from=data["applies_from"],
            reason=data["reason"],
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        "The correction was recorded. This is what it would have changed.",
        result,
    )


def _band_now_in_words(application: Application) -> str:
    """The band as the household has it now; under a refusal penalty, the penalty band and
    the band it returns to when the penalty ends (the one a band correction corrects)."""
    if application.band_penalty_until is None:
        return f"Band {application.band or 'not set'}"
    return (
        f"Band {application.band or 'not set'} until the refusal penalty ends on "
        f"{page_date(application.band_penalty_until)}, then back to band "
        f"{application.band_before_penalty or 'not set'} (a band correction corrects the band "
        "it goes back to)"
    )


@permission_required("allocations.view_correction", raise_exception=True)
@require_GET
def correction_list(request: HttpRequest) -> HttpResponse:
    """Corrections awaiting a remedy decision, oldest first (or every correction, newest)."""
    show_all = request.GET.get("show") == "all"
    corrections = (
        selectors.correction_queryset() if show_all else selectors.corrections_awaiting_remedy()
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        corrections = corrections.filter(
            Q(application__reference__icontains=query) | Q(lead_name__icontains=query)
        )
    page_obj = Paginator(corrections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/correction_list.html",
        {"page_obj": page_obj, "show_all": show_all, "query": query},
    )


@permission_required("allocations.view_correction", raise_exception=True)
@require_GET
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(selectors.correction_queryset(), pk=pk)
    return render(
        request,
        "allocations/correction_detail.html",
        {
            "correction": correction,
            "replay": selectors.correction_replay(correction),
            "may_decide": correction.awaiting_remedy and request.user.has_perm(DECIDE_REMEDY),
        },
    )


@permission_required("allocations.view_correction", raise_exception=True)
@require_GET
def correction_csv(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(selectors.correction_queryset(), pk=pk)
    replay = selectors.correction_replay(correction)
    header = [
        "Application",
        "Corrected",
        "From",
        "To",
        "Applies from",
        "Vacancy",
        "Home",
        "Shortlist frozen on",
        "Policy version",
        "Position had",
        "Position would have had",
        "Let to",
        "Let application",
        "Let household's position",
        "Let on",
    ]
    rows = [
        [
            correction.application.reference,
            correction.get_field_display(),
            correction.value_before,
            correction.value_after,
            correction.applies_from.isoformat(),
            shortlist.vacancy.reference,
            str(shortlist.vacancy.unit),
            shortlist.frozen_on.isoformat(),
            str(shortlist.vacancy.policy_version),
            shortlist.position_had or "Not eligible",
            shortlist.position_would_have_had or "Not eligible",
            shortlist.let_to or "Not let",
            shortlist.let_reference,
            shortlist.let_position or "",
            shortlist.let_on.isoformat() if shortlist.let_on else "",
        ]
        for shortlist in replay.changed
    ]
    return csv_response(
        f"correction-{correction.application.reference}-{correction.pk}.csv", [header, *rows]
    )


@permission_required(DECIDE_REMEDY, raise_exception=True)
@require_http_methods(["GET", "POST"])
def correction_remedy(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(Correction.objects.select_related("application"), pk=pk)
    form = RemedyForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Decide the remedy: {correction.application}",
        intro=f"{correction.get_field_display()} corrected from "
        f"{page_date(correction.applies_from)}. Read what the correction would have changed "
        "before deciding.",
        back_url=correction.get_absolute_url(),
        save=lambda data: services.correction_remedy_decide(
            correction=correction,
            remedy=data["remedy"],
            reasons=data["reasons"],
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        lambda decided: f"Remedy decided: {decided.get_remedy_display()}.",
        correction,
    )
