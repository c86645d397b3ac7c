"""The case's history page."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from allocations import selectors
from allocations.models import (
    Application,
)
from config import history

# --- The case's history --------------------------------------------------------------------


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the application and each of its steps, newest first, on one page.

    Answers to checks stay hidden here (their own page shows them to the roles allowed, and
    logs it); everything else is as on each record's History page.
    """
    application = get_object_or_404(Application, pk=pk)
    timeline = []
    for kind, records in selectors.case_history_steps(application):
        for record in records:
            rows = selectors.record_history_rows(record)
            for entry in history.history_entries(rows):
                timeline.append({"kind": kind, "record": record, "entry": entry})
    timeline.sort(key=lambda item: item["entry"].when, reverse=True)
    return render(
        request,
        "allocations/case_history.html",
        {"application": application, "timeline": timeline},
    )
