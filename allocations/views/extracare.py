"""Extra Care housing panels: referrals, panels with their agenda and minutes, decisions and
the panel pack. The assessment (care hours and needs) is special category: shown only to
roles with `config.view_special_category`, and every showing is logged."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.extracare import (
    ExtraCareDecisionForm,
    ExtraCareLetForm,
    ExtraCarePanelForm,
    ExtraCareReferralForm,
)
from allocations.models import (
    ExtraCareLet,
    ExtraCarePanel,
    ExtraCarePanelItem,
    ExtraCarePanelPack,
    ExtraCareReferral,
)
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data
from config.kernel.documents import document_response
from config.pages import button_post, form_page, saved_then
from residents.selectors import household_name

SPECIAL_CATEGORY = "config.view_special_category"
ASSESSMENT_FIELDS = sorted(ExtraCareReferral.SPECIAL_CATEGORY_FIELDS)


def _assessments_shown(request: HttpRequest, referrals, where: str) -> bool:
    """Whether this user may see the assessments; if so, the showing is logged for each."""
    if not request.user.has_perm(SPECIAL_CATEGORY):
        return False
    for referral in referrals:
        ExtraCareReferral.special_category_view_log(
            record=referral, user=request.user, fields=ASSESSMENT_FIELDS, where=where
        )
    return True


@permission_required("allocations.view_extracarereferral", raise_exception=True)
@require_GET
def extracare_referral_list(request: HttpRequest) -> HttpResponse:
    reference = request.GET.get("reference", "").strip()[:30]
    referrals = ExtraCareReferral.objects.select_related("application__household").prefetch_related(
        "panel_items__panel", "application__household__people"
    )
    if reference:
        referrals = referrals.filter(application__reference__icontains=reference)
    page_obj = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "referral": referral,
            "household": household_name(referral.application.household),
            # The latest panel's, as the ranking reads it (ExtraCarePanelItem.LATEST_FIRST).
            "latest": max(
                referral.panel_items.all(),
                key=lambda item: (item.panel.held_on, item.panel_id, item.pk),
                default=None,
            ),
        }
        for referral in page_obj
    ]
    return render(
        request,
        "allocations/extracare/referral_list.html",
        {"page_obj": page_obj, "rows": rows, "reference": reference},
    )


@permission_required("allocations.add_extracarereferral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def extracare_referral_create(request: HttpRequest) -> HttpResponse:
    form = ExtraCareReferralForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Refer a household to Extra Care",
        intro="Record the social care assessment as the panel will read it. The needs are "
        "health information: only the panel's roles see them.",
        back_url=reverse("allocations:extracare-referral-list"),
        save=lambda data: services.extracare_referral_make(
            application=data["application_reference"],
            referred_by=data["referred_by"],
            referred_on=data["referred_on"],
            care_hours_per_week=data["care_hours_per_week"],
            needs_summary=data["needs_summary"],
            by=request.user,
        ),
    )
    return saved_then(request, result, "The Extra Care referral was recorded.", result)


@permission_required("allocations.view_extracarereferral", raise_exception=True)
@require_GET
def extracare_referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(
        ExtraCareReferral.objects.select_related("application__household", "recorded_by"), pk=pk
    )
    shown = _assessments_shown(request, [referral], "extra care referral")
    items = referral.panel_items.select_related("panel").order_by("panel__held_on", "pk")
    return render(
        request,
        "allocations/extracare/referral_detail.html",
        {
            "referral": referral,
            "household": household_name(referral.application.household),
            "assessment_shown": shown,
            "items": items,
        },
    )


@permission_required("allocations.view_extracarepanel", raise_exception=True)
@require_GET
def extracare_panel_list(request: HttpRequest) -> HttpResponse:
    panels = ExtraCarePanel.objects.prefetch_related("items")
    page_obj = Paginator(panels, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allocations/extracare/panel_list.html", {"page_obj": page_obj})


@permission_required("allocations.add_extracarepanel", raise_exception=True)
@require_http_methods(["GET", "POST"])
def extracare_panel_create(request: HttpRequest) -> HttpResponse:
    form = ExtraCarePanelForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Arrange an Extra Care panel",
        back_url=reverse("allocations:extracare-panel-list"),
        save=lambda data: services.extracare_panel_record(
            held_on=data["held_on"],
            staff=list(data["staff"]),
            partner_members=data["partner_members"],
            referrals=list(data["referrals"]),
            by=request.user,
        ),
    )
    return saved_then(request, result, "The panel was arranged with its agenda.", result)


@permission_required("allocations.view_extracarepanel", raise_exception=True)
@require_GET
def extracare_panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(ExtraCarePanel.objects.prefetch_related("staff"), pk=pk)
    items = list(
        panel.items.select_related(
            "referral__application__household", "decided_by"
        ).prefetch_related("referral__application__household__people")
    )
    shown = _assessments_shown(request, [item.referral for item in items], "extra care panel")
    rows = [
        {"item": item, "household": household_name(item.referral.application.household)}
        for item in items
    ]
    ranked = [row for row in rows if row["item"].ranking is not None]
    ranked.sort(key=lambda row: row["item"].ranking)
    standing = {ranked.item.pk: ranked for ranked in services.extracare_ranking()}
    lets = {
        let.item.referral_id: let
        for let in ExtraCareLet.objects.filter(item__referral__panels=panel)
        .select_related("item", "vacancy__unit__site", "entry")
        .prefetch_related("entry__offers")
    }
    for row in ranked:
        item = row["item"]
        row["let"] = let = lets.get(item.referral_id)
        row["offer"] = next(iter(let.entry.offers.all()), None) if let else None
        row["skipped_in"] = list(item.skipped_in.select_related("vacancy__unit__site"))
        ranked_now = standing.get(item.pk)
        # Not in today's ranking: a later panel decided the referral again.
        row["standing"] = (
            "Decided again by a later panel"
            if ranked_now is None and let is None
            else (ranked_now.not_waiting if ranked_now else "")
        )
    pack = panel.packs.first()
    return render(
        request,
        "allocations/extracare/panel_detail.html",
        {
            "panel": panel,
            "rows": rows,
            "ranked": ranked,
            "assessment_shown": shown,
            "pack": pack,
            "may_offer": request.user.has_perm("allocations.add_extracarelet"),
            "may_download_pack": request.user.has_perms(
                ["allocations.view_extracarepanelpack", SPECIAL_CATEGORY]
            ),
        },
    )


@permission_required("allocations.change_extracarepanel", raise_exception=True)
@require_http_methods(["GET", "POST"])
def extracare_decision(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ExtraCarePanelItem.objects.select_related("panel", "referral__application__household"),
        pk=pk,
    )
    # Changing a recorded decision starts from the minutes as they stand.
    recorded = (
        {"decision": item.decision, "reasons": item.reasons, "ranking": item.ranking}
        if item.decision
        else {}
    )
    form = ExtraCareDecisionForm(posted_data(request), initial=recorded)
    result = form_page(
        request,
        form,
        title=f"The panel's decision: {household_name(item.referral.application.household)}",
        intro="Approved referrals are ranked: the next Extra Care home is offered in the "
        "panel's order.",
        back_url=item.panel.get_absolute_url(),
        save=lambda data: services.extracare_decision_record(
            item=item,
            decision=data["decision"],
            reasons=data["reasons"],
            ranking=data["ranking"],
            by=request.user,
        ),
    )
    return saved_then(request, result, "The panel's decision was recorded.", item.panel)


@permission_required("allocations.add_extracarepanelpack", raise_exception=True)
@require_http_methods(["POST"])
def extracare_pack_request(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(ExtraCarePanel, pk=pk)
    return button_post(
        request,
        action=lambda: services.extracare_pack_request(panel=panel, by=request.user),
        success="The panel pack is being prepared; it can be downloaded here when it is ready.",
        then=panel,
    )


@permission_required(
    ["allocations.view_extracarepanelpack", SPECIAL_CATEGORY], raise_exception=True
)
@require_GET
def extracare_pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    pack = get_object_or_404(ExtraCarePanelPack.objects.select_related("panel"), pk=pk)
    if pack.is_ready:
        referrals = ExtraCareReferral.objects.filter(panels=pack.panel).select_related(
            "application__household"
        )
        _assessments_shown(request, referrals, "extra care panel pack")
    return document_response(request, pack, filename=pack.document_filename(), back=pack.panel)


@permission_required("allocations.add_extracarelet", raise_exception=True)
@require_http_methods(["GET", "POST"])
def extracare_let_create(request: HttpRequest) -> HttpResponse:
    waiting = services.extracare_waiting()
    initial = {"vacancy_reference": request.GET.get("vacancy", "")[:20]}
    form = ExtraCareLetForm(posted_data(request), initial=initial, waiting=waiting)
    result = form_page(
        request,
        form,
        title="Offer an Extra Care home from the panel's ranking",
        intro="An Extra Care home is not let through bidding: it is offered to the approved "
        "referrals in the panel's ranking, the first still waiting unless you skip them with "
        "a reason. The offer is then replied to, approved and signed up like any other."
        + ("" if waiting else " No approved referral is waiting in the ranking now."),
        back_url=reverse("allocations:extracare-panel-list"),
        save=lambda data: services.extracare_let_make(
            vacancy=data["vacancy_reference"],
            item=data["referral"],
            skip_reason=data["skip_reason"],
            respond_by=data["respond_by"],
            adaptations_reason=data["adaptations_reason"],
            by=request.user,
        ),
        check=lambda data: services.extracare_let_problems(
            vacancy=data.get("vacancy_reference"),
            item=data.get("referral"),
            skip_reason=data.get("skip_reason", ""),
            respond_by=data.get("respond_by"),
            adaptations_reason=data.get("adaptations_reason", ""),
        ),
    )
    return saved_then(
        request,
        result,
        lambda let: (
            f"{let.vacancy.unit} was offered to "
            f"{selectors.application_named(let.item.referral.application)} "
            f"from the panel's ranking ({let.reference})."
        ),
        result,
    )


@permission_required("allocations.view_extracarelet", raise_exception=True)
@require_GET
def extracare_let_detail(request: HttpRequest, pk: int) -> HttpResponse:
    let = get_object_or_404(
        ExtraCareLet.objects.select_related(
            "vacancy__unit__site",
            "item__panel",
            "item__referral__application__household",
            "made_by",
        ),
        pk=pk,
    )
    skipped = [
        {"item": item, "household": household_name(item.referral.application.household)}
        for item in let.skipped.select_related(
            "panel", "referral__application__household"
        ).order_by("-panel__held_on", "ranking")
    ]
    return render(
        request,
        "allocations/extracare/let_detail.html",
        {
            "let": let,
            "household": household_name(let.item.referral.application.household),
            "skipped": skipped,
            "offer": let.entry.offers.first(),
        },
    )
