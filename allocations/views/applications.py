"""Application pages: list, detail, recording, submitting, validating, status, files."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.applications import (
    ApplicationForm,
    EvidenceForm,
    TransitionForm,
    ValidationForm,
)
from allocations.lifecycles import APPLICATION
from allocations.models import (
    Application,
    EvidenceDocument,
    Letter,
    Scheme,
)
from allocations.views.common import PAGE_SIZE, policy_today, run_form
from config.forms import posted_data
from config.kernel.documents import document_response
from config.kernel.files import private_file_response
from config.pages import button_post, form_page
from residents.models import Household

# --- Applications ----------------------------------------------------------------------------


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    household = request.GET.get("household", "")
    applications = selectors.application_list(
        status=request.GET.get("status", ""),
        scheme=request.GET.get("scheme", ""),
        reference=request.GET.get("reference", ""),
        # An opaque id, never a name: no personal data in the query string.
        household_id=int(household) if household.isdigit() else None,
    )
    page_obj = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/application_list.html",
        {
            "page_obj": page_obj,
            "statuses": Application.Status.choices,
            "schemes": Scheme.choices,
        },
    )


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.application_detail_queryset(), pk=pk)
    assessments = list(application.assessments.all())
    assessment = next((a for a in assessments if a.is_current), None)
    evidence_seen = []
    if assessment:
        labels = {c.code: c.label for c in assessment.policy_version.policy.criteria}
        evidence_seen = [
            (labels.get(item["code"], item["code"]), item.get("evidence", ""))
            for item in assessment.criteria_met
        ]
    return render(
        request,
        "allocations/application_detail.html",
        {
            "application": application,
            "assessment": assessment,
            "evidence_seen": evidence_seen,
            "assessments": assessments,
            "validation": next(iter(application.validations.all()), None),
            "people": list(application.household.people.all()),
            "evidence": list(application.evidence.all()),
            "may_renew": request.user.has_perm("allocations.change_application")
            and application.status in {Application.Status.ACTIVE, Application.Status.LAPSED},
            "letters": list(application.letters.all()),
            "actions": selectors.application_actions(
                application, request.user, assessed=assessment is not None
            ),
            **selectors.case_summary(application),
        },
    )


@permission_required("allocations.add_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=household_pk)
    form = ApplicationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        application = run_form(
            form,
            lambda: services.application_create(
                household=household, by=request.user, **form.cleaned_data
            ),
        )
        if application:
            messages.success(request, f"{application} was recorded as a draft.")
            return redirect(application)
    return form_page(
        request,
        form,
        title=f"Record an application for household {household.reference}",
        back_url=household.get_absolute_url(),
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    return button_post(
        request,
        action=lambda: services.application_submit(application=application, by=request.user),
        success=f"{application} was submitted for validation.",
        then=application,
    )


@permission_required("allocations.validate_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_validate(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    policy = policy_today(request, application)
    if policy is None:
        return redirect(application)
    form = ValidationForm(posted_data(request), policy=policy)
    if request.method == "POST" and form.is_valid():
        validation = run_form(
            form,
            lambda: services.application_validate(
                application=application, answers=form.answers(), by=request.user
            ),
        )
        if validation:
            if validation.outcome == validation.Outcome.VALID:
                messages.success(request, f"{application} is valid and now active.")
            else:
                messages.info(request, f"{application} is invalid: {'; '.join(validation.reasons)}")
            return redirect(application)
    return form_page(
        request,
        form,
        title=f"Validate {application}",
        back_url=application.get_absolute_url(),
        intro=f"The checklist of {policy}.",
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    choices = [
        (status, Application.Status(status).label)
        for status in sorted(APPLICATION.allowed(application.status))
    ]
    form = TransitionForm(posted_data(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.application_transition(
                application=application, by=request.user, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, f"{application} is now {done.get_status_display().lower()}.")
            return redirect(application)
    return form_page(
        request,
        form,
        title=f"Change the status of {application}",
        back_url=application.get_absolute_url(),
    )


@permission_required("allocations.add_evidencedocument", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    form = EvidenceForm(posted_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = services.evidence_attach(
            application=application,
            by=request.user,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            upload=form.cleaned_data["file"],
        )
        messages.success(request, f"{document.original_name} was attached.")
        return redirect(application)
    return form_page(
        request,
        form,
        title=f"Attach evidence to {application}",
        back_url=application.get_absolute_url(),
    )


@permission_required("allocations.view_evidencedocument", raise_exception=True)
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(EvidenceDocument, pk=pk)
    return private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Letter, pk=pk)
    return document_response(
        request,
        letter,
        filename=f"{letter.application.reference}-{letter.kind}-letter.pdf",
        back=letter.application,
    )
