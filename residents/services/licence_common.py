"""What the licence services share: the reference sequence, the locked read, the save that
lets the database's exclusion constraint have the last word, the overlap check, and the steps
every draft agreement (a licence or a tenancy) takes."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from config.kernel.records import REASON_MAX_LENGTH, history_stamp, save, unique_refusals
from config.roles import OFFICER
from projects.services import work_item_create
from projects.work import source_key
from residents.models import Household, Licence, LicenceOccupant, Person
from sites.models import Unit
from sites.services import unit_letting_move

CONSTRAINT_ONE_LIVE_LICENCE = "one_live_licence_per_unit"
HOLDER_MIN_AGE = 18  # pitch policies: a licence holder is an adult


def holder_old_enough(
    person: Person, *, on: date, field: str | None = None, holder_word: str = "licence holder"
) -> None:
    """Refuse `person` as a licence holder (or tenant: `holder_word`) from `on` if they are not
    yet 18 that day (a new agreement's start, a successor's first day): named, with their age."""
    age = person.age_on(on)
    if age < HOLDER_MIN_AGE:
        message = f"{person} is {age}: a {holder_word} must be {HOLDER_MIN_AGE} or over"
        raise ValidationError({field: message} if field else message)


def licence_reference_next(prefix: str = "L") -> str:
    """L-000123 (a licence) or T-000123 (a tenancy): the next number from one database
    sequence, skipping any reference in use."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval('residents_licence_reference_seq')")
            reference = f"{prefix}-{cursor.fetchone()[0]:06d}"
            if not Licence.objects.filter(reference=reference).exists():
                return reference


def licence_locked(licence: Licence) -> Licence:
    return (
        Licence.objects.select_for_update()
        .select_related("unit__site", "household")
        .get(pk=licence.pk)
    )


def licence_save(licence: Licence, *, by, reason: str) -> None:
    """Save a licence; the database's exclusion constraint has the last word on overlaps."""
    history_stamp(licence, by=by, reason=reason[:REASON_MAX_LENGTH])
    licence.full_clean(validate_constraints=False)

    def overlapping() -> ValidationError:  # worded only when it happens (it reads the unit)
        return ValidationError(
            f"{licence.unit} already has a live licence for some of these dates: "
            "only one licence can run on a unit at a time.",
            code="overlapping_licence",
        )

    with unique_refusals(Licence, {CONSTRAINT_ONE_LIVE_LICENCE: overlapping}):
        licence.save()


def licence_overlapping(licence: Licence) -> Licence | None:
    others = Licence.objects.filter(
        unit_id=licence.unit_id, status__in=[Licence.Status.SIGNED, Licence.Status.LIVE]
    )
    others = others.exclude(pk=licence.pk).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=licence.start_date)
    )
    if licence.end_date:
        others = others.filter(start_date__lt=licence.end_date)
    return others.first()


def licence_documents_supersede(licence: Licence, *, by) -> None:
    """The agreement changed: its documents no longer say what it is."""
    for document in licence.documents.filter(superseded_at__isnull=True):
        document.superseded_at = timezone.now()
        save(document, by=by, reason="Agreement changed: document superseded")


def draft_existing(*, household: Household, unit: Unit) -> Licence | None:
    """The draft already prepared for this household and home (a retried approval)."""
    return Licence.objects.filter(
        household=household, unit=unit, status=Licence.Status.DRAFT
    ).first()


def draft_people(
    household: Household,
    *,
    holding: str,
    adult_on: date | None = None,
    holder_word: str = "licence holder",
) -> list[Person]:
    """The household's people, lead first (the holder or tenant): refused with no lead, or
    with a lead under 18 on `adult_on` (the agreement's start date: a licence holder or a
    tenant is an adult, as when someone is named holder later).
    `holding`: what the lead would do, in words ("hold the licence", "be the tenant");
    `holder_word`: what they would be ("licence holder", "tenant")."""
    people = list(household.people.all())
    lead = next((p for p in people if p.relationship == Person.Relationship.LEAD), None)
    if lead is None:
        raise ValidationError(
            f"Household {household.reference} has no lead person to {holding}: record one first."
        )
    if adult_on is not None:
        holder_old_enough(lead, on=adult_on, holder_word=holder_word)
    return [lead, *(p for p in people if p.pk != lead.pk)]


def draft_complete(
    draft: Licence,
    *,
    people: list[Person],
    by: AbstractBaseUser,
    officer: AbstractBaseUser | None,
    noun: str,
) -> None:
    """What every new draft agreement needs once saved: the home allocated to it, its people
    named (the first, the lead, as holder), and "Sign up …" in `officer`'s queue (or the
    officers'). `noun`: "licence" or "tenancy"."""
    unit = draft.unit
    unit_letting_move(
        unit=unit,
        to=Unit.Status.ALLOCATED,
        by=by,
        reason=f"{'Tenancy' if noun == 'tenancy' else 'Agreement'} {draft.reference} "
        "being prepared",
    )
    for index, person in enumerate(people):
        named = LicenceOccupant(
            licence=draft,
            person=person,
            role=LicenceOccupant.Role.HOLDER if index == 0 else LicenceOccupant.Role.OCCUPANT,
            from_date=draft.start_date,
        )
        save(named, by=by, reason=f"Named on the draft {noun}")
    work_item_create(
        kind="licence_sign_up",
        kind_label=f"{noun.capitalize()} sign-up",
        title=f"Sign up {noun} {draft.reference} with {people[0]} ({unit})"
        if people
        else f"Sign up {noun} {draft.reference} ({unit})",
        due=max(draft.start_date, timezone.localdate()),
        about=draft,
        assignee=officer,
        role=None if officer is not None else OFFICER.name,
        source_key=source_key("licence_sign_up", draft.pk),
        by=by,
    )


def licence_state_words(licence: Licence) -> str:
    """Where a licence stands, to finish "Licence L-00012 ...": "has ended", "is signed"."""
    if licence.status == Licence.Status.ENDED:
        return "has ended"
    if licence.status == Licence.Status.CANCELLED:
        return "did not go ahead"
    return f"is {licence.get_status_display().lower()}"
