"""Licences: drafts, documents, the written statement, signing, starting, a draft that does
not go ahead, and who is named on them. Endings are in licence_endings."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from config.kernel.dates import page_date
from config.kernel.documents import document_request
from config.kernel.records import history_stamp, reason_required, save
from projects.work import source_key, work_item_complete_for_source
from residents.lifecycles import LICENCE
from residents.models import (
    Household,
    Licence,
    LicenceDocument,
    LicenceEvidence,
    LicenceSigning,
)
from residents.selectors import (
    STATEMENT_DAYS,
    licence_current_document,
    licence_first_signing_date,
    licence_holders,
)
from residents.services.licence_common import (
    draft_complete,
    draft_existing,
    draft_people,
    licence_documents_supersede,
    licence_locked,
    licence_overlapping,
    licence_reference_next,
    licence_save,
)
from residents.services.licence_endings import licence_end_record
from residents.services.tenancies import (
    tenancy_dates_follow_start,
    tenancy_draft_create,
    tenancy_sign_problems,
)
from residents.services.visits import visit_start
from sites.models import Unit
from sites.services import unit_letting_move

# A transit pitch is let for a fixed period of no more than three months (Sch. 1 Pt 1 Ch. 1).
TRANSIT_LONGEST = 92
# An allocated transit stay's term when nobody says otherwise (the officer can change it).
TRANSIT_STAY_DAYS = 28


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
    end_date: date | None = None,
    fixed_term_tenancies: bool = False,
) -> Licence:
    """Prepare a draft licence for an approved allocation (called by the allocations app).

    The unit must be allocated to this let (the allocations app moves it on approval) or void
    with no vacancy open (a let made without one, such as a transit stay): the unit is then
    allocated, its agreement being prepared. A transit pitch gets a fixed-term transit
    licence, ending on `end_date` (no more than three months after the start).

    `deposit_weeks` is the policy's deposit (the allocations app passes the policy version's
    `deposit_weeks`); without it, `LICENCE_DEPOSIT_WEEKS`.

    The lead person is the licence holder; everyone else in the household is an authorised
    occupant. The fee is the unit's weekly charge, the deposit the policy's weeks of fee, and
    the terms those in force. Nothing is live until the licence is signed. "Sign up licence"
    goes to `officer`'s queue (say, the officer who ran the case) or, without one, to the
    officers' queue: `by` is usually the team leader who approved the allocation.

    A home is let on a tenancy, not a licence: `tenancy_draft_create` prepares it (its kind
    from the policy: `fixed_term_tenancies`).
    """
    if not unit.is_pitch:
        return tenancy_draft_create(
            household=household,
            unit=unit,
            start_date=start_date,
            by=by,
            reason=reason,
            officer=officer,
            fixed_term_tenancies=fixed_term_tenancies,
        )
    # Called again for the same approval (a retry): the draft already made is the answer.
    existing = draft_existing(household=household, unit=unit)
    if existing is not None:
        return existing
    unit = Unit.objects.select_for_update().select_related("site").get(pk=unit.pk)
    if unit.status not in (Unit.Status.VOID, Unit.Status.ALLOCATED):
        raise ValidationError(
            f"{unit} is {unit.get_status_display().lower()}: an agreement can be prepared only "
            "for a void unit with no open vacancy, or for the allocation approved on it."
        )
    kind = Licence.Kind.TRANSIT if unit.is_transit else Licence.Kind.PITCH
    if kind == Licence.Kind.TRANSIT:
        if end_date is None:
            raise ValidationError(
                {"end_date": "A transit pitch is let for a fixed term: enter its end"}
            )
        if not start_date < end_date <= start_date + timedelta(days=TRANSIT_LONGEST):
            raise ValidationError(
                {"end_date": "A transit stay ends after it starts and within three months"}
            )
    elif end_date is not None:
        raise ValidationError({"end_date": "A pitch licence has no fixed end"})
    people = draft_people(household, holding="hold the licence", adult_on=start_date)
    if unit.site.status == unit.site.Status.CLOSED:
        raise ValidationError(f"{unit.site} is closed: a licence cannot start there.")
    licence = Licence(
        reference=licence_reference_next(),
        household=household,
        unit=unit,
        status=Licence.Status.DRAFT,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        end_reason=Licence.EndReason.FIXED_TERM if end_date else "",
        weekly_fee=unit.weekly_charge,
        deposit=_deposit_for(unit.weekly_charge, deposit_weeks),
        terms_version=settings.LICENCE_TERMS_VERSION,
    )
    licence_save(licence, by=by, reason=reason or "Licence prepared from an approved allocation")
    draft_complete(licence, people=people, by=by, officer=officer, noun="licence")
    return licence


def licence_agreement_kind(licence: Licence) -> str:
    """A transit pitch has its own fixed-term agreement; every other pitch the licence; a home
    the tenancy agreement."""
    if licence.is_tenancy:
        return LicenceDocument.Kind.TENANCY_AGREEMENT
    if licence.is_transit:
        return LicenceDocument.Kind.TRANSIT_AGREEMENT
    return LicenceDocument.Kind.AGREEMENT


@transaction.atomic
def licence_update(
    *,
    licence: Licence,
    by: AbstractBaseUser,
    reason: str,
    start_date: date | None = None,
    weekly_fee: Decimal | None = None,
    deposit: Decimal | None = None,
    weekly_rent: Decimal | None = None,
    service_charge: Decimal | None = None,
) -> Licence:
    """Change a draft licence's terms. Its documents (and any written statement given for
    them) no longer describe it, so they are superseded and the statement must be given again."""
    reason = reason_required(reason)
    licence = licence_locked(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("Only a licence being prepared can be changed.")
    if start_date is not None:
        if licence.end_date and start_date >= licence.end_date:
            raise ValidationError(
                {"start_date": "The start date must be before the fixed term ends"}
            )
        licence.start_date = start_date
        tenancy_dates_follow_start(licence)
        for named in licence.occupants.select_for_update().filter(to_date__isnull=True):
            named.from_date = start_date
            save(named, by=by, reason="Licence start date changed")
    if weekly_fee is not None:
        licence.weekly_fee = weekly_fee
    if deposit is not None:
        licence.deposit = deposit
    if weekly_rent is not None:
        licence.weekly_rent = weekly_rent
    if service_charge is not None:
        licence.service_charge = service_charge
    licence.written_statement_given_on = None
    licence.written_statement_given_by = None
    licence_save(licence, by=by, reason=reason)
    licence_documents_supersede(licence, by=by)
    return licence


@transaction.atomic
def licence_documents_request(*, licence: Licence, by: AbstractBaseUser) -> list[LicenceDocument]:
    """Have the written statement and the agreement drawn to PDF once this commits; for a
    tenancy, the tenancy agreement and, where the household reads easy-read, its easy-read
    version (large print is the agreement's print size, from the household's record)."""
    from residents import documents

    licence = licence_locked(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("The documents of a signed licence are kept as they were signed.")
    licence_documents_supersede(licence, by=by)
    made = []
    if not licence.is_tenancy:
        kinds = [LicenceDocument.Kind.WRITTEN_STATEMENT, licence_agreement_kind(licence)]
    else:
        kinds = [LicenceDocument.Kind.TENANCY_AGREEMENT]
        if licence.household.easy_read:
            kinds.append(LicenceDocument.Kind.TENANCY_EASY_READ)
    for kind in kinds:
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
        licence_save(licence, by=by, reason="Documents drawn again: statement to give again")
    return made


@transaction.atomic
def licence_written_statement_give(
    *, licence: Licence, given_on: date, by: AbstractBaseUser
) -> Licence:
    """Record that the written statement was given to the licence holders (MHA 1983 s.1)."""
    licence = licence_locked(licence)
    if licence.is_tenancy:
        raise ValidationError("A tenancy has no Mobile Homes Act written statement.")
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("The written statement is given before the licence is signed.")
    statement = licence_current_document(licence, LicenceDocument.Kind.WRITTEN_STATEMENT)
    if statement is None or statement.status != LicenceDocument.Status.READY:
        raise ValidationError(
            "The written statement is not ready yet: prepare the documents and wait for them."
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "The date given must be today or in the past"})
    # The 28 days run from the day this statement was given: it cannot have been given before
    # it was drawn up (a backdated date would let the licence be signed at once).
    drawn_on = timezone.localdate(statement.requested_at)
    if given_on < drawn_on:
        raise ValidationError(
            {
                "given_on": f"This written statement was drawn up on {page_date(drawn_on)}: "
                "it cannot have been given before it was drawn up"
            }
        )
    licence.written_statement_given_on = given_on
    licence.written_statement_given_by = by
    licence_save(licence, by=by, reason="Written statement given")
    return licence


@transaction.atomic
def licence_short_notice_consent_record(
    *, licence: Licence, consented_on: date, scan, by: AbstractBaseUser
) -> LicenceEvidence:
    """Record the proposed occupier's written consent to the statement being given less than
    28 days before signing (MHA 1983 s.1(4)), with a scan of it."""
    licence = licence_locked(licence)
    if licence.status != Licence.Status.DRAFT:
        raise ValidationError("Consent to a shorter period is recorded before signing.")
    errors = {}
    if consented_on > timezone.localdate():
        errors["consented_on"] = "The date of consent must be today or in the past"
    if scan is None:
        errors["scan"] = "Upload a scan of the signed consent"
    if errors:
        raise ValidationError(errors)
    evidence = LicenceEvidence(
        licence=licence,
        kind=LicenceEvidence.Kind.SHORT_NOTICE_CONSENT,
        description=f"Written consent to a shorter period, given {page_date(consented_on)}",
        uploaded_by=by,
    )
    evidence.keep(scan)
    save(evidence, by=by, reason="Written consent to a shorter period recorded")
    licence.short_notice_consent_on = consented_on
    licence_save(licence, by=by, reason="Written consent to a shorter period than 28 days")
    return evidence


def _household_live_licence_elsewhere(licence: Licence) -> Licence | None:
    return (
        Licence.objects.select_for_update()
        .filter(household_id=licence.household_id, status=Licence.Status.LIVE)
        .exclude(pk=licence.pk)
        .exclude(unit_id=licence.unit_id)
        .first()
    )


def licence_sign_problems(
    *,
    licence: Licence,
    signed_on: date | None,
    witnessed_by: AbstractBaseUser | None,
    by: AbstractBaseUser,
    keys_handed_over_on: date | None = None,
) -> dict[str, Any]:
    """Every refusal of `licence_sign` at once (the dates, the witness, the PDF, the holders,
    for a tenancy the keys), without writing. A value not known (None: the form refused it)
    is not checked."""
    word = licence.agreement_word
    if not LICENCE.can_move(licence, Licence.Status.SIGNED):
        return {
            NON_FIELD_ERRORS: f"{word.capitalize()} {licence.reference} is "
            f"{licence.get_status_display().lower()}: only a {word} being prepared can be signed."
        }
    errors: dict[str, Any] = {}
    general = []
    given = licence.written_statement_given_on
    if licence.is_tenancy:
        errors.update(
            tenancy_sign_problems(
                tenancy=licence, signed_on=signed_on, keys_handed_over_on=keys_handed_over_on
            )
        )
    elif given is None:
        general.append(
            "The written statement must be given before the licence is signed "
            "(Mobile Homes Act 1983): record when it was given first."
        )
    if signed_on is not None and given is not None:
        first = licence_first_signing_date(licence)
        if signed_on < given:
            errors["signed_on"] = (
                "The licence cannot be signed before the written statement was given"
            )
        elif (
            (consented := licence.short_notice_consent_on) is not None
            and signed_on < given + STATEMENT_DAYS
            and signed_on < consented
        ):
            # The consent to a shorter period is what lets it be signed sooner (s.1(4)): it
            # must have been given before the agreement was made, not afterwards.
            errors["signed_on"] = (
                "The licence holder consented in writing to a shorter period on "
                f"{page_date(consented)}: a licence signed less than 28 days after the written "
                "statement cannot be signed before that consent (Mobile Homes Act 1983)"
            )
        elif first is not None and signed_on < first:
            errors["signed_on"] = (
                "The written statement must be given at least 28 days before the licence is "
                f"signed (Mobile Homes Act 1983): it can be signed from {page_date(first)}, or "
                "sooner if the licence holder consents in writing to a shorter period"
            )
    if signed_on is not None and "signed_on" not in errors and signed_on > timezone.localdate():
        errors["signed_on"] = "The date signed must be today or in the past"
    if witnessed_by is not None:
        if not witnessed_by.has_perm("residents.witness_licence_signing", licence):
            errors["witnessed_by"] = f"The witness must be an officer who can sign up {word}s"
        elif witnessed_by.pk == by.pk:
            # Separation of duties: the witness is a second person, not the one recording it.
            errors["witnessed_by"] = "The witness must be someone other than you, who records it"
    agreement = licence_current_document(licence, licence_agreement_kind(licence))
    if agreement is None or agreement.status != LicenceDocument.Status.READY:
        general.append(f"The {word} agreement PDF is not ready yet.")
    if not licence_holders(licence):
        general.append(f"Name at least one {licence.holder_word} before signing.")
    if general:
        errors[NON_FIELD_ERRORS] = general
    return errors


@transaction.atomic
def licence_sign(
    *,
    licence: Licence,
    signed_on: date,
    witnessed_by: AbstractBaseUser,
    by: AbstractBaseUser,
    keys_handed_over_on: date | None = None,
) -> Licence:
    """Record the licence as signed: live from its start date (signed, not started, until
    then; `licences_start_due` makes it live on the day).

    Refused unless the written statement was given at least 28 days before the signing day,
    or on or before it where the occupier's written consent to less is recorded (MHA 1983
    s.1(3)-(4)), and the agreement's PDF is ready; the exact PDF signed is kept with the
    signing. Where the household holds a licence on another of the council's units, this is
    a transfer: that licence ends the day this one starts, in the same transaction. Two
    officers signing overlapping licences on one unit at once: the database lets one succeed.
    """
    unit = Unit.objects.select_for_update().get(licences__pk=licence.pk)
    licence = licence_locked(licence)
    problems = licence_sign_problems(
        licence=licence,
        signed_on=signed_on,
        witnessed_by=witnessed_by,
        by=by,
        keys_handed_over_on=keys_handed_over_on,
    )
    if problems:
        raise ValidationError(problems)
    agreement = licence_current_document(licence, licence_agreement_kind(licence))
    statement = licence_current_document(licence, LicenceDocument.Kind.WRITTEN_STATEMENT)
    holders = licence_holders(licence)
    old = _household_live_licence_elsewhere(licence)
    if old is not None:
        if licence.start_date <= old.start_date:
            raise ValidationError(
                f"This is a transfer from licence {old.reference}, which started on "
                f"{page_date(old.start_date)}: the new licence must start after that."
            )
        licence_end_record(
            old,
            end_date=licence.start_date,
            reason=Licence.EndReason.TRANSFER,
            notes=f"Transferred to {licence.unit} under licence {licence.reference}",
            by=by,
        )
    if (other := licence_overlapping(licence)) is not None:
        raise ValidationError(
            f"{licence.unit} already has a live licence ({other.reference}) for some of these "
            "dates: only one licence can run on a unit at a time."
        )
    LICENCE.move(licence, Licence.Status.SIGNED)
    licence.signed_on = signed_on
    if licence.is_tenancy:
        licence.keys_handed_over_on = keys_handed_over_on
    licence_save(licence, by=by, reason=f"{licence.agreement_word.capitalize()} signed")
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
    save(signing, by=by, reason=f"{licence.agreement_word.capitalize()} signed")
    work_item_complete_for_source(source_key("licence_sign_up", licence.pk), by=by)
    if not licence.is_tenancy:  # the new-resident visit's checklist is a pitch's
        visit_start(licence, by=by, on=signed_on)
    if licence.start_date <= timezone.localdate():
        licence_start(licence, unit=unit, by=by)
    return licence


def licence_start(licence: Licence, *, unit: Unit, by) -> Licence:
    """The day a signed licence starts: it is live, the unit occupied, the household there."""
    word = licence.agreement_word.capitalize()
    LICENCE.move(licence, Licence.Status.LIVE)
    licence_save(licence, by=by, reason=f"{word} started on {page_date(licence.start_date)}")
    unit_letting_move(
        unit=unit, to=Unit.Status.OCCUPIED, by=by, reason=f"{word} {licence.reference} started"
    )
    household = Household.objects.select_for_update().get(pk=licence.household_id)
    household.unit = unit
    # Only where they live changes: recorded (with its history row) even where the household's
    # contact details are incomplete, which are put right on the household's own page.
    history_stamp(household, by=by, reason=f"Licence {licence.reference} started")
    household.save(update_fields=["unit"])
    return licence


def licences_start_due(*, today: date, by: AbstractBaseUser) -> int:
    """Make live every signed licence whose start date has come; each in its own transaction,
    skipping any another worker holds. Running it twice starts each once."""
    started = 0
    while True:
        with transaction.atomic():
            licence = (
                Licence.objects.select_for_update(skip_locked=True)
                .filter(status=Licence.Status.SIGNED, start_date__lte=today)
                .order_by("pk")
                .first()
            )
            if licence is None:
                return started
            unit = Unit.objects.select_for_update().get(pk=licence.unit_id)
            licence_start(licence, unit=unit, by=by)
            started += 1


@transaction.atomic
def licence_draft_cancel(*, licence: Licence, reason: str, by: AbstractBaseUser) -> Licence:
    """A draft that does not go ahead (the household withdrew before signing): the unit goes
    back to void, saying why. The allocations app calls this when a let falls through."""
    unit = Unit.objects.select_for_update().get(licences__pk=licence.pk)
    licence = licence_locked(licence)
    reason = reason_required(reason)
    LICENCE.move(
        licence,
        Licence.Status.CANCELLED,
        refusal=f"Licence {licence.reference} is {licence.get_status_display().lower()}: only "
        "a licence being prepared can be stopped.",
    )
    licence.cancelled_reason = reason
    licence_save(licence, by=by, reason=f"Did not go ahead: {reason}")
    work_item_complete_for_source(source_key("licence_sign_up", licence.pk), by=by)
    if not unit.licences.filter(status__in=Licence.PENDING_STATUSES).exists():
        unit_letting_move(
            unit=unit,
            to=Unit.Status.VOID,
            by=by,
            reason=f"Licence {licence.reference} did not go ahead: {reason}",
        )
    return licence
