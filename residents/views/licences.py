"""Pages for licences and the people named on them or found on the pitch: thin views."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.forms import posted_data
from config.kernel.dates import page_date
from config.kernel.documents import document_response
from config.kernel.files import private_file_response
from config.pages import button_post, form_page, is_saved, saved_then
from residents import selectors, services
from residents.forms import licences as forms
from residents.models import (
    Licence,
    LicenceDocument,
)

PAGE_SIZE = 25


def licence_or_404(pk: int) -> Licence:
    return get_object_or_404(selectors.licence_detail_queryset(), pk=pk)


# --- Licences --------------------------------------------------------------------------------


@permission_required("residents.view_licence", raise_exception=True)
@require_GET
def licence_list(request: HttpRequest) -> HttpResponse:
    form = forms.LicenceSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_bound and form.is_valid() else {}
    licences = selectors.licence_search(q=criteria.get("q", ""), status=criteria.get("status", ""))
    page_obj = Paginator(licences, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "residents/licence_list.html",
        {"form": form, "page_obj": page_obj, "query": query.urlencode()},
    )


@permission_required("residents.view_licence", raise_exception=True)
@require_GET
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    return render(
        request, "residents/licence_detail.html", selectors.licence_page(licence, request.user)
    )


@permission_required("residents.change_licence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def licence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    if licence.is_tenancy:
        form = forms.TenancyForm(
            posted_data(request),
            initial={
                "start_date": licence.start_date,
                "weekly_rent": licence.weekly_rent,
                "service_charge": licence.service_charge,
            },
        )
        intro = "Changing the tenancy means its agreement is drawn again."
    else:
        form = forms.LicenceForm(
            posted_data(request),
            initial={
                "start_date": licence.start_date,
                "weekly_fee": licence.weekly_fee,
                "deposit": licence.deposit,
            },
        )
        intro = (
            "Changing the licence means its documents are drawn again and the written "
            "statement must be given again."
        )
    word = licence.agreement_word
    result = form_page(
        request,
        form,
        title=f"Change {word} {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro=intro,
        save=lambda data: services.licence_update(licence=licence, by=request.user, **data),
    )
    return saved_then(
        request, result, f"{word.capitalize()} {licence.reference} was changed.", licence
    )


@permission_required("residents.change_licence", raise_exception=True)
@require_POST
def licence_documents(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    return button_post(
        request,
        action=lambda: services.licence_documents_request(licence=licence, by=request.user),
        success=(
            "The tenancy agreement is being prepared."
            if licence.is_tenancy
            else "The written statement and licence agreement are being prepared."
        ),
        then=licence,
    )


@permission_required("residents.view_licencedocument", raise_exception=True)
@require_GET
def licence_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(selectors.licence_document_queryset(), pk=pk)
    return document_response(
        request,
        document,
        filename=f"{document.licence.reference}-{document.kind.replace('_', '-')}.pdf",
        back=document.licence,
    )


@permission_required("residents.view_licence", raise_exception=True)
@require_GET
def licence_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """A scan kept with a licence (written consent, a court order, succession evidence): for
    whoever may see the licence, as the licence page lists it."""
    evidence = get_object_or_404(selectors.licence_evidence_queryset(), pk=pk)
    return private_file_response(
        evidence.file,
        filename=f"{evidence.licence.reference}-{evidence.kind.replace('_', '-')}",
        content_type=evidence.content_type,
    )


@permission_required("residents.change_licence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def licence_statement(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    form = forms.StatementForm(posted_data(request), initial={"given_on": timezone.localdate()})
    intro = (
        "The Mobile Homes Act 1983 requires the written statement to be given to the "
        "licence holders at least 28 days before the agreement is signed, unless they consent "
        "in writing to a shorter period."
    )
    statement = selectors.licence_current_document(licence, LicenceDocument.Kind.WRITTEN_STATEMENT)
    if statement is not None:
        drawn_on = timezone.localdate(statement.requested_at)
        intro += (
            f" This statement was drawn up on {page_date(drawn_on)}: it was given then or later."
        )
    result = form_page(
        request,
        form,
        title=f"Record the written statement as given: licence {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro=intro,
        save=lambda data: services.licence_written_statement_give(
            licence=licence, given_on=data["given_on"], by=request.user
        ),
    )
    return saved_then(request, result, "The written statement was recorded as given.", licence)


@permission_required("residents.sign_licence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def licence_sign(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    word = licence.agreement_word
    form = forms.SignForm(
        posted_data(request),
        initial={"signed_on": timezone.localdate(), "keys_handed_over_on": timezone.localdate()},
        licence=licence,
    )
    moving_from = selectors.licence_live_elsewhere(licence)
    if licence.is_tenancy:
        intro = (
            "Record the signing once every tenant has signed the tenancy agreement, with the "
            "officer who witnessed it and the day the keys were handed over."
        )
    else:
        intro = "Record the signing once every licence holder has signed the agreement."
    first = selectors.licence_first_signing_date(licence)
    if first is not None:
        intro += f" It can be signed from {page_date(first)}" + (
            " (the licence holder consented in writing to less than 28 days)."
            if licence.short_notice_consent_on
            else ", 28 days after the written statement was given (Mobile Homes Act 1983)."
        )
    if moving_from is not None:
        intro += (
            f" This is a transfer: {moving_from.agreement_word} {moving_from.reference} on "
            f"{moving_from.unit} will end on {page_date(licence.start_date)}, when this one starts."
        )
    result = form_page(
        request,
        form,
        title=f"Sign {word} {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro=intro,
        save=lambda data: services.licence_sign(
            licence=licence,
            signed_on=data["signed_on"],
            witnessed_by=data["witnessed_by"],
            keys_handed_over_on=data.get("keys_handed_over_on"),
            by=request.user,
        ),
        check=lambda data: services.licence_sign_problems(
            licence=licence,
            signed_on=data.get("signed_on"),
            witnessed_by=data.get("witnessed_by"),
            keys_handed_over_on=data.get("keys_handed_over_on"),
            by=request.user,
        ),
    )
    return saved_then(
        request,
        result,
        lambda signed: (
            f"{word.capitalize()} {signed.reference} is signed and live."
            if signed.status == signed.Status.LIVE
            else f"{word.capitalize()} {signed.reference} is signed; it is live from "
            f"{page_date(signed.start_date)}."
        ),
        licence,
    )


@permission_required("residents.change_licence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def licence_consent(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    result = form_page(
        request,
        forms.ConsentForm(posted_data(request), request.FILES or None),
        title=f"Record written consent to less than 28 days: licence {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro="The Mobile Homes Act 1983 requires the written statement to be given at least "
        "28 days before the licence is signed, unless the licence holder consents in writing to "
        "a shorter period. Record their written consent and upload a scan of it.",
        save=lambda data: services.licence_short_notice_consent_record(
            licence=licence, consented_on=data["consented_on"], scan=data["scan"], by=request.user
        ),
    )
    return saved_then(request, result, "The written consent was recorded.", licence)


@permission_required("residents.end_licence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def licence_succession(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    result = form_page(
        request,
        forms.SuccessionForm(posted_data(request), request.FILES or None, licence=licence),
        title=f"Record a succession: licence {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro="On a licence holder's death, their husband, wife or civil partner, or failing "
        "one a member of their family, who lived there with them may succeed; where the licence "
        "is held jointly, the joint holder who survives carries it on. This licence ends "
        "on the date of death and a new one for the same pitch, linked to it, starts that day.",
        save=lambda data: services.licence_succeed(licence=licence, by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda new: (
            f"Licence {new.reference} now runs for {_successor_names(new)}, on "
            f"{new.succeeds.holder_died}'s death."
        ),
        result.get_absolute_url() if is_saved(result) else licence,
    )


def _successor_names(licence: Licence) -> str:
    holders = selectors.licence_holders(licence)
    return ", ".join(str(h.person) for h in holders) or "the successor"


@permission_required("residents.end_licence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def licence_end(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    word = licence.agreement_word
    if licence.is_tenancy:
        intro = (
            f"On the end date the people named on the tenancy stop and {licence.unit} becomes "
            "void (at once if that date has come). The tenant's notice to quit is at least 4 "
            "weeks. The council can end a tenancy only with a court's possession order. A "
            "transfer ends it when the new agreement is signed; a succession has its own step."
        )
    else:
        intro = (
            f"On the end date the people named on the licence stop and {licence.unit} becomes "
            "void (at once if that date has come). The licence holder's written notice is at "
            "least 4 weeks. The council can end a licence only through the court: for a breach "
            "not put right after a notice to remedy, the pitch not being their only or main "
            "home (for suspected abandonment, serve the notices first), or the home's "
            "condition harming the site."
        )
    result = form_page(
        request,
        forms.EndForm(posted_data(request), request.FILES or None, licence=licence),
        title=f"End {word} {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro=intro,
        save=lambda data: services.licence_end(licence=licence, by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda ended: (
            f"{word.capitalize()} {ended.reference} was ended; the unit is void."
            if ended.status == ended.Status.ENDED
            else f"{word.capitalize()} {ended.reference} will end on "
            f"{page_date(ended.end_date)}; the unit becomes void that day."
        ),
        licence,
    )


@permission_required("residents.end_licence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def introductory_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The introductory period's review: confirm, or extend by 6 months with the reason."""
    licence = licence_or_404(pk)
    if not request.user.has_perm("residents.review_introductory_tenancy", licence):
        raise PermissionDenied("Only a live introductory tenancy not yet confirmed is reviewed.")

    def record(data):
        if data["outcome"] == "extend":
            return services.tenancy_introductory_extend(
                tenancy=licence, reason=data["reason"], by=request.user
            )
        return services.tenancy_introductory_confirm(tenancy=licence, by=request.user)

    result = form_page(
        request,
        forms.IntroductoryReviewForm(posted_data(request)),
        title=f"Review introductory tenancy {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro=f"The introductory period ends on {page_date(licence.introductory_ends_on)}, "
        "when the tenancy becomes secure. It can be extended once, by 6 months, with a notice "
        f"served by {page_date(services.tenancy_review_due_on(licence))} (8 weeks before it "
        "ends) giving the reason; the tenant may ask for a review of that decision within 14 "
        "days.",
        save=record,
    )
    return saved_then(
        request,
        result,
        lambda reviewed: (
            f"The introductory period is extended to {page_date(reviewed.introductory_ends_on)}"
            f". The notice to the tenants, with the reason and their right to ask for a review "
            f"by {page_date(selectors.tenancy_review_right_until(reviewed))}, is under "
            "Letters to the tenants."
            if reviewed.introductory_review == reviewed.IntroductoryReview.EXTENDED
            else f"Confirmed: the tenancy is secure from "
            f"{page_date(reviewed.introductory_ends_on)}."
        ),
        licence,
    )


@permission_required("residents.add_licenceoccupant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def occupant_add(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    form = forms.OccupantAddForm(
        posted_data(request),
        household=licence.household,
        initial={"from_date": timezone.localdate()},
    )
    result = form_page(
        request,
        form,
        title=f"Add an authorised occupant to licence {licence.reference}",
        back_url=licence.get_absolute_url(),
        intro="Only people recorded in the household can be added. Add them to the household "
        "first if they are not.",
        save=lambda data: services.licence_occupant_add(licence=licence, by=request.user, **data),
    )
    return saved_then(
        request, result, lambda result: f"{result.person} is now an authorised occupant.", licence
    )


@permission_required("residents.change_licenceoccupant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def occupant_end(request: HttpRequest, pk: int) -> HttpResponse:
    named = get_object_or_404(selectors.licence_occupant_queryset(), pk=pk)
    result = form_page(
        request,
        forms.OccupantEndForm(posted_data(request)),
        title=f"Record that {named.person} no longer lives on the pitch",
        back_url=named.licence.get_absolute_url(),
        save=lambda data: services.licence_occupant_end(named=named, by=request.user, **data),
    )
    return saved_then(
        request, result, f"{named.person} was recorded as having left.", named.licence
    )


@permission_required("residents.change_licenceoccupant", raise_exception=True)
@require_POST
def occupant_role(request: HttpRequest, pk: int) -> HttpResponse:
    named = get_object_or_404(selectors.licence_occupant_queryset(), pk=pk)
    role = request.POST.get("role", "")
    return button_post(
        request,
        action=lambda: services.licence_occupant_role_change(
            named=named, role=role, by=request.user
        ),
        success=lambda result: f"{result.person} is now named as {result.role_word.lower()}.",
        then=named.licence,
    )


@permission_required("residents.add_unauthorisedoccupant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def unauthorised_occupant_create(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_or_404(pk)
    result = form_page(
        request,
        forms.UnauthorisedOccupantForm(
            posted_data(request), initial={"found_on": timezone.localdate()}
        ),
        title=f"Record someone living on {licence.unit} who is not on the licence",
        back_url=licence.get_absolute_url(),
        save=lambda data: services.unauthorised_occupant_record(
            unit=licence.unit, licence=licence, by=request.user, **data
        ),
    )
    return saved_then(
        request,
        result,
        lambda result: f"{result.name} was recorded as an unauthorised occupant.",
        licence,
    )


@permission_required("residents.change_unauthorisedoccupant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def unauthorised_occupant_update(request: HttpRequest, pk: int) -> HttpResponse:
    occupant = get_object_or_404(selectors.unauthorised_occupant_queryset(), pk=pk)
    back = (
        occupant.licence.get_absolute_url()
        if occupant.licence_id
        else occupant.unit.get_absolute_url()
    )
    result = form_page(
        request,
        forms.UnauthorisedOccupantUpdateForm(posted_data(request)),
        title=f"Update the record of {occupant.name}",
        back_url=back,
        save=lambda data: services.unauthorised_occupant_update(
            occupant=occupant, by=request.user, **data
        ),
    )
    return saved_then(
        request,
        result,
        lambda result: f"{occupant.name}: {result.get_status_display().lower()}.",
        back,
    )
