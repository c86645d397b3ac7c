"""Bidding cycle pages: the cycles, one cycle's adverts, closing a past cycle, results;
publishing and withdrawing adverts, their photos."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.cycles import (
    AdvertPhotoForm,
    AdvertPublishForm,
    CycleCloseForm,
    CycleCreateForm,
    NewsletterRecipientForm,
    NewsletterRecipientStopForm,
)
from allocations.models import (
    AdvertPhoto,
    BiddingCycle,
    CycleNewsletter,
    NewsletterRecipient,
    Scheme,
    Vacancy,
)
from allocations.views.common import PAGE_SIZE, run_form
from config.forms import posted_data
from config.kernel.documents import document_response
from config.kernel.files import private_file_response
from config.pages import button_post, form_page, saved_then


def _policy_lettings():
    return selectors.policy_in_force(scheme=Scheme.CBL, on=timezone.localdate()).policy.lettings


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.cycle_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/cycle_list.html",
        {"page_obj": page_obj, "week": _policy_lettings().cycle.words()},
    )


@permission_required("allocations.add_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = CycleCreateForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        cycle = run_form(
            form,
            lambda: services.cycle_create(opens_on=form.cleaned_data["opens_on"], by=request.user),
        )
        if cycle:
            messages.success(request, f"{cycle.reference} was created: {cycle.dates_words}.")
            return redirect(cycle)
    return form_page(
        request,
        form,
        title="Create a bidding cycle",
        back_url="/allocations/cycles/",
        intro=f"Under the policy a cycle {_policy_lettings().cycle.words()}.",
    )


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(BiddingCycle.objects.select_related("frozen_by"), pk=pk)
    adverts = selectors.cycle_adverts(cycle)
    return render(
        request,
        "allocations/cycle_detail.html",
        {
            "cycle": cycle,
            "adverts": adverts,
            "parish_unlisted": selectors.adverts_parish_unlisted(adverts),
            "can_close": cycle.phase == BiddingCycle.Phase.CLOSING
            and request.user.has_perm("allocations.freeze_shortlist"),
            "newsletters": list(cycle.newsletters.order_by("edition", "-requested_at")),
            # Once bidding has closed there is nothing left to advertise.
            "newsletter_open": cycle.phase
            in (BiddingCycle.Phase.UPCOMING, BiddingCycle.Phase.OPEN),
            "lettings": _policy_lettings(),
        },
    )


@permission_required("allocations.freeze_shortlist", raise_exception=True)
@require_http_methods(["GET", "POST"])
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(BiddingCycle, pk=pk)
    form = CycleCloseForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        adverts = run_form(
            form,
            lambda: services.cycle_close(
                cycle=cycle, by=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if adverts is not None:
            messages.success(
                request,
                f"{cycle.reference} is closed: {len(adverts)} "
                f"shortlist{pluralize(len(adverts))} frozen.",
            )
            return redirect(cycle)
    return form_page(
        request,
        form,
        title=f"Close {cycle.reference}",
        back_url=cycle.get_absolute_url(),
        intro=f"Bidding ran {cycle.dates_words}. Closing freezes the shortlist of every "
        "advert in the cycle; this cannot be undone.",
    )


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(BiddingCycle, pk=pk)
    return render(
        request,
        "allocations/cycle_results.html",
        {"cycle": cycle, "adverts": selectors.cycle_adverts(cycle, withdrawn=False)},
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def advert_publish(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy, pk=pk)
    now = timezone.now()
    cycles = BiddingCycle.objects.filter(frozen_at=None, closes_at__gt=now).order_by("opens_at")
    form = AdvertPublishForm(posted_data(request), cycles=cycles)
    if request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.advert_publish(
                vacancy=vacancy, cycle=form.cleaned_data["cycle"], by=request.user
            ),
        )
        if done:
            messages.success(request, f"{vacancy.reference} is published into its cycle.")
            return redirect(vacancy)
    return form_page(
        request,
        form,
        title=f"Publish {vacancy.reference} into a bidding cycle",
        back_url=vacancy.get_absolute_url(),
        intro="" if cycles.exists() else "There is no cycle to come: create one first.",
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def advert_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy, pk=pk)
    form = AdvertPhotoForm(posted_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = run_form(
            form,
            lambda: services.advert_photo_add(
                vacancy=vacancy,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=request.user,
            ),
        )
        if photo:
            messages.success(request, "The photo was added to the advert.")
            return redirect(vacancy)
    return form_page(
        request,
        form,
        title=f"Add a photo to {vacancy.reference}",
        back_url=vacancy.get_absolute_url(),
    )


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def advert_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(AdvertPhoto, pk=pk)
    return private_file_response(
        photo.file, filename=photo.original_name, content_type=photo.content_type
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["POST"])
def newsletter_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(BiddingCycle, pk=pk)
    return button_post(
        request,
        action=lambda: services.newsletter_publish(cycle=cycle, by=request.user),
        success="The newsletter is being drawn in its three editions; each recipient is "
        "emailed it when it is ready.",
        then=cycle,
    )


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def newsletter_download(request: HttpRequest, pk: int) -> HttpResponse:
    newsletter = get_object_or_404(CycleNewsletter.objects.select_related("cycle"), pk=pk)
    return document_response(
        request, newsletter, filename=newsletter.document_filename(), back=newsletter.cycle
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["POST"])
def let_result_publish(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy, pk=pk)
    return button_post(
        request,
        action=lambda: services.let_result_publish(vacancy=vacancy, by=request.user),
        success="The let result is published.",
        then=vacancy,
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def newsletter_recipients(request: HttpRequest) -> HttpResponse:
    form = NewsletterRecipientForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        recipient = run_form(
            form, lambda: services.newsletter_recipient_add(by=request.user, **form.cleaned_data)
        )
        if recipient:
            messages.success(request, f"{recipient.name} will be sent the newsletter.")
            return redirect("allocations:newsletter-recipients")
    return render(
        request,
        "allocations/newsletter_recipients.html",
        {
            "form": form,
            "recipients": NewsletterRecipient.objects.order_by("-active", "name"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def newsletter_recipient_stop(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = get_object_or_404(NewsletterRecipient, pk=pk)
    result = form_page(
        request,
        NewsletterRecipientStopForm(posted_data(request)),
        title=f"Stop sending the newsletter to {recipient.name}?",
        back_url=reverse("allocations:newsletter-recipients"),
        warning=f"{recipient.email} is not sent the {recipient.edition_words.lower()} "
        "edition from the next newsletter on.",
        save=lambda data: services.newsletter_recipient_stop(
            recipient=recipient, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(
        request,
        result,
        f"{recipient.name} is no longer sent the newsletter.",
        "allocations:newsletter-recipients",
    )
