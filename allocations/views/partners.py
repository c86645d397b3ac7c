"""Partner pages."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.checks import PartnerForm
from allocations.models import (
    Partner,
)
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.pages import form_page, saved_then

# --- Partners --------------------------------------------------------------------------------


@permission_required("allocations.view_partner", raise_exception=True)
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.partner_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allocations/partner_list.html", {"page_obj": page})


@permission_required("allocations.add_partner", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Add a partner",
        back_url="/allocations/partners/",
        save=lambda data: services.partner_save(partner=form.save(commit=False), by=request.user),
    )
    return saved_then(request, result, "The partner was added.", "allocations:partner-list")


@permission_required("allocations.change_partner", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(posted_data(request), instance=partner)
    result = form_page(
        request,
        form,
        title=f"Change {partner}",
        back_url="/allocations/partners/",
        save=lambda data: services.partner_save(partner=form.save(commit=False), by=request.user),
    )
    return saved_then(request, result, "The partner was changed.", "allocations:partner-list")
