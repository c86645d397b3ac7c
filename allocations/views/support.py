"""Vulnerability interviews, referrals and case conferences: pages."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.support import (
    CaseConferenceForm,
    ReferralForm,
    ReferralResponseForm,
    VulnerabilityInterviewForm,
)
from allocations.models import Application, CaseConference, Referral, VulnerabilityInterview
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.pages import form_page, saved_then
from residents.models import Household, Person
from residents.services import special_category_views_record


def _logged(request: HttpRequest, household: Household, fields: list[str], where: str) -> None:
    """Special category: every showing of these pages is logged against the household."""
    special_category_views_record(
        people=household.people.all(), user=request.user, fields=fields, where=where
    )


@permission_required("allocations.add_vulnerabilityinterview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vulnerability_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("household"), pk=pk)
    form = VulnerabilityInterviewForm(posted_data(request))
    household = application.household
    result = form_page(
        request,
        form,
        title=f"Vulnerability interview: {application}",
        intro="Trauma-informed: let the customer lead, explain why each question is asked, "
        "and offer a break."
        + (
            f" This household needs an interpreter ({household.interpreter_language})."
            if household.interpreter_needed
            else ""
        ),
        back_url=application.get_absolute_url(),
        save=lambda data: services.vulnerability_interview_record(
            application=application, by=request.user, **data
        ),
    )
    return saved_then(request, result, "The interview was recorded.", application)


@permission_required("allocations.view_vulnerabilityinterview", raise_exception=True)
@require_GET
def vulnerability_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(
        VulnerabilityInterview.objects.select_related("application__household", "interviewer"),
        pk=pk,
    )
    _logged(request, interview.application.household, ["vulnerability"], "vulnerability")
    return render(request, "allocations/vulnerability_detail.html", {"interview": interview})


@permission_required("allocations.add_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    form = ReferralForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Make a referral: {household.reference}",
        intro="Share only what the partner needs. Record the household's consent, or the "
        "lawful basis for referring without it.",
        back_url=household.get_absolute_url(),
        save=lambda data: services.referral_make(household=household, by=request.user, **data),
    )
    return saved_then(
        request, result, "The referral was recorded; its response is in your queue.", "home"
    )


@permission_required("allocations.view_referral", raise_exception=True)
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(
        Referral.objects.select_related("household", "partner", "made_by"), pk=pk
    )
    _logged(request, referral.household, ["referral"], "referral")
    return render(request, "allocations/referral_detail.html", {"referral": referral})


@permission_required("allocations.change_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_response(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral, pk=pk)
    form = ReferralResponseForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Response to the {referral}",
        back_url=referral.get_absolute_url(),
        save=lambda data: services.referral_response_record(
            referral=referral, by=request.user, **data
        ),
    )
    return saved_then(request, result, "The response was recorded.", referral)


@permission_required("allocations.view_caseconference", raise_exception=True)
@require_GET
def conference_list(request: HttpRequest) -> HttpResponse:
    conferences = CaseConference.objects.prefetch_related(selectors.conference_cases())
    page_obj = Paginator(conferences, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allocations/conference_list.html", {"page_obj": page_obj})


@permission_required("allocations.add_caseconference", raise_exception=True)
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest) -> HttpResponse:
    form = CaseConferenceForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Record a case conference",
        back_url=reverse("allocations:conference-list"),
        save=lambda data: services.case_conference_record(
            held_on=data["held_on"],
            staff=list(data["staff"]),
            partners_attending=data["partners_attending"],
            applications=data["cases"],
            decisions=data["decisions"],
            actions=data["actions"],
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        "The case conference was recorded; its actions are in the queues.",
        "allocations:conference-list",
    )


@permission_required("allocations.view_caseconference", raise_exception=True)
@require_GET
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_object_or_404(
        CaseConference.objects.prefetch_related("staff", selectors.conference_cases()), pk=pk
    )
    actions = selectors.conference_actions(conference)
    # Its decisions are about the cases' health, safety and offending, as the referrals and
    # interviews it discusses are: every showing is logged against each household's people.
    special_category_views_record(
        people=Person.objects.filter(
            household__applications__in=conference.applications.all()
        ).distinct(),
        user=request.user,
        fields=["case_conference"],
        where="case conference",
    )
    return render(
        request,
        "allocations/conference_detail.html",
        {"conference": conference, "actions": actions},
    )
