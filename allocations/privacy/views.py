"""The privacy pages: subject access requests, retention batches and the purge register."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods

from allocations.models import Purchaser
from allocations.privacy import selectors, services
from allocations.privacy.forms import (
    AnswerForm,
    BatchDecisionForm,
    ExemptionForm,
    ExportForm,
    SubjectAccessForm,
    SubjectAccessSearchForm,
)
from allocations.privacy.models import RetentionBatch, SubjectAccessRequest
from allocations.privacy.retention import RULE_BY_CODE, RULES
from config.forms import posted_data, service_errors_add
from config.kernel.dates import page_date
from config.pages import form_page, saved_then
from residents.models import Person

PAGE_SIZE = 25


def _request_or_404(pk: int) -> SubjectAccessRequest:
    try:
        return selectors.subject_access_detail(pk)
    except SubjectAccessRequest.DoesNotExist:
        raise Http404("No such subject access request") from None


@permission_required("privacy.view_subjectaccessrequest", raise_exception=True)
@require_GET
def sar_list(request: HttpRequest) -> HttpResponse:
    form = SubjectAccessSearchForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page_obj = Paginator(selectors.subject_access_list(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/sar_list.html", {"form": form, "page_obj": page_obj})


@permission_required("privacy.add_subjectaccessrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sar_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("household"), pk=person_id)
    form = SubjectAccessForm(posted_data(request), initial={"officer": request.user.pk})
    result = form_page(
        request,
        form,
        title=f"Subject access request from {person}",
        intro=f"{person} of household {person.household}. The export will hold everything "
        "recorded on them and their household.",
        back_url=person.household.get_absolute_url(),
        save=lambda data: services.subject_access_record(person=person, by=request.user, **data),
    )
    return saved_then(
        request,
        result,
        lambda sar: f"{sar} recorded: answer by {page_date(sar.deadline)}.",
        result,
    )


@permission_required("privacy.add_subjectaccessrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sar_create_purchaser(request: HttpRequest, purchaser_id: int) -> HttpResponse:
    """A request from a would-be buyer on the low-cost home ownership register, who may be
    nobody else in our records (found on the register by name or parish)."""
    purchaser = get_object_or_404(Purchaser, pk=purchaser_id)
    form = SubjectAccessForm(posted_data(request), initial={"officer": request.user.pk})
    result = form_page(
        request,
        form,
        title=f"Subject access request from {purchaser}",
        intro=f"{purchaser}, on the register of purchasers for low-cost home ownership. The "
        "export will hold their register entry, their nominations to resales and the resale "
        "steps that name them.",
        back_url=reverse("allocations:purchaser-list"),
        save=lambda data: services.subject_access_record(
            purchaser=purchaser, by=request.user, **data
        ),
    )
    return saved_then(
        request,
        result,
        lambda sar: f"{sar} recorded: answer by {page_date(sar.deadline)}.",
        result,
    )


@permission_required("privacy.view_subjectaccessrequest", raise_exception=True)
@require_GET
def sar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sar = _request_or_404(pk)
    return render(
        request,
        "privacy/sar_detail.html",
        {"sar": sar, "sections": selectors.subject_access_contents(sar)},
    )


@permission_required("privacy.add_subjectaccessexemption", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sar_exemption(request: HttpRequest, pk: int) -> HttpResponse:
    sar = _request_or_404(pk)
    form = ExemptionForm(posted_data(request))
    result = form_page(
        request,
        form,
        title="Withhold an item",
        intro="Say what is left out of the export and which exemption allows it; the list "
        "goes to the person with the export.",
        back_url=sar.get_absolute_url(),
        save=lambda data: services.subject_access_exemption_add(
            request=sar, by=request.user, **data
        ),
    )
    return saved_then(request, result, "Item withheld.", sar)


@permission_required("privacy.change_subjectaccessrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sar_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The zip, made on the spot (a few hundred rows and the person's files)."""
    sar = _request_or_404(pk)
    form = ExportForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            content = services.subject_access_export(request=sar, by=request.user)
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="SAR-{sar.pk}.zip"'
            return response
    return render(
        request,
        "privacy/sar_export.html",
        {"sar": sar, "form": form, "sections": selectors.subject_access_contents(sar)},
        status=400 if form.errors else 200,
    )


@permission_required("privacy.change_subjectaccessrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sar_answer(request: HttpRequest, pk: int) -> HttpResponse:
    sar = _request_or_404(pk)
    form = AnswerForm(posted_data(request))
    result = form_page(
        request,
        form,
        title=f"Mark {sar} as answered",
        back_url=sar.get_absolute_url(),
        save=lambda data: services.subject_access_answer(request=sar, by=request.user, **data),
    )
    return saved_then(request, result, f"{sar} answered.", sar)


# --- Retention -------------------------------------------------------------------------------


@permission_required("privacy.view_retentionbatch", raise_exception=True)
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.batch_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/batch_list.html", {"page_obj": page_obj, "rules": RULES})


@permission_required("privacy.view_retentionbatch", raise_exception=True)
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(selectors.batch_list(), pk=pk)
    return render(
        request,
        "privacy/batch_detail.html",
        {"batch": batch, "groups": selectors.batch_groups(batch)},
    )


def _batch_decision(request: HttpRequest, pk: int, *, confirm: bool) -> HttpResponse:
    batch = get_object_or_404(RetentionBatch, pk=pk)
    if confirm:
        form = BatchDecisionForm(
            posted_data(request), submit="Delete these records for good", warning=True
        )
    else:
        form = BatchDecisionForm(posted_data(request), submit="Cancel the batch")
    if request.method == "POST" and form.is_valid():
        try:
            if confirm:
                outcome = services.retention_batch_confirm(
                    batch=batch, reason=form.cleaned_data["reason"], by=request.user
                )
            else:
                services.retention_batch_cancel(
                    batch=batch, reason=form.cleaned_data["reason"], by=request.user
                )
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            if confirm:
                kept = (
                    f" {outcome.no_longer_due} no longer due were kept."
                    if outcome.no_longer_due
                    else ""
                )
                messages.success(request, f"{outcome.purged} records purged.{kept}")
            else:
                messages.success(request, "Batch cancelled: nothing was deleted.")
            return redirect(batch)
    return render(
        request,
        "privacy/batch_decide.html",
        {
            "batch": batch,
            "form": form,
            "confirm": confirm,
            "groups": selectors.batch_groups(batch),
        },
        status=400 if form.errors else 200,
    )


@permission_required("privacy.confirm_retentionbatch", raise_exception=True)
@require_http_methods(["GET", "POST"])
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_decision(request, pk, confirm=True)


@permission_required("privacy.confirm_retentionbatch", raise_exception=True)
@require_http_methods(["GET", "POST"])
def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_decision(request, pk, confirm=False)


@permission_required("privacy.view_purgeregisterentry", raise_exception=True)
@require_GET
def purge_register(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.purge_register(), PAGE_SIZE).get_page(request.GET.get("page"))
    # The rule and the record type in words, as the schedule and the batches name them.
    rows = [
        {
            "entry": entry,
            "rule": rule.title if (rule := RULE_BY_CODE.get(entry.rule)) else entry.rule,
            "record_type": _record_type_words(entry.record_type),
        }
        for entry in page_obj.object_list
    ]
    return render(
        request,
        "privacy/purge_register.html",
        {"page_obj": page_obj, "rows": rows, "back_url": reverse("privacy:batch-list")},
    )


def _record_type_words(record_type: str) -> str:
    try:
        return capfirst(str(apps.get_model(record_type)._meta.verbose_name_plural))
    except (LookupError, ValueError):
        return record_type
