"""Nominations to registered providers, the council's side: the list, a nomination's page,
nominating the next household from a provider's home's frozen shortlist, reviewing a
rejection, re-advertising a home nobody is left to take, and the per-provider report."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allocations.forms.nominations import LinkResendForm, NominationReviewForm, ReadvertiseForm
from allocations.models import Nomination, Vacancy
from allocations.selectors.nominations import (
    nomination_disclosure,
    nomination_list,
    provider_report,
)
from allocations.services import nominations as services
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.pages import form_page, saved_then
from residents.selectors import household_name, named_household
from sites.models import RegisteredProvider

VIEW = "allocations.view_nomination"
NOMINATE = "allocations.add_nomination"
REVIEW = "allocations.change_nomination"
REPORT = "allocations.view_provider_report"


@permission_required(VIEW, raise_exception=True)
@require_GET
def nomination_list_page(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Nomination.Status.values:
        status = ""
    page_obj = Paginator(nomination_list(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "allocations/nominations/nomination_list.html",
        {"page_obj": page_obj, "statuses": Nomination.Status.choices, "status": status},
    )


@permission_required(VIEW, raise_exception=True)
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.select_related(
            "vacancy__unit__site", "provider", "application__household", "sent_by", "reviewed_by"
        ),
        pk=pk,
    )
    may_work = request.user.has_perm(REVIEW)
    return render(
        request,
        "allocations/nominations/nomination_detail.html",
        {
            "nomination": nomination,
            "disclosure": nomination_disclosure(nomination),
            "may_review": may_work and nomination.status == Nomination.Status.REJECTED,
            "may_resend": may_work and services.nomination_link_awaited(nomination),
            "household": household_name(nomination.application.household),
            "others": nomination.vacancy.nominations.exclude(pk=nomination.pk)
            .select_related("application__household")
            .annotate(household_named=named_household("application__household")),
            "showings": nomination.showings.select_related("user")[:20]
            if request.user.has_perm("allocations.view_nominationshowing")
            else None,
        },
    )


@permission_required(NOMINATE, raise_exception=True)
@require_POST
def nomination_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The button on a provider's home's frozen shortlist: nominate the next in order."""
    vacancy = get_object_or_404(Vacancy.objects.select_related("unit"), pk=pk)
    try:
        nomination = services.nomination_next(vacancy=vacancy, by=request.user)
    except ValidationError as error:  # a refusal in words goes back as a banner
        messages.error(request, " ".join(error.messages))
        return redirect(vacancy)
    if nomination is None:
        messages.error(
            request,
            "Nobody on the shortlist is left to nominate: re-advertise the home, saying why.",
        )
        return redirect("allocations:vacancy-readvertise", pk=vacancy.pk)
    messages.success(
        request,
        f"{household_name(nomination.application.household)} (position {nomination.position}) "
        "nominated to "
        f"{nomination.provider}.",
    )
    return redirect(nomination)


@permission_required(REVIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def nomination_review(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.select_related("provider", "application__household"), pk=pk
    )
    form = NominationReviewForm(posted_data(request))

    def save(data):
        if data["decision"] == "challenge":
            services.nomination_rejection_challenge(
                nomination=nomination, note=data["note"], by=request.user
            )
            return (nomination, f"The rejection is challenged: back to {nomination.provider}.")
        following = services.nomination_rejection_accept(
            nomination=nomination, note=data["note"], by=request.user
        )
        if following is None:
            return (
                nomination,
                "Rejection accepted. Nobody on the shortlist is left: re-advertise the home.",
            )
        return (
            following,
            f"Rejection accepted; {household_name(following.application.household)} (position "
            f"{following.position}) nominated.",
        )

    result = form_page(
        request,
        form,
        title=f"Review the rejection of {household_name(nomination.application.household)}",
        intro=f"{nomination.provider} rejected the nomination: {nomination.rejection_words}",
        back_url=nomination.get_absolute_url(),
        save=save,
    )
    if isinstance(result, tuple):
        then, message = result
        messages.success(request, message)
        return redirect(then)
    return result


@permission_required(REVIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def nomination_link_resend(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.select_related("provider", "vacancy__unit", "application__household"),
        pk=pk,
    )
    what = "confirm the let" if nomination.status == Nomination.Status.ACCEPTED else "answer"
    result = form_page(
        request,
        LinkResendForm(posted_data(request)),
        title=f"Send {nomination.provider}'s secure link again",
        intro=f"{nomination.provider}'s contact ({nomination.provider.contact_email}) is "
        f"emailed a fresh link to {what} for {nomination.vacancy.unit}, working for "
        f"{settings.NOMINATION_LINK_DAYS} days. The email carries no personal data.",
        back_url=nomination.get_absolute_url(),
        save=lambda data: services.nomination_link_resend(
            nomination=nomination, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(
        request,
        result,
        lambda _again: f"A fresh secure link is being emailed to {nomination.provider}.",
        nomination,
    )


@permission_required(NOMINATE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_readvertise(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy.objects.select_related("unit"), pk=pk)
    form = ReadvertiseForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Re-advertise {vacancy.unit}",
        intro="Nobody on the frozen shortlist is left to nominate. The advert is withdrawn with "
        "your reason and the home advertised again in the next bidding cycle.",
        back_url=vacancy.get_absolute_url(),
        save=lambda data: services.vacancy_readvertise(
            vacancy=vacancy, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(
        request,
        result,
        lambda again: f"{vacancy.unit} re-advertised as {again.reference} in {again.cycle}.",
        result,
    )


@permission_required(REPORT, raise_exception=True)
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "allocations/nominations/provider_list.html",
        {"providers": RegisteredProvider.objects.order_by("name")},
    )


@permission_required(REPORT, raise_exception=True)
@require_GET
def provider_report_page(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(RegisteredProvider, pk=pk)
    return render(
        request,
        "allocations/nominations/provider_report.html",
        {
            "report": provider_report(provider),
            "list_url": reverse("allocations:nomination-list"),
        },
    )
