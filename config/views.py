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

from config import history
from config.celery import app as celery_app
from config.forms import ChangeLogFilterForm
from config.kernel.exports import csv_response
from config.tasks import HEALTH_WORKER_SEEN_KEY, HEARTBEAT_KEY

HISTORY_PAGE_SIZE = 20
CHANGE_LOG_PAGE_SIZE = 50


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
    form = ChangeLogFilterForm(request.GET or None)
    rows = (
        history.change_log_queryset(**form.filters())
        if form.is_valid() or not request.GET
        else None
    )
    page_obj = Paginator(rows if rows is not None else [], CHANGE_LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = _change_log_entries(list(page_obj.object_list))
    return render(
        request, "change_log.html", {"form": form, "page_obj": page_obj, "entries": entries}
    )


@permission_required("config.view_change_log", raise_exception=True)
@require_GET
def change_log_csv(request: HttpRequest) -> HttpResponse:
    form = ChangeLogFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return change_log(request)
    rows = history.change_log_queryset(**form.filters())
    names = _user_names()
    types = dict(history.record_types())

    def lines() -> Iterator[list]:
        yield ["When", "Who", "Record type", "Record id", "Action", "Reason"]
        for row in rows.iterator() if rows is not None else []:
            yield [
                timezone.localtime(row["history_date"]).strftime("%Y-%m-%d %H:%M:%S"),
                names.get(row["history_user_id"], "Unknown (no signed-in user)"),
                types.get(row["record_type"], row["record_type"]),
                row["record_id"],
                history.ACTIONS.get(row["history_type"], row["history_type"]),
                row["history_change_reason"] or "",
            ]

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(f"change-log-{stamp}.csv", lines())


def _user_names(ids: set[int] | None = None) -> dict[int, str]:
    users = get_user_model().objects.all()
    if ids is not None:
        users = users.filter(pk__in=ids)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def _change_log_entries(rows: list[dict]) -> list[dict]:
    """Names for the people and records on one page: one query per kind, not per row."""
    names = _user_names({row["history_user_id"] for row in rows} - {None})
    by_type: dict[str, set[int]] = {}
    for row in rows:
        by_type.setdefault(row["record_type"], set()).add(row["record_id"])
    models_by_label = {model._meta.label_lower: model for model in history.tracked_models()}
    labels: dict[tuple[str, int], str] = {}
    links: dict[tuple[str, int], str] = {}
    for label, ids in by_type.items():
        model = models_by_label[label]
        for obj in model._default_manager.filter(pk__in=ids):
            labels[(label, obj.pk)] = str(obj)
            if hasattr(obj, "get_history_url"):
                links[(label, obj.pk)] = obj.get_history_url()
    types = dict(history.record_types())
    return [
        {
            "when": row["history_date"],
            "who": names.get(row["history_user_id"], "Unknown (no signed-in user)"),
            "record_type": types.get(row["record_type"], row["record_type"]),
            "record": labels.get(
                (row["record_type"], row["record_id"]), f"#{row['record_id']} (deleted)"
            ),
            "link": links.get((row["record_type"], row["record_id"])),
            "action": history.ACTIONS.get(row["history_type"], row["history_type"]),
            "reason": row["history_change_reason"] or "",
        }
        for row in rows
    ]
