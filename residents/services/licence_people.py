"""Who is named on a licence or tenancy: authorised occupants added or leaving, and joint
licence holders (joint tenants) named before signing."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from config.kernel.dates import page_date
from config.kernel.records import reason_required, save
from residents.lifecycles import LICENCE
from residents.models import Licence, LicenceOccupant, Person
from residents.selectors import licence_holders
from residents.services.licence_common import (
    HOLDER_MIN_AGE,
    licence_documents_supersede,
    licence_locked,
    licence_save,
    licence_state_words,
)


@transaction.atomic
def licence_occupant_add(
    *, licence: Licence, person: Person, from_date: date, by: AbstractBaseUser
) -> LicenceOccupant:
    """Authorise someone to live on the pitch under the licence."""
    licence = licence_locked(licence)
    if LICENCE.is_final(licence.status):
        word = licence.agreement_word
        raise ValidationError(
            f"{word.capitalize()} {licence.reference} {licence_state_words(licence)}: "
            f"people are named only on a {word} being prepared, signed or live."
        )
    if licence.occupants.filter(person=person, to_date__isnull=True).exists():
        raise ValidationError({"person": f"{person} is already named on this licence"})
    if from_date < licence.start_date:
        raise ValidationError({"from_date": "The date must be on or after the licence starts"})
    if licence.end_date is not None and from_date > licence.end_date:
        # A transit stay's fixed term (or a licence's notice) ends it: nobody joins after.
        raise ValidationError(
            {
                "from_date": "The date must be on or before the licence ends, on "
                f"{page_date(licence.end_date)}"
            }
        )
    named = LicenceOccupant(
        licence=licence, person=person, role=LicenceOccupant.Role.OCCUPANT, from_date=from_date
    )
    save(named, by=by, reason="Authorised occupant added")
    if licence.status == Licence.Status.DRAFT:
        _licence_changed_after_documents(licence, by=by)
    return named


@transaction.atomic
def licence_occupant_role_change(
    *, named: LicenceOccupant, role: str, by: AbstractBaseUser
) -> LicenceOccupant:
    """Name someone as a joint licence holder, or back as an occupant, before signing (every
    holder signs, and each is given the written statement)."""
    named = LicenceOccupant.objects.select_for_update().select_related("person").get(pk=named.pk)
    licence = licence_locked(named.licence)
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
        licence_documents_supersede(licence, by=by)
    if licence.written_statement_given_on:
        licence.written_statement_given_on = None
        licence.written_statement_given_by = None
        licence_save(licence, by=by, reason="Holders changed: statement to give again")


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
        _licence_changed_after_documents(licence_locked(named.licence), by=by)
    return named
