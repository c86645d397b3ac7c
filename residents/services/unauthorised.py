"""Unauthorised occupants: people found living on a pitch who are not named on its licence."""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.kernel.dates import page_date
from config.kernel.records import reason_required, save
from config.roles import OFFICER
from projects.services import work_item_create
from projects.work import source_key, work_item_complete_for_source
from residents.lifecycles import UNAUTHORISED_OCCUPANT
from residents.models import (
    Licence,
    UnauthorisedOccupant,
)
from residents.services.licence_common import licence_state_words
from sites.models import Unit

# The follow-up's kind of work (projects.work.WORK_KINDS); within the work queue's one-week
# horizon, as a census difference's follow-up is, so it shows on the officer's home page.
FOLLOW_UP = "unauthorised_occupant"
FOLLOW_UP_DAYS = 7


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
    found_by: AbstractBaseUser | None = None,
    reason: str = "",
) -> UnauthorisedOccupant:
    """Someone found living on a pitch who is not named on its licence (visit or census).
    `found_by`: the officer who found them, where another records it (the census's visiting
    officer, when a difference is applied); `by` otherwise. `reason`: why it is recorded, for
    the history, where there is more to say than that they were found."""
    found_by = found_by or by
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": "The date found must be today or in the past"})
    # The unit's row is the lock: the same person sent twice at once (a second press of the
    # button) is then seen by the second as already recorded.
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter their name"})
    already = (
        UnauthorisedOccupant.objects.filter(
            unit=unit, name__iexact=name, status=UnauthorisedOccupant.Status.OPEN
        )
        .order_by("found_on")
        .first()
    )
    if already is not None:
        raise ValidationError(
            {
                "name": f"{already.name} is already recorded as living on {unit} without "
                f"authorisation (found {page_date(already.found_on)}, still open): update that "
                "record instead"
            }
        )
    if licence is None:
        licence = unit.licences.filter(status=Licence.Status.LIVE).first()
    elif licence.unit_id != unit.pk:
        # The record is the pitch's: someone found on one pitch is not there under the
        # licence of another, and the licence's page would list them wrongly.
        raise ValidationError(
            f"Licence {licence.reference} is for {licence.unit}, not {unit}: an unauthorised "
            "occupant is recorded against the licence of the pitch they were found on."
        )
    elif licence.status != Licence.Status.LIVE:
        # Someone found living there is found under the licence running: one not started
        # yet, ended or cancelled has nobody on the pitch under it.
        raise ValidationError(
            f"Licence {licence.reference} {licence_state_words(licence)}: an unauthorised "
            "occupant is recorded against a live licence."
        )
    if licence is not None and found_on < licence.start_date:
        raise ValidationError(
            {
                "found_on": "The date found cannot be before the licence started, on "
                f"{page_date(licence.start_date)}"
            }
        )
    occupant = UnauthorisedOccupant(
        unit=unit,
        licence=licence,
        name=name,
        approximate_age=approximate_age,
        found_on=found_on,
        found_by=found_by,
        where_found=where_found,
        notes=notes,
    )
    save(occupant, by=by, reason=reason or "Unauthorised occupant recorded")
    # Someone has to see them authorised (named on the licence) or gone: the officer who
    # found them, or the officers' queue when whoever recorded it cannot close the record.
    may_close = found_by.is_active and found_by.has_perm("residents.change_unauthorisedoccupant")
    work_item_create(
        kind=FOLLOW_UP,
        title=f"Follow up {occupant.name}, living on {unit} without authorisation (found "
        f"{page_date(found_on)}): authorise them on the licence or see that they leave",
        due=timezone.localdate() + timedelta(days=FOLLOW_UP_DAYS),
        about=occupant,
        assignee=found_by if may_close else None,
        role=None if may_close else OFFICER.name,
        source_key=source_key(FOLLOW_UP, occupant.pk),
        by=by,
    )
    return occupant


@transaction.atomic
def unauthorised_occupant_update(
    *, occupant: UnauthorisedOccupant, status: str, by: AbstractBaseUser, reason: str
) -> UnauthorisedOccupant:
    """Close an unauthorised occupant's record: since authorised, or has left."""
    occupant = UnauthorisedOccupant.objects.select_for_update().get(pk=occupant.pk)
    if status not in UnauthorisedOccupant.Status.values:
        raise ValidationError({"status": "Select what has happened"})
    if UNAUTHORISED_OCCUPANT.is_final(occupant.status):
        raise ValidationError(f"{occupant.name}'s record is already closed.")
    UNAUTHORISED_OCCUPANT.move(occupant, status)
    save(occupant, by=by, reason=reason_required(reason))
    work_item_complete_for_source(source_key(FOLLOW_UP, occupant.pk), by=by)
    return occupant


def unauthorised_occupants_close_for_licence(licence: Licence, *, by: AbstractBaseUser) -> int:
    """The licence has ended: the open records of people found on its pitch under it (or found
    there with no licence running) close, saying why, and their follow-ups leave the queue.
    Called inside the licence's closing, so both happen or neither. How many closed."""
    found = (
        UnauthorisedOccupant.objects.select_for_update()
        .filter(unit_id=licence.unit_id, status=UnauthorisedOccupant.Status.OPEN)
        .filter(Q(licence=licence) | Q(licence__isnull=True))
        .order_by("pk")
    )
    reason = (
        f"{licence.agreement_word.capitalize()} {licence.reference} ended on "
        f"{page_date(licence.end_date)} ({licence.get_end_reason_display().lower()}): nobody "
        "lives on the pitch under it now"
    )
    closed = 0
    for occupant in found:
        UNAUTHORISED_OCCUPANT.move(occupant, UnauthorisedOccupant.Status.LICENCE_ENDED)
        save(occupant, by=by, reason=reason)
        work_item_complete_for_source(source_key(FOLLOW_UP, occupant.pk), by=by)
        closed += 1
    return closed


def unauthorised_occupants_carry_over(old: Licence, new: Licence, *, by: AbstractBaseUser) -> None:
    """A succession: the pitch stays occupied under the successor's licence, so the people
    found living there without authorisation are still to be followed up, under it."""
    for occupant in UnauthorisedOccupant.objects.select_for_update().filter(
        licence=old, status=UnauthorisedOccupant.Status.OPEN
    ):
        occupant.licence = new
        save(
            occupant,
            by=by,
            reason=f"Carried over to {new.agreement_word} {new.reference} on the succession",
        )
