"""The officers' diary and the team leaders' overdue checks."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from allocations.models import Partner
from allocations.predicates import APPROVE_DECISION
from allocations.selectors.lists import checks_overdue, diary
from allocations.views.common import PAGE_SIZE

DIARY_DAYS = {"7": 7, "28": 28, "90": 90}


@permission_required("allocations.view_interview", raise_exception=True)
@require_GET
def diary_page(request: HttpRequest) -> HttpResponse:
    """Interviews and site visits to come: the signed-in officer's, or everyone's."""
    everyone = request.GET.get("whose") == "all"
    days = DIARY_DAYS.get(request.GET.get("days", ""), 28)
    start = timezone.localdate()
    entries = diary(start=start, days=days, officer=None if everyone else request.user)
    return render(
        request,
        "allocations/diary.html",
        {
            "page_obj": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
            "everyone": everyone,
            "days": days,
            "day_choices": DIARY_DAYS.values(),
            "until": date.fromordinal(start.toordinal() + days - 1),
        },
    )


@permission_required(APPROVE_DECISION, raise_exception=True)
@require_GET
def checks_overdue_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Partner.Kind.values else ""
    today = timezone.localdate()
    checks = checks_overdue(partner_kind=kind, today=today)
    return render(
        request,
        "allocations/checks_overdue.html",
        {
            "page_obj": Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page")),
            "kinds": Partner.Kind.choices,
            "kind": kind,
            "today": today,
        },
    )
