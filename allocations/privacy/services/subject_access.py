"""Subject access requests (UK GDPR art. 15): recorded, in the officer's queue until answered."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import Purchaser
from allocations.privacy.export import export_zip, household_special_given, shown_in
from allocations.privacy.models import SubjectAccessExemption, SubjectAccessRequest
from config.kernel.records import reason_required, save
from projects.services import work_item_create
from projects.work import source_key, work_item_complete_for_source
from residents.models import Person
from residents.services import special_category_views_record


def subject_access_deadline(received_on: date) -> date:
    """One calendar month from receipt (ICO: the same day next month, or the month's last day
    when it has none, as 31 January → 28 or 29 February)."""
    return received_on + relativedelta(months=1)


@transaction.atomic
def subject_access_record(
    *,
    person: Person | None = None,
    purchaser: Purchaser | None = None,
    received_on: date,
    how_received: str,
    officer: AbstractBaseUser,
    by: AbstractBaseUser,
) -> SubjectAccessRequest:
    """Record a request from a person on our records or from a low-cost home ownership
    purchaser; it sits in the officer's queue until it is answered."""
    if (person is None) == (purchaser is None):
        raise TypeError("A request is from a person or from a purchaser: give one.")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future"})
    if not officer.has_perm("privacy.change_subjectaccessrequest"):
        raise ValidationError(
            {"officer": "Choose an officer who may answer subject access requests"}
        )
    request = SubjectAccessRequest(
        person=person,
        purchaser=purchaser,
        received_on=received_on,
        deadline=subject_access_deadline(received_on),
        how_received=how_received.strip(),
        officer=officer,
    )
    save(request, by=by, reason="Subject access request received")
    work_item_create(
        kind="subject_access",
        title=f"Answer subject access request SAR-{request.pk}",
        due=request.deadline,
        about=request,
        assignee=officer,
        source_key=source_key("subject_access", request.pk),
        by=by,
    )
    return request


@transaction.atomic
def subject_access_exemption_add(
    *, request: SubjectAccessRequest, item: str, reason: str, by: AbstractBaseUser
) -> SubjectAccessExemption:
    """Record an item withheld from the export, with the exemption that allows it."""
    if request.status != SubjectAccessRequest.Status.OPEN:
        raise ValidationError("This request has been answered: nothing more can be withheld.")
    exemption = SubjectAccessExemption(
        request=request, item=item.strip(), reason=reason_required(reason), recorded_by=by
    )
    save(exemption, by=by, reason="Item withheld from the subject access export")
    return exemption


@transaction.atomic
def subject_access_export(*, request: SubjectAccessRequest, by: AbstractBaseUser) -> bytes:
    """The zip of everything held on the person; who made it, and when, is kept."""
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    content, sections = export_zip(request)
    request.exported_at = timezone.now()
    save(request, by=by, reason="Subject access export made")
    # The export shows the officer everything held on the person, special-category fields
    # and criminal-record answers among it: logged, as every showing is, naming each record
    # type it holds and each special-category field of those types (from the same sections
    # the zip was made from).
    # Special-category fields of the household's records are given unmarked only when the
    # household has one member (privacy/export.py MAY_CONCERN_ANOTHER); whoever's data such a
    # field holds, every member of the household is logged as shown.
    if request.person_id:  # a purchaser's record holds no special-category data
        people = [request.person]
        if household_special_given(sections):
            people += list(
                Person.objects.filter(household_id=request.person.household_id)
                .exclude(pk=request.person_id)
                .order_by("pk")
            )
        special_category_views_record(
            people=people,
            user=by,
            fields=shown_in(sections),
            where="subject access export",
        )
    return content


@transaction.atomic
def subject_access_answer(
    *, request: SubjectAccessRequest, answered_on: date, by: AbstractBaseUser
) -> SubjectAccessRequest:
    """Mark the request answered (the export sent); its work leaves the officer's queue."""
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SubjectAccessRequest.Status.OPEN:
        raise ValidationError("This request has already been answered.")
    if request.exported_at is None:
        raise ValidationError("Make the export before marking the request answered.")
    if answered_on < request.received_on or answered_on > timezone.localdate():
        raise ValidationError(
            {"answered_on": "The date answered must be between receipt and today"}
        )
    # The answer is the export sent, so it cannot go before the export was first made: an
    # earlier date would make a late answer look on time against the one-month deadline.
    first_made = (
        request.history.exclude(exported_at=None)
        .order_by("history_date", "history_id")
        .values_list("exported_at", flat=True)
        .first()
    )
    if first_made is not None and answered_on < timezone.localdate(first_made):
        raise ValidationError(
            {
                "answered_on": "The date answered cannot be before the export was first made, "
                f"on {timezone.localdate(first_made):%-d %B %Y}"
            }
        )
    request.status = SubjectAccessRequest.Status.ANSWERED
    request.answered_on = answered_on
    save(request, by=by, reason="Subject access request answered")
    work_item_complete_for_source(source_key("subject_access", request.pk), by=by)
    return request
