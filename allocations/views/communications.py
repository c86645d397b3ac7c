"""The document inbox (business support uploads, officers file or forward) and a household's
communications log with its contacts."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.communications import (
    ContactForm,
    HouseholdSearchForm,
    InboxFileForm,
    InboxForwardForm,
    InboxUploadForm,
)
from allocations.models import Application, EvidenceDocument, InboxDocument
from allocations.views.applications import evidence_showing_log, evidence_shown_of
from allocations.views.common import PAGE_SIZE
from config.forms import posted_data, service_errors_add
from config.kernel.files import private_file_response
from config.pages import form_page, saved_then
from residents.models import Household, Person
from residents.search import household_search
from residents.services import special_category_views_record

SEARCH_KEY = "inbox_search_households"
SPECIAL_CATEGORY_PERMISSION = "config.view_special_category"


def _filed_as_shown(request: HttpRequest, documents, *, where: str) -> None:
    """Give each filed scan its `filed_as`, the type as this reader may see it: a type that is
    special-category data (a pregnancy) is withheld, with the file's name, from roles without
    special-category access (`restricted`) and, shown to those with it, the showing is
    logged."""
    may_read_special = request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)
    shown: dict[int, set[str]] = {}  # household → the special-category types shown
    for document in documents:
        special = document.kind in EvidenceDocument.SPECIAL_CATEGORY_KINDS
        # Its file name may say what it is ("matb1.pdf"): withheld with the type, as on the
        # communications log.
        document.restricted = special and not may_read_special
        if document.restricted:
            document.filed_as = "type restricted"
        else:
            document.filed_as = document.get_kind_display() or "type not given"
            if special and document.application is not None:
                shown.setdefault(document.application.household_id, set()).add(document.kind)
    if not shown:
        return
    # One read of the people and one insert, however many scans the page shows: against those
    # expecting in each household, or its every member when none has a due date recorded.
    households: dict[int, list[Person]] = {}
    for person in Person.objects.filter(household__in=shown).order_by("pk"):
        households.setdefault(person.household_id, []).append(person)
    # One insert for each set of types shown (at most three), however many households.
    by_fields: dict[tuple[str, ...], list[Person]] = {}
    for household_id, kinds in shown.items():
        people, fields = evidence_shown_of(kinds, households.get(household_id, []))
        by_fields.setdefault(tuple(fields), []).extend(people)
    for fields, people in by_fields.items():
        special_category_views_record(
            people=people, user=request.user, fields=list(fields), where=where
        )


@permission_required("allocations.view_inboxdocument", raise_exception=True)
@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", InboxDocument.Status.UNFILED)
    documents = selectors.inbox_list(status=status)
    page_obj = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    _filed_as_shown(request, page_obj.object_list, where="inbox")
    return render(
        request,
        "allocations/inbox_list.html",
        {"page_obj": page_obj, "status": status, "statuses": InboxDocument.Status.choices},
    )


@permission_required("allocations.add_inboxdocument", raise_exception=True)
@require_http_methods(["GET", "POST"])
def inbox_upload(request: HttpRequest) -> HttpResponse:
    form = InboxUploadForm(posted_data(request), request.FILES or None)
    result = form_page(
        request,
        form,
        title="Upload scanned post",
        intro="Scan the day's post and upload every file at once. An officer files each one "
        "to the household's application.",
        back_url=reverse("allocations:inbox-list"),
        save=lambda data: services.inbox_upload(uploads=data["files"], by=request.user),
    )
    return saved_then(
        request,
        result,
        lambda documents: (
            f"{len(documents)} document{'s' if len(documents) != 1 else ''} uploaded to the inbox."
        ),
        "allocations:inbox-list",
    )


def _search_households(request: HttpRequest, document: InboxDocument):
    ids = request.session.get(f"{SEARCH_KEY}:{document.pk}", [])
    if document.household_id and document.household_id not in ids:
        ids = [document.household_id, *ids]
    return Household.objects.filter(pk__in=ids)


@permission_required("allocations.change_inboxdocument", raise_exception=True)
@require_http_methods(["GET", "POST"])
def inbox_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Find the household (POST "search": the criteria stay in the session), then file the
    scan to one of its applications with its type; a filed scan moves only with a reason."""
    document = get_object_or_404(selectors.inbox_queryset(), pk=pk)
    searching = request.method == "POST" and "search" in request.POST
    search_form = HouseholdSearchForm(request.POST if searching else None, prefix="find")
    if searching and search_form.is_valid():
        found = household_search(
            name=search_form.cleaned_data["name"],
            reference=search_form.cleaned_data["reference"],
            date_of_birth=search_form.cleaned_data["date_of_birth"],
            postcode=search_form.cleaned_data["postcode"],
        )
        reference = search_form.cleaned_data["reference"].strip()
        ids = list(found.values_list("pk", flat=True)[:20])
        if reference:
            ids += list(
                Application.objects.filter(reference__icontains=reference).values_list(
                    "household_id", flat=True
                )[:20]
            )
        request.session[f"{SEARCH_KEY}:{document.pk}"] = ids
        if not ids:
            messages.error(request, "No household matches. Try fewer or other details.")
        return redirect("allocations:inbox-file", pk=document.pk)
    moving = document.status == InboxDocument.Status.FILED
    # The "File it" form has no reason: sent for a scan filed since it was drawn (a colleague
    # filed it, or the form was sent twice), it is not a move wanting a reason.
    if request.method == "POST" and not searching and moving and "reason" not in request.POST:
        messages.error(request, services.inbox_filed_since(document))
        return redirect("allocations:inbox-file", pk=document.pk)
    applications = selectors.household_open_applications(_search_households(request, document))
    form = InboxFileForm(
        posted_data(request) if not searching else None, applications=applications, moving=moving
    )
    status = 200
    if request.method == "POST" and not searching:
        if form.is_valid():
            try:
                services.inbox_file(
                    document=document,
                    application=applications.get(pk=form.cleaned_data["application"]),
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data.get("reason", ""),
                    seen_unfiled=not moving,
                    by=request.user,
                )
            except ValidationError as error:
                service_errors_add(form, error)
            else:
                messages.success(request, f"{document.original_name} was filed.")
                return redirect("allocations:inbox-list")
        status = 400
    elif searching:
        status = 400
    _filed_as_shown(request, [document], where="inbox-file")
    return render(
        request,
        "allocations/inbox_file.html",
        {
            "document": document,
            "search_form": search_form,
            "form": form,
            "applications": applications,
        },
        status=status,
    )


@permission_required("allocations.change_inboxdocument", raise_exception=True)
@require_http_methods(["GET", "POST"])
def inbox_forward(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(selectors.inbox_queryset(), pk=pk)
    form = InboxForwardForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Forward {document.original_name} to a colleague",
        back_url=document.get_absolute_url(),
        save=lambda data: services.inbox_forward(
            document=document, to=data["to"], note=data["note"], by=request.user
        ),
    )
    return saved_then(request, result, "Forwarded: it is in their queue.", "allocations:inbox-list")


@permission_required("allocations.view_inboxdocument", raise_exception=True)
@require_GET
def inbox_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(InboxDocument.objects.select_related("application"), pk=pk)
    if document.kind in EvidenceDocument.SPECIAL_CATEGORY_KINDS:
        # Filed as pregnancy evidence, the scan is health data, as on the application's page.
        if not request.user.has_perm(SPECIAL_CATEGORY_PERMISSION):
            raise PermissionDenied
        evidence_showing_log(
            document.application, kinds={document.kind}, user=request.user, where="inbox-download"
        )
    return private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@permission_required("allocations.view_contact", raise_exception=True)
@require_GET
def communications(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    entries = selectors.communications_log(
        household,
        may_open_documents=request.user.has_perm("allocations.view_inboxdocument"),
        may_send_again=request.user.has_perm("allocations.send_letter"),
        may_read_special=request.user.has_perm(SPECIAL_CATEGORY_PERMISSION),
    )
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = {entry.shows_special for entry in page_obj.object_list if entry.shows_special}
    if shown:
        people, fields = evidence_shown_of(shown, list(household.people.all()))
        special_category_views_record(
            people=people, user=request.user, fields=fields, where="communications"
        )
    return render(
        request,
        "allocations/communications.html",
        {
            "household": household,
            "page_obj": page_obj,
            "may_record": request.user.has_perm("allocations.add_contact"),
        },
    )


@permission_required("allocations.add_contact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    form = ContactForm(
        posted_data(request), applications=Application.objects.filter(household=household)
    )
    result = form_page(
        request,
        form,
        title=f"Record a call or visit: {household.reference}",
        back_url=household.get_absolute_url(),
        save=lambda data: services.contact_record(
            household=household, by=request.user, **form.service_kwargs()
        ),
    )
    return saved_then(
        request,
        result,
        "The contact was recorded.",
        reverse("allocations:communications", args=[household.pk]),
    )
