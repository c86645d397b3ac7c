"""Bids placed by officers for a household (by phone or in person: search the household by
name or reference), withdrawn before the close, a household's live positions, its local
connections and its auto-bidding."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.cycles import (
    AutoBidForm,
    BidWithdrawForm,
    ConnectionEndForm,
    ConnectionForm,
    HouseholdSearchForm,
    OfficerBidForm,
)
from allocations.models import Application, AutoBidPreference, Bid, Scheme, Vacancy
from allocations.views.common import PAGE_SIZE, run_form
from config.forms import posted_data
from config.kernel.dates import page_date
from config.pages import form_page, saved_then


@permission_required("allocations.add_bid", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bid_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Search for the household (GET ?q=), then place its bid (POST): by phone or in person."""
    vacancy = get_object_or_404(Vacancy.objects.select_related("unit__site", "cycle"), pk=pk)
    search = HouseholdSearchForm(request.GET if "q" in request.GET else None)
    found = []
    if search.is_bound and search.is_valid():
        found = list(selectors.household_search(search.cleaned_data["q"], scheme=vacancy.scheme))
    bid_form = OfficerBidForm(posted_data(request), initial={"channel": Bid.Channel.PHONE})
    chosen = None
    if request.method == "POST" and bid_form.is_valid():
        chosen = Application.objects.filter(pk=bid_form.cleaned_data["application"]).first()
        if chosen is None:
            bid_form.add_error(None, "That application no longer exists; search again")
        else:
            bid = run_form(
                bid_form,
                lambda: services.place_bid(
                    application=chosen,
                    advert=vacancy,
                    channel=bid_form.cleaned_data["channel"],
                    by=request.user,
                ),
            )
            if bid:
                who = selectors.lead_names([chosen]).get(chosen.household_id, "The household")
                messages.success(request, f"{who}'s bid for {vacancy.reference} is placed.")
                return redirect(vacancy)
            found = [chosen]
    names = selectors.lead_names(found)
    return render(
        request,
        "allocations/bid_create.html",
        {
            "vacancy": vacancy,
            "search": search,
            "searched": search.is_bound,
            "found": [(a, names.get(a.household_id, "")) for a in found],
            "bid_form": bid_form,
            "chosen": chosen,
        },
        status=400 if bid_form.errors else 200,
    )


@permission_required("allocations.add_bid", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bid_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bid = get_object_or_404(Bid.objects.select_related("vacancy", "application"), pk=pk)
    # The household by its lead's name, never a bare application reference.
    who = selectors.lead_names([bid.application]).get(bid.application.household_id)
    who = who or f"the household of application {bid.application.reference}"
    form = BidWithdrawForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.bid_withdraw(
                bid=bid, by=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if done:
            messages.success(request, f"{who[0].upper()}{who[1:]}'s bid was withdrawn.")
            return redirect(bid.vacancy)
    return form_page(
        request,
        form,
        title=f"Withdraw {who}'s bid for {bid.vacancy.reference}",
        back_url=bid.vacancy.get_absolute_url(),
        intro="The household can use the bid for another home this week.",
    )


@permission_required("allocations.view_bid", raise_exception=True)
@require_GET
def application_bids(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("household", "connection_exempt_recorded_by"), pk=pk
    )
    auto_bids = lettings = None
    if not application.is_pitch:
        lettings = selectors.lettings_in_force(on=timezone.localdate())
        auto_bids = selectors.auto_bid_state(application, lettings=lettings)
    return render(
        request,
        "allocations/application_bids.html",
        {
            "application": application,
            "auto_bids": auto_bids,
            "positions": selectors.bid_positions(application),
            # Every bid, newest first, a page at a time (the page says how many there are).
            "bids": Paginator(
                application.bids.select_related("vacancy", "cycle", "placed_by").order_by(
                    "-placed_at", "-pk"
                ),
                PAGE_SIZE,
            ).get_page(request.GET.get("page")),
            # Current connections first, then the ended ones, latest ended first.
            "connections": application.household.connections.order_by(
                F("ended_on").desc(nulls_first=True), "parish", "kind"
            ),
            "exemption": selectors.connection_exemption(
                application, local=lettings.local_connection if lettings else None
            ),
        },
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def connection_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("household"), pk=pk)
    local = selectors.local_connection_in_force(on=timezone.localdate())
    bids_url = reverse("allocations:application-bids", args=[application.pk])
    result = form_page(
        request,
        ConnectionForm(posted_data(request), parishes=local.parishes),
        title=f"Record a local connection for {application}",
        back_url=bids_url,
        intro="A connection gives the household its tier for each home: own parish 1, "
        "adjacent parish 2, elsewhere 3. Record the evidence seen.",
        save=lambda data: services.connection_record(
            household=application.household, by=request.user, **data
        ),
        check=lambda data: services.connection_record_problems(
            parish=data.get("parish"), since=data.get("since")
        ),
    )
    return saved_then(
        request, result, lambda done: f"The connection to {done.parish} was recorded.", bids_url
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def connection_end(request: HttpRequest, pk: int, connection_pk: int) -> HttpResponse:
    """End one of the household's connections (it moved away, left the job), with the date and
    the evidence seen; the connection stays listed, ended."""
    application = get_object_or_404(Application.objects.select_related("household"), pk=pk)
    connection = get_object_or_404(application.household.connections, pk=connection_pk)
    bids_url = reverse("allocations:application-bids", args=[application.pk])
    if connection.ended_on:
        # A page loaded before it ended (another tab, another officer), or its address typed:
        # no form that could only be refused; a POST changes nothing (409).
        return render(
            request,
            "allocations/connection_ended.html",
            {
                "application": application,
                "connection": connection,
                "bids_url": bids_url,
                "posted": request.method == "POST",
            },
            status=409 if request.method == "POST" else 200,
        )
    result = form_page(
        request,
        ConnectionEndForm(posted_data(request)),
        title=f"End the connection to {connection.parish} for {application}",
        back_url=bids_url,
        intro=f"{connection.get_kind_display()}: {connection.parish}, since "
        f"{page_date(connection.since)} ({connection.evidence_seen}). Ending it keeps it on "
        "record as ended. It counts up to and including the day it ended: from the day after, "
        f"the household's tier for homes in {connection.parish} and the parishes next to it "
        "is worked out without it (tier 3 unless another connection or an exemption counts). "
        "Shortlists already frozen keep the tiers they recorded.",
        save=lambda data: services.connection_end(
            connection=connection,
            ended_on=data["ended_on"],
            reason=data["reason"],
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        lambda ended: f"The connection to {ended.parish} ended on {page_date(ended.ended_on)}.",
        bids_url,
    )


@permission_required("allocations.change_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def auto_bid_preference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Set up, change or stop a household's auto-bidding (choice-based lettings only), with
    why; stopping it keeps its preferences."""
    application = get_object_or_404(
        Application.objects.filter(scheme=Scheme.CBL).select_related("household"), pk=pk
    )
    lettings = selectors.lettings_in_force(on=timezone.localdate())
    state = selectors.auto_bid_state(application, lettings=lettings)
    bids_url = reverse("allocations:application-bids", args=[application.pk])
    form = AutoBidForm(
        posted_data(request),
        initial=AutoBidForm.initial_from(state.preference),
        groups=lettings.auto_bid_groups,
        parishes=lettings.local_connection.parishes,
        last_change=state.last_change_id,
    )

    shown = {"state": state}

    def save(data: dict) -> AutoBidPreference:
        try:
            return services.auto_bid_preference_save(
                application=application, by=request.user, **data
            )
        except ValidationError as error:
            # Changed since the page was opened: it now shows them as they are ("Now: …"), read
            # again here (a colleague's save may have come after this request read them).
            if getattr(error, "code", None) == services.AUTO_BID_CHANGED_SINCE:
                shown["state"] = selectors.auto_bid_state(application, lettings=lettings)
                form.last_change = shown["state"].last_change_id
                form.last_change_seen_show()
            raise

    def intro() -> str:
        return (
            f"Now: {shown['state'].words}. When each bidding cycle opens, the council bids for "
            "the household for the adverts that best match these preferences, up to the bid "
            f"limit ({lettings.bid_limit} a cycle), each bid saying why it matched."
        )

    result = form_page(
        request,
        form,
        title=f"Auto-bidding for {application}",
        back_url=bids_url,
        intro=lazy(intro, str)(),  # drawn after any refusal: the preferences as they are then
        save=save,
        check=lambda data: services.auto_bid_preference_problems(
            group=data.get("group"),
            areas=data.get("areas"),
            home_types=data.get("home_types"),
            active=data.get("active", True),
            recorded_areas=state.preference.areas if state.preference else (),
        ),
    )
    return saved_then(
        request,
        result,
        lambda saved: (
            f"Auto-bidding for {selectors.application_named(application)} is "
            + ("on." if saved.active else "off; its preferences are kept.")
        ),
        bids_url,
    )
