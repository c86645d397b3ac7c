"""Offer pages."""

from datetime import timedelta

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.offers import OfferForm, OfferReplyForm, WithdrawForm
from allocations.models import (
    AllocationDecision,
    Offer,
)
from config.forms import posted_data
from config.pages import form_page, saved_then

# --- Offers ----------------------------------------------------------------------------------


@permission_required("allocations.add_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        selectors.shortlist_entries_with_case().select_related(
            "vacancy__unit__site", "vacancy__policy_version"
        ),
        pk=pk,
    )
    adapted_warning = services.adaptations_unneeded(
        entry.vacancy.unit, entry.application, entry.vacancy
    )
    form = OfferForm(
        posted_data(request),
        initial={"respond_by": timezone.localdate() + timedelta(days=7)},
        adapted_warning=adapted_warning,
    )
    result = form_page(
        request,
        form,
        title=f"Offer {entry.vacancy.unit} to {entry.application} (position {entry.position})",
        back_url=entry.vacancy.get_absolute_url(),
        save=lambda data: services.offer_make(entry=entry, by=request.user, **data),
        check=lambda data: services.offer_make_problems(
            entry=entry, respond_by=data.get("respond_by")
        ),
    )
    return saved_then(
        request, result, "The offer was made. The offer letter is being prepared.", result
    )


@permission_required("allocations.view_offer", raise_exception=True)
@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(selectors.offer_detail_queryset(), pk=pk)
    decisions = selectors.offer_decisions(offer)
    can_propose = offer.status == Offer.Status.ACCEPTED and not any(
        d.status != AllocationDecision.Status.RETURNED for d in decisions
    )
    return render(
        request,
        "allocations/offer_detail.html",
        {
            "offer": offer,
            "decisions": decisions,
            "actions": selectors.offer_actions(offer, request.user, can_propose=can_propose),
        },
    )


@permission_required("allocations.change_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_reply(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(selectors.offers_with_case(), pk=pk)
    form = OfferReplyForm(posted_data(request), initial={"responded_on": timezone.localdate()})

    def save(data):
        if data["reply"] == "accept":
            return services.offer_accept(offer=offer, on=data["responded_on"], by=request.user)
        return services.offer_refuse(
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
        check=lambda data: services.offer_reply_problems(offer=offer, on=data.get("responded_on")),
    )
    return saved_then(request, result, "The household's reply was recorded.", offer)


@permission_required("allocations.change_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(selectors.offers_with_case(), pk=pk)
    form = WithdrawForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Withdraw the offer of {offer.vacancy.unit} to {offer.application}",
        intro="The next applicant on the shortlist can then be offered the vacancy.",
        back_url=offer.get_absolute_url(),
        save=lambda data: services.offer_withdraw(offer=offer, by=request.user, **data),
    )
    return saved_then(request, result, "The offer was withdrawn.", offer)
