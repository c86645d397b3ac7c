"""Project-wide pages: health, the change log, and every record's History page."""

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import changelog, history
from config.celery import app as celery_app
from config.forms import ChangeLogFilterForm
from config.kernel.exports import csv_response
from config.kernel.inputs import query_id
from config.tasks import HEALTH_WORKER_SEEN_KEY, HEARTBEAT_KEY

HISTORY_PAGE_SIZE = 20
CHANGE_LOG_PAGE_SIZE = 25
CSV_CHUNK = 2000
NO_USER = "Unknown (no signed-in user)"


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The lightest signed-in page: a baseline for the benchmark, and a session keep-alive."""
    return HttpResponse("Signed in.", content_type="text/plain")


# Set once a worker has answered the health check's ping: until then, and until beat's first
# heartbeat, the service is still "starting" rather than "ok".


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and people on call. No personal data, no sign-in.

    "failing" (503) when the database or Redis fails; otherwise "starting" until a worker has
    answered once and beat's heartbeat has been seen once, then "ok" (both 200).
    """
    checks: dict[str, str] = {}
    worker_seen = beat_seen = False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"failing: {type(error).__name__}"
    try:
        cache.set("health:probe", "ok", timeout=10)
        checks["redis"] = "ok" if cache.get("health:probe") == "ok" else "failing: no read-back"
    except Exception as error:
        checks["redis"] = f"failing: {type(error).__name__}"
    try:
        replies = celery_app.control.ping(timeout=0.5)
        checks["celery_worker"] = (
            f"ok ({len(replies)} answering)" if replies else "no worker answered"
        )
        if replies:
            cache.set(HEALTH_WORKER_SEEN_KEY, timezone.now().isoformat(), timeout=None)
            worker_seen = True
        else:
            worker_seen = cache.get(HEALTH_WORKER_SEEN_KEY) is not None
    except Exception as error:
        checks["celery_worker"] = f"failing: {type(error).__name__}"
    try:
        last = cache.get(HEARTBEAT_KEY)
        checks["celery_beat"] = f"last heartbeat {last}" if last else "no heartbeat yet"
        beat_seen = bool(last)
    except Exception as error:
        checks["celery_beat"] = f"failing: {type(error).__name__}"
    try:
        outbox_state: dict[str, object] = _outbox_state()
    except Exception as error:
        outbox_state = {"error": type(error).__name__}
    healthy = checks["database"] == "ok" and checks["redis"] == "ok"
    if not healthy:
        status = "failing"
    elif worker_seen and beat_seen:
        status = "ok"
    else:
        status = "starting"
    return JsonResponse(
        {
            "status": status,
            "time": timezone.now().isoformat(),
            "checks": checks,
            # Background jobs not yet done (config/kernel/outbox.py), and the oldest of them.
            "outbox": outbox_state,
        },
        status=200 if healthy else 503,
    )


def _outbox_state() -> dict[str, object]:
    """How many background jobs wait, and the oldest: its task, when queued, how long ago."""
    from config.kernel import outbox

    oldest = outbox.oldest_pending()
    if oldest is None:
        return {"pending": 0, "oldest_pending": None}
    return {
        "pending": outbox.pending_count(),
        "oldest_pending": {
            "id": oldest.pk,
            "task": oldest.task,
            "queued_at": oldest.created_at.isoformat(),
            "waiting_seconds": int((timezone.now() - oldest.created_at).total_seconds()),
            "times_sent_to_broker": oldest.dispatches,
        },
    }


@require_GET
def record_history(
    request: HttpRequest, pk: int, *, model: type[models.Model], template: str = "history.html"
) -> HttpResponse:
    """A record's History page: who changed what and when, newest first, in plain words."""
    opts = model._meta
    if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise PermissionDenied
    record = get_object_or_404(model, pk=pk)
    records = record.history.select_related("history_user").order_by("-history_date", "-history_id")
    paginator = Paginator(records, HISTORY_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    # One record more than the page shows, so the page's oldest entry can say what it changed.
    window = (
        list(records[page_obj.start_index() - 1 : page_obj.end_index() + 1])
        if paginator.count
        else []
    )
    special = history.special_category_fields(model)
    show_special = bool(special) and request.user.has_perm("config.view_special_category")
    entries = history.history_entries(window, show_special=show_special)[
        : len(page_obj.object_list)
    ]
    if show_special:
        shown = {c.label for entry in entries for c in entry.changes}
        labels = {capfirst(str(model._meta.get_field(name).verbose_name)): name for name in special}
        fields = sorted(name for label, name in labels.items() if label in shown)
        if fields:
            model.special_category_view_log(
                record=record, user=request.user, fields=fields, where="history"
            )
    return render(
        request,
        template,
        {
            "record": record,
            "entries": entries,
            "page_obj": page_obj,
            "verbose_name": opts.verbose_name,
        },
    )


@permission_required("config.view_change_log", raise_exception=True)
@require_GET
def change_log(request: HttpRequest) -> HttpResponse:
    """Every change newest first, a keyset page at a time: the cost doesn't grow with the log."""
    readable = changelog.readable_types(request.user)
    form = ChangeLogFilterForm(request.GET or None, readable=readable)
    valid = form.is_valid() or not form.is_bound
    page = (
        changelog.page(
            changelog.entries_queryset(**form.filters(), readable=readable),
            after=changelog.Cursor.decode(request.GET.get("after")),
            before=changelog.Cursor.decode(request.GET.get("before")),
            size=CHANGE_LOG_PAGE_SIZE,
        )
        if valid
        else {"items": [], "older": None, "newer": None}
    )
    rows = page["items"]
    names = changelog.related_labels(rows)
    types = dict(history.record_types())
    restricted = changelog.restricted_rows(rows, request.user)
    entries = [
        {
            "when": row.when,
            "who": row.user_name or NO_USER,
            "record_type": types.get(row.record_type, row.record_type),
            "record": changelog.record_name(row, types),
            "link": changelog.record_link(row.record_type, row.record_id),
            "action": row.get_action_display(),
            "reason": row.reason,
            # A new record's every field is in the CSV and on its History page.
            "changes": changelog.changes(row, names) if row.action == "~" else [],
        }
        if (row.record_type, row.record_id) not in restricted
        else {
            "when": row.when,
            "who": row.user_name or NO_USER,
            "record_type": types.get(row.record_type, row.record_type),
            "record": f"({changelog.RESTRICTED})",
            "link": None,
            "action": row.get_action_display(),
            "reason": "",
            "changes": [],
        }
        for row in rows
    ]
    return render(request, "change_log.html", {"form": form, "page": page, "entries": entries})


@permission_required("config.view_change_log", raise_exception=True)
@require_GET
def change_log_csv(request: HttpRequest) -> HttpResponse:
    """The filtered change log, streamed: a line per change with the record's name, each field
    before → after (special-category values withheld), who by name and the reason."""
    readable = changelog.readable_types(request.user)
    form = ChangeLogFilterForm(request.GET or None, readable=readable)
    if request.GET and not form.is_valid():
        return change_log(request)
    rows = changelog.entries_queryset(**form.filters(), readable=readable).order_by("-when", "-id")
    types = dict(history.record_types())

    def chunks() -> Iterator[list]:
        chunk: list = []
        for row in rows.iterator(chunk_size=CSV_CHUNK):
            chunk.append(row)
            if len(chunk) == CSV_CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def lines() -> Iterator[list]:
        yield [
            "When", "Who", "Record type", "Record", "Record id", "Action",
            "Changes (field: before → after)", "Reason",
        ]  # fmt: skip
        for chunk in chunks():
            names = changelog.related_labels(chunk)
            restricted = changelog.restricted_rows(chunk, request.user)
            for row in chunk:
                if (row.record_type, row.record_id) in restricted:
                    yield [
                        timezone.localtime(row.when).strftime("%Y-%m-%d %H:%M:%S"),
                        row.user_name or NO_USER,
                        types.get(row.record_type, row.record_type),
                        f"({changelog.RESTRICTED})",
                        row.record_id,
                        row.get_action_display(),
                        "",
                        "",
                    ]
                    continue
                yield [
                    timezone.localtime(row.when).strftime("%Y-%m-%d %H:%M:%S"),
                    row.user_name or NO_USER,
                    types.get(row.record_type, row.record_type),
                    changelog.record_name(row, types),
                    row.record_id,
                    row.get_action_display(),
                    "\n".join(
                        f"{c.label}: {c.before} → {c.after}"
                        if c.before
                        else f"{c.label}: {c.after}"
                        for c in changelog.changes(row, names)
                    ),
                    row.reason,
                ]

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(f"change-log-{stamp}.csv", lines())


@permission_required("config.view_change_log", raise_exception=True)
@require_GET
def records_viewed(request: HttpRequest) -> HttpResponse:
    """Who opened which household or application page, and when (kept apart from changes)."""
    from config.models import RecordView

    rows = RecordView.objects.select_related("user")
    # As the change log: only the kinds of record the reader may view (an application's
    # reference and who opened it are not for a reader who may not open applications).
    readable = changelog.readable_types(request.user)
    if readable is not None:
        rows = rows.filter(record_type__in=readable)
    person = query_id(request.GET.get("person"))
    person_name = ""
    if person is not None:
        rows = rows.filter(user_id=person)
        who = get_user_model().objects.filter(pk=person).first()
        person_name = (who.get_full_name() or who.get_username()) if who else "nobody known"
    page = changelog.page(
        rows,
        after=changelog.Cursor.decode(request.GET.get("after")),
        before=changelog.Cursor.decode(request.GET.get("before")),
        size=CHANGE_LOG_PAGE_SIZE,
        field="viewed_at",
    )
    types = dict(history.record_types())
    entries = [
        {
            "when": row.viewed_at,
            "who": row.user.get_full_name() or row.user.get_username(),
            "who_id": row.user_id,
            "record_type": types.get(row.record_type, row.record_type),
            "record": row.label,
            "link": changelog.record_link(row.record_type, row.record_id),
        }
        for row in page["items"]
    ]
    return render(
        request,
        "records_viewed.html",
        {"page": page, "entries": entries, "person_name": person_name},
    )
