"""Pages for the site handbook: thin, one service each."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.forms import posted_data
from config.kernel.documents import document_response
from config.pages import button_post, form_page, saved_then
from residents import selectors, services
from residents.forms import handbook as forms
from residents.models import (
    HandbookSection,
)
from sites.models import Site


@permission_required("residents.view_handbooksection", raise_exception=True)
@require_GET
def handbook(request: HttpRequest) -> HttpResponse:
    return render(request, "residents/handbook.html", selectors.handbook_page())


@permission_required("residents.add_handbooksection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def handbook_section_create(request: HttpRequest) -> HttpResponse:
    result = form_page(
        request,
        forms.HandbookSectionForm(posted_data(request)),
        title="Add a handbook section",
        back_url=reverse("residents:handbook"),
        save=lambda data: services.handbook_section_create(by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda result: f"Section “{result.heading}” was added.",
        "residents:handbook",
    )


@permission_required("residents.change_handbooksection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def handbook_section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(HandbookSection, pk=pk)
    form = forms.HandbookSectionForm(
        posted_data(request),
        with_reason=True,
        initial={
            "topic": section.topic,
            "heading": section.heading,
            "body": section.body,
            "position": section.position,
        },
    )
    result = form_page(
        request,
        form,
        title=f"Change handbook section “{section.heading}”",
        back_url=reverse("residents:handbook"),
        save=lambda data: services.handbook_section_update(
            section=section, by=request.user, **data
        ),
    )
    return saved_then(
        request,
        result,
        lambda result: f"Section “{result.heading}” was changed.",
        "residents:handbook",
    )


@permission_required("residents.add_handbookedition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def handbook_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Printing makes a new numbered edition: asked to confirm first (GET), then done (POST)."""
    site = get_object_or_404(Site, pk=pk)
    if request.method == "GET":
        return render(
            request,
            "residents/handbook_print_confirm.html",
            {"site": site, **selectors.handbook_print_preview(site)},
        )
    return button_post(
        request,
        action=lambda: services.handbook_edition_request(site=site, by=request.user),
        success=lambda edition: (
            f"Edition {edition.number} of the {site} handbook is being prepared."
        ),
        then=reverse("residents:handbook"),
    )


@permission_required("residents.view_handbookedition", raise_exception=True)
@require_GET
def handbook_download(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(selectors.handbook_edition_queryset(), pk=pk)
    return document_response(
        request,
        edition,
        filename=f"handbook-{edition.site.reference}-edition-{edition.number}.pdf",
        back="residents:handbook",
    )
