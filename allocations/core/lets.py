"""The lets of a CORE collection year (a read: every query here is a select)."""

from django.conf import settings

from allocations.core.derive import collection_year_bounds
from allocations.core.sources import Let, tenancy_start
from allocations.models import AllocationDecision, CoreLetAnswers, Nomination
from residents.models import Licence, LicenceOccupant, Person


def _licence_of(decision: AllocationDecision) -> Licence | None:
    """The agreement the approval prepared, once signed: the household's on that unit, made
    after the approval."""
    offer = decision.offer
    return (
        Licence.objects.filter(
            household_id=offer.application.household_id,
            unit_id=offer.vacancy.unit_id,
            status__in=Licence.HOLDING_STATUSES,
            created_at__gte=decision.decided_at,
        )
        .order_by("created_at")
        .first()
    )


def _people(licence: Licence) -> list[Person]:
    """Those named on the agreement when it started, the holder first, then by age."""
    named = (
        LicenceOccupant.objects.filter(licence=licence, from_date__lte=licence.start_date)
        .select_related("person")
        .order_by("pk")
    )
    people = [o.person for o in named if o.role == LicenceOccupant.Role.HOLDER]
    people += sorted(
        (o.person for o in named if o.role != LicenceOccupant.Role.HOLDER),
        key=lambda p: p.date_of_birth,
    )
    return people or list(licence.household.people.order_by("date_of_birth"))


def let_build(decision: AllocationDecision, licence: Licence) -> Let:
    answers = CoreLetAnswers.objects.filter(decision=decision).first()
    person_answers = {a.person_id: a for a in answers.people.all()} if answers else {}
    return Let(
        decision=decision,
        licence=licence,
        people=_people(licence),
        answers=answers,
        person_answers=person_answers,
    )


def _household(nomination: Nomination) -> list[Person]:
    """A provider's let names no agreement of ours: the nominated household, its lead
    applicant first, then by age."""
    people = list(nomination.application.household.people.order_by("date_of_birth", "pk"))
    return sorted(people, key=lambda p: p.relationship != Person.Relationship.LEAD)


def nomination_let_build(nomination: Nomination) -> Let:
    answers = CoreLetAnswers.objects.filter(nomination=nomination).first()
    person_answers = {a.person_id: a for a in answers.people.all()} if answers else {}
    return Let(
        nomination=nomination,
        people=_household(nomination),
        answers=answers,
        person_answers=person_answers,
    )


def nomination_lets(first, last) -> list[Let]:
    """Registered providers' lets on the council's nomination, their tenancies starting in
    the year (the provider confirmed the let and its start date)."""
    nominations = Nomination.objects.filter(
        status=Nomination.Status.LET, tenancy_start_date__range=(first, last)
    ).select_related("application__household", "vacancy__unit__site", "provider")
    lets = []
    for nomination in nominations.order_by("tenancy_start_date", "pk"):
        if nomination.vacancy.unit.is_pitch and not settings.CORE_RETURN_PITCHES:
            continue
        lets.append(nomination_let_build(nomination))
    return lets


def lets_for_year(year: int) -> list[Let]:
    """Every let whose tenancy started in the collection year: homes, and pitches where the
    council returns them (settings.CORE_RETURN_PITCHES), the council's own and registered
    providers' on the council's nomination, in tenancy start order."""
    first, last = collection_year_bounds(year)
    decisions = AllocationDecision.objects.filter(
        status=AllocationDecision.Status.APPROVED
    ).select_related("offer__application__household", "offer__vacancy__unit__site", "proposed_by")
    lets = []
    for decision in decisions.order_by("decided_at", "pk"):
        unit = decision.offer.vacancy.unit
        if unit.is_pitch and not settings.CORE_RETURN_PITCHES:
            continue
        licence = _licence_of(decision)
        if licence is None or not first <= licence.start_date <= last:
            continue
        lets.append(let_build(decision, licence))
    lets += nomination_lets(first, last)
    lets.sort(key=lambda let: (tenancy_start(let), let.tenancy_code))
    return lets
