"""Pages for licence breaches: thin, one service each."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from config.forms import posted_data
from config.kernel.dates import page_date
from config.kernel.files import private_file_response
from config.pages import form_page, saved_then
from residents import selectors, services
from residents.forms import breaches as forms
from residents.models import (
    Breach,
)
from residents.views.licences import licence_or_404


@permission_required("residents.add_breach", raise_exception=True)
@require_http_methods(["GET", "POST"])
def breach_create(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    visit = None
    if visit_id := request.GET.get("visit", ""):
        visit = selectors.visit_for_licence(licence, visit_id)
    form = forms.BreachForm(
        posted_data(request), request.FILES or None, initial={"observed_on": timezone.localdate()}
    )
    result = form_page(
        request,
        form,
        title=f"Report a suspected breach of licence {licence.reference}",
        back_url=visit.get_absolute_url() if visit else licence.get_absolute_url(),
        intro="The sites manager is told by email and in their work queue.",
        save=lambda data: services.breach_raise(
            licence=licence, visit=visit, by=request.user, **data
        ),
    )
    return saved_then(request, result, "The breach was reported to the sites manager.", result)


@permission_required("residents.view_breach", raise_exception=True)
@require_GET
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    breach = get_object_or_404(selectors.breach_detail_queryset(), pk=pk)
    return render(
        request,
        "residents/breach_detail.html",
        {
            "breach": breach,
            "holders": selectors.licence_holders(breach.licence),
            "actions": selectors.breach_available_actions(breach, request.user),
        },
    )


@permission_required("residents.change_breach", raise_exception=True)
@require_http_methods(["GET", "POST"])
def breach_update(request: HttpRequest, pk: int) -> HttpResponse:
    breach = get_object_or_404(selectors.breach_detail_queryset(), pk=pk)
    form = forms.BreachUpdateForm(
        posted_data(request), next_statuses=selectors.breach_next_statuses(breach)
    )
    result = form_page(
        request,
        form,
        title=f"Update the breach on licence {breach.licence.reference}",
        back_url=breach.get_absolute_url(),
        save=lambda data: services.breach_transition(
            breach=breach,
            to=data["status"],
            remedy_due_on=data["remedy_due_on"],
            reason=data["reason"],
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        breach_moved_words,
        result,
    )


def breach_moved_words(breach: Breach) -> str:
    """What the banner says once a breach moves on, in plain words."""
    return {
        Breach.Status.INVESTIGATING: "The breach is being investigated.",
        Breach.Status.NOTICE_SERVED: "A notice to remedy was served: the breach must be put "
        f"right by {page_date(breach.remedy_due_on)}."
        if breach.remedy_due_on
        else "",
        Breach.Status.REMEDIED: "The breach was put right.",
        Breach.Status.ESCALATED: "The breach was escalated.",
        Breach.Status.CLOSED: "The breach was closed.",
    }.get(breach.status) or f"The breach's status is {breach.get_status_display().lower()}."


@permission_required("residents.view_breach", raise_exception=True)
@require_GET
def breach_list(request: HttpRequest) -> HttpResponse:
    """The sites manager's list: status, notice-to-remedy date and whether it is overdue."""
    status = request.GET.get("status", "")
    status = status if status in Breach.Status.values else ""
    overdue = request.GET.get("overdue") == "yes"
    breaches = selectors.breach_list(status=status, overdue=overdue)
    return render(
        request,
        "residents/breach_list.html",
        {
            "page_obj": Paginator(breaches, 25).get_page(request.GET.get("page")),
            "statuses": Breach.Status.choices,
            "status": status,
            "overdue": overdue,
        },
    )


@permission_required("residents.view_breach", raise_exception=True)
@require_GET
def breach_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    breach = get_object_or_404(Breach, pk=pk)
    if not breach.evidence:
        messages.info(request, "No evidence was attached to this breach.")
        return redirect(breach)
    return private_file_response(
        breach.evidence,
        filename=f"breach-{breach.pk}-evidence{breach.evidence.name[-4:]}",
        content_type=breach.evidence_content_type,
    )
