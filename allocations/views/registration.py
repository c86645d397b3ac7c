"""Joining the register: a refused registration's review asked for and decided, the list of
reviews awaiting a decision, and priority dated before registration under a policy exception."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.registration import BackdateForm, ReviewDecisionForm, ReviewRequestForm
from allocations.models import Application, EvidenceDocument, RegistrationRefusal
from allocations.services.registration import DECIDE_REVIEW
from allocations.views.applications import SPECIAL_CATEGORY_PERMISSION, evidence_showing_log
from allocations.views.common import PAGE_SIZE, policy_today
from config.forms import posted_data
from config.kernel.dates import page_date
from config.pages import form_page, is_saved, saved_then


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def registration_reviews(request: HttpRequest) -> HttpResponse:
    """Refused registrations whose review has been asked for and not yet decided."""
    refusals = selectors.registration_reviews_awaited()
    page_obj = Paginator(refusals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allocations/registration_reviews.html", {"page_obj": page_obj})


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def registration_review_request(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = get_object_or_404(RegistrationRefusal.objects.select_related("application"), pk=pk)
    form = ReviewRequestForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Record a review request: {refusal.application}",
        intro="The household may ask for a review of the refused registration. "
        f"The review period ends on {page_date(refusal.review_by)}.",
        back_url=refusal.get_absolute_url(),
        save=lambda data: services.registration_review_request(
            refusal=refusal,
            requested_on=data["requested_on"],
            grounds=data["grounds"],
            late_reason=data.get("late_reason", ""),
            by=request.user,
        ),
    )
    return saved_then(
        request, result, "The review request was recorded for a team leader.", refusal
    )


@permission_required(DECIDE_REVIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def registration_review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = get_object_or_404(RegistrationRefusal.objects.select_related("application"), pk=pk)
    form = ReviewDecisionForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Decide the review: {refusal.application}",
        intro="You cannot decide a review of a refusal you made.",
        back_url=refusal.get_absolute_url(),
        save=lambda data: services.registration_review_decide(
            refusal=refusal,
            overturn=data["outcome"] == "overturned",
            reasons=data["reasons"],
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        lambda decided: (
            f"{decided.get_review_display()}. The household's letter is being prepared."
        ),
        refusal,
    )


@permission_required("allocations.change_priority", raise_exception=True)
@require_http_methods(["GET", "POST"])
def effective_date_backdate(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    policy = policy_today(request, application)
    if policy is None:
        return redirect(application)
    groups = (
        policy.policy.lettings.effective_date_rules.get("backdating_groups", [])
        if policy.scheme == "cbl"
        else []
    )
    evidence = list(application.evidence.exclude(kind=EvidenceDocument.Kind.PREGNANCY))
    if not request.user.has_perm(SPECIAL_CATEGORY_PERMISSION):
        # A medical or welfare letter is health data: not listed (nor chosen) by a reader who
        # may not see it, as on the application page.
        evidence = [
            doc for doc in evidence if doc.kind not in EvidenceDocument.SPECIAL_CATEGORY_KINDS
        ]
    form = BackdateForm(posted_data(request), groups=groups, evidence=evidence)
    by_pk = {str(document.pk): document for document in evidence}
    result = form_page(
        request,
        form,
        title=f"Date priority before registration: {application}",
        intro=f"Only for a group {policy} names, with the evidence seen.",
        warning="" if groups else f"{policy} names no group whose priority may be dated early.",
        back_url=application.get_absolute_url(),
        save=lambda data: services.effective_date_backdate(
            application=application,
            group=data["group"],
            effective_date=data["effective_date"],
            reason=data["reason"],
            evidence=by_pk.get(data["evidence"]),
            by=request.user,
        ),
    )
    if not is_saved(result):
        # The page lists each document by its type and description: a health document's
        # showing is logged, once for each page drawn (as the application page logs it).
        evidence_showing_log(
            application,
            kinds={doc.kind for doc in evidence},
            user=request.user,
            where="date priority before registration",
        )
    return saved_then(
        request,
        result,
        lambda done: (
            f"The effective date of {selectors.application_named(done)} is now "
            f"{page_date(done.effective_date)}."
        ),
        application,
    )
