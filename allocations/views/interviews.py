"""Interview pages."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from allocations import selectors, services
from allocations.forms.interviews import INTERVIEW_OUTCOMES, InterviewForm, OutcomeForm
from allocations.selectors.applications import application_or_404
from config.forms import posted_data
from config.kernel.dates import page_date
from config.pages import form_page, saved_then

# --- Interviews ------------------------------------------------------------------------------


@permission_required("allocations.add_interview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_or_404(pk)
    form = InterviewForm(posted_data(request), household=application.household)
    result = form_page(
        request,
        form,
        title=f"Schedule an interview: {application}",
        back_url=application.get_absolute_url(),
        save=lambda data: services.interview_schedule(
            application=application, by=request.user, **form.service_kwargs()
        ),
        check=lambda data: services.interview_schedule_problems(
            application=application,
            **{k: v for k, v in form.service_kwargs().items() if k != "place"},
        ),
    )
    return saved_then(
        request,
        result,
        lambda interview: (
            "The interview was recorded after the fact."
            if interview.recorded_after_by_id
            else "The interview was scheduled. The invitation letter is being prepared."
        ),
        application,
    )


@permission_required("allocations.change_interview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def interview_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(selectors.interviews_with_application(), pk=pk)
    form = OutcomeForm(posted_data(request), statuses=INTERVIEW_OUTCOMES)
    result = form_page(
        request,
        form,
        title=f"Outcome of the interview on {page_date(interview.starts_at)}",
        back_url=interview.application.get_absolute_url(),
        save=lambda data: services.interview_record(
            interview=interview, status=data["status"], notes=data["outcome_notes"], by=request.user
        ),
        check=lambda data: services.outcome_problems(
            interview,
            status=data.get("status"),
            notes=data.get("outcome_notes"),
            what="interview",
        ),
    )
    return saved_then(
        request, result, "The interview's outcome was recorded.", interview.application
    )
