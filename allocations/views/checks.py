"""Due-diligence check pages (criminal-record answers only for those allowed to see them)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.checks import CheckExceptionForm, CheckRequestForm, CheckReturnForm
from allocations.models import (
    DueDiligenceCheck,
)
from allocations.selectors.applications import application_or_404
from config.forms import posted_data
from config.pages import form_page, saved_then

# --- Checks ----------------------------------------------------------------------------------


@permission_required("allocations.add_duediligencecheck", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_or_404(pk)
    form = CheckRequestForm(
        posted_data(request),
        initial={"due_on": timezone.localdate() + timedelta(days=14)},
    )
    result = form_page(
        request,
        form,
        title=f"Request a due-diligence check: {application}",
        back_url=application.get_absolute_url(),
        save=lambda data: services.check_request(application=application, by=request.user, **data),
    )
    return saved_then(request, result, "The check was requested.", application)


@permission_required("allocations.view_duediligencecheck", raise_exception=True)
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(selectors.check_detail_queryset(), pk=pk)
    show = request.user.has_perm("allocations.see_check_outcome", check)
    if show and check.is_criminal_record and check.returned_on:
        DueDiligenceCheck.special_category_view_log(
            record=check, user=request.user, fields=["outcome", "outcome_notes"], where="check"
        )
    return render(
        request,
        "allocations/check_detail.html",
        {
            "check": check,
            "show_outcome": show,
            "kept_until": selectors.check_kept_until(check),
            "kept_years": settings.RETENTION_SCHEDULE["due_diligence_answers"],
        },
    )


@permission_required("allocations.change_duediligencecheck", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_return(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(selectors.checks_with_application(), pk=pk)
    if not request.user.has_perm("allocations.see_check_outcome", check):
        raise PermissionDenied
    form = CheckReturnForm(posted_data(request), initial={"returned_on": timezone.localdate()})
    result = form_page(
        request,
        form,
        title=f"Answer from {check.partner}",
        back_url=check.get_absolute_url(),
        save=lambda data: services.check_return(check=check, by=request.user, **data),
    )
    return saved_then(request, result, "The check's answer was recorded.", check.application)


@permission_required("allocations.add_checkexception", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_exception(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_or_404(pk)
    form = CheckExceptionForm(posted_data(request))
    outstanding = selectors.checks_outstanding(application)
    result = form_page(
        request,
        form,
        title=f"Exception to the required checks: {application}",
        intro="Checks not back yet: " + (", ".join(outstanding) or "none") + ".",
        back_url=application.get_absolute_url(),
        save=lambda data: services.check_exception_record(
            application=application, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(request, result, "The exception was recorded.", application)
