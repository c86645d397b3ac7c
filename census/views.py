from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from census import counting, exports, selectors, services
from census.forms import (
    CaravanCountForm,
    DeriveCountForm,
    OffSiteCountForm,
    ReasonForm,
    ReturnForm,
    RoundForm,
)
from census.models import CensusDifference, CensusReturn
from config.forms import posted_data, service_errors_add
from config.pages import button_post, form_page, is_saved, saved_then
from residents.selectors import licence_holders

# A round has a return for every pitch (hundreds in a county): a page of them at a time.
PAGE_SIZE = 25

# --- Rounds ----------------------------------------------------------------------------------


@permission_required("census.view_censusround", raise_exception=True)
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "census/round_list.html", {"rounds": list(selectors.round_list())})


@permission_required("census.add_censusround", raise_exception=True)
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    result = form_page(
        request,
        RoundForm(posted_data(request)),
        title="Plan a census round",
        back_url=reverse("census:round-list"),
        intro="Officers will visit every pitch on the sites you choose.",
        save=lambda data: services.round_create(by=request.user, **data),
    )
    return saved_then(request, result, lambda result: f"{result} was planned.", result)


@permission_required("census.view_censusround", raise_exception=True)
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    census_round = get_object_or_404(selectors.round_get_queryset(), pk=pk)
    by_site = selectors.progress_by_site(census_round)
    overall = selectors.progress_overall(by_site)
    context = {
        "round": census_round,
        "by_site": by_site,
        "overall": overall,
        "actions": selectors.round_actions(census_round, request.user, overall=overall),
        **selectors.round_lateness(census_round),
    }
    # Returns name households: only the roles that may read returns see the list.
    if request.user.has_perm("census.view_censusreturn"):
        page_obj = Paginator(selectors.round_returns(census_round), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["page_obj"] = context["returns"] = page_obj
        context["open_differences"] = list(selectors.open_differences(census_round))
    return render(request, "census/round_detail.html", context)


@permission_required("census.change_censusround", raise_exception=True)
@require_POST
def round_start(request: HttpRequest, pk: int) -> HttpResponse:
    census_round = get_object_or_404(selectors.round_get_queryset(), pk=pk)
    return button_post(
        request,
        action=lambda: services.round_start(census_round=census_round, by=request.user),
        success=lambda r: f"{r} has started: a return is ready for every pitch.",
        then=census_round,
    )


@permission_required("census.change_censusround", raise_exception=True)
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    census_round = get_object_or_404(selectors.round_get_queryset(), pk=pk)
    return button_post(
        request,
        action=lambda: services.round_close(census_round=census_round, by=request.user),
        success=lambda r: f"{r} is closed.",
        then=census_round,
    )


@permission_required("census.view_census_report", raise_exception=True)
@require_GET
def round_report(request: HttpRequest, pk: int) -> HttpResponse:
    census_round = get_object_or_404(selectors.round_get_queryset(), pk=pk)
    return render(
        request,
        "census/round_report.html",
        {"round": census_round, "report": selectors.round_report(census_round)},
    )


@permission_required("census.view_census_report", raise_exception=True)
@require_GET
def round_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    census_round = get_object_or_404(selectors.round_get_queryset(), pk=pk)
    return exports.report_csv(census_round)


@permission_required("census.view_census_report", raise_exception=True)
@require_GET
def round_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    census_round = get_object_or_404(selectors.round_get_queryset(), pk=pk)
    return exports.report_xlsx(census_round)


# --- Returns ---------------------------------------------------------------------------------


def _return(pk: int) -> CensusReturn:
    try:
        return selectors.return_detail(pk)
    except CensusReturn.DoesNotExist:
        raise Http404("No such census return") from None


@permission_required("census.view_censusreturn", raise_exception=True)
@require_GET
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    census_return = _return(pk)
    return render(
        request,
        "census/return_detail.html",
        {
            "return": census_return,
            "holders": licence_holders(census_return.licence),
            "actions": selectors.return_actions(census_return, request.user),
            "differences": [
                (difference, selectors.difference_actions(difference, request.user))
                for difference in census_return.differences.all()
            ],
        },
    )


@permission_required("census.change_censusreturn", raise_exception=True)
@require_http_methods(["GET", "POST"])
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Saving part-done needs nothing filled in; submitting first saves what was typed, so a
    refused submission loses nothing, then says what is missing."""
    census_return = _return(pk)
    if not selectors.return_is_editable(census_return):
        messages.info(request, "This return can no longer be changed.")
        return redirect(census_return)
    form = ReturnForm(posted_data(request), census_return=census_return, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_save(
                census_return=census_return, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            if "submit_return" not in request.POST:
                messages.success(request, "Your return was saved. You can finish it later.")
                return redirect(census_return)
            try:
                services.return_submit(census_return=census_return, by=request.user)
            except ValidationError as error:
                service_errors_add(form, error)
                form.saved_but_not_submitted = True
            else:
                count = selectors.difference_count(census_return)
                messages.success(
                    request,
                    "The return was submitted. "
                    + (
                        f"{count} difference{'s' if count != 1 else ''} from the records "
                        "became follow-up tasks."
                        if count
                        else "It matches the records."
                    ),
                )
                return redirect(census_return)
    return render(
        request,
        "census/return_form.html",
        {
            "form": form,
            "return": census_return,
            "holders": licence_holders(census_return.licence),
        },
        status=400 if form.errors else 200,
    )


# --- Differences -----------------------------------------------------------------------------


def _difference_page(request: HttpRequest, pk: int, *, apply: bool) -> HttpResponse:
    difference = get_object_or_404(selectors.difference_get_queryset(), pk=pk)
    action = services.difference_apply if apply else services.difference_dismiss
    if apply and difference.kind == CensusDifference.Kind.OCCUPANT_GONE:
        intro = (
            f"{difference.description}. They will stop being named on the licence from the "
            "date of the visit."
        )
    elif apply:
        intro = f"{difference.description}. They will be recorded as an unauthorised occupant."
    else:
        intro = f"{difference.description}. The records will not change."
    result = form_page(
        request,
        ReasonForm(
            posted_data(request),
            submit="Apply to the records" if apply else "Dismiss the difference",
        ),
        title="Apply this change to the records" if apply else "Dismiss this difference",
        back_url=difference.get_absolute_url(),
        intro=intro,
        save=lambda data: action(difference=difference, reason=data["reason"], by=request.user),
    )
    return saved_then(
        request,
        result,
        "The records were changed." if apply else "The difference was dismissed.",
        difference.census_return,
    )


@permission_required("census.change_censusdifference", raise_exception=True)
@require_http_methods(["GET", "POST"])
def difference_apply(request: HttpRequest, pk: int) -> HttpResponse:
    return _difference_page(request, pk, apply=True)


@permission_required("census.change_censusdifference", raise_exception=True)
@require_http_methods(["GET", "POST"])
def difference_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _difference_page(request, pk, apply=False)


# --- Caravan count ---------------------------------------------------------------------------


def _count_date(request: HttpRequest, dates: list[date]) -> date | None:
    """The count date asked for (?date=YYYY-MM-DD), if a count was taken that day."""
    value = request.GET.get("date", "")
    try:
        chosen = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return chosen if chosen in dates else None


@permission_required("census.view_caravancount", raise_exception=True)
@require_GET
def count_list(request: HttpRequest) -> HttpResponse:
    dates = selectors.count_dates()
    chosen = _count_date(request, dates)
    if chosen is None and request.GET.get("date") and dates:
        # A date typed into the address, or one whose count has gone: say so, never show
        # another day's figures as if they were that day's.
        messages.info(
            request,
            "No caravan count was taken on that date: this is the latest count.",
        )
    chosen = chosen or (dates[0] if dates else None)
    return render(
        request,
        "census/count_list.html",
        {
            "dates": dates,
            "chosen": chosen,
            "csv_url": f"{reverse('census:count-csv')}?date={chosen.isoformat()}" if chosen else "",
            "counts": list(selectors.caravan_counts(chosen)) if chosen else [],
            "off_site": list(selectors.off_site_counts(chosen)) if chosen else [],
            "by_site_type": exports.caravan_count_by_site_type(chosen) if chosen else [],
            "return_rows": list(
                zip(
                    exports.CARAVAN_COUNT_HEADER[2:],
                    exports.caravan_count_rows(chosen)[1][2:],
                    strict=True,
                )
            )
            if chosen
            else [],
        },
    )


@permission_required("census.add_caravancount", raise_exception=True)
@require_http_methods(["GET", "POST"])
def count_create(request: HttpRequest) -> HttpResponse:
    result = form_page(
        request,
        CaravanCountForm(posted_data(request)),
        title="Enter a caravan count",
        back_url=reverse("census:count-list"),
        intro="A site counted again on the same date replaces the earlier figure.",
        save=lambda data: counting.caravan_count_record(by=request.user, **data),
    )
    return saved_then(request, result, lambda result: f"Saved: {result}.", result)


@permission_required("census.add_caravancount", raise_exception=True)
@require_http_methods(["GET", "POST"])
def off_site_count_create(request: HttpRequest) -> HttpResponse:
    result = form_page(
        request,
        OffSiteCountForm(posted_data(request)),
        title="Enter caravans counted off the council's sites",
        back_url=reverse("census:count-list"),
        intro="Private sites, and unauthorised caravans on Travellers' own land or on other "
        "land, on the year's count date. A place counted again in the same category on the "
        "same date replaces the earlier figure.",
        save=lambda data: counting.off_site_count_record(by=request.user, **data),
    )
    return saved_then(request, result, lambda result: f"Saved: {result}.", result)


@permission_required("census.add_caravancount", raise_exception=True)
@require_http_methods(["GET", "POST"])
def count_derive(request: HttpRequest, pk: int) -> HttpResponse:
    census_round = get_object_or_404(selectors.round_get_queryset(), pk=pk)
    progress = selectors.progress_overall(selectors.progress_by_site(census_round))
    result = form_page(
        request,
        DeriveCountForm(posted_data(request)),
        title=f"Count caravans from {census_round}",
        back_url=census_round.get_absolute_url(),
        intro=f"{progress['done']} of {progress['total']} returns are in. Each site's count is "
        "the sum of the caravans on its submitted returns, and replaces any count already "
        "entered for that site and date.",
        save=lambda data: counting.caravan_counts_derive(
            census_round=census_round, count_date=data["count_date"], by=request.user
        ),
    )
    if is_saved(result):
        sites = len(result)
        messages.success(request, f"Caravans counted on {sites} site{'s' if sites != 1 else ''}.")
        return redirect(result[0])
    return result


@permission_required("census.view_caravancount", raise_exception=True)
@require_GET
def count_csv(request: HttpRequest) -> HttpResponse:
    dates = selectors.count_dates()
    chosen = _count_date(request, dates) if request.GET.get("date") else None
    if not dates or (request.GET.get("date") and chosen is None):
        # Never a return of noughts for a day nobody counted (it would be sent as the
        # council's figures): only a date on which a count was taken downloads.
        raise Http404("No caravan count was taken on that date")
    return exports.caravan_count_csv(chosen or dates[0])
