"""Vacancy pages: list, detail, advertising, bids, freezing, replay and bypass."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.lettings import (
    BypassForm,
    VacancyCloseForm,
    VacancyForm,
    VacancyReasonForm,
)
from allocations.lifecycles import OFFER
from allocations.models import (
    Scheme,
    Vacancy,
)
from allocations.selectors.priorities import plan_criteria
from allocations.views.common import PAGE_SIZE, run_form
from config.forms import posted_data
from config.kernel.dates import page_date
from config.pages import button_post, form_page, saved_then
from residents.selectors import named_household

# --- Vacancies and shortlists ----------------------------------------------------------------


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def vacancy_list(request: HttpRequest) -> HttpResponse:
    vacancies = selectors.vacancy_list(
        status=request.GET.get("status", ""), scheme=request.GET.get("scheme", "")
    )
    page_obj = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/vacancy_list.html",
        {"page_obj": page_obj, "statuses": Vacancy.Status.choices},
    )


@permission_required("allocations.add_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(selectors.units_with_site(), pk=unit_pk)
    default_scheme = Scheme.PITCH if unit.is_pitch else Scheme.CBL
    lettings = selectors.lettings_in_force(on=timezone.localdate())
    form = VacancyForm(
        posted_data(request),
        home=not unit.is_pitch,
        access_categories=lettings.access_categories,
        initial={"scheme": default_scheme, **_home_facts(unit, lettings.access_categories)},
    )
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        if "access_categories" in fields:
            fields["access_categories"] = list(fields["access_categories"])
        vacancy = run_form(
            form,
            lambda: services.vacancy_create(unit=unit, by=request.user, **fields),
        )
        if vacancy:
            messages.success(request, f"{vacancy.reference} was created as a draft.")
            return redirect(vacancy)
    return form_page(request, form, title=f"Advertise {unit}", back_url=unit.get_absolute_url())


def _home_facts(unit, categories) -> dict:
    """What the unit's own record says of the home, to start the advert from: its rent and
    service charges, and the access categories its own category suits (it and every one
    needing less, down to general needs)."""
    if unit.is_pitch:
        return {}
    codes = [c["code"] for c in categories]
    suits = codes[codes.index(unit.accessibility) :] if unit.accessibility in codes else []
    return {
        "weekly_rent": unit.weekly_charge,
        "weekly_charges": unit.service_charge or None,
        "access_categories": suits,
    }


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_detail_get(pk)
    # A frozen vacancy shows its shortlist, not its bids.
    bids = [] if vacancy.frozen_at else selectors.vacancy_bids(vacancy)
    entries = selectors.shortlist(vacancy) if vacancy.frozen_at else []
    offers = selectors.vacancy_offers(vacancy) if vacancy.has_offers else []
    live_offer = next((o for o in offers if not OFFER.is_final(o.status)), None)
    return render(
        request,
        "allocations/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "parish_unlisted": vacancy.pk in selectors.adverts_parish_unlisted([vacancy]),
            "actions": selectors.vacancy_actions(
                vacancy, request.user, live_offer=live_offer is not None
            ),
            "bids": bids,
            "ranked": [e for e in entries if e.eligible],
            "ineligible": [e for e in entries if not e.eligible],
            "offers": offers,
            "offered_entries": {offer.entry_id for offer in offers},
            "live_offer": live_offer,
            "next_entry": selectors.next_in_shortlist(entries) if vacancy.frozen_at else None,
            "photos": list(vacancy.photos.order_by("uploaded_at")) if vacancy.has_photos else [],
            "direct_lets": list(vacancy.direct_lets.all())
            if vacancy.has_direct_lets and request.user.has_perm("allocations.view_directlet")
            else [],
            "extra_care_lets": list(
                vacancy.extra_care_lets.select_related("item__referral__application", "item__panel")
            )
            if vacancy.has_extra_care_lets
            and request.user.has_perm("allocations.view_extracarelet")
            else [],
            "result": getattr(vacancy, "let_result", None),
            # Where its plan's share for working households stands (as at the close, once
            # frozen): one query, only for a plan with a share.
            "plan_share": getattr(plan_criteria(vacancy), "share", None),
            # A registered provider's home is let by nomination, not offer.
            "nominations": list(
                vacancy.nominations.select_related("application__household")
                .annotate(household_named=named_household("application__household"))
                .order_by("sent_at")
            )
            if vacancy.unit.provider_id
            else None,
        },
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["POST"])
def vacancy_advertise(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy, pk=pk)
    return button_post(
        request,
        action=lambda: services.vacancy_advertise(vacancy=vacancy, by=request.user),
        success=f"{vacancy.reference} is advertised.",
        then=vacancy,
    )


@permission_required("allocations.freeze_shortlist", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(selectors.vacancies_with_unit(), pk=pk)
    today = timezone.localdate()
    early = today < vacancy.closes_on
    warning = (
        "No one can be added after this. The shortlist is ranked under the policy in force "
        f"on the closing date ({page_date(vacancy.closes_on)}) and kept as it is."
    )
    if early:
        days = (vacancy.closes_on - today).days
        warning = (
            f"You are closing {vacancy.reference} {days} day{'s' if days != 1 else ''} before "
            f"its advertised closing date ({page_date(vacancy.closes_on)}). Anyone who meant "
            "to express interest before then will not be on the shortlist. It is ranked under "
            f"the policy in force today ({page_date(today)}), never a version that starts "
            "later, and kept as it is."
        )
    form = VacancyCloseForm(posted_data(request), early=early)
    result = form_page(
        request,
        form,
        title=f"Close {vacancy.reference} and freeze its shortlist?",
        back_url=vacancy.get_absolute_url(),
        warning=warning,
        save=lambda data: services.shortlist_freeze(
            vacancy=vacancy, by=request.user, reason=data.get("reason", "")
        ),
    )
    return saved_then(
        request, result, f"{vacancy.reference} is closed and its shortlist frozen.", vacancy
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(selectors.vacancies_with_unit(), pk=pk)
    result = form_page(
        request,
        VacancyReasonForm(posted_data(request), submit="Withdraw the vacancy"),
        title=f"Withdraw {vacancy.reference}?",
        back_url=vacancy.get_absolute_url(),
        warning=f"{vacancy.unit} goes back to void and its shortlist is not used.",
        save=lambda data: services.vacancy_withdraw(
            vacancy=vacancy, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(
        request, result, f"{vacancy.reference} was withdrawn; {vacancy.unit} is void.", vacancy
    )


@permission_required("allocations.change_vacancy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vacancy_fall_through(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(selectors.vacancies_with_unit(), pk=pk)
    result = form_page(
        request,
        VacancyReasonForm(posted_data(request), submit="Record that the let fell through"),
        title=f"The household withdrew before signing: {vacancy.reference}",
        back_url=vacancy.get_absolute_url(),
        warning=f"The draft licence does not go ahead, {vacancy.unit} goes back to void and the "
        "application is live again.",
        save=lambda data: services.vacancy_let_fall_through(
            vacancy=vacancy, reason=data["reason"], by=request.user
        ),
    )
    return saved_then(
        request, result, f"The let fell through; {vacancy.unit} is void again.", vacancy
    )


@permission_required("allocations.view_vacancy", raise_exception=True)
@require_GET
def shortlist_replay(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(selectors.vacancies_with_policy(), pk=pk)
    try:
        replay = selectors.shortlist_replay(vacancy=vacancy)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(vacancy)
    return render(
        request, "allocations/shortlist_replay.html", {"vacancy": vacancy, "replay": replay}
    )


@permission_required("allocations.change_shortlistentry", raise_exception=True)
@require_http_methods(["GET", "POST"])
def shortlist_bypass(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(selectors.shortlist_entries_with_case(), pk=pk)
    form = BypassForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        done = run_form(
            form,
            lambda: services.shortlist_bypass(entry=entry, by=request.user, **form.cleaned_data),
        )
        if done:
            named = selectors.application_named(entry.application)
            messages.success(
                request,
                f"The bypass of {named} is waiting for a team leader's agreement."
                if done.bypass_awaiting_agreement
                else f"The bypass of {named} was recorded.",
            )
            return redirect(entry.vacancy)
    return form_page(
        request,
        form,
        title=f"Bypass {entry.application} (position {entry.position})",
        back_url=entry.vacancy.get_absolute_url(),
    )
