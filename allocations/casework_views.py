"""Pages for interviews, checks, site visits, offers and the team leader's decision.

Thin: each reads the form, calls allocations.casework, and shows a refusal on the form with
everything typed kept (config/pages.py).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations import casework, rules
from allocations.casework_forms import (
    INTERVIEW_OUTCOMES,
    VISIT_OUTCOMES,
    CheckExceptionForm,
    CheckRequestForm,
    CheckReturnForm,
    DecisionForm,
    InterviewForm,
    OfferForm,
    OfferReplyForm,
    OutcomeForm,
    PartnerForm,
    ProposalForm,
    ReviewForm,
    SampleForm,
    SiteVisitForm,
    WithdrawForm,
)
from allocations.models import (
    AllocationDecision,
    Application,
    DueDiligenceCheck,
    Interview,
    Offer,
    Partner,
    ShortlistEntry,
    SiteVisit,
)
from allocations.views import _run
from config import history
from config.forms import posted_data
from config.pages import form_page, saved_then
from residents.models import Licence

PAGE_SIZE = 25


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
        ("Application", [application]),
        ("Interview", application.interviews.all()),
        ("Check", application.checks.select_related("partner")),
        ("Checks exception", application.check_exceptions.all()),
        ("Site visit", application.site_visits.select_related("site")),
        ("Offer", application.offers.select_related("vacancy__unit__site")),
        (
            "Allocation decision",
            AllocationDecision.objects.filter(offer__application=application).select_related(
                "offer__vacancy__unit__site", "offer__application"
            ),
        ),
    ]
    timeline = []
    for kind, records in steps:
        for record in records:
            rows = list(
                record.history.select_related("history_user").order_by(
                    "-history_date", "-history_id"
                )
            )
            for entry in history.history_entries(rows):
                timeline.append({"kind": kind, "record": record, "entry": entry})
    timeline.sort(key=lambda item: item["entry"].when, reverse=True)
    return render(
        request,
        "allocations/case_history.html",
        {"application": application, "timeline": timeline},
    )


# --- Partners --------------------------------------------------------------------------------


@permission_required("allocations.view_partner", raise_exception=True)
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Partner.objects.order_by("-active", "name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "allocations/partner_list.html", {"page_obj": page})


@permission_required("allocations.add_partner", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Add a partner",
        back_url="/allocations/partners/",
        save=lambda data: casework.partner_save(partner=form.save(commit=False), by=request.user),
    )
    return saved_then(request, result, "The partner was added.", "allocations:partner-list")


@permission_required("allocations.change_partner", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(posted_data(request), instance=partner)
    result = form_page(
        request,
        form,
        title=f"Change {partner}",
        back_url="/allocations/partners/",
        save=lambda data: casework.partner_save(partner=form.save(commit=False), by=request.user),
    )
    return saved_then(request, result, "The partner was changed.", "allocations:partner-list")


# --- Interviews ------------------------------------------------------------------------------


def _application(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("household"), pk=pk)


@permission_required("allocations.add_interview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    form = InterviewForm(posted_data(request), household=application.household)
    result = form_page(
        request,
        form,
        title=f"Schedule an interview: {application}",
        back_url=application.get_absolute_url(),
        save=lambda data: casework.interview_schedule(
            application=application, by=request.user, **form.service_kwargs()
        ),
    )
    return saved_then(
        request,
        result,
        "The interview was scheduled. The invitation letter is being prepared.",
        application,
    )


@permission_required("allocations.change_interview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def interview_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(Interview.objects.select_related("application"), pk=pk)
    form = OutcomeForm(posted_data(request), statuses=INTERVIEW_OUTCOMES)
    result = form_page(
        request,
        form,
        title=f"Outcome of the interview on {timezone.localtime(interview.starts_at):%-d %B %Y}",
        back_url=interview.application.get_absolute_url(),
        save=lambda data: casework.interview_record(
            interview=interview, status=data["status"], notes=data["outcome_notes"], by=request.user
        ),
    )
    return saved_then(
        request, result, "The interview's outcome was recorded.", interview.application
    )


# --- Checks ----------------------------------------------------------------------------------


@permission_required("allocations.add_duediligencecheck", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    form = CheckRequestForm(
        posted_data(request),
        initial={"due_on": timezone.localdate() + timedelta(days=14)},
    )
    result = form_page(
        request,
        form,
        title=f"Request a due-diligence check: {application}",
        back_url=application.get_absolute_url(),
        save=lambda data: casework.check_request(application=application, by=request.user, **data),
    )
    return saved_then(request, result, "The check was requested.", application)


def _can_see_outcome(request: HttpRequest, check: DueDiligenceCheck) -> bool:
    return not check.is_criminal_record or request.user.has_perm("config.view_special_category")


@permission_required("allocations.view_duediligencecheck", raise_exception=True)
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(
        DueDiligenceCheck.objects.select_related(
            "application__household", "partner", "requested_by"
        ),
        pk=pk,
    )
    show = _can_see_outcome(request, check)
    if show and check.is_criminal_record and check.returned_on:
        DueDiligenceCheck.special_category_view_log(
            record=check, user=request.user, fields=["outcome", "outcome_notes"], where="check"
        )
    return render(request, "allocations/check_detail.html", {"check": check, "show_outcome": show})


@permission_required("allocations.change_duediligencecheck", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_return(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(DueDiligenceCheck.objects.select_related("application"), pk=pk)
    if not _can_see_outcome(request, check):
        raise PermissionDenied
    form = CheckReturnForm(posted_data(request), initial={"returned_on": timezone.localdate()})
    result = form_page(
        request,
        form,
        title=f"Answer from {check.partner}",
        back_url=check.get_absolute_url(),
        save=lambda data: casework.check_return(check=check, by=request.user, **data),
    )
    return saved_then(request, result, "The check's answer was recorded.", check.application)


@permission_required("allocations.add_checkexception", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_exception(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    form = CheckExceptionForm(posted_data(request))
    outstanding = casework.checks_outstanding(application)
    result = form_page(
        request,
        form,
        title=f"Exception to the required checks: {application}",
        intro="Checks not back yet: " + (", ".join(outstanding) or "none") + ".",
        back_url=application.get_absolute_url(),
        save=lambda data: casework.check_exception_record(
            application=application, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(request, result, "The exception was recorded.", application)


# --- Site visits -----------------------------------------------------------------------------


@permission_required("allocations.add_sitevisit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    offer = application.offers.select_related("vacancy__unit").order_by("-made_at").first()
    form = SiteVisitForm(
        posted_data(request),
        initial={"site": offer.vacancy.unit.site_id} if offer else None,
    )
    result = form_page(
        request,
        form,
        title=f"Arrange a site visit: {application}",
        back_url=application.get_absolute_url(),
        save=lambda data: casework.site_visit_arrange(
            application=application, by=request.user, **form.service_kwargs()
        ),
    )
    return saved_then(request, result, "The site visit was arranged.", application)


@permission_required("allocations.change_sitevisit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_visit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(SiteVisit.objects.select_related("application", "site"), pk=pk)
    form = OutcomeForm(posted_data(request), statuses=VISIT_OUTCOMES)
    result = form_page(
        request,
        form,
        title=f"Outcome of the visit to {visit.site}",
        back_url=visit.application.get_absolute_url(),
        save=lambda data: casework.site_visit_record(
            visit=visit, status=data["status"], notes=data["outcome_notes"], by=request.user
        ),
    )
    return saved_then(request, result, "The visit's outcome was recorded.", visit.application)


# --- Offers ----------------------------------------------------------------------------------


@permission_required("allocations.add_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related("vacancy__unit", "application"), pk=pk
    )
    form = OfferForm(
        posted_data(request), initial={"respond_by": timezone.localdate() + timedelta(days=7)}
    )
    result = form_page(
        request,
        form,
        title=f"Offer {entry.vacancy.unit} to {entry.application} (position {entry.position})",
        back_url=entry.vacancy.get_absolute_url(),
        save=lambda data: casework.offer_make(entry=entry, by=request.user, **data),
    )
    return saved_then(
        request, result, "The offer was made. The offer letter is being prepared.", result
    )


@permission_required("allocations.view_offer", raise_exception=True)
@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.select_related("vacancy__unit__site", "application__household", "entry"),
        pk=pk,
    )
    decisions = list(offer.decisions.select_related("proposed_by", "decided_by"))
    return render(
        request,
        "allocations/offer_detail.html",
        {
            "offer": offer,
            "decisions": decisions,
            "can_propose": offer.status == Offer.Status.ACCEPTED
            and not any(d.status != AllocationDecision.Status.RETURNED for d in decisions),
        },
    )


@permission_required("allocations.change_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_reply(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("vacancy__unit", "application"), pk=pk)
    form = OfferReplyForm(posted_data(request), initial={"responded_on": timezone.localdate()})

    def save(data):
        if data["reply"] == "accept":
            return casework.offer_accept(offer=offer, on=data["responded_on"], by=request.user)
        return casework.offer_refuse(
            offer=offer,
            on=data["responded_on"],
            reason=data["refusal_reason"],
            reasonable=data["reasonable"] == "yes",
            by=request.user,
        )

    result = form_page(
        request,
        form,
        title=f"Reply to the offer of {offer.vacancy.unit}",
        back_url=offer.get_absolute_url(),
        save=save,
    )
    return saved_then(request, result, "The household's reply was recorded.", offer)


@permission_required("allocations.change_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("vacancy__unit", "application"), pk=pk)
    form = WithdrawForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Withdraw the offer of {offer.vacancy.unit} to {offer.application}",
        intro="The next applicant on the shortlist can then be offered the vacancy.",
        back_url=offer.get_absolute_url(),
        save=lambda data: casework.offer_withdraw(offer=offer, by=request.user, **data),
    )
    return saved_then(request, result, "The offer was withdrawn.", offer)


# --- Decisions -------------------------------------------------------------------------------


@permission_required("allocations.add_allocationdecision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_propose(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.select_related("vacancy__unit", "vacancy__policy_version", "application"),
        pk=pk,
    )
    policy = offer.vacancy.policy_version
    form = ProposalForm(
        posted_data(request),
        clauses=rules.decision_checklist(policy.rules),
        facts=casework.decision_facts(offer),
    )
    result = form_page(
        request,
        form,
        title=f"Propose allocating {offer.vacancy.unit} to {offer.application}",
        intro=f"Answer each clause of {policy}. A team leader other than you will decide.",
        back_url=offer.get_absolute_url(),
        save=lambda data: casework.decision_propose(
            offer=offer, answers=form.answers(), reasons=data["reasons"], by=request.user
        ),
    )
    return saved_then(
        request, result, "The allocation was sent to the team leaders for approval.", result
    )


def _decisions():
    return AllocationDecision.objects.select_related(
        "offer__vacancy__unit__site", "offer__application__household", "proposed_by", "decided_by"
    )


@permission_required("allocations.approve_allocationdecision", raise_exception=True)
@require_GET
def decision_queue(request: HttpRequest) -> HttpResponse:
    waiting = _decisions().filter(status=AllocationDecision.Status.AWAITING).order_by("proposed_at")
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/decision_queue.html",
        {"page_obj": page, "now": timezone.now(), "late_after": settings.DECISION_APPROVAL_DAYS},
    )


@permission_required("allocations.view_allocationdecision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(_decisions().prefetch_related("reviews__reviewed_by"), pk=pk)
    can_decide = (
        request.user.has_perm("allocations.approve_allocationdecision")
        and decision.status == AllocationDecision.Status.AWAITING
        and decision.proposed_by_id != request.user.pk
    )
    if request.method == "POST" and not can_decide:
        raise PermissionDenied
    form = DecisionForm(posted_data(request)) if can_decide else None
    if form is not None and request.method == "POST" and form.is_valid():
        action = (
            casework.decision_approve
            if form.cleaned_data["decision"] == "approve"
            else casework.decision_return
        )
        done = _run(
            form,
            lambda: action(
                decision=decision, comments=form.cleaned_data["comments"], by=request.user
            ),
        )
        if done:
            messages.success(
                request,
                "The allocation was approved. The decision letter is being prepared."
                if done.status == AllocationDecision.Status.APPROVED
                else "The decision was sent back to the officer.",
            )
            return redirect(done)
    return render(
        request,
        "allocations/decision_detail.html",
        {
            "decision": decision,
            "form": form,
            "facts": casework.decision_facts(decision.offer),
            "licence": Licence.objects.filter(
                household=decision.offer.application.household_id,
                unit=decision.offer.vacancy.unit_id,
            )
            .order_by("-pk")
            .first()
            if decision.status == AllocationDecision.Status.APPROVED
            else None,
            "is_proposer": decision.proposed_by_id == request.user.pk,
        },
        status=400 if form is not None and form.errors else 200,
    )


@permission_required("allocations.add_decisionreview", raise_exception=True)
@require_GET
def decision_sample(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bound = "seed" in request.GET
    form = SampleForm(
        request.GET if bound else None,
        initial={"since": today - timedelta(days=90), "until": today, "size": 5, "seed": 1},
    )
    sample = None
    if bound and form.is_valid():
        sample = casework.decisions_sample(**form.cleaned_data)
    return render(
        request,
        "allocations/decision_sample.html",
        {"form": form, "sample": sample},
        status=400 if form.errors else 200,
    )


@permission_required("allocations.add_decisionreview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_review(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(_decisions(), pk=pk)
    form = ReviewForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Quality review: {decision}",
        back_url=decision.get_absolute_url(),
        save=lambda data: casework.decision_review(decision=decision, by=request.user, **data),
    )
    return saved_then(request, result, "The review was recorded.", decision)
