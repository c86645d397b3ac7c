"""Reviews of a choice-based lettings band assessment (Housing Act 1996 s.166A(9)(b),(c)):
asked for and decided, and the list of reviews awaiting a decision."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.band_reviews import BandReviewDecisionForm
from allocations.forms.registration import ReviewRequestForm
from allocations.models import Assessment, BandReview
from allocations.services.band_reviews import DECIDE_BAND_REVIEW, assessment_review_by
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.kernel.dates import page_date
from config.pages import form_page, saved_then
from residents.selectors import household_name


@permission_required("allocations.view_application", raise_exception=True)
@require_GET
def band_reviews(request: HttpRequest) -> HttpResponse:
    """Band assessments whose review has been asked for and not yet decided."""
    reviews = selectors.band_reviews_awaited()
    page_obj = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allocations/band_reviews.html", {"page_obj": page_obj})


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def band_review_request(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.select_related("application__household", "policy_version"), pk=pk
    )
    application = assessment.application
    form = ReviewRequestForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Record a review request: {household_name(application.household)}",
        intro="The household may ask for a review of its band (or points), effective date and "
        f"bedroom need as assessed on {page_date(assessment.assessed_at)}. The review period "
        f"ends on {page_date(assessment_review_by(assessment))}.",
        back_url=application.get_absolute_url(),
        save=lambda data: services.band_review_request(
            assessment=assessment,
            requested_on=data["requested_on"],
            grounds=data["grounds"],
            late_reason=data.get("late_reason", ""),
            by=request.user,
        ),
    )
    return saved_then(
        request, result, "The review request was recorded for a team leader.", application
    )


@permission_required(DECIDE_BAND_REVIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def band_review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        BandReview.objects.select_related("application__household", "assessed_by"), pk=pk
    )
    application = review.application
    banded = application.band is not None or application.band_before_penalty is not None
    form = BandReviewDecisionForm(posted_data(request), banded=banded)
    now = (
        f"band {application.band}" if banded else f"{application.points} points"
    ) + f", {application.bedroom_need} bedroom{'s' if application.bedroom_need != 1 else ''}"
    result = form_page(
        request,
        form,
        title=f"Decide the review: {household_name(application.household)}",
        intro=f"The application has {now} now. You cannot decide a review of an assessment "
        "you made; a changed band follows the policy's effective-date rule.",
        back_url=review.get_absolute_url(),
        save=lambda data: services.band_review_decide(
            review=review,
            change=data["outcome"] == "changed",
            reasons=data["reasons"],
            band=data.get("band"),
            points=data.get("points"),
            bedroom_need=data.get("bedroom_need"),
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        lambda decided: (
            f"{decided.get_outcome_display()}. The household's letter is being prepared."
        ),
        review,
    )
