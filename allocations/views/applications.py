"""Application pages: list, detail, recording, submitting, validating, status, files."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.applications import (
    ApplicationForm,
    ConsentForm,
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
from allocations.rules import EXPECTED_CHILD_KEY
from allocations.views.common import PAGE_SIZE, policy_today, run_form
from allocations.views.needs import access_assessment_showing_log, access_category_words
from config import changelog
from config.forms import posted_data
from config.kernel.documents import document_response
from config.kernel.files import private_file_response
from config.kernel.inputs import query_id
from config.pages import button_post, form_page, saved_then
from residents.models import Household
from residents.services import special_category_views_record

SPECIAL_CATEGORY_PERMISSION = "config.view_special_category"
# Said instead of "expected child" to those who may not see health data.
EXPECTED_CHILD_UNNAMED = "another member of the household"


CRITERIA_FIELDS = ["assessment:criteria_met", "assessment:reasons"]


def bedroom_reasons_shown(reasons: list[str], *, show_special: bool) -> list[str]:
    """The bedroom need's reasons as this reader may see them: the expected child counts,
    but only readers allowed health data are told that it is an expected child."""
    if show_special:
        return list(reasons)
    return [reason.replace(EXPECTED_CHILD_KEY, EXPECTED_CHILD_UNNAMED) for reason in reasons]


def evidence_shown_of(kinds: set[str], people: list) -> tuple[list, list[str]]:
    """(people, fields) to log for a showing of evidence of these special-category types of
    one household: pregnancy evidence (a MATB1 form) against the people with a due date
    recorded, or every member when none is; a medical or welfare letter against every member."""
    fields = sorted(EvidenceDocument.SPECIAL_CATEGORY_KINDS[kind] for kind in kinds)
    if kinds == {EvidenceDocument.Kind.PREGNANCY}:
        people = [person for person in people if person.pregnancy_due_date] or people
    return people, fields


def evidence_showing_log(
    application: Application, *, kinds, user, where: str, people: list | None = None
) -> None:
    """Log that `user` was shown this household's evidence of these types, if any is
    special-category (`people`: the household's, when already read)."""
    kinds = {kind for kind in kinds if kind in EvidenceDocument.SPECIAL_CATEGORY_KINDS}
    if not kinds:
        return
    if people is None:
        people = list(application.household.people.all())
    people, fields = evidence_shown_of(kinds, people)
    special_category_views_record(people=people, user=user, fields=fields, where=where)


# --- Applications ----------------------------------------------------------------------------


NAME_SEARCH_KEY = "application_name_search"


@permission_required("allocations.view_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # A name is personal data: it travels in the session, never in the URL (Post/Redirect/
        # Get; the POST changes no records).
        request.session[NAME_SEARCH_KEY] = (request.POST.get("name") or "").strip()[:100]
        return redirect(reverse("allocations:application-list") + "?named=1")
    household = request.GET.get("household", "")
    name = request.session.get(NAME_SEARCH_KEY, "") if request.GET.get("named") else ""
    applications = selectors.application_list(
        status=request.GET.get("status", ""),
        scheme=request.GET.get("scheme", ""),
        reference=request.GET.get("reference", ""),
        # An opaque id, never a name: no personal data in the query string.
        household_id=query_id(household),
        name=name,
    )
    page_obj = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/application_list.html",
        {
            "page_obj": page_obj,
            "statuses": Application.Status.choices,
            "schemes": Scheme.choices,
            "name": name,
        },
    )


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.application_detail_queryset(), pk=pk)
    changelog.record_viewed(user=request.user, record=application)
    # The usual kinds read with it; one query for each other kind it has, none for the rest.
    casework = selectors.prefetch_casework(application)
    assessments = casework["assessments"]
    assessment = next((a for a in assessments if a.is_current), None)
    evidence_seen = []
    if assessment:
        labels = {c.code: c.label for c in assessment.policy_version.policy.criteria}
        evidence_seen = [
            (labels.get(item["code"], item["code"]), item.get("evidence", ""))
            for item in assessment.criteria_met
        ]
    people = selectors.household_people(application)
    show_special = request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)
    # The criteria met, their evidence and the reasons for the priority can be health or
    # welfare ("Urgent medical or welfare need: GP letter…"): special-category data, shown
    # (and the showing logged) only to those allowed it; others see the band or points.
    assessment_reasons_shown = show_special and assessment is not None
    if assessment_reasons_shown and (assessment.criteria_met or assessment.reasons):
        special_category_views_record(
            people=people, user=request.user, fields=CRITERIA_FIELDS, where="application"
        )
    override_shown = [
        f"assessment:{name}"
        for name in ("override_reason", "override_decision_note")
        if assessment_reasons_shown and assessment.has_override and getattr(assessment, name)
    ]
    if override_shown:
        special_category_views_record(
            people=people, user=request.user, fields=override_shown, where="application"
        )
    if not show_special:
        evidence_seen = []
    # What an interview or a site visit found is written freely and can be health or welfare:
    # shown (the showing logged) only to those allowed special-category data.
    notes_shown = [
        f"{kind}:outcome_notes"
        for kind, key in (("interview", "interviews"), ("sitevisit", "site_visits"))
        if any(item.outcome_notes for item in casework.get(key) or ())
    ]
    if show_special and notes_shown:
        special_category_views_record(
            people=people, user=request.user, fields=notes_shown, where="application"
        )
    application.lead_name = next(
        (f"{p.first_name} {p.last_name}" for p in people if p.relationship == "lead"), None
    )
    evidence = casework["evidence"]
    special = [doc for doc in evidence if doc.kind in EvidenceDocument.SPECIAL_CATEGORY_KINDS]
    if not show_special:
        # A pregnancy or a medical letter is health data: its evidence is not listed (and the
        # bedroom need counts the expected child without saying who it is).
        evidence = [doc for doc in evidence if doc not in special]
    else:
        evidence_showing_log(
            application,
            kinds={doc.kind for doc in special},
            user=request.user,
            where="application",
            people=people,
        )
    # The findings behind the access category are health data: shown (and the showing
    # logged) only to those allowed it; the category itself is shown to every reader.
    access_assessment_shown = show_special and bool(application.access_assessment)
    if access_assessment_shown:
        access_assessment_showing_log(
            application, user=request.user, where="application", people=people
        )
    return render(
        request,
        "allocations/application_detail.html",
        {
            "application": application,
            "assessment": assessment,
            "bedroom_reasons": bedroom_reasons_shown(
                assessment.bedroom_reasons if assessment else [], show_special=show_special
            ),
            "evidence_seen": evidence_seen,
            "assessment_reasons_shown": assessment_reasons_shown,
            "outcome_notes_shown": show_special,
            "assessments": assessments,
            "validation": next(iter(casework["validations"]), None),
            "people": people,
            "evidence": evidence,
            "access_category": access_category_words(application),
            "access_assessment_shown": access_assessment_shown,
            "may_renew": request.user.has_perm("allocations.change_application")
            and application.status in {Application.Status.ACTIVE, Application.Status.LAPSED},
            "letters": casework["letters"],
            "refusals": casework["registration_refusals"],
            "may_decide_review": request.user.has_perm("allocations.decide_registration_review"),
            # Choice-based lettings: the assessment's review (s.166A(9)(b),(c)).
            "band_reviews": casework["band_reviews"],
            "may_ask_band_review": assessment is not None
            and not application.is_pitch
            and (assessment.band is not None or assessment.points is not None)
            and request.user.has_perm("allocations.change_application")
            and not any(r.assessment_id == assessment.pk for r in casework["band_reviews"]),
            "may_decide_band_review": request.user.has_perm("allocations.decide_band_review"),
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
    form = ApplicationForm(posted_data(request), request.FILES or None)
    result = form_page(
        request,
        form,
        title=f"Record an application for household {household.reference}",
        back_url=household.get_absolute_url(),
        save=lambda data: services.application_create(household=household, by=request.user, **data),
        # A refused form still hears the service: a future date and an open application
        # are told with a missing answer, in one go.
        check=lambda data: services.application_create_problems(
            household=household,
            scheme=data.get("scheme"),
            registration_date=data.get("registration_date"),
            backdate_reason=data.get("backdate_reason"),
            backdate_evidence=data.get("backdate_evidence"),
        ),
    )
    return saved_then(
        request,
        result,
        lambda application: f"{selectors.application_named(application)} was recorded as a draft.",
        result,
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    return button_post(
        request,
        action=lambda: services.application_submit(application=application, by=request.user),
        success=f"{selectors.application_named(application)} was submitted for validation.",
        then=application,
    )


@permission_required("allocations.validate_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_validate(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    # Validated since the page was drawn, or no longer submitted: said as it stands.
    if refusal := services.application_validation_refusal(application):
        messages.error(request, refusal)
        return redirect(application)
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
            named = selectors.application_named(application)
            if validation.outcome == validation.Outcome.VALID:
                messages.success(request, f"{named} is valid and now active.")
            elif validation.outcome == validation.Outcome.REFUSED:
                messages.info(
                    request,
                    f"{named} is refused registration: {'; '.join(validation.reasons)}",
                )
            else:
                messages.info(request, f"{named} is invalid: {'; '.join(validation.reasons)}")
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
    # Validating, refusing and re-admitting registrations go through their own steps.
    choices = [
        (status, Application.Status(status).label)
        for status in sorted(APPLICATION.allowed(application.status))
        if not services.application_transition_refusal(application, status)
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
            messages.success(
                request,
                f"{selectors.application_named(application)} is now "
                f"{done.get_status_display().lower()}.",
            )
            return redirect(application)
    return form_page(
        request,
        form,
        title=f"Change the status of {application}",
        back_url=application.get_absolute_url(),
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Consent to enquiries of the police, probation and other councils, given or withdrawn
    after applying: those partners are asked only with it."""
    application = get_object_or_404(Application, pk=pk)
    form = ConsentForm(
        posted_data(request),
        initial={"given": "yes" if application.consent_to_enquiries else "no"},
    )
    now = "consent given" if application.consent_to_enquiries else "no consent recorded"
    result = form_page(
        request,
        form,
        title=f"Consent to enquiries: {application.reference}",
        intro=f"Now: {now}. The police, probation and other councils are asked about the "
        "household only with its consent; validation does not take consent to enquiries as "
        "met without it.",
        back_url=application.get_absolute_url(),
        save=lambda data: services.application_consent_record(
            application=application, by=request.user, **data
        ),
    )
    return saved_then(request, result, "Consent to enquiries saved.", application)


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
    if document.kind in EvidenceDocument.SPECIAL_CATEGORY_KINDS:
        if not request.user.has_perm(SPECIAL_CATEGORY_PERMISSION):
            raise PermissionDenied
        evidence_showing_log(
            document.application,
            kinds={document.kind},
            user=request.user,
            where="evidence-download",
        )
    return private_file_response(
        document.file, filename=f"evidence-{document.pk}", content_type=document.content_type
    )


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Letter, pk=pk, application__isnull=False)
    return document_response(
        request,
        letter,
        filename=f"{letter.application.reference}-{letter.kind}-letter.pdf",
        back=letter.application,
    )
