"""Assessment pages: assessing, overrides and priority dates."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from allocations import selectors, services
from allocations.forms.assessments import (
    AssessmentForm,
    DatesForm,
    OverrideDecisionForm,
    OverrideRequestForm,
)
from allocations.models import (
    Application,
)
from allocations.views.common import policy_today, run_form
from config.forms import posted_data
from config.pages import form_page
from residents.services import special_category_views_record


@permission_required("allocations.assess_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_assess(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    policy = policy_today(request, application)
    if policy is None:
        return redirect(application)
    form = AssessmentForm(posted_data(request), policy=policy)
    if request.method == "POST" and form.is_valid():
        assessment = run_form(
            form,
            lambda: services.application_assess(
                application=application,
                criteria=form.met(),
                local_connection=form.cleaned_data["local_connection"],
                by=request.user,
            ),
        )
        if assessment:
            messages.success(
                request, f"{selectors.application_named(application)} was assessed under {policy}."
            )
            return redirect(application)
    return form_page(
        request,
        form,
        title=f"Assess {application}",
        back_url=application.get_absolute_url(),
        intro=f"Tick each criterion of {policy} that the evidence shows is met.",
    )


@permission_required("allocations.assess_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assessment_override_request(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(selectors.assessments_with_application(), pk=pk)
    form = OverrideRequestForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.assessment_override_request(
                assessment=assessment, by=request.user, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, "The override is waiting for a team leader's decision.")
            return redirect(assessment.application)
    return form_page(
        request,
        form,
        title="Ask for an override",
        back_url=assessment.application.get_absolute_url(),
    )


@permission_required("allocations.approve_override", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assessment_override_decide(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(selectors.assessments_with_application(), pk=pk)
    form = OverrideDecisionForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.assessment_override_decide(
                assessment=assessment,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            ),
        )
        if done:
            messages.success(request, f"{done.get_override_status_display()}.")
            return redirect(assessment.application)
    wanted = (
        f"band {assessment.override_band}"
        if assessment.override_band is not None
        else f"{assessment.override_points} points"
    )
    # The reason is special-category (Assessment.SPECIAL_CATEGORY_FIELDS): shown, and the
    # showing logged, to a decider allowed such data (a team leader is).
    intro = f"Requested: {wanted}."
    if request.user.has_perm("config.view_special_category"):
        intro += f" Reason given: {assessment.override_reason}"
        special_category_views_record(
            people=list(assessment.application.household.people.all()),
            user=request.user,
            fields=["assessment:override_reason"],
            where="override decision",
        )
    return form_page(
        request,
        form,
        title="Decide an override",
        back_url=assessment.application.get_absolute_url(),
        intro=intro,
    )


@permission_required("allocations.change_priority", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_dates(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    form = DatesForm(
        posted_data(request),
        initial={
            "registration_date": application.registration_date,
            "effective_date": application.effective_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.application_dates_change(
                application=application, by=request.user, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, "The dates were changed and the reason recorded.")
            return redirect(application)
    return form_page(
        request,
        form,
        title=f"Change the dates of {application}",
        back_url=application.get_absolute_url(),
    )
