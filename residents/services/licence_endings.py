"""Licences ending: the occupier's notice, the court's order (the only way the council ends an
agreement), the end of a transit pitch's fixed term, death and succession, and the day each
comes (Mobile Homes Act 1983 as applied to local-authority Gypsy and Traveller sites)."""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.kernel.dates import page_date
from config.kernel.records import save
from projects.work import source_key, work_item_cancel_for_source, work_items_close_for_prefix
from residents.lifecycles import LICENCE
from residents.models import (
    Breach,
    Household,
    Licence,
    LicenceEvidence,
    LicenceOccupant,
    NewResidentVisit,
    Person,
)
from residents.services.licence_common import (
    holder_old_enough,
    licence_locked,
    licence_reference_next,
    licence_save,
)
from residents.services.unauthorised import (
    unauthorised_occupants_carry_over,
    unauthorised_occupants_close_for_licence,
)
from sites.models import Unit
from sites.services import unit_letting_move

NOTICE_PERIOD = timedelta(weeks=4)  # Mobile Homes Act 1983 as applied: the occupier's notice

END_REASON_TO_VOID_REASON = {
    Licence.EndReason.NOTICE: Unit.VoidReason.END_OF_LICENCE,
    Licence.EndReason.COURT_ORDER: Unit.VoidReason.EVICTION,
    Licence.EndReason.TRANSFER: Unit.VoidReason.TRANSFER,
    Licence.EndReason.DEATH: Unit.VoidReason.DEATH,
    Licence.EndReason.FIXED_TERM: Unit.VoidReason.END_OF_LICENCE,
    Licence.EndReason.ABANDONMENT: Unit.VoidReason.ABANDONMENT,
    Licence.EndReason.NOTICE_TO_QUIT: Unit.VoidReason.END_OF_LICENCE,
    Licence.EndReason.POSSESSION_ORDER: Unit.VoidReason.EVICTION,
    Licence.EndReason.MUTUAL_EXCHANGE: Unit.VoidReason.TRANSFER,
}
# The ways a person may end an agreement here: the council never ends one itself; only a court
# does (recorded as COURT_ORDER with its ground). Transfer and succession have their own steps.
END_REASONS_OFFERED = (
    Licence.EndReason.NOTICE,
    Licence.EndReason.COURT_ORDER,
    Licence.EndReason.DEATH,
)
# A tenancy (a home) ends on the tenant's notice to quit, a possession order, a death with
# nobody succeeding or a mutual exchange; a transfer and a succession have their own steps.
TENANCY_END_REASONS_OFFERED = (
    Licence.EndReason.NOTICE_TO_QUIT,
    Licence.EndReason.POSSESSION_ORDER,
    Licence.EndReason.DEATH,
    Licence.EndReason.MUTUAL_EXCHANGE,
)


def end_reasons_offered(licence: Licence) -> tuple[str, ...]:
    """The reasons an agreement of this kind may be ended for, by hand."""
    return TENANCY_END_REASONS_OFFERED if licence.is_tenancy else END_REASONS_OFFERED


# Grounds that the court hears only after a notice was served and not complied with: a notice
# to remedy a breach, or the notices to a household thought to have abandoned the pitch.
GROUNDS_AFTER_NOTICE = (Licence.CourtGround.BREACH, Licence.CourtGround.ABANDONMENT)


def licence_end_record(licence: Licence, *, end_date: date, reason: str, notes: str, by) -> Licence:
    """Record how and when a licence ends. An end date still to come leaves it live (the
    household is still there, the unit is not void): `licences_end_due`, run daily by beat,
    closes it on the day."""
    licence.end_date = end_date
    licence.end_reason = reason
    licence.end_notes = notes
    if end_date > timezone.localdate():
        licence_save(
            licence,
            by=by,
            reason=f"Licence to end on {page_date(end_date)}: {licence.get_end_reason_display()}",
        )
        return licence
    return licence_close(licence, by=by)


def licence_close(licence: Licence, *, by) -> Licence:
    """The day a licence ends: the people named on it stop and the unit becomes void (or
    stays occupied where a successor's agreement runs from that day, or allocated where a
    signed agreement is still to start)."""
    end_date = licence.end_date
    unit = Unit.objects.select_for_update().get(pk=licence.unit_id)
    LICENCE.move(licence, Licence.Status.ENDED)
    licence_save(licence, by=by, reason=f"Licence ended: {licence.get_end_reason_display()}")
    for named in licence.occupants.select_for_update().filter(to_date__isnull=True):
        named.to_date = end_date
        save(named, by=by, reason="Licence ended")
    others = Licence.objects.filter(unit_id=licence.unit_id).exclude(pk=licence.pk)
    succeeded = licence.end_reason == Licence.EndReason.SUCCESSION  # the successor stays on
    if not succeeded and not others.filter(status=Licence.Status.LIVE).exists():
        pending = others.filter(status__in=Licence.PENDING_STATUSES).exists()
        unit_letting_move(
            unit=unit,
            to=Unit.Status.ALLOCATED if pending else Unit.Status.VOID,
            void_date=end_date,
            void_reason=END_REASON_TO_VOID_REASON.get(licence.end_reason, Unit.VoidReason.OTHER),
            by=by,
            reason=f"Licence {licence.reference} ended",
        )
    household = Household.objects.select_for_update().get(pk=licence.household_id)
    if household.unit_id == licence.unit_id and licence.end_reason != Licence.EndReason.SUCCESSION:
        household.unit = None
        save(household, by=by, reason=f"Licence {licence.reference} ended")
    visit = NewResidentVisit.objects.filter(licence=licence, completed_on__isnull=True).first()
    if visit is not None:
        # A visit to a household whose licence has ended cannot be done: it leaves the
        # officer's queue (and its reminders stop) rather than staying overdue for ever.
        work_item_cancel_for_source(
            source_key("new_resident_visit", visit.pk),
            by=by,
            reason=f"Licence {licence.reference} ended before the new-resident visit was complete",
        )
    if licence.is_introductory:
        # An ended tenancy has no introductory period left to review: the team leaders'
        # review leaves their queue rather than waiting there for ever.
        work_items_close_for_prefix(
            source_key("introductory_review", licence.pk),
            by=by,
            reason=f"Tenancy {licence.reference} ended on {page_date(end_date)}: "
            "no introductory review is needed",
        )
    if not succeeded:
        # Someone found living on the pitch under the licence is not authorised on one that
        # has ended: their records close with it (a successor's licence carries them on).
        unauthorised_occupants_close_for_licence(licence, by=by)
    # A breach's remedy date is checked so that the agreement can be ended through the court
    # if it is not put right: with the agreement ended there is nothing left to check. The
    # breaches themselves stay, for the sites manager to close with their outcome.
    for breach_pk in licence.breaches.exclude(status=Breach.Status.CLOSED).values_list(
        "pk", flat=True
    ):
        work_items_close_for_prefix(
            source_key("breach_remedy_due", breach_pk),
            by=by,
            reason=f"Licence {licence.reference} ended on {page_date(end_date)}: "
            "the breach's remedy is no longer checked",
        )
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
            licence_close(licence, by=by)
            closed += 1


def licence_term_only(licence: Licence) -> bool:
    """Its end date is only its fixed term's (a flexible tenancy, a transit pitch licence),
    not an ending already recorded."""
    fixed = licence.is_tenancy or licence.is_transit
    return fixed and licence.end_reason == Licence.EndReason.FIXED_TERM


def _live_for_ending(licence: Licence) -> Licence:
    licence = licence_locked(licence)
    if not LICENCE.can_move(licence, Licence.Status.ENDED):
        raise ValidationError("Only a live licence can be ended.")
    # A flexible tenancy's or a transit stay's fixed term is known from the start; it may still
    # end sooner (the occupier's notice, a death, a court's order).
    if licence.end_date and not licence_term_only(licence):
        raise ValidationError(
            f"This {licence.agreement_word} already ends on {page_date(licence.end_date)} "
            f"({licence.get_end_reason_display().lower()})."
        )
    return licence


@transaction.atomic
def licence_end(
    *,
    licence: Licence,
    end_date: date,
    reason: str,
    by: AbstractBaseUser,
    notice_given_on: date | None = None,
    notes: str = "",
    court_ground: str = "",
    notice_served_on: date | None = None,
    court_order_on: date | None = None,
    court_order_scan=None,
) -> Licence:
    """End a live licence: the people named on it stop, and the unit becomes void — today
    if the end date has come, otherwise on the day (see `licences_end_due`).

    The occupier ends it on at least 4 weeks' written notice. The council ends it only
    through the court (MHA 1983 Sch. 1 Pt 1 Ch. 4, as applied to council sites since 2011):
    the court order is recorded with its ground, and for a breach or suspected abandonment
    the notice served before going to court. Abandonment is not an end in itself.
    """
    licence = _live_for_ending(licence)
    word = licence.agreement_word
    if reason not in end_reasons_offered(licence):
        other_kind = TENANCY_END_REASONS_OFFERED if not licence.is_tenancy else END_REASONS_OFFERED
        if reason in other_kind:
            label = Licence.EndReason(reason).label
            message = f"A {word} is not ended for this reason ({label.lower()})"
        elif reason == Licence.EndReason.TRANSFER:
            message = (
                f"A transfer ends this {word} when the new agreement is signed: prepare the new "
                "agreement instead"
            )
        elif reason == Licence.EndReason.ABANDONMENT:
            message = (
                "The council cannot end a licence for abandonment itself: serve notices, then "
                "record the court's order (ground: suspected abandonment)"
            )
        elif reason == Licence.EndReason.SUCCESSION:
            message = f"Record a succession from the {word} page instead"
        else:
            message = f"Select why the {word} is ending"
        raise ValidationError({"reason": message})
    errors = {}
    today = timezone.localdate()
    if end_date <= licence.start_date:
        errors["end_date"] = f"The end date must be after the {word} started"
    elif licence.end_date and end_date >= licence.end_date:
        errors["end_date"] = (
            f"The {word}'s fixed term ends on {page_date(licence.end_date)} anyway: an earlier "
            "end date is needed to end it sooner"
        )
    # The occupier's notice: 4 weeks' written notice (a tenant's notice to quit, Protection
    # from Eviction Act 1977 s.5; a licence holder's, MHA 1983 as applied).
    notice = reason in (Licence.EndReason.NOTICE, Licence.EndReason.NOTICE_TO_QUIT)
    if notice:
        holder = licence.holder_word
        if notice_given_on is None:
            errors["notice_given_on"] = f"Enter the date the {holder} gave written notice"
        elif end_date < notice_given_on + NOTICE_PERIOD:
            errors["end_date"] = (
                f"The {holder}'s notice is 4 weeks: the end date must be on or after "
                f"{page_date(notice_given_on + NOTICE_PERIOD)}"
            )
    if reason == Licence.EndReason.POSSESSION_ORDER:
        if court_order_on is None:
            errors["court_order_on"] = "Enter the date of the possession order"
        elif court_order_on > today:
            errors["court_order_on"] = "The possession order's date must be today or in the past"
        elif end_date < court_order_on:
            errors["end_date"] = "The end date must be on or after the possession order"
    if reason == Licence.EndReason.COURT_ORDER:
        if court_ground not in Licence.CourtGround.values:
            errors["court_ground"] = "Select the ground the court ended the licence on"
        if court_order_on is None:
            errors["court_order_on"] = "Enter the date of the court order"
        elif court_order_on > today:
            errors["court_order_on"] = "The court order's date must be today or in the past"
        elif end_date < court_order_on:
            errors["end_date"] = "The end date must be on or after the court order"
        if court_ground in GROUNDS_AFTER_NOTICE:
            if notice_served_on is None:
                errors["notice_served_on"] = (
                    "Enter the date the notice to remedy (or the abandonment notices) was served"
                )
            elif court_order_on is not None and notice_served_on >= court_order_on:
                errors["notice_served_on"] = "The notice is served before the court's order"
    by_court = reason in (Licence.EndReason.COURT_ORDER, Licence.EndReason.POSSESSION_ORDER)
    if court_order_scan is not None and not by_court:
        errors["court_order_scan"] = "A scan of a court order is kept only when a court ended it"
    if errors:
        raise ValidationError(errors)
    licence.notice_given_on = notice_given_on if notice else None
    if by_court:
        if reason == Licence.EndReason.COURT_ORDER:
            licence.court_ground = court_ground
            licence.notice_served_on = notice_served_on
        licence.court_order_on = court_order_on
        if court_order_scan is not None:
            # The order itself, kept with the licence it ended (listed on the licence page).
            record = LicenceEvidence(
                licence=licence,
                kind=LicenceEvidence.Kind.COURT_ORDER,
                description=f"Court order of {page_date(court_order_on)}",
                uploaded_by=by,
            )
            record.keep(court_order_scan)
            save(record, by=by, reason="Court order kept")
    return licence_end_record(licence, end_date=end_date, reason=reason, notes=notes, by=by)


SUCCESSOR_SPOUSE = "spouse"
# A joint licence holder who survives holds the agreement in their own right, related or
# not: the spouse or family test (s.3) is for someone succeeding to it.
SUCCESSOR_JOINT = "joint"
SUCCESSOR_RELATIONSHIPS = (
    (SUCCESSOR_SPOUSE, "Husband, wife or civil partner"),
    ("family", "Another member of the family"),
    (SUCCESSOR_JOINT, "A joint licence holder who survives them"),
)
# A household records each person's relationship to its lead: the lead and the person
# recorded as their partner are the couple in it.
_COUPLE = {Person.Relationship.LEAD, Person.Relationship.PARTNER}


def _spouse_claim_refusal(successor: Person, died: Person) -> str:
    """Why `successor` cannot succeed as the husband, wife or civil partner of `died`, the
    licence holder who died ("" if they can): the household must record them as that holder's
    partner (the lead's partner, or the lead when the partner held it)."""
    if (
        died.household_id == successor.household_id
        and {died.relationship, successor.relationship} == _COUPLE
    ):
        return ""
    return (
        f"{successor} is not recorded as {died}'s partner in the household, so cannot "
        "succeed as their husband, wife or civil partner: correct the household's record of "
        "who is whose partner first, or, if they are another member of the family, choose that"
    )


def _family_claim_refusal(successor: Person, died: Person) -> str:
    """Why `successor` cannot succeed as a member of the family of `died` ("" if they can).
    MHA 1983 s.3 and s.5(3): a member of the occupier's family residing with them at the death.
    Living there is their place on the licence that day (checked with the successor); the
    family is what the household records: the same household, each related to its lead (or
    the lead), not recorded as *other* (not related)."""
    if died.household_id != successor.household_id:
        return (
            f"{successor} is not recorded in {died}'s household, so is not a member of their "
            "family living with them: correct the household's record first if they are"
        )
    unrelated = next(
        (p for p in (successor, died) if p.relationship == Person.Relationship.OTHER), None
    )
    if unrelated is not None:
        return (
            f"{unrelated} is recorded in the household as not related to its lead, so "
            f"{successor} is not recorded as a member of {died}'s family: correct how they are "
            "related in the household's record first if they are family"
        )
    return ""


@transaction.atomic
def licence_succeed(
    *,
    licence: Licence,
    successor: Person,
    relationship: str,
    died_on: date,
    evidence,
    by: AbstractBaseUser,
    holder_died: Person | None = None,
) -> Licence:
    """On a licence holder's death, a spouse or civil partner (or failing one, a member of
    the family) who lived there with them succeeds (MHA 1983 s.3, Sch. 1 Pt 1 Ch. 4): the old
    agreement ends the day of the death and a new one for the same pitch, linked to it, runs
    from that day for the successor. The unit stays occupied; the evidence is kept.

    `holder_died`: which licence holder died (needed where the licence is held jointly; a sole
    holder is the one). It is recorded on the ended licence; a surviving joint holder carries
    the agreement on, and any other survivor stays a joint holder of the new one."""
    licence = _live_for_ending(licence)
    if licence.is_transit:
        # A transit pitch's implied terms (Sch. 1 Pt 1 Ch. 3) are for a fixed stay: it is ended
        # on the death instead, with nobody succeeding.
        raise ValidationError(
            "A transit pitch licence has no succession: end it (the licence holder died and "
            "nobody is succeeding) and let the pitch again if the family is to stay."
        )
    unit = Unit.objects.select_for_update().get(pk=licence.unit_id)
    errors = {}
    named = licence.occupants.filter(person=successor, to_date__isnull=True).first()
    holders = list(
        licence.occupants.select_related("person").filter(
            role=LicenceOccupant.Role.HOLDER, to_date__isnull=True
        )
    )
    holder_people = {h.person_id: h.person for h in holders}
    died: Person | None = None
    if holder_died is None:
        if len(holders) == 1:
            died = holders[0].person
        else:
            joint = " and ".join(str(h.person) for h in holders)
            errors["holder_died"] = f"Select which of the joint licence holders ({joint}) died"
    elif holder_died.pk not in holder_people:
        errors["holder_died"] = f"{holder_died} is not a licence holder on this licence"
    else:
        died = holder_people[holder_died.pk]
    survivors_holding = [h.person for h in holders if died is None or h.person_id != died.pk]
    if named is None:
        errors["successor"] = "The successor must be living there, named on this licence"
    elif died is not None and successor.pk == died.pk:
        # The licence holder who died: nobody succeeds themselves (s.3).
        if len(holders) == 1:
            errors["successor"] = (
                f"{successor} holds this licence alone, so is the licence holder who died: "
                "choose the husband, wife, civil partner or family member who lived there with "
                "them"
            )
        else:
            errors["successor"] = (
                f"{successor} is the licence holder who died: choose who succeeds them"
            )
    elif survivors_holding and successor.pk not in {p.pk for p in survivors_holding}:
        # A joint licence holder who survives carries the agreement on: the new agreement is
        # theirs, and choosing someone else would drop them from it.
        joint = " and ".join(str(h.person) for h in holders)
        surviving = " or ".join(str(p) for p in survivors_holding)
        errors["successor"] = (
            f"This licence is held jointly by {joint}: the joint licence holder who survives "
            f"carries it on, so choose {surviving}"
        )
    elif died_on <= timezone.localdate() and named.from_date > died_on:
        # s.3: a successor is someone residing with the occupier at the time of death.
        errors["successor"] = (
            f"{successor} was named on this licence only from {page_date(named.from_date)}: the "
            "successor must have been living there when the licence holder died"
        )
    if "successor" not in errors:
        # The successor holds the new licence from the day of the death: an adult, as every
        # licence holder is.
        try:
            holder_old_enough(successor, on=died_on)
        except ValidationError as refused:
            errors["successor"] = refused.messages[0]
    if relationship not in dict(SUCCESSOR_RELATIONSHIPS):
        errors["relationship"] = "Select how the successor was related to the licence holder"
    elif died is not None and named is not None and "successor" not in errors:
        if relationship == SUCCESSOR_JOINT:
            refusal = (
                ""
                if successor.pk in {p.pk for p in survivors_holding}
                else f"{successor} does not hold this licence jointly with {died}: choose how "
                "they were related to them"
            )
        elif relationship == SUCCESSOR_SPOUSE:
            refusal = _spouse_claim_refusal(successor, died)
        else:
            refusal = _family_claim_refusal(successor, died)
        if refusal:
            errors["relationship"] = refusal
    if died_on > timezone.localdate():
        errors["died_on"] = "The date of death must be today or in the past"
    elif died_on <= licence.start_date:
        errors["died_on"] = "The date of death must be after the licence started"
    if evidence is None:
        errors["evidence"] = "Upload the evidence (for example the death certificate)"
    if errors:
        raise ValidationError(errors)
    term_end = licence.end_date if licence.kind == Licence.Kind.FIXED_TERM else None
    survivors = list(
        licence.occupants.select_related("person")
        .filter(to_date__isnull=True)
        .exclude(person=successor)
    )
    assert died is not None  # refused above otherwise
    licence.end_date = died_on
    licence.end_reason = Licence.EndReason.SUCCESSION
    licence.holder_died = died
    licence.end_notes = (
        f"{died} died; succeeded by {successor} "
        f"({dict(SUCCESSOR_RELATIONSHIPS)[relationship].lower()})"
    )
    licence_close(licence, by=by)
    new = Licence(
        reference=licence_reference_next(prefix="T" if licence.is_tenancy else "L"),
        household=licence.household,
        unit=unit,
        status=Licence.Status.LIVE,
        kind=licence.kind,
        start_date=died_on,
        weekly_fee=licence.weekly_fee,
        deposit=licence.deposit,
        weekly_rent=licence.weekly_rent,
        service_charge=licence.service_charge,
        introductory_ends_on=licence.introductory_ends_on,
        end_date=term_end,
        end_reason=Licence.EndReason.FIXED_TERM if term_end else "",
        terms_version=licence.terms_version,
        signed_on=None,
        succeeds=licence,
        successor_relationship=dict(SUCCESSOR_RELATIONSHIPS)[relationship],
        # The succession is by law: the terms carry on, the written statement was given.
        written_statement_given_on=licence.written_statement_given_on,
        written_statement_given_by=licence.written_statement_given_by,
    )
    licence_save(new, by=by, reason=f"Succession to licence {licence.reference} on death")
    save(
        LicenceOccupant(
            licence=new, person=successor, role=LicenceOccupant.Role.HOLDER, from_date=died_on
        ),
        by=by,
        reason="Successor named licence holder",
    )
    for other in survivors:
        if other.person_id == died.pk:
            continue  # the holder who died
        # Another joint holder who survives holds the new agreement too; everyone else living
        # there stays an authorised occupant.
        holding = other.role == LicenceOccupant.Role.HOLDER
        save(
            LicenceOccupant(
                licence=new,
                person=other.person,
                role=LicenceOccupant.Role.HOLDER if holding else LicenceOccupant.Role.OCCUPANT,
                from_date=died_on,
            ),
            by=by,
            reason="Surviving joint licence holder carried over on succession"
            if holding
            else "Authorised occupant carried over on succession",
        )
    unauthorised_occupants_carry_over(licence, new, by=by)
    record = LicenceEvidence(
        licence=new,
        kind=LicenceEvidence.Kind.SUCCESSION,
        description=f"Evidence for the succession of {successor}",
        uploaded_by=by,
    )
    record.keep(evidence)
    save(record, by=by, reason="Succession evidence")
    return new
