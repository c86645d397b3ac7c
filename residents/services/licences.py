"""Licences: drafts, documents, the written statement, signing, ending, and who is named on them."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from config.kernel.dates import page_date
from config.kernel.documents import document_request
from config.kernel.records import REASON_MAX_LENGTH, history_stamp, reason_required, save
from config.roles import OFFICER
from projects.services import work_item_create
from projects.work import source_key, work_item_complete_for_source
from residents.lifecycles import LICENCE
from residents.models import (
    Household,
    Licence,
    LicenceDocument,
    LicenceOccupant,
    LicenceSigning,
    Person,
)
from residents.selectors import licence_current_document, licence_holders
from residents.services.visits import visit_start
from sites.models import Unit
from sites.services import unit_update

NOTICE_PERIOD = timedelta(weeks=4)  # Mobile Homes Act 1983 as applied: the occupier's notice
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
    history_stamp(licence, by=by, reason=reason[:REASON_MAX_LENGTH])
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
        save(named, by=by, reason="Named on the draft licence")
    work_item_create(
        kind="licence_sign_up",
        kind_label="Licence sign-up",
        title=f"Sign up licence {licence.reference} ({unit})",
        due=max(start_date, timezone.localdate()),
        about=licence,
        assignee=officer,
        role=None if officer is not None else OFFICER.name,
        source_key=source_key("licence_sign_up", licence.pk),
        by=by,
    )
    return licence


def _documents_supersede(licence: Licence, *, by) -> None:
    for document in licence.documents.filter(superseded_at__isnull=True):
        document.superseded_at = timezone.now()
        save(document, by=by, reason="Licence changed: document superseded")


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
    reason = reason_required(reason)
    licence = _locked_licence(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("Only a licence being prepared can be changed.")
    if start_date is not None:
        licence.start_date = start_date
        for named in licence.occupants.select_for_update().filter(to_date__isnull=True):
            named.from_date = start_date
            save(named, by=by, reason="Licence start date changed")
    if weekly_fee is not None:
        licence.weekly_fee = weekly_fee
    if deposit is not None:
        licence.deposit = deposit
    licence.written_statement_given_on = None
    licence.written_statement_given_by = None
    _licence_save(licence, by=by, reason=reason)
    _documents_supersede(licence, by=by)
    return licence


@transaction.atomic
def licence_documents_request(*, licence: Licence, by: AbstractBaseUser) -> list[LicenceDocument]:
    """Have the written statement and the agreement drawn to PDF once this commits."""
    from residents import documents

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
        made.append(document_request(document, by=by, reason="Document requested"))
    # A statement given for the old documents is not the statement of these.
    if licence.written_statement_given_on:
        licence.written_statement_given_on = None
        licence.written_statement_given_by = None
        _licence_save(licence, by=by, reason="Documents drawn again: statement to give again")
    return made


@transaction.atomic
def licence_written_statement_give(
    *, licence: Licence, given_on: date, by: AbstractBaseUser
) -> Licence:
    """Record that the written statement was given to the licence holders (MHA 1983 s.1)."""
    licence = _locked_licence(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("The written statement is given before the licence is signed.")
    statement = licence_current_document(licence, LicenceDocument.Kind.WRITTEN_STATEMENT)
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
    if not LICENCE.can_move(licence, Licence.Status.LIVE):
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
    if not witnessed_by.has_perm("residents.witness_licence_signing", licence):
        errors["witnessed_by"] = "The witness must be an officer who can sign up licences"
    elif witnessed_by.pk == by.pk:
        # Separation of duties: the witness is a second person, not the one recording it.
        errors["witnessed_by"] = "The witness must be someone other than you, who records it"
    if errors:
        raise ValidationError(errors)
    agreement = licence_current_document(licence, LicenceDocument.Kind.AGREEMENT)
    statement = licence_current_document(licence, LicenceDocument.Kind.WRITTEN_STATEMENT)
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
                f"{page_date(old.start_date)}: the new licence must start after that."
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
    LICENCE.move(licence, Licence.Status.LIVE)
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
    save(signing, by=by, reason="Licence signed")
    unit = licence.unit
    if unit.status != Unit.Status.OCCUPIED:
        unit_update(unit=unit, status=Unit.Status.OCCUPIED, by=by, reason="Licence signed")
    household = Household.objects.select_for_update().get(pk=licence.household_id)
    household.unit = unit
    save(household, by=by, reason=f"Licence {licence.reference} signed")
    work_item_complete_for_source(source_key("licence_sign_up", licence.pk), by=by)
    visit_start(licence, by=by, on=signed_on)
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
            reason=f"Licence to end on {page_date(end_date)}: {licence.get_end_reason_display()}",
        )
        return licence
    return _licence_close(licence, by=by)


def _licence_close(licence: Licence, *, by) -> Licence:
    """The day a licence ends: the people named on it stop and the unit becomes void."""
    end_date = licence.end_date
    LICENCE.move(licence, Licence.Status.ENDED)
    _licence_save(licence, by=by, reason=f"Licence ended: {licence.get_end_reason_display()}")
    for named in licence.occupants.select_for_update().filter(to_date__isnull=True):
        named.to_date = end_date
        save(named, by=by, reason="Licence ended")
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
        save(household, by=by, reason=f"Licence {licence.reference} ended")
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
    if not LICENCE.can_move(licence, Licence.Status.ENDED):
        raise ValidationError("Only a live licence can be ended.")
    if licence.end_date:
        raise ValidationError(
            f"This licence already ends on {page_date(licence.end_date)} "
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
                f"{page_date(notice_given_on + NOTICE_PERIOD)}"
            )
    if errors:
        raise ValidationError(errors)
    licence.notice_given_on = notice_given_on if reason == Licence.EndReason.NOTICE else None
    return _licence_end(licence, end_date=end_date, reason=reason, notes=notes, by=by)


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
    save(named, by=by, reason="Authorised occupant added")
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
    save(named, by=by, reason=f"Named as {named.get_role_display().lower()}")
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
    save(named, by=by, reason=reason_required(reason))
    if named.licence.status == Licence.Status.DRAFT:
        _licence_changed_after_documents(_locked_licence(named.licence), by=by)
    return named
