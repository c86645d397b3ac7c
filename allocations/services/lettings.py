"""Vacancies, bids and shortlists: advertising, bidding, ranking, freezing and replaying."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from allocations.lifecycles import APPLICATION, VACANCY
from allocations.models import (
    Application,
    Scheme,
    Vacancy,
)
from allocations.services.applications import application_locked, application_move
from allocations.services.bids import bids_withdraw_with_advert
from allocations.services.common import next_reference
from config.kernel.records import reason_required, save
from residents.models import Licence
from residents.selectors import household_name
from residents.services import licence_draft_cancel
from sites.models import Site, Unit
from sites.services import unit_letting_move

# --- Vacancies, bids and shortlists ----------------------------------------------------------


VACANCY_FIELDS = {
    "advert_text",
    "opens_on",
    "closes_on",
    "min_household_size",
    "max_household_size",
    "min_bedroom_need",
    "max_bedroom_need",
    "min_age",
    "requires_accessible",
    "local_connection_required",
    "local_lettings_plan",
    # About the home (not a pitch): the advert's own words for it.
    "home_type",
    "weekly_rent",
    "weekly_charges",
    "access_categories",
}


@transaction.atomic
def vacancy_create(*, unit: Unit, scheme: str, by: AbstractBaseUser, **fields: Any) -> Vacancy:
    unknown = set(fields) - VACANCY_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    # The unit's row lock makes "is it free to advertise?" and the advert one step.
    unit = Unit.objects.select_for_update().select_related("site").get(pk=unit.pk)
    if unit.status != Unit.Status.VOID:
        raise ValidationError(unit_not_free_to_advertise(unit))
    # Nothing can be let on a closed site (no agreement starts there): advertised, the case
    # would go through to the team leader's approval and fail there.
    if unit.site.status == Site.Status.CLOSED:
        raise ValidationError(f"{unit.site} is closed: its units cannot be advertised.")
    vacancy = Vacancy(
        reference=next_reference("V", "allocations_vacancy_reference"),
        unit=unit,
        scheme=scheme,
        # The landlord is the unit's: a registered provider's home is let by nomination.
        landlord=unit.provider.name if unit.provider_id else "",
        **fields,
    )
    save(vacancy, by=by, reason="Vacancy created")
    unit_letting_move(
        unit=unit, to=Unit.Status.ADVERTISED, by=by, reason=f"Vacancy {vacancy.reference} created"
    )
    return vacancy


def unit_not_free_to_advertise(unit: Unit) -> str:
    """Why a unit cannot take a new vacancy, in words an officer can act on."""
    if unit.status in (Unit.Status.ADVERTISED, Unit.Status.UNDER_OFFER):
        open_vacancy = unit.vacancies.filter(status__in=Vacancy.OPEN_STATUSES).first()
        reference = f" ({open_vacancy.reference})" if open_vacancy else ""
        return f"{unit} already has an open vacancy{reference}: a unit is let once."
    agreement = (
        Licence.objects.filter(unit=unit, status__in=[*Licence.PENDING_STATUSES, "live"])
        .order_by("-start_date")
        .first()
    )
    if unit.status == Unit.Status.ALLOCATED:
        reference = f" ({agreement.reference})" if agreement else ""
        return f"{unit} is allocated: its agreement{reference} is being prepared."
    if unit.status == Unit.Status.OCCUPIED:
        reference = f" under licence {agreement.reference}" if agreement else ""
        return f"{unit} is occupied{reference}: it can be advertised once the agreement ends."
    return f"{unit} is not available to let, so it cannot be advertised."


@transaction.atomic
def vacancy_withdraw(*, vacancy: Vacancy, reason: str, by: AbstractBaseUser) -> Vacancy:
    """Take a vacancy off before it is let; the unit goes back to void, saying why."""
    unit = Unit.objects.select_for_update().get(pk=vacancy.unit_id)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    reason = reason_required(reason)
    live = vacancy.offers.filter(status__in=["open", "accepted"]).select_related("application")
    if (offer := live.first()) is not None:
        raise ValidationError(
            f"{vacancy.reference} has an offer {offer.get_status_display().lower()} "
            f"({household_name(offer.application.household)}): withdraw the offer first."
        )
    nominated = vacancy.nominations.filter(status__in=["sent", "accepted", "rejected"]).first()
    if nominated is not None:
        raise ValidationError(
            f"{vacancy.reference} is nominated to "
            f"{household_name(nominated.application.household)} "
            f"({nominated.get_status_display().lower()}): it cannot be withdrawn until the "
            "nomination is settled."
        )
    VACANCY.move(
        vacancy,
        Vacancy.Status.WITHDRAWN,
        refusal=f"{vacancy.reference} is {vacancy.get_status_display().lower()}: only an open "
        "vacancy can be withdrawn.",
    )
    vacancy.withdrawal_reason = reason
    save(vacancy, by=by, reason=f"Withdrawn: {reason}")
    if vacancy.frozen_at is None:  # a frozen shortlist keeps the bids it was ranked from
        bids_withdraw_with_advert(vacancy=vacancy, reason=reason, by=by)
    unit_letting_move(
        unit=unit,
        to=Unit.Status.VOID,
        by=by,
        reason=f"Vacancy {vacancy.reference} withdrawn: {reason}",
    )
    return vacancy


@transaction.atomic
def vacancy_let_fall_through(*, vacancy: Vacancy, reason: str, by: AbstractBaseUser) -> Vacancy:
    """The household withdraws after approval, before signing: the draft agreement does not go
    ahead, the unit goes back to void, and the application is live again; all saying why."""
    unit = Unit.objects.select_for_update().get(pk=vacancy.unit_id)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    reason = reason_required(reason)
    if vacancy.status != Vacancy.Status.LET:
        raise ValidationError(f"{vacancy.reference} is not let, so the let cannot fall through.")
    offer = (
        vacancy.offers.filter(status="accepted", decisions__status="approved")
        .select_related("application__household")
        .first()
    )
    if offer is None:
        raise ValidationError(f"{vacancy.reference} has no approved allocation.")
    draft = (
        Licence.objects.filter(unit_id=unit.pk, household_id=offer.application.household_id)
        .exclude(status=Licence.Status.CANCELLED)
        .first()
    )
    if draft is not None and draft.status != Licence.Status.DRAFT:
        raise ValidationError(
            f"Licence {draft.reference} is already signed: the let went ahead. End the licence "
            "instead."
        )
    VACANCY.move(vacancy, Vacancy.Status.FELL_THROUGH)
    vacancy.fell_through_reason = reason
    save(vacancy, by=by, reason=f"Let fell through: {reason}")
    if draft is not None:
        licence_draft_cancel(licence=draft, reason=reason, by=by)
    else:
        unit_letting_move(
            unit=unit, to=Unit.Status.VOID, by=by, reason=f"Let fell through: {reason}"
        )
    application = application_locked(offer.application)
    if APPLICATION.can_move(application, Application.Status.ACTIVE):
        application_move(
            application,
            Application.Status.ACTIVE,
            by=by,
            reason=f"The let of {unit} fell through before signing: {reason}",
        )
    return vacancy


@transaction.atomic
def vacancy_advertise(*, vacancy: Vacancy, by: AbstractBaseUser) -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().select_related("unit").get(pk=vacancy.pk)
    if vacancy.scheme == Scheme.CBL:
        # A choice-based lettings advert takes bids only in a cycle: its bid limit and the
        # eligibility checked at the bid are the cycle's.
        raise ValidationError(
            f"{vacancy.reference} is a choice-based lettings advert: publish it into a bidding "
            "cycle instead; it takes bids while the cycle is open."
        )
    if vacancy.unit.extra_care:
        raise ValidationError(
            f"{vacancy.unit} is an Extra Care home: it is offered from the Extra Care panel's "
            "ranking, not advertised for bids."
        )
    VACANCY.move(
        vacancy, Vacancy.Status.ADVERTISED, refusal="Only a draft vacancy can be advertised."
    )
    save(vacancy, by=by, reason="Advertised")
    return vacancy
