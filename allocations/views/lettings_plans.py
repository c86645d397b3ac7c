"""Local lettings plans: the list with a form to add one, a page to change one, and a team
leader's page to approve one with its dates."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from allocations import services
from allocations.forms.cycles import LocalLettingsPlanApprovalForm, LocalLettingsPlanForm
from allocations.models import LocalLettingsPlan
from allocations.services.lettings_plans import PLAN_FIELDS
from allocations.views.common import run_form
from config.forms import posted_data
from config.pages import form_page, saved_then


@permission_required("allocations.view_locallettingsplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def lettings_plan_list(request: HttpRequest) -> HttpResponse:
    can_add = request.user.has_perm("allocations.add_locallettingsplan")
    if request.method == "POST" and not can_add:
        raise PermissionDenied
    form = LocalLettingsPlanForm(posted_data(request)) if can_add else None
    if form is not None and request.method == "POST" and form.is_valid():
        plan = run_form(
            form, lambda: services.lettings_plan_save(by=request.user, **form.cleaned_data)
        )
        if plan:
            messages.success(request, f"The {plan.name} local lettings plan was added.")
            return redirect("allocations:lettings-plan-list")
    today = timezone.localdate()
    plans = list(LocalLettingsPlan.objects.select_related("approved_by").order_by("name"))
    for plan in plans:
        plan.status = plan.status_on(today)  # type: ignore[attr-defined]
    return render(
        request,
        "allocations/lettings_plan_list.html",
        {
            "form": form,
            "plans": plans,
            "can_change": request.user.has_perm("allocations.change_locallettingsplan"),
            "can_approve": request.user.has_perm("allocations.approve_locallettingsplan"),
        },
        status=400 if form is not None and form.errors else 200,
    )


@permission_required("allocations.change_locallettingsplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def lettings_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(LocalLettingsPlan, pk=pk)
    initial = {field: getattr(plan, field) for field in PLAN_FIELDS}
    form = LocalLettingsPlanForm(posted_data(request), initial=initial, submit="Save the plan")
    result = form_page(
        request,
        form,
        title=f"Change the {plan.name} local lettings plan",
        back_url=reverse("allocations:lettings-plan-list"),
        intro="Adverts that name the plan use it as it is when a bid is placed and when "
        "the shortlist is frozen.",
        save=lambda data: services.lettings_plan_save(plan=plan, by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda saved: f"The {saved.name} local lettings plan was saved.",
        "allocations:lettings-plan-list",
    )


@permission_required("allocations.approve_locallettingsplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def lettings_plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(LocalLettingsPlan, pk=pk)
    again = plan.is_approved
    form = LocalLettingsPlanApprovalForm(
        posted_data(request),
        initial={"starts_on": plan.starts_on, "ends_on": plan.ends_on},
        submit="Save the dates" if again else "Approve the plan",
    )
    result = form_page(
        request,
        form,
        title=(
            f"Change the dates of the {plan.name} local lettings plan"
            if again
            else f"Approve the {plan.name} local lettings plan"
        ),
        back_url=reverse("allocations:lettings-plan-list"),
        intro="Once approved, the plan applies to adverts that name it and open between its "
        "start and end dates; a draft or ended plan does not apply.",
        save=lambda data: services.lettings_plan_approve(plan=plan, by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda saved: (
            f"The {saved.name} local lettings plan was approved from {saved.starts_on:%-d %B %Y}."
        ),
        "allocations:lettings-plan-list",
    )
