"""Keeping the register true: bedroom-need changes, the 3-month report, renewals."""

import calendar
from datetime import MAXYEAR, MINYEAR, date, timedelta

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.housekeeping import NeedCheckedForm, RenewalForm
from allocations.models import Application, BedroomNeedChange, Renewal
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.pages import form_page, saved_then
from residents.services import special_category_views_record

HEALTH = "config.view_special_category"


def _may_read_health(request: HttpRequest) -> bool:
    return request.user.has_perm(HEALTH)


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def need_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(selectors.need_change_queryset(), pk=pk)
    reasons = list(change.reasons)
    if change.expected_child:
        if _may_read_health(request):
            # Pregnancy is health data: every showing is logged, as other health fields are.
            expecting = [
                person
                for person in change.application.household.people.all()
                if person.pregnancy_due_date
            ]
            special_category_views_record(
                people=expecting,
                user=request.user,
                fields=["pregnancy_due_date"],
                where="need change",
            )
        else:
            reasons = [services.need_change_reasons(reasons, expected_child=True)]
    return render(
        request,
        "allocations/need_change_detail.html",
        {
            "change": change,
            "reasons": reasons,
            "pitch_words": services.pitch_need_words(change.need_before, change.need_after),
            "may_check": request.user.has_perm("allocations.change_application")
            and (
                change.status == BedroomNeedChange.Status.APPLIED
                or (
                    change.kind == BedroomNeedChange.Kind.BIRTH_CHECK
                    and change.status == BedroomNeedChange.Status.COMING
                )
            ),
        },
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def need_change_check(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(selectors.need_change_queryset(), pk=pk)
    form = NeedCheckedForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Record as checked: {change}",
        back_url=change.get_absolute_url(),
        save=lambda data: services.need_change_checked(
            change=change, note=data["note"], by=request.user
        ),
    )
    return saved_then(request, result, "Recorded as checked.", change)


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def need_changes_report(request: HttpRequest) -> HttpResponse:
    """Every bedroom-need change coming in the next 3 months."""
    today = timezone.localdate()
    forecast = services.need_changes_forecast(today=today)
    may_read_health = _may_read_health(request)
    rows = [row for row in forecast if row["change"] is not None]
    # Applications whose records could not be worked through: listed on every page, each
    # with why (a reason about the expected child's due date only to those who read health
    # data, each showing logged).
    unchecked_rows = [row for row in forecast if row["change"] is None]
    unchecked = [
        {
            "application": row["application"],
            "problem": row["problem"]
            if may_read_health or not row["problem_health"]
            else "a problem with the expected child's due date (health data, shown only to "
            "officers who may read it)",
        }
        for row in unchecked_rows
    ]
    lines = [
        {
            "application": row["application"],
            "change": row["change"],
            "pitch": row["pitch"],
            "pitch_words": services.pitch_need_words(row["change"].before, row["change"].after)
            if row["pitch"]
            else "",
            "reasons": "; ".join(row["change"].reasons)
            if may_read_health or not row["change"].expected_child
            else services.need_change_reasons([], expected_child=True),
        }
        for row in rows
    ]
    page_obj = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    if may_read_health:
        # An expected child's due date is health data: each showing logged, as on a change's
        # own page, against the people of the page's households expecting one.
        expecting = [
            person
            for line in page_obj.object_list
            if line["change"].expected_child
            for person in line["application"].household.people.all()
            if person.pregnancy_due_date
        ] + [
            person
            for row in unchecked_rows
            if row["problem_health"]
            for person in row["application"].household.people.all()
            if person.pregnancy_due_date
        ]
        special_category_views_record(
            people=expecting, user=request.user, fields=["pregnancy_due_date"], where="need change"
        )
    return render(
        request,
        "allocations/need_changes_report.html",
        {
            "page_obj": page_obj,
            "unchecked": unchecked,
            "today": today,
            "until": today + timedelta(days=92),
        },
    )


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def renewal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    renewal = get_object_or_404(selectors.renewal_queryset(), pk=pk)
    # What the household told us is often health or pregnancy: shown (the showing logged)
    # only to roles allowed special-category data.
    circumstances_shown = _may_read_health(request)
    if circumstances_shown and renewal.circumstances:
        Renewal.special_category_view_log(
            record=renewal, user=request.user, fields=["circumstances"], where="renewal"
        )
    return render(
        request,
        "allocations/renewal_detail.html",
        {"renewal": renewal, "circumstances_shown": circumstances_shown},
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def renewal_receive(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("household"), pk=pk)
    form = RenewalForm(posted_data(request), request.FILES or None)
    closed = application.status == Application.Status.LAPSED
    result = form_page(
        request,
        form,
        title=f"{'Reinstate' if closed else 'Renew'} {application}",
        intro=(
            "The application was closed because its renewal was not answered. Within the "
            "policy's window it is reinstated with its original effective date."
            if closed
            else "Record the household's answer. The registration and effective dates are kept."
        ),
        back_url=application.get_absolute_url(),
        save=lambda data: services.renewal_receive(
            application=application,
            answered_on=data["answered_on"],
            circumstances=data["circumstances"],
            upload=data.get("file"),
            evidence_kind=data.get("evidence_kind", ""),
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        lambda renewal: (
            f"{selectors.application_named(application)}: {renewal.get_status_display().lower()}."
        ),
        application,
    )


def _month(text: str, today: date) -> date:
    """The month asked for (YYYY-MM), or this month. The page links the months either side,
    so the first month of year 1 and the last of year 9999 (no month beyond them) are refused
    like any month that is no month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)
    if not date(MINYEAR, 2, 1) <= first <= date(MAXYEAR, 11, 1):
        return today.replace(day=1)
    return first


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def renewals_due(request: HttpRequest) -> HttpResponse:
    """The bulk list: renewals due in a month (this month unless ?month=YYYY-MM)."""
    today = timezone.localdate()
    first = _month(request.GET.get("month", ""), today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    renewals = selectors.renewals_due_between(first, last)
    page_obj = Paginator(renewals, PAGE_SIZE).get_page(request.GET.get("page"))
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "allocations/renewals_due.html",
        {
            "page_obj": page_obj,
            "first": first,
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
        },
    )
