from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.forms import posted_data
from config.kernel.files import private_file_response
from config.kernel.permissions import require
from config.pages import button_post, form_page, saved_then
from config.views import record_history
from projects import selectors, services
from projects.forms import (
    AttachmentForm,
    MilestoneAchievedForm,
    MilestoneForm,
    MinutesForm,
    ProjectForm,
    ProjectSearchForm,
    ReasonForm,
    ReassignForm,
    RiskChangeForm,
    RiskForm,
    TaskForm,
)
from projects.models import WorkItem

PAGE_SIZE = 25


# --- Projects --------------------------------------------------------------------------------


# --- The home page: the work queue --------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The work queue of the signed-in user, with what the other apps put on the home page
    (projects.panels.HOME: the sites' counts). Their roles are the menu's (`user_roles`,
    config.context_processors: kept in the cache)."""
    sort = request.GET.get("sort", "due")
    # "All my work": every open item, however far ahead, not only the next week's.
    everything = request.GET.get("show") == "all"
    context: dict = {
        "queue": selectors.work_queue(
            request.user,
            sort=sort,
            horizon_days=None if everything else selectors.QUEUE_HORIZON_DAYS,
            page=request.GET.get("page"),
        ),
        "sort": sort if sort in selectors.SORTS else "due",
        "everything": everything,
    }
    return render(request, "home.html", context)


@permission_required("projects.view_project", raise_exception=True)
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_list(search=filters.get("q", ""), status=filters.get("status", ""))
    page_obj = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/project_list.html", {"form": form, "page_obj": page_obj})


@permission_required("projects.view_project", raise_exception=True)
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.project_get_queryset(), pk=pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "actions": selectors.project_actions(project, request.user),
            **selectors.project_page(project),
        },
    )


@permission_required("projects.add_project", raise_exception=True)
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Start a project",
        back_url=reverse("projects:project-list"),
        save=lambda data: services.project_create(by=request.user, **data),
    )
    return saved_then(request, result, lambda result: f"{result.name} was started.", result)


@permission_required("projects.change_project", raise_exception=True)
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.project_get_queryset(), pk=pk)
    form = ProjectForm(posted_data(request), instance=project, with_reason=True)

    def save(data):
        reason = data.pop("reason")
        return services.project_update(project=project, by=request.user, reason=reason, **data)

    result = form_page(
        request, form, title=f"Change {project}", back_url=project.get_absolute_url(), save=save
    )
    return saved_then(
        request, result, lambda result: f"Your changes to {result.name} were saved.", result
    )


@permission_required("projects.add_milestone", raise_exception=True)
@require_http_methods(["GET", "POST"])
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.project_get_queryset(), pk=pk)
    result = form_page(
        request,
        MilestoneForm(posted_data(request)),
        title=f"Add a milestone to {project}",
        back_url=project.get_absolute_url(),
        save=lambda data: services.milestone_add(project=project, by=request.user, **data),
    )
    return saved_then(request, result, lambda result: f"Milestone “{result}” was added.", project)


@permission_required("projects.change_milestone", raise_exception=True)
@require_http_methods(["GET", "POST"])
def milestone_achieve(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(selectors.milestone_get_queryset(), pk=pk)
    form = MilestoneAchievedForm(
        posted_data(request), initial={"achieved_on": timezone.localdate()}
    )
    result = form_page(
        request,
        form,
        title=f"Mark “{milestone}” as achieved",
        back_url=milestone.get_absolute_url(),
        save=lambda data: services.milestone_achieve(
            milestone=milestone, on=data["achieved_on"], by=request.user
        ),
    )
    return saved_then(
        request, result, lambda result: f"Milestone “{result}” was marked as achieved.", result
    )


@permission_required("projects.add_risk", raise_exception=True)
@require_http_methods(["GET", "POST"])
def risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.project_get_queryset(), pk=pk)
    result = form_page(
        request,
        RiskForm(posted_data(request)),
        title=f"Add to the risks and issues log of {project}",
        back_url=project.get_absolute_url(),
        save=lambda data: services.risk_add(project=project, by=request.user, **data),
    )
    return saved_then(request, result, lambda result: f"“{result}” was added to the log.", project)


@permission_required("projects.change_risk", raise_exception=True)
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(selectors.risk_get_queryset(), pk=pk)
    initial = {
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "owner": risk.owner_id,
        "mitigation": risk.mitigation,
        "review_on": risk.review_on,
        "status": risk.status,
    }
    form = RiskChangeForm(posted_data(request), initial=initial)

    def save(data):
        reason = data.pop("reason")
        return services.risk_update(risk=risk, by=request.user, reason=reason, **data)

    result = form_page(
        request,
        form,
        title=f"Change “{risk}”",
        back_url=risk.get_absolute_url(),
        intro=f"{risk.get_kind_display()} in the log of {risk.project}.",
        save=save,
    )
    return saved_then(
        request, result, lambda result: f"Your changes to “{result}” were saved.", result
    )


@permission_required("projects.add_minutes", raise_exception=True)
@require_http_methods(["GET", "POST"])
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.project_get_queryset(), pk=pk)

    def save(data):
        return services.minutes_record(
            project=project,
            by=request.user,
            held_on=data["held_on"],
            attendees=data["attendees"],
            notes=data["notes"],
            actions=data["actions"],
        )

    result = form_page(
        request,
        MinutesForm(posted_data(request)),
        title=f"Record the minutes of a meeting about {project}",
        back_url=project.get_absolute_url(),
        intro="Each action you record becomes a task for its owner.",
        save=save,
    )
    return saved_then(request, result, "The minutes were saved.", project)


# --- Tasks -----------------------------------------------------------------------------------


def _task(request: HttpRequest, pk: int) -> WorkItem:
    """A task the user may read: work about a record they may not view (a census finding
    names people) is not theirs to open, as its row in the queue shows only its kind."""
    task = get_object_or_404(selectors.task_get_queryset(), pk=pk)
    if selectors.work_items_for_reader([task], request.user)[0].restricted:
        raise PermissionDenied
    return task


@permission_required("projects.view_workitem", raise_exception=True)
@require_GET
def task_history(request: HttpRequest, pk: int) -> HttpResponse:
    _task(request, pk)
    return record_history(request, pk, model=WorkItem)


@permission_required("projects.add_workitem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.project_get_queryset(), pk=pk)
    result = form_page(
        request,
        TaskForm(posted_data(request), project=project),
        title=f"Add a task to {project}",
        back_url=project.get_absolute_url(),
        save=lambda data: services.project_task_create(project=project, by=request.user, **data),
    )
    return saved_then(request, result, lambda result: f"Task “{result}” was added.", project)


@permission_required("projects.view_workitem", raise_exception=True)
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    return render(
        request,
        "projects/task_detail.html",
        {
            "task": task,
            "depends_on": selectors.task_dependencies(task),
            "attachments": selectors.task_attachments(task),
            "actions": selectors.task_actions(task, request.user),
        },
    )


@permission_required("projects.change_workitem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.task_get_queryset(), pk=pk, project__isnull=False)
    if request.method == "GET" and task.status != WorkItem.Status.OPEN:
        # The page has no Change button for done or cancelled work; its URL says why.
        messages.error(
            request,
            f"“{task}” is {task.get_status_display().lower()}: reopen it before changing it.",
        )
        return redirect(task)
    initial = {
        "title": task.title,
        "due_on": task.due_on,
        "priority": task.priority,
        "notes": task.notes,
        "depends_on": list(task.depends_on.all()),
    }
    form = TaskForm(posted_data(request), initial=initial, project=task.project, task=task)
    result = form_page(
        request,
        form,
        title=f"Change {task}",
        back_url=task.get_absolute_url(),
        save=lambda data: services.work_item_update(item=task, by=request.user, **data),
    )
    return saved_then(
        request, result, lambda result: f"Your changes to “{result}” were saved.", result
    )


@permission_required("projects.complete_workitem", raise_exception=True)
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    require(
        request.user,
        "projects.complete_task",
        task,
        message="Only the person or role this is assigned to can complete it.",
    )
    back = request.POST.get("next", "")
    # Only back to a page of ours: a crafted "next" must not send an officer elsewhere.
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = task.get_absolute_url()
    return button_post(
        request,
        action=lambda: services.work_item_complete(item=task, by=request.user),
        success=f"“{task}” was marked as done.",
        then=back,
    )


@permission_required("projects.change_workitem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    result = form_page(
        request,
        ReasonForm(posted_data(request), submit="Reopen task"),
        title=f"Reopen {task}",
        back_url=task.get_absolute_url(),
        save=lambda data: services.work_item_reopen(
            item=task, by=request.user, reason=data["reason"]
        ),
    )
    return saved_then(request, result, lambda result: f"“{result}” was reopened.", result)


@permission_required("projects.reassign_workitem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    result = form_page(
        request,
        ReassignForm(posted_data(request)),
        title=f"Reassign {task}",
        back_url=task.get_absolute_url(),
        intro=f"It is now with {task.owner_label}. Choose a new owner, a role, or both.",
        save=lambda data: services.work_item_reassign(item=task, by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda result: f"“{result}” was reassigned to {result.owner_label}.",
        result,
    )


@permission_required("projects.change_workitem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    result = form_page(
        request,
        ReasonForm(posted_data(request), submit="Cancel task"),
        title=f"Are you sure you want to cancel {task}?",
        back_url=task.get_absolute_url(),
        intro="Cancelling takes it out of everyone's work queue without it being done. "
        "It can be reopened later.",
        save=lambda data: services.work_item_cancel(
            item=task, by=request.user, reason=data["reason"]
        ),
    )
    return saved_then(request, result, lambda result: f"“{result}” was cancelled.", result)


@permission_required("projects.add_taskattachment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    result = form_page(
        request,
        AttachmentForm(posted_data(request), request.FILES or None),
        title=f"Attach a document to {task}",
        back_url=task.get_absolute_url(),
        save=lambda data: services.attachment_add(
            item=task, by=request.user, description=data["description"], upload=data["file"]
        ),
    )
    return saved_then(request, result, lambda result: f"{result.original_name} was attached.", task)


@permission_required("projects.view_taskattachment", raise_exception=True)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(selectors.attachment_get_queryset(), pk=pk)
    _task(request, attachment.work_item_id)
    return private_file_response(
        attachment.file,
        filename=f"attachment-{attachment.pk}",
        content_type=attachment.content_type,
    )


# --- Queues ----------------------------------------------------------------------------------


@permission_required("projects.complete_workitem", raise_exception=True)
@require_POST
def reminder_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(selectors.reminder_get_queryset(), pk=pk)
    return button_post(
        request,
        action=lambda: services.reminder_acknowledge(reminder=reminder, by=request.user),
        success=f"Reminder about “{reminder.work_item}” acknowledged.",
        then=reverse("home"),
    )


@permission_required("projects.view_team_queue", raise_exception=True)
@require_GET
def team_queue(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "due")
    queue = selectors.work_queue(
        request.user, include_team=True, sort=sort, page=request.GET.get("page")
    )
    return render(request, "projects/team_queue.html", {"queue": queue, "sort": sort})
