"""Low-cost home ownership resales: the cases (list, case page with its clock and next
actions, a form for each step) and the register of eligible purchasers."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allocations.forms.resales import (
    PurchaserForm,
    ResaleDateForm,
    ResaleNominateForm,
    ResaleNotEligibleForm,
    ResaleNoticeForm,
    ResaleProceedForm,
    ResaleValuationForm,
    ResaleWithdrawForm,
)
from allocations.models import Letter, Purchaser, ResaleCase, ResaleNomination
from allocations.rules import resales as rules
from allocations.services import resales as services
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.kernel.dates import page_date
from config.kernel.documents import document_response
from config.pages import form_page, saved_then

VIEW = "allocations.view_resalecase"
CHANGE = "allocations.change_resalecase"
# The register shown on a case page, each buyer checked against the case's agreement.


def _search_text(request: HttpRequest) -> str:
    """The search box's text, without control characters (PostgreSQL refuses NUL)."""
    text = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable())
    return text.strip()[:100]


@permission_required(VIEW, raise_exception=True)
@require_GET
def resale_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cases = ResaleCase.objects.all()
    status = request.GET.get("status", "")
    product = request.GET.get("product", "")
    query = _search_text(request)
    if status in ResaleCase.Status.values:
        cases = cases.filter(status=status)
    if product in ResaleCase.Product.values:
        cases = cases.filter(product=product)
    if query:
        cases = cases.filter(Q(address__icontains=query) | Q(seller_name__icontains=query))
    page_obj = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "case": case,
            "days_left": rules.days_left(case.window_ends, today)
            if case.status == ResaleCase.Status.OPEN
            else None,
        }
        for case in page_obj
    ]
    return render(
        request,
        "allocations/resales/resale_list.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "statuses": ResaleCase.Status.choices,
            "products": ResaleCase.Product.choices,
            "status": status,
            "product": product,
            "q": query,
            "filtered": bool(status or product or query),
            "can_add": request.user.has_perm("allocations.add_resalecase"),
        },
    )


def _next_actions(request: HttpRequest, case: ResaleCase, today) -> list[dict]:
    if not request.user.has_perm(CHANGE):
        return []
    actions = []
    if case.status in services.LIVE:
        actions.append(
            {
                "label": "Record a new valuation" if case.valued_on else "Record the valuation",
                "url": reverse("allocations:resale-valuation", args=[case.pk]),
            }
        )
    if case.status == ResaleCase.Status.OPEN and today <= case.window_ends:
        actions.append(
            {
                "label": "Nominate a buyer",
                "url": reverse("allocations:resale-nominate", args=[case.pk]),
            }
        )
    if case.status in services.LIVE:
        actions.append(
            {
                "label": "Tell a buyer they are not eligible",
                "url": reverse("allocations:resale-not-eligible", args=[case.pk]),
            }
        )
    if case.status == ResaleCase.Status.OPEN and today > case.window_ends:
        actions.append(
            {
                "label": "Release to the open market",
                "url": reverse("allocations:resale-release", args=[case.pk]),
            }
        )
    if case.status == ResaleCase.Status.PROCEEDING:
        actions.append(
            {"label": "Record the sale", "url": reverse("allocations:resale-sold", args=[case.pk])}
        )
    return actions


def _clock(case: ResaleCase, today) -> str:
    """Which state the window's clock is in, for the case page."""
    if case.status == ResaleCase.Status.OPEN:
        return "running" if today <= case.window_ends else "ended"
    return "stopped" if case.status == ResaleCase.Status.PROCEEDING else "closed"


@permission_required(VIEW, raise_exception=True)
@require_GET
def resale_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ResaleCase, pk=pk)
    today = timezone.localdate()
    terms = case.terms()
    # The register, a page at a time (as its own list is), searched by name, parish or
    # register entry number: a register of any size can be checked from the case.
    query = _search_text(request)
    purchasers = Purchaser.objects.order_by("name", "pk")
    if query:
        match = Q(name__icontains=query) | Q(parish__icontains=query)
        if query.isdigit():
            match |= Q(pk=int(query))
        purchasers = purchasers.filter(match)
    register_page = Paginator(purchasers, PAGE_SIZE).get_page(request.GET.get("page"))
    register = [
        {"purchaser": purchaser, "reasons": rules.buyer_not_eligible(terms, purchaser.buyer())}
        for purchaser in register_page
    ]
    expires = case.valuation_expires
    may_change = request.user.has_perm(CHANGE) and case.status in services.LIVE
    return render(
        request,
        "allocations/resales/resale_detail.html",
        {
            "case": case,
            "today": today,
            "days_left": rules.days_left(case.window_ends, today),
            "valuation_expired": expires is not None and today > expires,
            "price_cap_problem": rules.price_cap_problem(terms, case.valuation_amount),
            "clock": _clock(case, today),
            "nominations": [
                {
                    "nomination": nomination,
                    "may_proceed": may_change
                    and nomination.status == ResaleNomination.Status.NOMINATED
                    and case.status == ResaleCase.Status.OPEN,
                    "may_withdraw": may_change
                    and nomination.status != ResaleNomination.Status.WITHDRAWN,
                }
                for nomination in case.nominations.select_related("purchaser")
            ],
            "show_register": request.user.has_perm("allocations.view_purchaser")
            and case.status == ResaleCase.Status.OPEN,
            "steps": case.steps.all(),
            "letters": case.letters.order_by("requested_at", "pk"),
            "register": register,
            "register_page": register_page,
            "q": query,
            "actions": _next_actions(request, case, today),
        },
    )


@permission_required("allocations.add_resalecase", raise_exception=True)
@require_http_methods(["GET", "POST"])
def resale_create(request: HttpRequest) -> HttpResponse:
    form = ResaleNoticeForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Record a seller's notice",
        intro="The notice opens the resale case and the nomination window. Enter the planning "
        "agreement's terms for this home: buyers are checked against them.",
        back_url=reverse("allocations:resale-list"),
        save=lambda data: services.resale_notice_record(by=request.user, **data),
        check=lambda data: services.resale_notice_problems(**data),
    )
    return saved_then(
        request, result, lambda case: f"Resale case opened for {case.address}.", result
    )


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resale_valuation(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ResaleCase, pk=pk)
    form = ResaleValuationForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Valuation: {case.address}",
        intro=f"A valuation is valid for {case.valuation_valid_weeks} weeks under this agreement.",
        back_url=case.get_absolute_url(),
        save=lambda data: services.resale_valuation_record(case=case, by=request.user, **data),
    )
    return saved_then(request, result, "Valuation recorded.", case)


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resale_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ResaleCase, pk=pk)
    form = ResaleNominateForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Nominate a buyer: {case.address}",
        intro=f"The window runs until {page_date(case.window_ends)}. The buyer is checked "
        "against the agreement's terms; every reason they are not "
        "eligible is shown.",
        back_url=case.get_absolute_url(),
        save=lambda data: services.resale_nominate(
            case=case, purchaser=data["purchaser"], on=data["on"], by=request.user
        ),
    )
    return saved_then(request, result, lambda n: f"{n.purchaser} nominated.", case)


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resale_not_eligible(request: HttpRequest, pk: int) -> HttpResponse:
    """Tell a buyer who asked about this home that they are not eligible, with the reasons."""
    case = get_object_or_404(ResaleCase, pk=pk)
    form = ResaleNotEligibleForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Tell a buyer they are not eligible: {case.address}",
        intro="The buyer is checked against this home's agreement; the letter gives every "
        "reason they are not eligible. A buyer who is eligible is nominated instead.",
        back_url=case.get_absolute_url(),
        save=lambda data: services.resale_not_eligible_tell(
            case=case, purchaser=data["purchaser"], on=data["on"], by=request.user
        ),
    )
    return saved_then(
        request, result, lambda step: f"{step.sent_to} will be sent the letter.", case
    )


@permission_required(VIEW, raise_exception=True)
@require_GET
def resale_letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(
        Letter.objects.select_related("resale_case"), pk=pk, resale_case__isnull=False
    )
    return document_response(
        request,
        letter,
        filename=f"{letter.reference}-{letter.kind}-letter.pdf",
        back=letter.resale_case,
    )


def _nomination(pk: int) -> ResaleNomination:
    return get_object_or_404(ResaleNomination.objects.select_related("case", "purchaser"), pk=pk)


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def nomination_proceed(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(pk)
    form = ResaleProceedForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"{nomination.purchaser} proceeding: {nomination.case.address}",
        back_url=nomination.case.get_absolute_url(),
        save=lambda data: services.resale_nomination_proceed(
            nomination=nomination, on=data["on"], by=request.user
        ),
    )
    return saved_then(request, result, f"{nomination.purchaser} is proceeding.", nomination.case)


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(pk)
    form = ResaleWithdrawForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"{nomination.purchaser} withdrew: {nomination.case.address}",
        back_url=nomination.case.get_absolute_url(),
        save=lambda data: services.resale_nomination_withdraw(
            nomination=nomination, by=request.user, **data
        ),
    )
    return saved_then(request, result, f"{nomination.purchaser} withdrew.", nomination.case)


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resale_sold(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ResaleCase, pk=pk)
    form = ResaleDateForm(
        posted_data(request), label="Date the sale completed", submit="Record the sale"
    )
    result = form_page(
        request,
        form,
        title=f"Sale completed: {case.address}",
        back_url=case.get_absolute_url(),
        save=lambda data: services.resale_sold(case=case, on=data["on"], by=request.user),
    )
    return saved_then(request, result, "Sale recorded.", case)


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resale_release(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ResaleCase, pk=pk)
    form = ResaleDateForm(
        posted_data(request),
        label="Date of the release",
        submit="Release to the open market",
    )
    result = form_page(
        request,
        form,
        title=f"Release to the open market: {case.address}",
        intro="Only after the nomination window has ended with no nominated buyer proceeding "
        f"(the window ends on {page_date(case.window_ends)}).",
        back_url=case.get_absolute_url(),
        save=lambda data: services.resale_release(case=case, on=data["on"], by=request.user),
    )
    return saved_then(request, result, "Released to the open market.", case)


@permission_required("allocations.view_purchaser", raise_exception=True)
@require_GET
def purchaser_list(request: HttpRequest) -> HttpResponse:
    query = _search_text(request)
    purchasers = Purchaser.objects.order_by("name", "pk")
    if query:
        purchasers = purchasers.filter(Q(name__icontains=query) | Q(parish__icontains=query))
    return render(
        request,
        "allocations/resales/purchaser_list.html",
        {
            "page_obj": Paginator(purchasers, PAGE_SIZE).get_page(request.GET.get("page")),
            "q": query,
            "can_add": request.user.has_perm("allocations.add_purchaser"),
            "can_change": request.user.has_perm("allocations.change_purchaser"),
        },
    )


@permission_required("allocations.add_purchaser", raise_exception=True)
@require_http_methods(["GET", "POST"])
def purchaser_create(request: HttpRequest) -> HttpResponse:
    form = PurchaserForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Add a purchaser to the register",
        back_url=reverse("allocations:purchaser-list"),
        save=lambda data: services.purchaser_save(by=request.user, **data),
    )
    return saved_then(
        request, result, lambda p: f"{p} added to the register.", "allocations:purchaser-list"
    )


@permission_required("allocations.change_purchaser", raise_exception=True)
@require_http_methods(["GET", "POST"])
def purchaser_edit(request: HttpRequest, pk: int) -> HttpResponse:
    purchaser = get_object_or_404(Purchaser, pk=pk)
    initial = {field: getattr(purchaser, field) for field in services.PURCHASER_FIELDS}
    form = PurchaserForm(posted_data(request), initial=initial, submit="Save the purchaser")
    result = form_page(
        request,
        form,
        title=f"Change {purchaser}",
        back_url=reverse("allocations:purchaser-list"),
        save=lambda data: services.purchaser_save(purchaser=purchaser, by=request.user, **data),
    )
    return saved_then(request, result, f"{purchaser.name} saved.", "allocations:purchaser-list")
