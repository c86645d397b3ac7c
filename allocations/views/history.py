"""The case's history page."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from allocations import selectors
from allocations.models import (
    Application,
)
from config import changelog

# --- The case's history --------------------------------------------------------------------


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the application and each of its steps, newest first, on one page.

    Answers to checks stay hidden here (their own page shows them to the roles allowed, and
    logs it); everything else is as on each record's History page.
    """
    application = get_object_or_404(Application, pk=pk)
    steps = [
        (kind, record) for kind, records in selectors.case_history_steps(application)
        for record in records
    ]  # fmt: skip
    by_key = {(record._meta.label_lower, record.pk): (kind, record) for kind, record in steps}
    wanted: dict[str, list[int]] = {}
    for record_type, record_id in by_key:
        wanted.setdefault(record_type, []).append(record_id)
    # From the change log: one query for every step's changes, names stored when written.
    timeline = [
        {"kind": kind, "record": record, "entry": entry}
        for entry in changelog.timeline(wanted)
        for kind, record in [by_key[(entry.record_type, entry.record_id)]]
    ]
    return render(
        request,
        "allocations/case_history.html",
        {"application": application, "timeline": timeline},
    )
