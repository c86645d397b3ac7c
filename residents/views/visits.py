"""Pages for the new-resident visit: thin, one service each."""

from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.forms import posted_data
from config.kernel.files import private_file_response
from config.pages import button_post, form_page, saved_then
from residents import selectors, services
from residents.forms import visits as forms
from residents.models import (
    MeterReading,
    NewResidentVisit,
)


def _visit(pk: int) -> NewResidentVisit:
    return get_object_or_404(selectors.visit_detail_queryset(), pk=pk)


@permission_required("residents.view_newresidentvisit", raise_exception=True)
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(pk)
    return render(request, "residents/visit_detail.html", selectors.visit_page(visit, request.user))


@permission_required("residents.change_newresidentvisit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def visit_dates(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(pk)
    form = forms.VisitDatesForm(
        posted_data(request),
        initial={
            "visited_on": visit.visited_on or timezone.localdate(),
            "policies_issued_on": visit.policies_issued_on,
            "pay_card_issued_on": visit.pay_card_issued_on,
            "notes": visit.notes,
        },
    )
    result = form_page(
        request,
        form,
        title=f"New-resident visit: licence {visit.licence.reference}",
        back_url=visit.get_absolute_url(),
        save=lambda data: services.visit_dates_record(visit=visit, by=request.user, **data),
    )
    return saved_then(request, result, "The visit checklist was saved.", visit)


@permission_required("residents.change_newresidentvisit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def visit_handbook(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(pk)
    result = form_page(
        request,
        forms.HandbookIssueForm(posted_data(request), initial={"issued_on": timezone.localdate()}),
        title=f"Issue the {visit.licence.unit.site} handbook",
        back_url=visit.get_absolute_url(),
        intro="The latest printed edition of the site's handbook is recorded as given.",
        save=lambda data: services.visit_handbook_issue(
            visit=visit, issued_on=data["issued_on"], by=request.user
        ),
    )
    return saved_then(
        request,
        result,
        lambda result: f"Handbook edition {result.edition.number} was issued.",
        visit,
    )


@permission_required("residents.change_newresidentvisit", raise_exception=True)
@require_POST
def visit_notify(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(pk)
    return button_post(
        request,
        action=lambda: services.visit_business_support_notify(visit=visit, by=request.user),
        success="Business support is being asked to open the resident's account.",
        then=visit,
    )


@permission_required("residents.change_newresidentvisit", raise_exception=True)
@require_POST
def visit_complete(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(pk)
    return button_post(
        request,
        action=lambda: services.visit_complete(visit=visit, by=request.user),
        success="The new-resident visit is complete.",
        then=visit,
    )


@permission_required("residents.add_meterreading", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meter_reading_create(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(pk)
    form = forms.MeterReadingForm(
        posted_data(request),
        request.FILES or None,
        meters=selectors.visit_meters_needed(visit),
        initial={"read_on": timezone.localdate()},
    )
    result = form_page(
        request,
        form,
        title=f"Record a meter reading: {visit.licence.unit}",
        back_url=visit.get_absolute_url(),
        save=lambda data: services.meter_reading_record(visit=visit, by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda result: f"The {result.get_meter_display().lower()} reading was saved.",
        visit,
    )


@permission_required("residents.view_meterreading", raise_exception=True)
@require_GET
def meter_photo(request: HttpRequest, pk: int) -> FileResponse:
    reading = get_object_or_404(MeterReading, pk=pk)
    return private_file_response(
        reading.photo,
        filename=f"meter-{reading.meter}-{reading.pk}{reading.photo.name[-4:]}",
        content_type=reading.photo_content_type,
    )
