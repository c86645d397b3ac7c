"""Site visit pages."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from allocations import selectors, services
from allocations.forms.interviews import VISIT_OUTCOMES, OutcomeForm
from allocations.forms.visits import SiteVisitForm
from allocations.selectors.applications import application_or_404
from config.forms import posted_data
from config.pages import form_page, saved_then

# --- Site visits -----------------------------------------------------------------------------


@permission_required("allocations.add_sitevisit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_or_404(pk)
    offer = selectors.latest_offer(application)
    form = SiteVisitForm(
        posted_data(request),
        initial={"site": offer.vacancy.unit.site_id} if offer else None,
        is_pitch=application.is_pitch,
    )
    result = form_page(
        request,
        form,
        title=f"Arrange a site visit: {application}",
        back_url=application.get_absolute_url(),
        save=lambda data: services.site_visit_arrange(
            application=application, by=request.user, **form.service_kwargs()
        ),
        check=lambda data: services.site_visit_arrange_problems(
            application=application,
            **{k: v for k, v in form.service_kwargs().items() if k != "site"},
        ),
    )
    return saved_then(
        request,
        result,
        lambda visit: (
            "The site visit was recorded after the fact."
            if visit.recorded_after_by_id
            else "The site visit was arranged."
        ),
        application,
    )


@permission_required("allocations.change_sitevisit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_visit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(selectors.site_visits_with_application(), pk=pk)
    form = OutcomeForm(posted_data(request), statuses=VISIT_OUTCOMES)
    result = form_page(
        request,
        form,
        title=f"Outcome of the visit to {visit.site}",
        back_url=visit.application.get_absolute_url(),
        save=lambda data: services.site_visit_record(
            visit=visit, status=data["status"], notes=data["outcome_notes"], by=request.user
        ),
        check=lambda data: services.outcome_problems(
            visit, status=data.get("status"), notes=data.get("outcome_notes"), what="visit"
        ),
    )
    return saved_then(request, result, "The visit's outcome was recorded.", visit.application)
