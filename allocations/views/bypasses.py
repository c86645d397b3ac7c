"""Bypass pages: a team leader agrees or refuses, an officer undoes, a team leader resets."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from allocations import selectors, services
from allocations.forms.bypasses import BypassDecisionForm, BypassUndoForm, OffersResetForm
from allocations.models import ShortlistEntry
from allocations.predicates import APPROVE_DECISION
from config.forms import posted_data
from config.pages import form_page, saved_then


@permission_required(APPROVE_DECISION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def shortlist_bypass_decide(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        selectors.shortlist_entries_with_case().filter(
            bypass_status=ShortlistEntry.Bypass.REQUESTED
        ),
        pk=pk,
    )
    form = BypassDecisionForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Bypass of {entry.application} (position {entry.position})",
        intro=f"{entry.bypassed_by.get_full_name() or entry.bypassed_by} asked to pass over "
        f"this applicant: “{entry.bypass_reason}”. Where the policy says so, a bypass needs a "
        "team leader's agreement before the next applicant can be offered the vacancy.",
        back_url=entry.vacancy.get_absolute_url(),
        save=lambda data: services.shortlist_bypass_decide(
            entry=entry,
            agree=data["decision"] == "agree",
            comments=data["comments"],
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        lambda done: (
            "The bypass was agreed: the next applicant can be offered the vacancy."
            if done.is_bypassed
            else "The bypass was refused: the applicant is next in line again."
        ),
        entry.vacancy,
    )


@permission_required("allocations.change_shortlistentry", raise_exception=True)
@require_http_methods(["GET", "POST"])
def shortlist_bypass_undo(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        selectors.shortlist_entries_with_case().exclude(bypass_status=ShortlistEntry.Bypass.NONE),
        pk=pk,
    )
    form = BypassUndoForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Undo the bypass of {entry.application} (position {entry.position})",
        intro="A bypass can be undone until the next offer is made. The applicant goes back "
        "to their place in the shortlist.",
        back_url=entry.vacancy.get_absolute_url(),
        save=lambda data: services.shortlist_bypass_undo(
            entry=entry, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(request, result, "The bypass was undone.", entry.vacancy)


@permission_required(APPROVE_DECISION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_offers_reset(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(selectors.vacancies_with_unit(), pk=pk)
    form = OffersResetForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Reset the offers of {vacancy.reference}",
        intro="This withdraws the offer waiting for a reply or a decision, if there is one, and "
        "undoes every bypass, so offers start again from the top of the shortlist. Offers "
        "already refused stay refused. It is recorded in the vacancy's history with your reason.",
        back_url=vacancy.get_absolute_url(),
        save=lambda data: services.shortlist_offers_reset(
            vacancy=vacancy, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(request, result, "The shortlist's offers were reset.", vacancy)
