"""Direct lets: the list (with the count by reason), proposing one, and its page, where a
team leader who did not propose it approves or declines it."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.directlets import (
    DirectLetCloseForm,
    DirectLetDecisionForm,
    DirectLetProposeForm,
    confirmation_of,
)
from allocations.models import DirectLet
from allocations.predicates import is_direct_let_proposer
from allocations.views.applications import SPECIAL_CATEGORY_PERMISSION
from allocations.views.common import PAGE_SIZE, run_form
from config.forms import posted_data, service_problems_add
from config.pages import form_page, saved_then
from residents.selectors import household_name


@permission_required("allocations.view_directlet", raise_exception=True)
@require_GET
def direct_let_list(request: HttpRequest) -> HttpResponse:
    reason = request.GET.get("reason", "")
    reason = reason if reason in DirectLet.Reason.values else ""
    status = request.GET.get("status", "")
    status = status if status in DirectLet.Status.values else ""
    search = request.GET.get("q", "").strip()[:60]
    lets = selectors.direct_let_list(reason=reason, status=status, search=search)
    page_obj = Paginator(lets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/direct_let_list.html",
        {
            "page_obj": page_obj,
            "counts": selectors.direct_let_counts(status=status),
            "reasons": DirectLet.Reason.choices,
            "statuses": DirectLet.Status.choices,
            "reason": reason,
            "status": status,
            "status_label": DirectLet.Status(status).label if status else "",
            "search": search,
            "filtered": bool(reason or status or search),
        },
    )


@permission_required("allocations.add_directlet", raise_exception=True)
@require_http_methods(["GET", "POST"])
def direct_let_create(request: HttpRequest) -> HttpResponse:
    """The proposal, in two steps: the form, then a check page naming the household (and
    the home) the references are, so that a mistyped reference is seen before it is sent;
    only what was confirmed there is sent."""
    initial = {"vacancy_reference": request.GET.get("vacancy", "")[:20]}
    changing = request.method == "POST" and "change" in request.POST
    if changing:  # back from the check page to the form, with everything typed
        form = DirectLetProposeForm(initial=request.POST.dict() | {"confirmed": ""})
    else:
        form = DirectLetProposeForm(posted_data(request), initial=initial)
    sending = request.method == "POST" and not changing
    if sending and form.is_valid() and not form.is_confirmed():
        data = form.cleaned_data
        problems = services.direct_let_propose_problems(
            vacancy=data["vacancy_reference"],
            application=data["application_reference"],
            reason=data["reason"],
            details=data["details"],
        )
        if not problems:
            return _direct_let_check(request, form)
        service_problems_add(form, problems)
        sending = False  # refused before the check page: the form again, with why
    result = form_page(
        request,
        form,
        title="Propose a direct let",
        intro="Let a home to a named household outside the bidding cycle, for one of the "
        "policy's reasons. You check the household's name next; a team leader other than you "
        "then approves or declines it, and no offer can be made until it is approved.",
        back_url=reverse("allocations:direct-let-list"),
        save=None
        if not sending
        else lambda data: services.direct_let_propose(
            vacancy=data["vacancy_reference"],
            application=data["application_reference"],
            reason=data["reason"],
            details=data["details"],
            by=request.user,
        ),
        check=lambda data: services.direct_let_propose_problems(
            vacancy=data.get("vacancy_reference"),
            application=data.get("application_reference"),
            reason=data.get("reason", ""),
            details=data.get("details", ""),
        ),
    )
    return saved_then(
        request,
        result,
        lambda let: f"Direct let {let.reference} was sent to the team leaders to decide.",
        result,
    )


def _direct_let_check(request: HttpRequest, form: DirectLetProposeForm) -> HttpResponse:
    """The check page: the home and the household the references are, by name, with what
    was typed carried in hidden fields; sending it confirms this household for this home."""
    vacancy = form.cleaned_data["vacancy_reference"]
    application = form.cleaned_data["application_reference"]
    household = application.household
    return render(
        request,
        "allocations/direct_let_check.html",
        {
            "vacancy": vacancy,
            "application": application,
            "household": household_name(household),
            "people": household.people.count(),
            "reason": DirectLet.Reason(form.cleaned_data["reason"]).label,
            "typed": {
                name: form.data.get(name, "")
                for name in ("vacancy_reference", "application_reference", "reason", "details")
            },
            "confirmed": confirmation_of(vacancy, application),
        },
    )


@permission_required("allocations.view_directlet", raise_exception=True)
@require_http_methods(["GET", "POST"])
def direct_let_detail(request: HttpRequest, pk: int) -> HttpResponse:
    direct_let = get_object_or_404(selectors.direct_let_detail_queryset(), pk=pk)
    may_decide = request.user.has_perm("allocations.decide_direct_let", direct_let)
    can_decide = direct_let.is_proposed and may_decide
    if request.method == "POST" and not can_decide:
        if not may_decide:
            raise PermissionDenied
        # Another team leader decided it first (or the form was sent twice): say so, rather
        # than a "not allowed" page to someone who is allowed.
        decider = direct_let.decided_by
        messages.error(
            request,
            f"Direct let {direct_let.reference} was already "
            f"{direct_let.get_status_display().lower()}"
            + (f" by {decider.get_full_name() or decider.get_username()}" if decider else "")
            + ": your decision was not recorded.",
        )
        return redirect(direct_let)
    form = DirectLetDecisionForm(posted_data(request)) if can_decide else None
    if form is not None and request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.direct_let_decide(
                direct_let=direct_let,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
        )
        if done:
            messages.success(
                request,
                f"Direct let {done.reference} was approved: the home can now be offered."
                if done.status == DirectLet.Status.APPROVED
                else f"Direct let {done.reference} was declined.",
            )
            return redirect(done)
    entry = direct_let.entry
    offer = selectors.direct_let_offer(direct_let)
    # Why this household needs this home is often health, welfare or violence: shown (and
    # the showing logged) only to roles allowed special-category data.
    details_shown = request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)
    if details_shown and direct_let.details:
        DirectLet.special_category_view_log(
            record=direct_let, user=request.user, fields=["details"], where="direct let"
        )
    return render(
        request,
        "allocations/direct_let_detail.html",
        {
            "direct_let": direct_let,
            "form": form,
            "offer": offer,
            "details_shown": details_shown,
            "may_offer": entry is not None
            and offer is None
            and direct_let.vacancy.is_closed
            and request.user.has_perm("allocations.add_offer"),
            "is_proposer": is_direct_let_proposer.test(request.user, direct_let),
            "may_close": request.user.has_perm("allocations.add_directlet")
            and not services.direct_let_close_refusal(direct_let),
        },
        status=400 if form is not None and form.errors else 200,
    )


@permission_required("allocations.add_directlet", raise_exception=True)
@require_http_methods(["GET", "POST"])
def direct_let_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an approved direct let that will not go ahead, with the reason: the home and
    the household are free again."""
    direct_let = get_object_or_404(selectors.direct_let_detail_queryset(), pk=pk)
    form = DirectLetCloseForm(posted_data(request))
    refusal = services.direct_let_close_refusal(direct_let)
    result = form_page(
        request,
        form,
        title=f"Close direct let {direct_let.reference}: {direct_let.vacancy.unit} to "
        f"{direct_let.lead or 'the household'}",
        back_url=direct_let.get_absolute_url(),
        intro="Closed, the household is taken off the vacancy's shortlist, so the home can be "
        "offered in order, let directly again or advertised.",
        warning=refusal,
        save=lambda data: services.direct_let_close(
            direct_let=direct_let, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(
        request,
        result,
        lambda let: f"Direct let {let.reference} was closed.",
        direct_let,
    )
