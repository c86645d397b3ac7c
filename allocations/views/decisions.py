"""Decision pages: proposing, the team leader's queue and decision, sampling and review."""

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

from allocations import selectors, services
from allocations.forms.decisions import DecisionForm, ProposalForm, ReviewForm, SampleForm
from allocations.models import (
    AllocationDecision,
)
from allocations.predicates import is_proposer, made_the_offer
from allocations.views.common import PAGE_SIZE, run_form
from config.forms import posted_data
from config.pages import form_page, saved_then

# --- Decisions -------------------------------------------------------------------------------


@permission_required("allocations.add_allocationdecision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_propose(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(selectors.offers_for_proposal(), pk=pk)
    policy = offer.vacancy.policy_version
    form = ProposalForm(
        posted_data(request),
        clauses=policy.policy.decision_checklist,
        facts=selectors.decision_facts(offer),
    )
    result = form_page(
        request,
        form,
        title=f"Propose allocating {offer.vacancy.unit} to {offer.application}",
        intro=f"Answer each clause of {policy}. A team leader other than you will decide.",
        back_url=offer.get_absolute_url(),
        save=lambda data: services.decision_propose(
            offer=offer, answers=form.answers(), reasons=data["reasons"], by=request.user
        ),
        check=lambda data: services.decision_propose_problems(
            offer=offer, answers=form.answers(), reasons=data.get("reasons")
        ),
    )
    return saved_then(
        request, result, "The allocation was sent to the team leaders for approval.", result
    )


@permission_required("allocations.approve_allocationdecision", raise_exception=True)
@require_GET
def decision_queue(request: HttpRequest) -> HttpResponse:
    waiting = selectors.decisions_awaiting()
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/decision_queue.html",
        {"page_obj": page, "now": timezone.now(), "late_after": settings.DECISION_APPROVAL_DAYS},
    )


@permission_required("allocations.view_allocationdecision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        selectors.decisions_with_cases().prefetch_related("reviews__reviewed_by"), pk=pk
    )
    can_decide = decision.status == AllocationDecision.Status.AWAITING and request.user.has_perm(
        "allocations.decide_proposal", decision
    )
    if request.method == "POST" and not can_decide:
        raise PermissionDenied
    form = DecisionForm(posted_data(request)) if can_decide else None
    if form is not None and request.method == "POST" and form.is_valid():
        action = (
            services.decision_approve
            if form.cleaned_data["decision"] == "approve"
            else services.decision_return
        )
        done = run_form(
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
            "facts": selectors.decision_facts(decision.offer),
            "mismatches": selectors.decision_mismatches(decision),
            "nobody_may_decide": decision.is_awaiting and not selectors.decision_deciders(decision),
            "licence": selectors.decision_licence(decision),
            "is_proposer": is_proposer.test(request.user, decision),
            "made_the_offer": made_the_offer.test(request.user, decision),
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
        sample = services.decisions_sample(**form.cleaned_data)
    return render(
        request,
        "allocations/decision_sample.html",
        {"form": form, "sample": sample},
        status=400 if form.errors else 200,
    )


@permission_required("allocations.add_decisionreview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_review(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions_with_cases(), pk=pk)
    form = ReviewForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Quality review: {decision}",
        back_url=decision.get_absolute_url(),
        save=lambda data: services.decision_review(decision=decision, by=request.user, **data),
    )
    return saved_then(request, result, "The review was recorded.", decision)
