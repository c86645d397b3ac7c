from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from config.forms import posted_data
from config.pages import form_page
from sites import selectors, services
from sites.forms import SiteForm, SiteSearchForm, UnitForm, VoidFilterForm
from sites.models import Site, Unit

PAGE_SIZE = 25


@permission_required("sites.view_site", raise_exception=True)
@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    form = SiteSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sites = selectors.site_list(search=filters.get("q", ""), kind=filters.get("kind", ""))
    page_obj = Paginator(sites, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sites/site_list.html", {"form": form, "page_obj": page_obj})


@permission_required("sites.view_site", raise_exception=True)
@require_GET
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(selectors.site_get_queryset(), pk=pk)
    units = selectors.site_units_in_order(site=site, status=request.GET.get("status", ""))
    page_obj = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sites/site_detail.html",
        {"site": site, "page_obj": page_obj, "statuses": Unit.Status.choices},
    )


@permission_required("sites.add_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_create(request: HttpRequest) -> HttpResponse:
    form = SiteForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Add a site",
        back_url=reverse("sites:site-list"),
        save=lambda data: services.site_create(by=request.user, **data),
    )
    if isinstance(result, Site):
        messages.success(request, f"{result.name} was added.")
        return redirect(result)
    return result


@permission_required("sites.change_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(selectors.site_get_queryset(), pk=pk)
    form = SiteForm(posted_data(request), instance=site, with_reason=True)

    def save(data):
        reason = data.pop("reason")
        return services.site_update(site=site, by=request.user, reason=reason, **data)

    result = form_page(
        request,
        form,
        title=f"Change {site.name}",
        back_url=site.get_absolute_url(),
        save=save,
    )
    if isinstance(result, Site):
        messages.success(request, f"Your changes to {result.name} were saved.")
        return redirect(result)
    return result


@permission_required("sites.view_unit", raise_exception=True)
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(selectors.unit_get_queryset(), pk=pk)
    return render(request, "sites/unit_detail.html", {"unit": unit, "site": unit.site})


@permission_required("sites.add_unit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = get_object_or_404(selectors.site_get_queryset(), pk=site_pk)
    form = UnitForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Add a unit to {site.name}",
        back_url=site.get_absolute_url(),
        save=lambda data: services.unit_create(site=site, by=request.user, **data),
    )
    if isinstance(result, Unit):
        messages.success(request, f"{result.reference} was added to {site.name}.")
        return redirect(result)
    return result


@permission_required("sites.change_unit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(selectors.unit_get_queryset(), pk=pk)
    form = UnitForm(posted_data(request), instance=unit, with_reason=True)

    def save(data):
        reason = data.pop("reason")
        return services.unit_update(unit=unit, by=request.user, reason=reason, **data)

    result = form_page(
        request,
        form,
        title=f"Change {unit.reference}",
        back_url=unit.get_absolute_url(),
        save=save,
    )
    if isinstance(result, Unit):
        messages.success(request, f"Your changes to {result.reference} were saved.")
        return redirect(result)
    return result


@permission_required("sites.view_unit", raise_exception=True)
@require_GET
def void_list(request: HttpRequest) -> HttpResponse:
    """Every void unit across the sites: since when, why, ready to let, days void, advertised."""
    form = VoidFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    units = selectors.void_units(
        today=timezone.localdate(),
        site=filters.get("site"),
        reason=filters.get("reason", ""),
        advertised=filters.get("advertised", ""),
        ready=filters.get("ready", ""),
    )
    page_obj = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(filters.values()) if filters else False
    return render(
        request,
        "sites/void_list.html",
        {"form": form, "page_obj": page_obj, "filtered": filtered, "today": timezone.localdate()},
    )
