"""Every write to households and people: validated, atomic, and recorded with who and why."""

import calendar
import hashlib
import uuid
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from config.history import system_user
from projects.services import work_item_complete, work_item_create, work_item_for_source
from residents import selectors
from residents.models import (
    Breach,
    HandbookEdition,
    HandbookIssue,
    HandbookSection,
    Household,
    Licence,
    LicenceDocument,
    LicenceOccupant,
    LicenceSigning,
    MeterReading,
    NewResidentVisit,
    Person,
    SpecialCategoryView,
    UnauthorisedOccupant,
)
from sites.models import Unit
from sites.services import unit_update

HOUSEHOLD_FIELDS = {
    "reference",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "preferred_contact",
    "interpreter_needed",
    "interpreter_language",
    "literacy_support",
    "easy_read",
    "large_print",
    "unit",
    "notes",
}
PERSON_FIELDS = {
    "first_name",
    "last_name",
    "other_names",
    "date_of_birth",
    "relationship",
    "sex",
    "partner",
    "pregnancy_due_date",
    "pregnancy_evidence",
    "ethnicity",
    "gypsy_traveller_status",
    "health_notes",
    "special_category_basis",
}
# The lead applicant is recorded with the household, before anyone else is in it.
LEAD_FIELDS = PERSON_FIELDS - {"relationship", "partner"}

# simple_history keeps a change's reason in a column of 100 characters.
REASON_MAX_LENGTH = 100
EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)
DUE_DATE_MONTHS_AHEAD = 10  # a pregnancy is confirmed some weeks in: 10 months is the most
DUE_DATE_MONTHS_PAST = 1  # after that, the baby is born (or the record is stale)


class PossibleDuplicates(ValidationError):
    """The person typed in may already be recorded: the officer must look and confirm."""

    def __init__(self, people: Iterable[Person]):
        self.people = list(people)
        super().__init__(
            "These people may already be recorded. Check them, then tick to confirm "
            "this is a different person.",
            code="possible_duplicate",
        )


def _check_fields(given: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def _save(instance, *, by: AbstractBaseUser, reason: str, exclude: list[str] | None = None):
    instance._history_user = by
    instance._change_reason = reason
    instance.full_clean(exclude=exclude)
    instance.save()


def _reason_required(reason: str) -> str:
    if not reason.strip():
        raise ValidationError("Give a reason for the change.")
    if len(reason.strip()) > REASON_MAX_LENGTH:
        raise ValidationError(
            f"The reason must be {REASON_MAX_LENGTH} characters or fewer.", code="max_length"
        )
    return reason.strip()


def _months_from(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _tidy_household(fields: dict[str, Any]) -> None:
    if fields.get("postcode"):
        fields["postcode"] = selectors.postcode_normalise(fields["postcode"])
    if "interpreter_needed" in fields and not fields["interpreter_needed"]:
        fields["interpreter_language"] = ""


def _next_reference() -> str:
    """H-000123: the next number from a database sequence, skipping any reference in use."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval('residents_household_reference_seq')")
            reference = f"H-{cursor.fetchone()[0]:06d}"
            if not Household.objects.filter(reference=reference).exists():
                return reference


def _person_rule_errors(person: Person, *, due_date_changed: bool) -> dict[str, str]:
    today = timezone.localdate()
    errors = {}
    if person.date_of_birth:
        if person.date_of_birth > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        elif person.date_of_birth < EARLIEST_DATE_OF_BIRTH:
            errors["date_of_birth"] = "Date of birth must be on or after 1 January 1900"
    due = person.pregnancy_due_date
    if due and due_date_changed:
        if due > _months_from(today, DUE_DATE_MONTHS_AHEAD):
            errors["pregnancy_due_date"] = (
                f"The due date must be within the next {DUE_DATE_MONTHS_AHEAD} months"
            )
        elif due < _months_from(today, -DUE_DATE_MONTHS_PAST):
            errors["pregnancy_due_date"] = (
                "The due date must be no more than 1 month ago: if the baby has been born, "
                "add them to the household and clear the due date"
            )
    if person.relationship == Person.Relationship.LEAD and person.household_id:
        other_lead = (
            Person.objects.filter(
                household_id=person.household_id, relationship=Person.Relationship.LEAD
            )
            .exclude(pk=person.pk)
            .first()
        )
        if other_lead:
            errors["relationship"] = (
                f"This household already has a lead applicant ({other_lead}): "
                "change their relationship first"
            )
    partner = person.partner
    if partner is not None:
        if person.pk is not None and partner.pk == person.pk:
            errors["partner"] = "A person cannot be their own partner"
        elif partner.household_id != person.household_id:
            errors["partner"] = "The partner must be in the same household"
        elif partner.partner_id not in (None, person.pk):
            errors["partner"] = (
                f"{partner} already has a partner recorded ({partner.partner}): change that first"
            )
    return errors


def _validate_person(person: Person, *, due_date_changed: bool, exclude=None) -> None:
    """The service's rules and the model's own checks, reported together."""
    if not person.pregnancy_due_date:
        person.pregnancy_evidence = ""  # evidence of a pregnancy no longer recorded
    errors = {
        field: [message]
        for field, message in _person_rule_errors(person, due_date_changed=due_date_changed).items()
    }
    try:
        # The constraints are checked on save, after the rules have given their plainer words.
        person.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)


def _merge(errors: dict[str, list[str]], error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        known = errors.setdefault(field, [])
        known.extend(message for message in messages if message not in known)


def _duplicates_check(person: Person, not_duplicate_of: Collection[int]) -> None:
    duplicates = [
        duplicate
        for duplicate in selectors.possible_duplicates(
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            exclude_pk=person.pk,
        )
        if duplicate.pk not in set(not_duplicate_of)
    ]
    if duplicates:
        raise PossibleDuplicates(duplicates)


def _partners_link(person: Person, *, previous_partner_id: int | None, by, reason: str) -> None:
    """Keep the partner link the same both ways: a couple shares a bedroom."""
    if person.partner_id == previous_partner_id:
        return
    # Anyone else still pointing at this person is no longer their partner.
    for former in (
        Person.objects.select_for_update().filter(partner=person).exclude(pk=person.partner_id)
    ):
        former.partner = None
        _save(former, by=by, reason=reason)
    if person.partner_id:
        partner = Person.objects.select_for_update().get(pk=person.partner_id)
        if partner.partner_id != person.pk:
            partner.partner = person
            _save(partner, by=by, reason=reason)


@transaction.atomic
def household_create(
    *,
    by: AbstractBaseUser,
    lead: dict[str, Any],
    not_duplicate_of: Collection[int] = (),
    reason: str = "New household recorded",
    **fields: Any,
) -> Household:
    """Record a household with its lead applicant, in one go.

    `not_duplicate_of` lists people the officer has looked at and confirmed are not the lead
    applicant; anyone else with the same names and date of birth stops the save.
    """
    _check_fields(fields, HOUSEHOLD_FIELDS)
    _check_fields(lead, LEAD_FIELDS)
    _tidy_household(fields)
    household = Household(**fields)
    if not household.reference:
        household.reference = _next_reference()
    lead_person = Person(household=household, relationship=Person.Relationship.LEAD, **lead)
    # Every problem with the household and its lead applicant at once, not one at a time.
    errors: dict[str, list[str]] = {}
    try:
        household.full_clean()
    except ValidationError as error:
        _merge(errors, error)
    try:
        _validate_person(lead_person, due_date_changed=True, exclude=["household"])
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)
    _duplicates_check(lead_person, not_duplicate_of)
    _save(household, by=by, reason=reason)
    lead_person.household = household
    _save(lead_person, by=by, reason=reason)
    return household


@transaction.atomic
def household_update(
    *, household: Household, by: AbstractBaseUser, reason: str, **fields: Any
) -> Household:
    _check_fields(fields, HOUSEHOLD_FIELDS)
    reason = _reason_required(reason)
    _tidy_household(fields)
    household = Household.objects.select_for_update().get(pk=household.pk)
    for name, value in fields.items():
        setattr(household, name, value)
    if not household.reference:
        raise ValidationError({"reference": "Enter the household reference"})
    _save(household, by=by, reason=reason)
    return household


@transaction.atomic
def person_add(
    *,
    household: Household,
    by: AbstractBaseUser,
    not_duplicate_of: Collection[int] = (),
    reason: str = "Person added to the household",
    **fields: Any,
) -> Person:
    _check_fields(fields, PERSON_FIELDS)
    # One person added at a time per household, so two leads cannot slip in side by side.
    household = Household.objects.select_for_update().get(pk=household.pk)
    person = Person(household=household, **fields)
    _validate_person(person, due_date_changed=True)
    _duplicates_check(person, not_duplicate_of)
    _save(person, by=by, reason=reason)
    _partners_link(person, previous_partner_id=None, by=by, reason=reason)
    return person


@transaction.atomic
def person_update(*, person: Person, by: AbstractBaseUser, reason: str, **fields: Any) -> Person:
    _check_fields(fields, PERSON_FIELDS)
    reason = _reason_required(reason)
    Household.objects.select_for_update().get(pk=person.household_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    previous_partner_id = person.partner_id
    previous_due_date = person.pregnancy_due_date
    for name, value in fields.items():
        setattr(person, name, value)
    _validate_person(person, due_date_changed=person.pregnancy_due_date != previous_due_date)
    # The old partner lets go first, so that no one is briefly anyone's second partner.
    if previous_partner_id and previous_partner_id != person.partner_id:
        former = Person.objects.select_for_update().get(pk=previous_partner_id)
        if former.partner_id == person.pk:
            former.partner = None
            _save(former, by=by, reason=reason)
    _save(person, by=by, reason=reason)
    _partners_link(person, previous_partner_id=previous_partner_id, by=by, reason=reason)
    return person


def special_category_views_record(
    *, people: Iterable[Person], user: AbstractBaseUser, fields: Iterable[str], where: str
) -> None:
    """Log that `user` was shown these special-category fields of each person (one insert)."""
    fields = sorted(fields)
    now = timezone.now()
    SpecialCategoryView.objects.bulk_create(
        [
            SpecialCategoryView(person=person, user=user, fields=fields, where=where, viewed_at=now)
            for person in people
        ]
    )


# --- Licences --------------------------------------------------------------------------------

NOTICE_PERIOD = timedelta(weeks=4)  # Mobile Homes Act 1983 as applied: the occupier's notice
VISIT_DAYS = 7  # a new-resident visit not complete this long after signing reminds the officer
CONSTRAINT_ONE_LIVE_LICENCE = "one_live_licence_per_unit"

END_REASON_TO_VOID_REASON = {
    Licence.EndReason.NOTICE: Unit.VoidReason.END_OF_LICENCE,
    Licence.EndReason.COURT_ORDER: Unit.VoidReason.EVICTION,
    Licence.EndReason.TRANSFER: Unit.VoidReason.TRANSFER,
    Licence.EndReason.DEATH: Unit.VoidReason.DEATH,
    Licence.EndReason.ABANDONMENT: Unit.VoidReason.ABANDONMENT,
}


def licence_reference_next() -> str:
    """L-000123: the next number from a database sequence, skipping any reference in use."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval('residents_licence_reference_seq')")
            reference = f"L-{cursor.fetchone()[0]:06d}"
            if not Licence.objects.filter(reference=reference).exists():
                return reference


def _locked_licence(licence: Licence) -> Licence:
    return (
        Licence.objects.select_for_update()
        .select_related("unit__site", "household")
        .get(pk=licence.pk)
    )


def _licence_save(licence: Licence, *, by, reason: str) -> None:
    """Save a licence; the database's exclusion constraint has the last word on overlaps."""
    licence._history_user = by
    licence._change_reason = reason[:REASON_MAX_LENGTH]
    licence.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            licence.save()
    except IntegrityError as error:
        if CONSTRAINT_ONE_LIVE_LICENCE in str(error):
            raise ValidationError(
                f"{licence.unit} already has a live licence for some of these dates: "
                "only one licence can run on a unit at a time.",
                code="overlapping_licence",
            ) from None
        raise


def _overlapping_live_licence(licence: Licence) -> Licence | None:
    others = Licence.objects.filter(unit_id=licence.unit_id).exclude(status=Licence.Status.DRAFT)
    others = others.exclude(pk=licence.pk).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=licence.start_date)
    )
    if licence.end_date:
        others = others.filter(start_date__lt=licence.end_date)
    return others.first()


def licence_holders(licence: Licence) -> list[LicenceOccupant]:
    return [
        named
        for named in licence.occupants.select_related("person").filter(to_date__isnull=True)
        if named.role == LicenceOccupant.Role.HOLDER
    ]


def _deposit_for(weekly_fee: Decimal, weeks: int | None = None) -> Decimal:
    # The allocation policy's deposit: a number of weeks' pitch fee (the setting when the
    # caller does not say; two by default).
    weeks = settings.LICENCE_DEPOSIT_WEEKS if weeks is None else weeks
    return (weekly_fee * weeks).quantize(Decimal("0.01"))


@transaction.atomic
def licence_draft_create(
    *,
    household: Household,
    unit: Unit,
    start_date: date,
    by: AbstractBaseUser,
    reason: str = "",
    officer: AbstractBaseUser | None = None,
    deposit_weeks: int | None = None,
) -> Licence:
    """Prepare a draft licence for an approved allocation (called by the allocations app).

    `deposit_weeks` is the policy's deposit (the allocations app passes the policy version's
    `deposit_weeks`); without it, `LICENCE_DEPOSIT_WEEKS`.

    The lead person is the licence holder; everyone else in the household is an authorised
    occupant. The fee is the unit's weekly charge, the deposit the policy's weeks of fee, and
    the terms those in force. Nothing is live until the licence is signed. "Sign up licence"
    goes to `officer`'s queue (say, the officer who ran the case) or, without one, to the
    officers' queue: `by` is usually the team leader who approved the allocation.
    """
    # Called again for the same approval (a retry): the draft already made is the answer.
    existing = Licence.objects.filter(
        household=household, unit=unit, status=Licence.Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    people = list(household.people.all())
    lead = next((p for p in people if p.relationship == Person.Relationship.LEAD), None)
    if lead is None:
        raise ValidationError(
            f"Household {household.reference} has no lead person to hold the licence: "
            "record one first."
        )
    if unit.site.status == unit.site.Status.CLOSED:
        raise ValidationError(f"{unit.site} is closed: a licence cannot start there.")
    licence = Licence(
        reference=licence_reference_next(),
        household=household,
        unit=unit,
        status=Licence.Status.DRAFT,
        start_date=start_date,
        weekly_fee=unit.weekly_charge,
        deposit=_deposit_for(unit.weekly_charge, deposit_weeks),
        terms_version=settings.LICENCE_TERMS_VERSION,
    )
    _licence_save(licence, by=by, reason=reason or "Licence prepared from an approved allocation")
    for person in [lead, *(p for p in people if p.pk != lead.pk)]:
        named = LicenceOccupant(
            licence=licence,
            person=person,
            role=(
                LicenceOccupant.Role.HOLDER
                if person.pk == lead.pk
                else LicenceOccupant.Role.OCCUPANT
            ),
            from_date=start_date,
        )
        _save(named, by=by, reason="Named on the draft licence")
    work_item_create(
        kind="licence_sign_up",
        kind_label="Licence sign-up",
        title=f"Sign up licence {licence.reference} ({unit})",
        due=max(start_date, timezone.localdate()),
        about=licence,
        assignee=officer,
        role=None if officer is not None else "officer",
        source_key=f"licence-sign-up-{licence.pk}",
        by=by,
    )
    return licence


def _documents_supersede(licence: Licence, *, by) -> None:
    for document in licence.documents.filter(superseded_at__isnull=True):
        document.superseded_at = timezone.now()
        _save(document, by=by, reason="Licence changed: document superseded")


@transaction.atomic
def licence_update(
    *,
    licence: Licence,
    by: AbstractBaseUser,
    reason: str,
    start_date: date | None = None,
    weekly_fee: Decimal | None = None,
    deposit: Decimal | None = None,
) -> Licence:
    """Change a draft licence's terms. Its documents (and any written statement given for
    them) no longer describe it, so they are superseded and the statement must be given again."""
    reason = _reason_required(reason)
    licence = _locked_licence(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("Only a licence being prepared can be changed.")
    if start_date is not None:
        licence.start_date = start_date
        for named in licence.occupants.select_for_update().filter(to_date__isnull=True):
            named.from_date = start_date
            _save(named, by=by, reason="Licence start date changed")
    if weekly_fee is not None:
        licence.weekly_fee = weekly_fee
    if deposit is not None:
        licence.deposit = deposit
    licence.written_statement_given_on = None
    licence.written_statement_given_by = None
    _licence_save(licence, by=by, reason=reason)
    _documents_supersede(licence, by=by)
    return licence


def _current_document(licence: Licence, kind: str) -> LicenceDocument | None:
    return (
        licence.documents.filter(kind=kind, superseded_at__isnull=True)
        .order_by("-requested_at", "-pk")
        .first()
    )


@transaction.atomic
def licence_documents_request(*, licence: Licence, by: AbstractBaseUser) -> list[LicenceDocument]:
    """Have the written statement and the agreement drawn to PDF once this commits."""
    from residents import documents
    from residents.tasks import licence_document_render

    licence = _locked_licence(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("The documents of a signed licence are kept as they were signed.")
    _documents_supersede(licence, by=by)
    made = []
    for kind in (LicenceDocument.Kind.WRITTEN_STATEMENT, LicenceDocument.Kind.AGREEMENT):
        document = LicenceDocument(
            licence=licence,
            kind=kind,
            template_version=licence.terms_version,
            context=documents.licence_context(licence),
            requested_by=by,
        )
        _save(document, by=by, reason="Document requested")
        made.append(document)
        transaction.on_commit(lambda pk=document.pk: licence_document_render.delay(document_id=pk))
    # A statement given for the old documents is not the statement of these.
    if licence.written_statement_given_on:
        licence.written_statement_given_on = None
        licence.written_statement_given_by = None
        _licence_save(licence, by=by, reason="Documents drawn again: statement to give again")
    return made


def licence_document_render(*, document_id: int) -> str:
    """Draw a document's PDF and mark it ready in one step; a second run finds it ready.

    Drawn outside any transaction (it takes seconds); then the row is locked and the file,
    its checksum and the status written together, so a crash leaves it requested, never half
    written. A ready document is never drawn again.
    """
    from residents import documents

    document = LicenceDocument.objects.get(pk=document_id)
    if document.status == LicenceDocument.Status.READY:
        return "already ready"
    pdf = documents.licence_document_pdf(document)
    with transaction.atomic():
        document = LicenceDocument.objects.select_for_update().get(pk=document_id)
        if document.status == LicenceDocument.Status.READY:
            return "already ready"
        document.file.save(
            f"{document.licence_id}-{document.kind}-{uuid.uuid4().hex}.pdf",
            ContentFile(pdf),
            save=False,
        )
        document.sha256 = hashlib.sha256(pdf).hexdigest()
        document.status = LicenceDocument.Status.READY
        document.ready_at = timezone.now()
        document.failure = ""
        _save(document, by=system_user(), reason="Document drawn")
    return "ready"


@transaction.atomic
def licence_document_failed(*, document_id: int, failure: str) -> None:
    document = LicenceDocument.objects.select_for_update().get(pk=document_id)
    if document.status == LicenceDocument.Status.READY:
        return
    document.status = LicenceDocument.Status.FAILED
    document.failure = failure[:1000]
    _save(document, by=system_user(), reason="Document could not be drawn")


@transaction.atomic
def licence_written_statement_give(
    *, licence: Licence, given_on: date, by: AbstractBaseUser
) -> Licence:
    """Record that the written statement was given to the licence holders (MHA 1983 s.1)."""
    licence = _locked_licence(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("The written statement is given before the licence is signed.")
    statement = _current_document(licence, LicenceDocument.Kind.WRITTEN_STATEMENT)
    if statement is None or statement.status != LicenceDocument.Status.READY:
        raise ValidationError(
            "The written statement is not ready yet: prepare the documents and wait for them."
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "The date given must be today or in the past"})
    licence.written_statement_given_on = given_on
    licence.written_statement_given_by = by
    _licence_save(licence, by=by, reason="Written statement given")
    return licence


def _household_live_licence_elsewhere(licence: Licence) -> Licence | None:
    return (
        Licence.objects.select_for_update()
        .filter(household_id=licence.household_id, status=Licence.Status.LIVE)
        .exclude(pk=licence.pk)
        .exclude(unit_id=licence.unit_id)
        .first()
    )


@transaction.atomic
def licence_sign(
    *, licence: Licence, signed_on: date, witnessed_by: AbstractBaseUser, by: AbstractBaseUser
) -> Licence:
    """Record the licence as signed and make it live.

    Refused unless the written statement was given on or before the signing day (MHA 1983)
    and the agreement's PDF is ready; the exact PDF signed is kept with the signing. Where
    the household holds a licence on another of the council's units, this is a transfer: that
    licence ends the day this one starts, in the same transaction. Two officers signing
    overlapping licences on one unit at once: the database lets exactly one succeed.
    """
    licence = _locked_licence(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError(f"Licence {licence.reference} is already signed.")
    if licence.written_statement_given_on is None:
        raise ValidationError(
            "The written statement must be given before the licence is signed "
            "(Mobile Homes Act 1983): record when it was given first."
        )
    errors = {}
    if signed_on < licence.written_statement_given_on:
        errors["signed_on"] = "The licence cannot be signed before the written statement was given"
    elif signed_on > timezone.localdate():
        errors["signed_on"] = "The date signed must be today or in the past"
    if not witnessed_by.has_perm("residents.sign_licence"):
        errors["witnessed_by"] = "The witness must be an officer who can sign up licences"
    if errors:
        raise ValidationError(errors)
    agreement = _current_document(licence, LicenceDocument.Kind.AGREEMENT)
    statement = _current_document(licence, LicenceDocument.Kind.WRITTEN_STATEMENT)
    if agreement is None or agreement.status != LicenceDocument.Status.READY:
        raise ValidationError("The licence agreement PDF is not ready yet.")
    holders = licence_holders(licence)
    if not holders:
        raise ValidationError("Name at least one licence holder before signing.")
    old = _household_live_licence_elsewhere(licence)
    if old is not None:
        if licence.start_date <= old.start_date:
            raise ValidationError(
                f"This is a transfer from licence {old.reference}, which started on "
                f"{old.start_date:%-d %B %Y}: the new licence must start after that."
            )
        _licence_end(
            old,
            end_date=licence.start_date,
            reason=Licence.EndReason.TRANSFER,
            notes=f"Transferred to {licence.unit} under licence {licence.reference}",
            by=by,
        )
    if (other := _overlapping_live_licence(licence)) is not None:
        raise ValidationError(
            f"{licence.unit} already has a live licence ({other.reference}) for some of these "
            "dates: only one licence can run on a unit at a time."
        )
    licence.status = Licence.Status.LIVE
    licence.signed_on = signed_on
    _licence_save(licence, by=by, reason="Licence signed")
    signing = LicenceSigning(
        licence=licence,
        signed_on=signed_on,
        witnessed_by=witnessed_by,
        holders=[{"person_id": h.person_id, "name": str(h.person)} for h in holders],
        agreement=agreement,
        written_statement=statement,
        agreement_sha256=agreement.sha256,
        recorded_by=by,
    )
    _save(signing, by=by, reason="Licence signed")
    unit = licence.unit
    if unit.status != Unit.Status.OCCUPIED:
        unit_update(unit=unit, status=Unit.Status.OCCUPIED, by=by, reason="Licence signed")
    household = Household.objects.select_for_update().get(pk=licence.household_id)
    household.unit = unit
    _save(household, by=by, reason=f"Licence {licence.reference} signed")
    item = work_item_for_source(f"licence-sign-up-{licence.pk}")
    if item is not None and item.status == item.Status.OPEN:
        work_item_complete(item=item, by=by)
    _visit_start(licence, by=by, on=signed_on)
    return licence


def _licence_end(licence: Licence, *, end_date: date, reason: str, notes: str, by) -> Licence:
    """Record how and when a licence ends. An end date still to come leaves it live (the
    household is still there, the unit is not void): `licences_end_due`, run daily by beat,
    closes it on the day."""
    licence.end_date = end_date
    licence.end_reason = reason
    licence.end_notes = notes
    if end_date > timezone.localdate():
        _licence_save(
            licence,
            by=by,
            reason=f"Licence to end on {end_date:%-d %B %Y}: {licence.get_end_reason_display()}",
        )
        return licence
    return _licence_close(licence, by=by)


def _licence_close(licence: Licence, *, by) -> Licence:
    """The day a licence ends: the people named on it stop and the unit becomes void."""
    end_date = licence.end_date
    licence.status = Licence.Status.ENDED
    _licence_save(licence, by=by, reason=f"Licence ended: {licence.get_end_reason_display()}")
    for named in licence.occupants.select_for_update().filter(to_date__isnull=True):
        named.to_date = end_date
        _save(named, by=by, reason="Licence ended")
    # A new licence may already have started on the unit that day (a pitch re-let at once):
    # then the unit stays occupied.
    if not Licence.objects.filter(
        unit_id=licence.unit_id, status=Licence.Status.LIVE, start_date__lte=end_date
    ).exists():
        unit_update(
            unit=licence.unit,
            status=Unit.Status.VOID,
            void_date=end_date,
            void_reason=END_REASON_TO_VOID_REASON.get(licence.end_reason, Unit.VoidReason.OTHER),
            by=by,
            reason=f"Licence {licence.reference} ended",
        )
    household = Household.objects.select_for_update().get(pk=licence.household_id)
    if household.unit_id == licence.unit_id:
        household.unit = None
        _save(household, by=by, reason=f"Licence {licence.reference} ended")
    return licence


def licences_end_due(*, today: date, by: AbstractBaseUser) -> int:
    """Close every live licence whose end date has come; one at a time, each in its own
    transaction, skipping any another worker holds. Running it twice closes each once."""
    closed = 0
    while True:
        with transaction.atomic():
            licence = (
                Licence.objects.select_for_update(skip_locked=True)
                .filter(status=Licence.Status.LIVE, end_date__lte=today)
                .order_by("pk")
                .first()
            )
            if licence is None:
                return closed
            _licence_close(licence, by=by)
            closed += 1


@transaction.atomic
def licence_end(
    *,
    licence: Licence,
    end_date: date,
    reason: str,
    by: AbstractBaseUser,
    notice_given_on: date | None = None,
    notes: str = "",
) -> Licence:
    """End a live licence: the people named on it stop, and the unit becomes void — today
    if the end date has come, otherwise on the day (see `licences_end_due`).

    The occupier's notice must be at least 4 weeks; the council's own ending is only by
    court order (MHA 1983 as applied to council sites).
    """
    licence = _locked_licence(licence)
    if licence.status != Licence.Status.LIVE:
        raise ValidationError("Only a live licence can be ended.")
    if licence.end_date:
        raise ValidationError(
            f"This licence already ends on {licence.end_date:%-d %B %Y} "
            f"({licence.get_end_reason_display().lower()})."
        )
    if reason not in Licence.EndReason.values:
        raise ValidationError({"reason": "Select why the licence is ending"})
    if reason == Licence.EndReason.TRANSFER:
        raise ValidationError(
            {
                "reason": "A transfer ends this licence when the new licence is signed: "
                "prepare the new licence instead"
            }
        )
    errors = {}
    if end_date <= licence.start_date:
        errors["end_date"] = "The end date must be after the licence started"
    if reason == Licence.EndReason.NOTICE:
        if notice_given_on is None:
            errors["notice_given_on"] = "Enter the date the licence holder gave notice"
        elif end_date < notice_given_on + NOTICE_PERIOD:
            errors["end_date"] = (
                "The licence holder's notice is 4 weeks: the end date must be on or after "
                f"{notice_given_on + NOTICE_PERIOD:%-d %B %Y}"
            )
    if errors:
        raise ValidationError(errors)
    licence.notice_given_on = notice_given_on if reason == Licence.EndReason.NOTICE else None
    return _licence_end(licence, end_date=end_date, reason=reason, notes=notes, by=by)


# --- Occupants -------------------------------------------------------------------------------


@transaction.atomic
def licence_occupant_add(
    *, licence: Licence, person: Person, from_date: date, by: AbstractBaseUser
) -> LicenceOccupant:
    """Authorise someone to live on the pitch under the licence."""
    licence = _locked_licence(licence)
    if licence.status == Licence.Status.ENDED:
        raise ValidationError("The licence has ended.")
    if licence.occupants.filter(person=person, to_date__isnull=True).exists():
        raise ValidationError({"person": f"{person} is already named on this licence"})
    if from_date < licence.start_date:
        raise ValidationError({"from_date": "The date must be on or after the licence starts"})
    named = LicenceOccupant(
        licence=licence, person=person, role=LicenceOccupant.Role.OCCUPANT, from_date=from_date
    )
    _save(named, by=by, reason="Authorised occupant added")
    if licence.status == Licence.Status.DRAFT:
        _licence_changed_after_documents(licence, by=by)
    return named


HOLDER_MIN_AGE = 18  # pitch policies: a licence holder is an adult


@transaction.atomic
def licence_occupant_role_change(
    *, named: LicenceOccupant, role: str, by: AbstractBaseUser
) -> LicenceOccupant:
    """Name someone as a joint licence holder, or back as an occupant, before signing (every
    holder signs, and each is given the written statement)."""
    named = LicenceOccupant.objects.select_for_update().select_related("person").get(pk=named.pk)
    licence = _locked_licence(named.licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("Licence holders are named before the licence is signed.")
    if role not in LicenceOccupant.Role.values:
        raise ValidationError("Choose licence holder or authorised occupant.")
    if named.to_date is not None or named.role == role:
        return named
    if (
        role == LicenceOccupant.Role.HOLDER
        and named.person.age_on(licence.start_date) < HOLDER_MIN_AGE
    ):
        raise ValidationError(f"{named.person} will be under {HOLDER_MIN_AGE} on the start date.")
    if role == LicenceOccupant.Role.OCCUPANT and len(licence_holders(licence)) == 1:
        raise ValidationError("A licence needs at least one licence holder.")
    named.role = role
    _save(named, by=by, reason=f"Named as {named.get_role_display().lower()}")
    _licence_changed_after_documents(licence, by=by)
    return named


def _licence_changed_after_documents(licence: Licence, *, by) -> None:
    """The documents name the holders: drawn before the change, they no longer say the same."""
    if licence.documents.filter(superseded_at__isnull=True).exists():
        _documents_supersede(licence, by=by)
    if licence.written_statement_given_on:
        licence.written_statement_given_on = None
        licence.written_statement_given_by = None
        _licence_save(licence, by=by, reason="Holders changed: statement to give again")


@transaction.atomic
def licence_occupant_end(
    *, named: LicenceOccupant, to_date: date, by: AbstractBaseUser, reason: str
) -> LicenceOccupant:
    named = LicenceOccupant.objects.select_for_update().get(pk=named.pk)
    if named.to_date is not None:
        raise ValidationError(f"{named.person} is no longer named on this licence.")
    if named.role == LicenceOccupant.Role.HOLDER:
        raise ValidationError("A licence holder leaves only when the licence ends.")
    if to_date < named.from_date:
        raise ValidationError({"to_date": "The date must be on or after they were authorised"})
    named.to_date = to_date
    _save(named, by=by, reason=_reason_required(reason))
    if named.licence.status == Licence.Status.DRAFT:
        _licence_changed_after_documents(_locked_licence(named.licence), by=by)
    return named


@transaction.atomic
def unauthorised_occupant_record(
    *,
    unit: Unit,
    name: str,
    found_on: date,
    where_found: str,
    by: AbstractBaseUser,
    licence: Licence | None = None,
    approximate_age: int | None = None,
    notes: str = "",
) -> UnauthorisedOccupant:
    """Someone found living on a pitch who is not named on its licence (visit or census)."""
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": "The date found must be today or in the past"})
    if licence is None:
        licence = unit.licences.filter(status=Licence.Status.LIVE).first()
    occupant = UnauthorisedOccupant(
        unit=unit,
        licence=licence,
        name=name,
        approximate_age=approximate_age,
        found_on=found_on,
        found_by=by,
        where_found=where_found,
        notes=notes,
    )
    _save(occupant, by=by, reason="Unauthorised occupant recorded")
    return occupant


@transaction.atomic
def unauthorised_occupant_update(
    *, occupant: UnauthorisedOccupant, status: str, by: AbstractBaseUser, reason: str
) -> UnauthorisedOccupant:
    """Close an unauthorised occupant's record: since authorised, or has left."""
    occupant = UnauthorisedOccupant.objects.select_for_update().get(pk=occupant.pk)
    if status not in UnauthorisedOccupant.Status.values:
        raise ValidationError({"status": "Select what has happened"})
    if occupant.status != UnauthorisedOccupant.Status.OPEN:
        raise ValidationError(f"{occupant.name}'s record is already closed.")
    occupant.status = status
    _save(occupant, by=by, reason=_reason_required(reason))
    return occupant


# --- New-resident visit ----------------------------------------------------------------------


def _visit_start(licence: Licence, *, by, on: date) -> NewResidentVisit:
    visit = NewResidentVisit(licence=licence, officer=by, due_on=on + timedelta(days=VISIT_DAYS))
    _save(visit, by=by, reason="Licence signed: new-resident visit due")
    # Not complete within 7 days: the reminders task (projects) emails the officer, because
    # the work item is then overdue.
    work_item_create(
        kind="new_resident_visit",
        kind_label="New-resident visit",
        title=f"Complete the new-resident visit for licence {licence.reference}",
        due=visit.due_on,
        about=visit,
        assignee=by,
        source_key=f"new-resident-visit-{visit.pk}",
        by=by,
    )
    return visit


def _locked_visit(visit: NewResidentVisit) -> NewResidentVisit:
    visit = (
        NewResidentVisit.objects.select_for_update()
        .select_related("licence__unit__site", "licence__household")
        .get(pk=visit.pk)
    )
    if visit.completed_on is not None:
        raise ValidationError("This visit is complete.")
    return visit


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "The date must be today or in the past"})


def visit_meters_needed(visit: NewResidentVisit) -> list[str]:
    """The meters the pitch has; gas only where the pitch has it."""
    unit = visit.licence.unit
    wanted = {
        MeterReading.Meter.ELECTRICITY: unit.has_electricity_meter,
        MeterReading.Meter.WATER: unit.has_water_meter,
        MeterReading.Meter.GAS: unit.has_gas_meter,
    }
    return [meter for meter, present in wanted.items() if present]


def visit_outstanding(visit: NewResidentVisit) -> list[str]:
    """What is still to do on the visit, in words, in checklist order."""
    outstanding = []
    if visit.visited_on is None:
        outstanding.append("Record the date of the visit")
    if visit.handbook_issued_on is None:
        outstanding.append("Issue the site handbook")
    if visit.policies_issued_on is None:
        outstanding.append("Issue the policies")
    read = {reading.meter for reading in visit.meter_readings.all()}
    labels = dict(MeterReading.Meter.choices)
    for meter in visit_meters_needed(visit):
        if meter not in read:
            outstanding.append(f"Take the {labels[meter].lower()} meter reading")
    if visit.pay_card_issued_on is None:
        outstanding.append("Issue the pay card")
    if visit.business_support_notified_at is None:
        outstanding.append(
            "Ask business support to open the resident's account"
            if visit.business_support_requested_at is None
            else "Business support notification waiting to be sent"
        )
    return outstanding


@transaction.atomic
def visit_dates_record(
    *,
    visit: NewResidentVisit,
    by: AbstractBaseUser,
    visited_on: date | None = None,
    policies_issued_on: date | None = None,
    pay_card_issued_on: date | None = None,
    notes: str | None = None,
) -> NewResidentVisit:
    visit = _locked_visit(visit)
    for field, value in (
        ("visited_on", visited_on),
        ("policies_issued_on", policies_issued_on),
        ("pay_card_issued_on", pay_card_issued_on),
    ):
        if value is not None:
            _not_future(value, field)
            setattr(visit, field, value)
    if notes is not None:
        visit.notes = notes
    _save(visit, by=by, reason="Visit checklist updated")
    return visit


@transaction.atomic
def visit_handbook_issue(
    *, visit: NewResidentVisit, issued_on: date, by: AbstractBaseUser
) -> HandbookIssue:
    """Give the household the latest printed handbook of their site, and record which."""
    visit = _locked_visit(visit)
    _not_future(issued_on, "issued_on")
    edition = (
        HandbookEdition.objects.filter(
            site_id=visit.licence.unit.site_id, status=HandbookEdition.Status.READY
        )
        .order_by("-number")
        .first()
    )
    if edition is None:
        raise ValidationError(
            f"There is no printed handbook for {visit.licence.unit.site} yet: print one from "
            "the handbook page first."
        )
    issue = HandbookIssue(edition=edition, licence=visit.licence, issued_on=issued_on, issued_by=by)
    _save(issue, by=by, reason="Handbook issued")
    visit.handbook_issued_on = issued_on
    _save(visit, by=by, reason=f"Handbook edition {edition.number} issued")
    return issue


@transaction.atomic
def meter_reading_record(
    *,
    visit: NewResidentVisit,
    meter: str,
    serial: str,
    reading: Decimal,
    read_on: date,
    photo,
    by: AbstractBaseUser,
) -> MeterReading:
    visit = _locked_visit(visit)
    if meter not in visit_meters_needed(visit):
        raise ValidationError({"meter": "This pitch has no meter of that kind"})
    _not_future(read_on, "read_on")
    if reading < 0:
        raise ValidationError({"reading": "The reading cannot be negative"})
    content_type = getattr(photo, "detected_content_type", "application/octet-stream")
    if content_type not in {"image/jpeg", "image/png"}:
        raise ValidationError({"photo": "The photo must be a JPEG or PNG"})
    record = MeterReading(
        visit=visit,
        meter=meter,
        serial=serial.strip(),
        reading=reading,
        read_on=read_on,
        photo_content_type=content_type,
        recorded_by=by,
    )
    extension = ".jpg" if content_type == "image/jpeg" else ".png"
    # A random name: the original may hold personal data.
    record.photo.save(f"{uuid.uuid4().hex}{extension}", photo, save=False)
    _save(record, by=by, reason="Meter reading recorded")
    return record


def business_support_recipients() -> list[str]:
    if settings.BUSINESS_SUPPORT_EMAIL:
        return [settings.BUSINESS_SUPPORT_EMAIL]
    from django.contrib.auth import get_user_model

    return sorted(
        get_user_model()
        .objects.filter(groups__name="business_support", is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


@transaction.atomic
def visit_business_support_notify(*, visit: NewResidentVisit, by: AbstractBaseUser) -> None:
    """Ask business support to open the resident's account: an email sent by a worker once
    this commits, and the time it was sent recorded. Asking again sends nothing more."""
    from residents.tasks import business_support_notify

    visit = _locked_visit(visit)
    if visit.business_support_notified_at is not None:
        raise ValidationError("Business support has already been told.")
    if not business_support_recipients():
        raise ValidationError(
            "No email address is set for business support: ask an administrator to set one."
        )
    if visit.business_support_requested_at is None:
        visit.business_support_requested_at = timezone.now()
        _save(visit, by=by, reason="Business support to be notified")
    transaction.on_commit(lambda: business_support_notify.delay(visit_id=visit.pk))


def business_support_notification_send(*, visit_id: int) -> str:
    """Send the "open a resident account" email once: the row is locked while it is sent and
    marked sent in the same transaction, so two runs never send it twice."""
    with transaction.atomic():
        visit = (
            NewResidentVisit.objects.select_for_update(of=("self",))
            .select_related("licence__unit__site", "licence__household")
            .get(pk=visit_id)
        )
        if visit.business_support_notified_at is not None:
            return "already sent"
        recipients = business_support_recipients()
        licence = visit.licence
        holders = ", ".join(str(named.person) for named in licence_holders(licence))
        subject = f"Open a resident account: licence {licence.reference}"
        body = (
            "Please open a resident account for a new licence.\n\n"
            f"Licence: {licence.reference}\n"
            f"Household: {licence.household.reference}\n"
            f"Licence holders: {holders}\n"
            f"Pitch: {licence.unit}\n"
            f"Start date: {licence.start_date:%-d %B %Y}\n"
            f"Weekly pitch fee: £{licence.weekly_fee}\n"
            f"Deposit: £{licence.deposit}\n\n"
            f"Open it in {settings.SERVICE_NAME}: {licence.get_absolute_url()}\n"
        )
        send_mail(subject, body, None, recipients)
        visit.business_support_notified_at = timezone.now()
        visit.business_support_notified_to = ", ".join(recipients)[:500]
        _save(visit, by=system_user(), reason="Business support notified")
    return "sent"


@transaction.atomic
def visit_complete(*, visit: NewResidentVisit, by: AbstractBaseUser) -> NewResidentVisit:
    visit = _locked_visit(visit)
    outstanding = visit_outstanding(visit)
    if outstanding:
        raise ValidationError(
            "The visit cannot be completed yet. Still to do: " + "; ".join(outstanding) + "."
        )
    visit.completed_on = timezone.localdate()
    _save(visit, by=by, reason="Visit completed")
    item = work_item_for_source(f"new-resident-visit-{visit.pk}")
    if item is not None and item.status == item.Status.OPEN:
        work_item_complete(item=item, by=by)
    return visit


# --- Breaches --------------------------------------------------------------------------------

BREACH_TRANSITIONS = {
    Breach.Status.REPORTED: {Breach.Status.INVESTIGATING, Breach.Status.CLOSED},
    Breach.Status.INVESTIGATING: {Breach.Status.NOTICE_SERVED, Breach.Status.CLOSED},
    Breach.Status.NOTICE_SERVED: {Breach.Status.REMEDIED, Breach.Status.ESCALATED},
    Breach.Status.REMEDIED: {Breach.Status.CLOSED},
    Breach.Status.ESCALATED: {Breach.Status.CLOSED},
    Breach.Status.CLOSED: set(),
}
BREACH_FIRST_LOOK_DAYS = 5  # working week for the sites manager to pick a breach up


@transaction.atomic
def breach_raise(
    *,
    licence: Licence,
    category: str,
    observed_on: date,
    description: str,
    by: AbstractBaseUser,
    evidence=None,
    visit: NewResidentVisit | None = None,
) -> Breach:
    """Record a suspected breach and pass it to the sites manager: a work item in the sites
    managers' queue now, and an email sent by a worker once this commits."""
    from residents.tasks import breach_notify

    licence = Licence.objects.select_related("unit__site").get(pk=licence.pk)
    if licence.status != Licence.Status.LIVE:
        raise ValidationError("A breach can only be raised on a live licence.")
    if visit is not None and visit.licence_id != licence.pk:
        raise ValidationError("That visit is for another licence.")
    _not_future(observed_on, "observed_on")
    if not description.strip():
        raise ValidationError({"description": "Describe what was found"})
    breach = Breach(
        licence=licence,
        visit=visit,
        category=category,
        observed_on=observed_on,
        description=description.strip(),
        raised_by=by,
    )
    if evidence is not None:
        content_type = getattr(evidence, "detected_content_type", "application/octet-stream")
        extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            content_type, ""
        )
        breach.evidence_content_type = content_type
        breach.evidence.save(f"{uuid.uuid4().hex}{extension}", evidence, save=False)
    _save(breach, by=by, reason="Breach reported")
    work_item_create(
        kind="licence_breach",
        kind_label="Licence breach",
        title=f"{breach.get_category_display()}: licence {licence.reference} ({licence.unit})",
        due=timezone.localdate() + timedelta(days=BREACH_FIRST_LOOK_DAYS),
        about=breach,
        role="sites_manager",
        priority=3,
        source_key=f"licence-breach-{breach.pk}",
        by=by,
    )
    transaction.on_commit(lambda: breach_notify.delay(breach_id=breach.pk))
    return breach


def breach_notification_send(*, breach_id: int) -> str:
    """Email the sites managers about a breach, once."""
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        breach = (
            Breach.objects.select_for_update(of=("self",))
            .select_related("licence__unit__site", "raised_by")
            .get(pk=breach_id)
        )
        if breach.sites_manager_notified_at is not None:
            return "already sent"
        recipients = sorted(
            get_user_model()
            .objects.filter(groups__name="sites_manager", is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        if not recipients:
            return "no sites manager has an email address"
        licence = breach.licence
        subject = f"Licence breach reported: {licence.unit}"
        body = (
            f"A suspected breach of licence {licence.reference} has been reported.\n\n"
            f"Pitch: {licence.unit}\n"
            f"Category: {breach.get_category_display()}\n"
            f"Observed on: {breach.observed_on:%-d %B %Y}\n"
            f"Reported by: {breach.raised_by.get_full_name() or breach.raised_by.get_username()}\n"
            "\n"
            f"Open it in {settings.SERVICE_NAME}: {breach.get_absolute_url()}\n"
            "It is also in the sites managers' work queue.\n"
        )
        send_mail(subject, body, None, recipients)
        breach.sites_manager_notified_at = timezone.now()
        _save(breach, by=system_user(), reason="Sites managers emailed")
    return "sent"


@transaction.atomic
def breach_transition(
    *,
    breach: Breach,
    to: str,
    by: AbstractBaseUser,
    reason: str,
    remedy_due_on: date | None = None,
) -> Breach:
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if to not in BREACH_TRANSITIONS[breach.status]:
        raise ValidationError(
            f"A breach that is {breach.get_status_display().lower()} cannot become "
            f"{Breach.Status(to).label.lower() if to in Breach.Status.values else to}."
        )
    reason = _reason_required(reason)
    if to == Breach.Status.NOTICE_SERVED:
        if remedy_due_on is None:
            raise ValidationError(
                {"remedy_due_on": "Enter the date the breach must be put right by"}
            )
        if remedy_due_on <= timezone.localdate():
            raise ValidationError({"remedy_due_on": "The remedy date must be in the future"})
        breach.remedy_due_on = remedy_due_on
    breach.status = to
    _save(breach, by=by, reason=reason)
    item = work_item_for_source(f"licence-breach-{breach.pk}")
    if to == Breach.Status.CLOSED and item and item.status == item.Status.OPEN:
        work_item_complete(item=item, by=by)
    if to == Breach.Status.NOTICE_SERVED:
        work_item_create(
            kind="breach_remedy_due",
            kind_label="Breach remedy due",
            title=f"Check breach on licence {breach.licence.reference} was put right",
            due=remedy_due_on,
            about=breach,
            role="sites_manager",
            source_key=f"licence-breach-{breach.pk}-remedy-{remedy_due_on:%Y%m%d}",
            by=by,
        )
    return breach


# --- Handbook --------------------------------------------------------------------------------

HANDBOOK_FIELDS = {"site", "topic", "heading", "body", "position"}


@transaction.atomic
def handbook_section_create(*, by: AbstractBaseUser, **fields: Any) -> HandbookSection:
    _check_fields(fields, HANDBOOK_FIELDS)
    section = HandbookSection(**fields)
    _save(section, by=by, reason="Handbook section added")
    return section


@transaction.atomic
def handbook_section_update(
    *, section: HandbookSection, by: AbstractBaseUser, reason: str, **fields: Any
) -> HandbookSection:
    _check_fields(fields, HANDBOOK_FIELDS - {"site"})
    reason = _reason_required(reason)
    section = HandbookSection.objects.select_for_update().get(pk=section.pk)
    for name, value in fields.items():
        setattr(section, name, value)
    _save(section, by=by, reason=reason)
    return section


@transaction.atomic
def handbook_edition_request(*, site, by: AbstractBaseUser) -> HandbookEdition:
    """Print the site's handbook (common part and site part) as the next numbered edition."""
    from residents import documents
    from residents.tasks import handbook_render

    # Lock the site's editions so two requests at once get different numbers.
    last = (
        HandbookEdition.objects.select_for_update()
        .filter(site=site)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    context = documents.handbook_context(site)
    if not context["sections"]:
        raise ValidationError("The handbook has no sections yet: add some first.")
    edition = HandbookEdition(site=site, number=(last or 0) + 1, context=context, requested_by=by)
    _save(edition, by=by, reason="Handbook printed")
    transaction.on_commit(lambda: handbook_render.delay(edition_id=edition.pk))
    return edition


def handbook_edition_render(*, edition_id: int) -> str:
    from residents import documents

    edition = HandbookEdition.objects.get(pk=edition_id)
    if edition.status == HandbookEdition.Status.READY:
        return "already ready"
    pdf = documents.handbook_pdf(edition.context)
    with transaction.atomic():
        edition = HandbookEdition.objects.select_for_update().get(pk=edition_id)
        if edition.status == HandbookEdition.Status.READY:
            return "already ready"
        edition.file.save(
            f"handbook-{edition.site_id}-{edition.number}.pdf", ContentFile(pdf), save=False
        )
        edition.status = HandbookEdition.Status.READY
        edition.ready_at = timezone.now()
        edition.failure = ""
        _save(edition, by=system_user(), reason="Handbook drawn")
    return "ready"


@transaction.atomic
def handbook_edition_failed(*, edition_id: int, failure: str) -> None:
    edition = HandbookEdition.objects.select_for_update().get(pk=edition_id)
    if edition.status == HandbookEdition.Status.READY:
        return
    edition.status = HandbookEdition.Status.FAILED
    edition.failure = failure[:1000]
    _save(edition, by=system_user(), reason="Handbook could not be drawn")
