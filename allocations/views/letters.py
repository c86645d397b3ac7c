"""Letters to households: the post room (print, then mark posted), sending a letter that could
not be sent again, and the council's wording of each letter (administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allocations import services
from allocations.forms.letters import LetterHandedOverForm, LetterSendAgainForm, WordingForm
from allocations.models import Letter, LetterWording
from allocations.rules.wording import merge_fields
from allocations.selectors.wordings import (
    post_room_letters,
    posted_letters_recent,
    wording_current,
    wording_table,
    wording_versions,
)
from allocations.services.sending import letter_to
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data, service_errors_add
from config.kernel.documents import document_response
from config.pages import button_post, form_page, saved_then


@permission_required("allocations.post_letter", raise_exception=True)
@require_GET
def post_room(request: HttpRequest) -> HttpResponse:
    """Letters to print and post, oldest first, a page at a time (a renewal round can leave
    hundreds), with the last posted."""
    page_obj = Paginator(post_room_letters(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/post_room.html",
        {"page_obj": page_obj, "posted": posted_letters_recent(limit=20)},
    )


@permission_required("allocations.post_letter", raise_exception=True)
@require_GET
def post_room_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A letter's PDF, to print (only letters that go by post)."""
    letter = get_object_or_404(
        Letter.objects.select_related("application", "resale_case", "tenancy"),
        pk=pk,
        channel=Letter.Channel.POST,
    )
    return document_response(
        request,
        letter,
        filename=f"{letter.reference}-{letter.kind}-letter.pdf",
        back=reverse("allocations:post-room"),
    )


@permission_required("allocations.post_letter", raise_exception=True)
@require_POST
def letter_posted(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Letter.objects.select_related("application__household"), pk=pk)
    return button_post(
        request,
        action=lambda: services.letter_posted(letter=letter, by=request.user),
        success=f"{letter.get_kind_display()} letter to {letter.context.get('lead_name', '')} "
        f"({letter.reference}) marked posted.",
        then="allocations:post-room",
    )


@permission_required("allocations.send_letter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def letter_send_again(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Letter.objects.select_related("application__household"), pk=pk)
    if letter.application_id:
        household = letter.application.household
        details = (
            f"To {letter_to(letter)}. "
            f"Put right the household's details first (email {household.email or 'none'}; "
            f"prefers {household.get_preferred_contact_display().lower()})."
        )
    else:
        details = f"To {letter.addressee}: it can be posted again, or handed over."
    form = LetterSendAgainForm(posted_data(request), initial={"channel": letter.channel})
    result = form_page(
        request,
        form,
        title=f"Send the {letter.get_kind_display().lower()} letter again",
        intro=f"It could not be sent by {letter.get_channel_display().lower()}: "
        f"{letter.delivery_failure or 'no reason was given'}. {details}",
        back_url=letter.get_absolute_url(),
        save=lambda data: services.letter_send_again(
            letter=letter, channel=data["channel"], reason=data["reason"], by=request.user
        ),
    )
    return saved_then(
        request,
        result,
        lambda sent: f"The letter will be sent again by {sent.get_channel_display().lower()}.",
        letter.about,
    )


@permission_required("allocations.send_letter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def letter_handed_over(request: HttpRequest, pk: int) -> HttpResponse:
    """The case officer handed a letter over in person: when, and to whom."""
    letter = get_object_or_404(
        Letter.objects.select_related("application__household"),
        pk=pk,
        delivery=Letter.Delivery.TO_HAND_OVER,
    )
    form = LetterHandedOverForm(posted_data(request), initial={"on": timezone.localdate()})
    result = form_page(
        request,
        form,
        title=f"Record the {letter.get_kind_display().lower()} letter as handed over",
        intro=_hand_over_intro(letter),
        back_url=letter.get_absolute_url(),
        save=lambda data: services.letter_handed_over(
            letter=letter,
            handed_to=data["handed_to"],
            on=data["on"],
            note=data["note"],
            by=request.user,
        ),
    )
    return saved_then(request, result, "Recorded as handed over.", letter.about)


def _hand_over_intro(letter: Letter) -> str:
    if letter.application_id:
        household = letter.application.household
        return (
            f"To {letter_to(letter)}, who prefer "
            f"{household.get_preferred_contact_display().lower()}. Print it from the "
            "application's letters and hand it over first."
        )
    return (
        f"To {letter.addressee} ({letter.reference}), who has no postal address on record. "
        "Print it from the letters on its page and hand it over first."
    )


@permission_required("residents.view_licence", raise_exception=True)
@require_GET
def tenancy_letter_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A letter to a tenancy's tenants (the introductory review's notice)."""
    letter = get_object_or_404(
        Letter.objects.select_related("tenancy"), pk=pk, tenancy__isnull=False
    )
    return document_response(
        request,
        letter,
        filename=f"{letter.reference}-{letter.kind}-letter.pdf",
        back=letter.tenancy,
    )


# -- The council's wording (administrators) ------------------------------------------------


def _kind_and_variant(kind: str, variant: str) -> tuple[str, str]:
    if kind not in Letter.Kind.values or variant not in LetterWording.Variant.values:
        raise Http404("No such letter")
    return Letter.Kind(kind).label, LetterWording.Variant(variant).label


@permission_required("allocations.view_letterwording", raise_exception=True)
@require_GET
def wording_list(request: HttpRequest) -> HttpResponse:
    return render(request, "allocations/wording_list.html", {"rows": wording_table()})


@permission_required("allocations.view_letterwording", raise_exception=True)
@require_GET
def wording_history(request: HttpRequest, kind: str, variant: str) -> HttpResponse:
    kind_label, variant_label = _kind_and_variant(kind, variant)
    return render(
        request,
        "allocations/wording_history.html",
        {
            "kind": kind,
            "variant": variant,
            "kind_label": kind_label,
            "variant_label": variant_label,
            "versions": wording_versions(kind=kind, variant=variant),
            "today": timezone.localdate(),
        },
    )


@permission_required("allocations.add_letterwording", raise_exception=True)
@require_http_methods(["GET", "POST"])
def wording_new(request: HttpRequest, kind: str, variant: str) -> HttpResponse:
    """A new version: checked and previewed with a demo household, then saved (only the words
    the preview showed can be saved; changed words are previewed again first)."""
    kind_label, variant_label = _kind_and_variant(kind, variant)
    initial = {"effective_from": timezone.localdate()}
    try:
        current = wording_current(kind=kind, variant=variant)
    except LetterWording.DoesNotExist:
        current = None
    if current is not None:
        initial.update(subject=current.subject, body=current.body, email_text=current.email_text)
    form = WordingForm(posted_data(request), initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problems = services.wording_check(
            kind=kind, subject=data["subject"], body=data["body"], email_text=data["email_text"]
        )
        if problems:
            service_errors_add(form, ValidationError(problems))
        elif "save" in request.POST and data["previewed"] == form.fingerprint():
            try:
                wording = services.wording_add(
                    kind=kind,
                    variant=variant,
                    subject=data["subject"],
                    body=data["body"],
                    email_text=data["email_text"],
                    effective_from=data["effective_from"],
                    reason=data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                service_errors_add(form, error)
            else:
                messages.success(request, f"Version {wording.version} saved.")
                return redirect(wording)
        else:
            if "save" in request.POST:
                messages.info(request, "The words changed after the preview: check it again.")
            preview = services.wording_preview(
                kind=kind,
                variant=variant,
                subject=data["subject"],
                body=data["body"],
                email_text=data["email_text"],
            )
            form = WordingForm({**request.POST.dict(), "previewed": form.fingerprint()})
            form.is_valid()
    return render(
        request,
        "allocations/wording_form.html",
        {
            "form": form,
            "kind": kind,
            "variant": variant,
            "kind_label": kind_label,
            "variant_label": variant_label,
            "current": current,
            "preview": preview,
            "fields": merge_fields(kind),
        },
        status=400 if form.errors else 200,
    )
