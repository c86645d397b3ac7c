"""Vacancies, bids and shortlists: advertising, bidding, ranking, freezing and replaying."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from allocations import rules
from allocations.lifecycles import VACANCY
from allocations.models import (
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors.connections import shortlist_tiers_explain
from allocations.selectors.policies import policy_in_force
from allocations.selectors.ranking import (
    row_snapshot,
    shortlist_rank,
    snapshot_candidate,
    tie_breakers,
)
from allocations.services.common import next_reference
from config.kernel.records import reason_required, save
from sites.models import Unit

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
}


@transaction.atomic
def vacancy_create(*, unit: Unit, scheme: str, by: AbstractBaseUser, **fields: Any) -> Vacancy:
    unknown = set(fields) - VACANCY_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != Unit.Status.VOID:
        raise ValidationError(f"{unit} is not void, so it cannot be advertised.")
    if unit.vacancies.exclude(status__in=[Vacancy.Status.LET, Vacancy.Status.WITHDRAWN]).exists():
        raise ValidationError(f"{unit} already has an open vacancy.")
    vacancy = Vacancy(
        reference=next_reference("V", "allocations_vacancy_reference"),
        unit=unit,
        scheme=scheme,
        **fields,
    )
    save(vacancy, by=by, reason="Vacancy created")
    return vacancy


@transaction.atomic
def vacancy_advertise(*, vacancy: Vacancy, by: AbstractBaseUser) -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    VACANCY.move(
        vacancy, Vacancy.Status.ADVERTISED, refusal="Only a draft vacancy can be advertised."
    )
    save(vacancy, by=by, reason="Advertised")
    return vacancy


@transaction.atomic
def shortlist_freeze(*, vacancy: Vacancy, by: AbstractBaseUser) -> list[ShortlistEntry]:
    """Close the vacancy and freeze its ranked, explained shortlist under the policy in force
    on the closing date. Two officers freezing at once: the row lock lets only one through."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.frozen_at is not None:
        raise ValidationError("This shortlist is already frozen.")
    if not VACANCY.can_move(vacancy, Vacancy.Status.CLOSED):
        raise ValidationError("Only an advertised vacancy can be closed.")
    policy = policy_in_force(scheme=vacancy.scheme, on=vacancy.closes_on)
    rows, ineligible_rows = shortlist_rank(vacancy, policy=policy)
    ranked = [row_snapshot(row, vacancy.closes_on) for row in rows]
    ineligible = [(row_snapshot(row, vacancy.closes_on), reason) for row, reason in ineligible_rows]
    # The explanations check, pair by pair, that the database's order is the policy's.
    explanations = rules.explanations([snapshot_candidate(s) for s in ranked], tie_breakers(policy))
    entries = [
        ShortlistEntry(
            vacancy=vacancy,
            application_id=snapshot["application_id"],
            position=position,
            eligible=True,
            snapshot=snapshot,
            explanation=explanation,
        )
        for position, (snapshot, explanation) in enumerate(
            zip(ranked, explanations, strict=True), start=1
        )
    ] + [
        ShortlistEntry(
            vacancy=vacancy,
            application_id=snapshot["application_id"],
            eligible=False,
            ineligible_reason=reason,
            snapshot=snapshot,
        )
        for snapshot, reason in ineligible
    ]
    shortlist_tiers_explain(vacancy=vacancy, entries=entries, policy=policy)
    for entry in entries:
        entry.full_clean(validate_unique=False, validate_constraints=False)
    # One insert for the lines and one for their history rows, however long the shortlist.
    bulk_create_with_history(
        entries, ShortlistEntry, default_user=by, default_change_reason="Shortlist frozen"
    )
    VACANCY.move(vacancy, Vacancy.Status.CLOSED)
    vacancy.frozen_at = timezone.now()
    vacancy.frozen_by = by
    vacancy.policy_version = policy
    save(vacancy, by=by, reason=f"Closed; shortlist frozen under {policy}")
    return entries


@transaction.atomic
def shortlist_bypass(*, entry: ShortlistEntry, reason: str, by: AbstractBaseUser) -> ShortlistEntry:
    """Passing over a higher-ranked applicant is always recorded with its reason."""
    entry = ShortlistEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.eligible:
        raise ValidationError("Only a ranked applicant can be bypassed.")
    if entry.bypass_reason:
        raise ValidationError("This applicant has already been bypassed.")
    entry.bypass_reason = reason_required(reason)
    entry.bypassed_by = by
    save(entry, by=by, reason=f"Bypassed: {entry.bypass_reason}")
    return entry
