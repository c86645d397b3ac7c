"""Nominations to registered providers, the provider's side: their own provider's nominations
only (signed in, with the provider's role), or one nomination through the secure link
emailed to a provider's contact without an account. Each page shows only what the
information-sharing agreement discloses, and every showing is logged with its lawful basis."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from allocations.forms.nominations import NominationAnswerForm, NominationLetForm
from allocations.models import Nomination, NominationShowing
from allocations.selectors.nominations import nomination_disclosure, provider_nominations
from allocations.services import nominations as services
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data, service_errors_add
from config.history import system_user
from config.kernel.permissions import require

ANSWER = "allocations.answer_nomination"
# After an answer through the secure link (now used), what happens next, by the new status.
LINK_NEXT_STEP = {
    Nomination.Status.ACCEPTED: "We have emailed you a new link to confirm the let when you "
    "know the tenancy start date.",
    Nomination.Status.REJECTED: "The council's lettings team will review your rejection. If "
    "they ask you to answer again, they will email you a new link.",
}


@permission_required(ANSWER, raise_exception=True)
@require_GET
def provider_nomination_list(request: HttpRequest) -> HttpResponse:
    nominations = provider_nominations(request.user)
    page_obj = Paginator(nominations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/nominations/provider_nomination_list.html",
        {"page_obj": page_obj, "waiting": nominations.filter(status="sent").count()},
    )


def _moved_on(request, nomination: Nomination) -> str:
    """Why what was posted is not for this nomination as it stands now ("" when it is): an
    answer to a nomination no longer waiting, or a let confirmed on one no longer accepted
    (answered through the account and the link, by two colleagues, or sent twice)."""
    if request.method != "POST":
        return ""
    posted = set(request.POST)
    if posted & {"answer", "rejection_reason", "rejection_detail"}:
        what, expected = "answer", Nomination.Status.SENT
    elif any(name.startswith("tenancy_") for name in posted):
        what, expected = "confirmation of the let", Nomination.Status.ACCEPTED
    else:
        return ""
    if nomination.status == expected:
        return ""
    return (
        f"Your {what} was not recorded: this nomination is now "
        f"{nomination.get_status_display().lower()}."
    )


def _answer(request, nomination: Nomination, *, answered_by: str, by, ask_name: bool):
    """The provider's forms on the page: the answer while it waits, the let once accepted.
    Returns (answer form, let form, saved message or "")."""
    data = posted_data(request)
    answer_form = let_form = None
    if nomination.status == Nomination.Status.SENT:
        answer_form = NominationAnswerForm(data, ask_name=ask_name)
    elif nomination.status == Nomination.Status.ACCEPTED:
        let_form = NominationLetForm(data, ask_name=ask_name)
    form = answer_form or let_form
    if request.method != "POST" or form is None or not form.is_valid():
        return answer_form, let_form, ""
    name = form.cleaned_data.get("answered_by") or answered_by
    try:
        if answer_form is not None and form.cleaned_data["answer"] == "accept":
            services.nomination_accept(nomination=nomination, answered_by=name, by=by)
            return answer_form, let_form, "Nomination accepted. Confirm the let when you know "
            "the tenancy start date."
        if answer_form is not None:
            services.nomination_reject(
                nomination=nomination,
                reason=form.cleaned_data["rejection_reason"],
                detail=form.cleaned_data["rejection_detail"],
                answered_by=name,
                by=by,
            )
            return answer_form, let_form, "Nomination rejected. The council will review it."
        services.nomination_let_confirm(
            nomination=nomination,
            tenancy_start_date=form.cleaned_data["tenancy_start_date"],
            tenancy_type=form.cleaned_data["tenancy_type"],
            tenancy_length=form.cleaned_data["tenancy_length"],
            starter_tenancy=form.cleaned_data["starter_tenancy"],
            joint_tenancy=form.cleaned_data["joint_tenancy"],
            answered_by=name,
            by=by,
        )
        return answer_form, let_form, "Let confirmed. Thank you."
    except ValidationError as error:
        service_errors_add(form, error)
        return answer_form, let_form, ""


def _page(request, nomination, *, answer_form, let_form, via: str) -> HttpResponse:
    form = answer_form or let_form
    return render(
        request,
        "allocations/nominations/provider_nomination_detail.html",
        {
            "nomination": nomination,
            "disclosure": nomination_disclosure(nomination),
            "answer_form": answer_form,
            "let_form": let_form,
            "via_link": via == NominationShowing.Via.SECURE_LINK,
        },
        status=400 if form is not None and form.errors else 200,
    )


@permission_required(ANSWER, raise_exception=True)
@require_http_methods(["GET", "POST"])
def provider_nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.select_related("vacancy__unit__site", "provider", "application"),
        pk=pk,
    )
    # Another provider's nomination is refused like anything else not allowed.
    require(request.user, "allocations.answer_this_nomination", nomination)
    if moved_on := _moved_on(request, nomination):
        messages.error(request, moved_on)
        return redirect("allocations:provider-nomination-detail", pk=nomination.pk)
    services.nomination_showing_record(
        nomination=nomination, user=request.user, via=NominationShowing.Via.ACCOUNT
    )
    answer_form, let_form, saved = _answer(
        request,
        nomination,
        answered_by=request.user.get_full_name() or request.user.get_username(),
        by=request.user,
        ask_name=False,
    )
    if saved:
        messages.success(request, saved)
        return redirect("allocations:provider-nomination-detail", pk=nomination.pk)
    return _page(
        request,
        nomination,
        answer_form=answer_form,
        let_form=let_form,
        via=NominationShowing.Via.ACCOUNT,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def nomination_link(request: HttpRequest, token: str) -> HttpResponse:
    """One nomination through its signed, expiring link, for one stage (the answer, or the
    let once accepted): a wrong or expired link is a 404 saying so, a link whose stage is over
    a 410 saying it is used; neither shows any data nor writes anything. The answer's own
    response thanks the provider (the next stage's link is emailed afresh)."""
    try:
        nomination = services.nomination_for_token(token)
    except services.NominationLinkUsed:
        return render(request, "allocations/nominations/link_used.html", status=410)
    except ValidationError as error:
        return render(
            request,
            "allocations/nominations/link_refused.html",
            {"why": " ".join(error.messages)},
            status=404,
        )
    nomination = Nomination.objects.select_related(
        "vacancy__unit__site", "provider", "application"
    ).get(pk=nomination.pk)
    if moved_on := _moved_on(request, nomination):
        messages.error(request, moved_on)
        return redirect("allocations:nomination-link", token=token)
    services.nomination_showing_record(
        nomination=nomination, user=None, via=NominationShowing.Via.SECURE_LINK
    )
    answer_form, let_form, saved = _answer(
        request, nomination, answered_by="", by=system_user(), ask_name=True
    )
    if saved:
        nomination.refresh_from_db(fields=["status"])
        return render(
            request,
            "allocations/nominations/link_done.html",
            {"saved": saved, "next_step": LINK_NEXT_STEP.get(nomination.status, "")},
        )
    return _page(
        request,
        nomination,
        answer_form=answer_form,
        let_form=let_form,
        via=NominationShowing.Via.SECURE_LINK,
    )
