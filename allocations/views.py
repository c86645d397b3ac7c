import json

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations import casework, selectors, services
from allocations.forms import (
    ApplicationForm,
    AssessmentForm,
    BidForm,
    BypassForm,
    DatesForm,
    EvidenceForm,
    OverrideDecisionForm,
    OverrideRequestForm,
    PolicyPublishForm,
    TransitionForm,
    VacancyForm,
    ValidationForm,
)
from allocations.models import (
    APPLICATION_TRANSITIONS,
    Application,
    Assessment,
    EvidenceDocument,
    Letter,
    PolicyVersion,
    Scheme,
    ShortlistEntry,
    Vacancy,
)
from config.forms import posted_data, service_errors_add
from config.pages import button_post, form_page
from residents.models import Household
from sites.models import Unit

PAGE_SIZE = 25


def _run(form, action):
    """Call a service with the form's data; its refusals become form errors, nothing is lost."""
    try:
        return action()
    except ValidationError as error:
        service_errors_add(form, error)
        return None


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
        labels = {c["code"]: c["label"] for c in assessment.policy_version.rules["criteria"]}
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
            "letters": list(application.letters.all()),
            "next_statuses": sorted(APPLICATION_TRANSITIONS[application.status]),
            **casework.case_summary(application),
        },
    )


@permission_required("allocations.add_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=household_pk)
    form = ApplicationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        application = _run(
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
    try:
        policy = services.policy_in_force(scheme=application.scheme, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    form = ValidationForm(posted_data(request), policy=policy)
    if request.method == "POST" and form.is_valid():
        validation = _run(
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


@permission_required("allocations.assess_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_assess(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    try:
        policy = services.policy_in_force(scheme=application.scheme, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    form = AssessmentForm(posted_data(request), policy=policy)
    if request.method == "POST" and form.is_valid():
        assessment = _run(
            form,
            lambda: services.application_assess(
                application=application,
                criteria=form.met(),
                local_connection=form.cleaned_data["local_connection"],
                by=request.user,
            ),
        )
        if assessment:
            messages.success(request, f"{application} was assessed under {policy}.")
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
    assessment = get_object_or_404(Assessment.objects.select_related("application"), pk=pk)
    form = OverrideRequestForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        done = _run(
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
    assessment = get_object_or_404(Assessment.objects.select_related("application"), pk=pk)
    form = OverrideDecisionForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        done = _run(
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
    return form_page(
        request,
        form,
        title="Decide an override",
        back_url=assessment.application.get_absolute_url(),
        intro=f"Requested: {wanted}. Reason given: {assessment.override_reason}",
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
        done = _run(
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


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    choices = [
        (status, Application.Status(status).label)
        for status in sorted(APPLICATION_TRANSITIONS[application.status])
    ]
    form = TransitionForm(posted_data(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        done = _run(
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
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Letter, pk=pk)
    if letter.status != Letter.Status.READY:
        messages.info(request, "That letter is still being prepared.")
        return redirect(letter.application)
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=f"{letter.application.reference}-{letter.kind}-letter.pdf",
        content_type="application/pdf",
    )


# --- Vacancies and shortlists ----------------------------------------------------------------


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def vacancy_list(request: HttpRequest) -> HttpResponse:
    vacancies = selectors.vacancy_list(
        status=request.GET.get("status", ""), scheme=request.GET.get("scheme", "")
    )
    page_obj = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/vacancy_list.html",
        {"page_obj": page_obj, "statuses": Vacancy.Status.choices},
    )


@permission_required("allocations.add_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("site"), pk=unit_pk)
    default_scheme = Scheme.PITCH if unit.kind == Unit.Kind.PITCH else Scheme.CBL
    form = VacancyForm(posted_data(request), initial={"scheme": default_scheme})
    if request.method == "POST" and form.is_valid():
        vacancy = _run(
            form,
            lambda: services.vacancy_create(unit=unit, by=request.user, **form.cleaned_data),
        )
        if vacancy:
            messages.success(request, f"{vacancy.reference} was created as a draft.")
            return redirect(vacancy)
    return form_page(request, form, title=f"Advertise {unit}", back_url=unit.get_absolute_url())


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("unit__site", "policy_version", "frozen_by"), pk=pk
    )
    bids = list(
        vacancy.bids.select_related("application__household", "placed_by").order_by("placed_at")
    )
    entries = selectors.shortlist(vacancy) if vacancy.frozen_at else []
    offers = list(vacancy.offers.select_related("application", "entry").order_by("made_at", "pk"))
    return render(
        request,
        "allocations/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "bids": bids,
            "ranked": [e for e in entries if e.eligible],
            "ineligible": [e for e in entries if not e.eligible],
            "bid_form": BidForm(),
            "offers": offers,
            "offered_entries": {offer.entry_id for offer in offers},
            "live_offer": next((o for o in offers if o.status in ("open", "accepted")), None),
            "next_entry": casework.next_in_order(vacancy) if vacancy.frozen_at else None,
        },
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["POST"])
def vacancy_advertise(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy, pk=pk)
    return button_post(
        request,
        action=lambda: services.vacancy_advertise(vacancy=vacancy, by=request.user),
        success=f"{vacancy.reference} is advertised.",
        then=vacancy,
    )


@permission_required("allocations.add_bid", raise_exception=True)
@require_http_methods(["POST"])
def bid_create(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy, pk=pk)
    form = BidForm(request.POST)
    if form.is_valid():
        application = Application.objects.filter(
            reference__iexact=form.cleaned_data["application_reference"].strip()
        ).first()
        if application is None:
            form.add_error("application_reference", "No application has that reference")
        else:
            bid = _run(
                form,
                lambda: services.bid_place(
                    vacancy=vacancy, application=application, by=request.user
                ),
            )
            if bid:
                messages.success(request, f"{application} was added to the shortlist.")
                return redirect(vacancy)
    return form_page(
        request,
        form,
        title=f"Add an applicant to {vacancy.reference}",
        back_url=vacancy.get_absolute_url(),
    )


@permission_required("allocations.freeze_shortlist", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy.objects.select_related("unit__site"), pk=pk)
    if request.method == "POST":
        return button_post(
            request,
            action=lambda: services.shortlist_freeze(vacancy=vacancy, by=request.user),
            success=f"{vacancy.reference} is closed and its shortlist frozen.",
            then=vacancy,
        )
    return render(request, "allocations/vacancy_freeze.html", {"vacancy": vacancy})


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def shortlist_replay(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy.objects.select_related("policy_version"), pk=pk)
    try:
        replay = services.shortlist_replay(vacancy=vacancy)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(vacancy)
    return render(
        request, "allocations/shortlist_replay.html", {"vacancy": vacancy, "replay": replay}
    )


@permission_required("allocations.change_shortlistentry", raise_exception=True)
@require_http_methods(["GET", "POST"])
def shortlist_bypass(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related("vacancy", "application"), pk=pk
    )
    form = BypassForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        done = _run(
            form,
            lambda: services.shortlist_bypass(entry=entry, by=request.user, **form.cleaned_data),
        )
        if done:
            messages.success(request, f"The bypass of {entry.application} was recorded.")
            return redirect(entry.vacancy)
    return form_page(
        request,
        form,
        title=f"Bypass {entry.application} (position {entry.position})",
        back_url=entry.vacancy.get_absolute_url(),
    )


# --- Policies --------------------------------------------------------------------------------


@permission_required("allocations.view_policyversion", raise_exception=True)
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "allocations/policy_list.html", {"versions": list(selectors.policy_versions())}
    )


@permission_required("allocations.view_policyversion", raise_exception=True)
@require_GET
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion.objects.select_related("published_by"), pk=pk)
    return render(
        request,
        "allocations/policy_detail.html",
        {"version": version, "rules_json": json.dumps(version.rules, indent=2)},
    )


@permission_required("allocations.publish_policyversion", raise_exception=True)
@require_http_methods(["GET", "POST"])
def policy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a new version of a scheme's policy, starting from the version given."""
    base = get_object_or_404(PolicyVersion, pk=pk)
    form = PolicyPublishForm(
        posted_data(request), initial={"name": base.name, "rules": json.dumps(base.rules, indent=2)}
    )
    if request.method == "POST" and form.is_valid():
        version = _run(
            form,
            lambda: services.policy_publish(
                scheme=base.scheme,
                name=form.cleaned_data["name"],
                effective_from=form.cleaned_data["effective_from"],
                policy_rules=form.cleaned_data["rules"],
                summary_of_changes=form.cleaned_data["summary_of_changes"],
                by=request.user,
            ),
        )
        if version:
            messages.success(request, f"{version} was published.")
            return redirect(version)
    return form_page(
        request,
        form,
        title=f"Publish a new version of {base.name}",
        back_url=reverse("allocations:policy-list"),
        intro="Published versions never change: this one will be kept beside the others.",
    )
