"""Freezing shortlists: one advert closed by an officer, or every advert of a cycle at its
close. Each is ranked in the database under the policy in force on its closing date and
explained line by line; then every line of every advert is written in one statement with its
history (and the change log's rows, by the trigger, in the same statement), and every advert's
closing in one more. A cycle's close costs little more than ranking its bids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.lifecycles import VACANCY
from allocations.models import DirectLet, PolicyVersion, ShortlistEntry, Vacancy
from allocations.selectors.connections import lines_tiers_explain
from allocations.selectors.policies import policy_in_force
from allocations.selectors.priorities import (
    plan_share_prime,
    ranking_order,
    shortlist_priorities_explain,
)
from allocations.selectors.ranking import row_snapshots, shortlist_rank
from config.kernel.bulk import insert_with_history, update_with_history
from config.kernel.dates import page_date
from config.kernel.records import reason_required

FROZEN_REASON = "Shortlist frozen"


@dataclass(slots=True)
class Line:
    """One frozen line as it will be written (a ShortlistEntry's fields, no model object)."""

    vacancy_id: int
    application_id: int
    position: int | None
    eligible: bool
    snapshot: dict[str, Any]
    ineligible_reason: str = ""
    explanation: str = ""
    connection_tier: int | None = None
    connection_reason: str = ""
    priority_reason: str = ""

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


def vacancy_ranking_date(vacancy: Vacancy, *, closed_on: date) -> date:
    """The day whose policy ranks the shortlist: the advertised closing date, or the day it
    was actually closed if earlier, so a version that starts after the close is never used."""
    return min(vacancy.closes_on, closed_on)


def _locked(pks: list[int]) -> list[Vacancy]:
    return list(
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("unit", "local_lettings_plan")
        .filter(pk__in=pks)
        .order_by("pk")
    )


@transaction.atomic
def shortlist_freeze(
    *, vacancy: Vacancy, by: AbstractBaseUser, reason: str = ""
) -> list[ShortlistEntry]:
    """Close the vacancy and freeze its ranked, explained shortlist under the policy in force
    on the advertised closing date (or on the day it closed, if earlier: never a version that
    starts later). Closing before the advertised date needs a reason: people may still have
    meant to bid. Two officers freezing at once: the row lock lets only one through."""
    locked = _locked([vacancy.pk])
    if not locked:
        raise Vacancy.DoesNotExist(f"No vacancy {vacancy.pk}")
    shortlists_freeze(locked, by=by, reason=reason)
    return list(ShortlistEntry.objects.filter(vacancy_id=vacancy.pk))


def shortlists_freeze(
    vacancies: list[Vacancy], *, by: AbstractBaseUser, reason: str = ""
) -> list[Vacancy]:
    """Freeze the shortlists of `vacancies`, locked by the caller (`select_related` of unit and
    plan), in the caller's transaction. `reason`: why any is closed before its advertised date.
    Refuses (writing nothing) if any cannot be frozen, saying which and why."""
    today = timezone.localdate()
    proposed = dict(
        DirectLet.objects.filter(
            vacancy_id__in=[v.pk for v in vacancies], status="proposed"
        ).values_list("vacancy_id", "reference")
    )
    for vacancy in vacancies:
        _check(vacancy, today=today, proposed=proposed.get(vacancy.pk), reason=reason)
    plan_share_prime(vacancies)
    policies: dict[tuple[str, date], PolicyVersion] = {}
    groups: list[tuple[Vacancy, PolicyVersion, list[Line]]] = []
    for vacancy in vacancies:
        vacancy.closed_on = today
        vacancy.ranked_on = vacancy_ranking_date(vacancy, closed_on=today)
        key = (vacancy.scheme, vacancy.ranked_on)
        if key not in policies:
            policies[key] = policy_in_force(scheme=vacancy.scheme, on=vacancy.ranked_on)
        groups.append((vacancy, policies[key], _lines(vacancy, policies[key])))
    lines_tiers_explain(groups)
    for vacancy, policy, lines in groups:
        shortlist_priorities_explain(vacancy=vacancy, entries=lines, policy=policy)
    # Every line of every advert, with its history row, in one statement.
    insert_with_history(
        ShortlistEntry,
        [line.row() for _, _, lines in groups for line in lines],
        by=by,
        reason=FROZEN_REASON,
    )
    frozen_at = timezone.now()
    changes = []
    for vacancy, policy, _ in groups:
        VACANCY.move(vacancy, Vacancy.Status.CLOSED)
        vacancy.frozen_at, vacancy.frozen_by, vacancy.policy_version = frozen_at, by, policy
        closing = (
            f"Closed early ({vacancy.closed_early_reason})"
            if vacancy.closed_early_reason
            else "Closed"
        )
        changes.append(
            {
                "pk": vacancy.pk,
                "reason": f"{closing}; shortlist frozen under {policy}",
                "status": vacancy.status,
                "closed_on": vacancy.closed_on,
                "ranked_on": vacancy.ranked_on,
                "closed_early_reason": vacancy.closed_early_reason,
                "frozen_at": frozen_at,
                "frozen_by_id": by.pk,
                "policy_version_id": policy.pk,
            }
        )
    # Only the status and the freeze's own fields change, on rows locked by the caller.
    update_with_history(Vacancy, changes, by=by)
    return vacancies


def _check(vacancy: Vacancy, *, today: date, proposed: str | None, reason: str) -> None:
    if vacancy.frozen_at is not None:
        raise ValidationError("This shortlist is already frozen.")
    if not VACANCY.can_move(vacancy, Vacancy.Status.CLOSED):
        raise ValidationError("Only an advertised vacancy can be closed.")
    if proposed is not None:
        raise ValidationError(
            f"Direct let {proposed} of {vacancy.reference} is waiting for a team leader's "
            "decision: the shortlist is frozen only once it is declined."
        )
    if today < vacancy.closes_on:
        if not reason or not reason.strip():
            raise ValidationError(
                {
                    "reason": f"Say why {vacancy.reference} is closing before its advertised "
                    f"closing date ({page_date(vacancy.closes_on)})"
                }
            )
        vacancy.closed_early_reason = reason_required(reason)


def _lines(vacancy: Vacancy, policy: PolicyVersion) -> list[Line]:
    """The advert's lines ranked in the database, each explained: the explanations check,
    pair by pair, that the database's order is the policy's (the rows read as candidates)."""
    rows, ineligible_rows = shortlist_rank(vacancy, policy=policy)
    on = vacancy.closes_on
    order = ranking_order(vacancy, policy)
    explanations = rules.explanations(rows, order)
    lines = [
        Line(
            vacancy_id=vacancy.pk,
            application_id=row.application_id,
            position=position,
            eligible=True,
            snapshot=snapshot,
            explanation=explanation,
        )
        for position, (row, snapshot, explanation) in enumerate(
            zip(rows, row_snapshots(rows, on), explanations, strict=True), 1
        )
    ]
    lines += [
        Line(
            vacancy_id=vacancy.pk,
            application_id=row.application_id,
            position=None,
            eligible=False,
            snapshot=snapshot,
            ineligible_reason=why,
        )
        for (row, why), snapshot in zip(
            ineligible_rows, row_snapshots([row for row, _ in ineligible_rows], on), strict=True
        )
    ]
    return lines
