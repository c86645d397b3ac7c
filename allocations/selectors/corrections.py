"""What a correction would have changed: every frozen shortlist the household was on since
the corrected date, replayed in bulk under its recorded policy version with the corrected
value.

The cost is a constant number of queries however many shortlists there are: the household's
lines (with their vacancies and policy versions), every line of those shortlists, and the
lets (and, for a band, the application's history: when a refusal penalty held it); the
ranking is done in Python from what each shortlist recorded (`rules.rank_order`, the order
the engine's replay checks the database's against)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from allocations import rules
from allocations.models import (
    AllocationDecision,
    Application,
    Correction,
    PolicyVersion,
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors import priorities
from allocations.selectors.ranking import ineligibility, snapshot_candidate
from residents.selectors import lead_name


@dataclass(frozen=True)
class ReplayedShortlist:
    """One frozen shortlist replayed with the corrected value."""

    vacancy: Vacancy
    frozen_on: date
    position_had: int | None  # None: not eligible as frozen
    position_would_have_had: int | None  # None: still not eligible with the corrected value
    ineligible_reason_had: str
    ineligible_reason_would_have_had: str
    let_to: str  # the let household's lead applicant's name ("" when not let)
    let_reference: str
    let_position: int | None
    let_on: date | None
    # Frozen while a refusal penalty held the household in the lowest band: the corrected band
    # would have been held there too, so the line is replayed as it was.
    penalty_held: bool = False

    @property
    def changed(self) -> bool:
        return self.position_had != self.position_would_have_had

    @property
    def ahead_of_let(self) -> bool:
        """With the corrected value the household would have come before the household let
        the home, where as frozen it did not."""
        would, had, let = self.position_would_have_had, self.position_had, self.let_position
        if let is None or would is None or not self.changed:
            return False
        # Moving up, the household takes the let household's place (it moves down one).
        return would <= let and (had is None or had > let)


@dataclass(frozen=True)
class CorrectionReplay:
    correction: Correction
    shortlists: list[ReplayedShortlist]

    @property
    def changed(self) -> list[ReplayedShortlist]:
        return [shortlist for shortlist in self.shortlists if shortlist.changed]

    @property
    def unchanged(self) -> list[ReplayedShortlist]:
        return [shortlist for shortlist in self.shortlists if not shortlist.changed]


def corrected_snapshot(snapshot: dict[str, Any], correction: Correction) -> dict[str, Any]:
    """The values a line was ranked on, with the correction applied."""
    value = correction.corrected_value
    corrected = dict(snapshot)
    if correction.is_date:
        assert isinstance(value, date)
        corrected[correction.field] = value.isoformat()
    else:
        corrected[correction.field] = value
    return corrected


def _positions(
    vacancy: Vacancy, policy: PolicyVersion, snapshots: list[dict[str, Any]]
) -> dict[int, int]:
    order = priorities.frozen_order(snapshots, policy)
    eligible = [snapshot_candidate(s) for s in snapshots if not ineligibility(vacancy, s)]
    return {
        candidate.application_id: index
        for index, candidate in enumerate(rules.rank_order(eligible, order), start=1)
    }


def shortlist_corrected_replay(
    vacancy: Vacancy,
    policy: PolicyVersion,
    snapshots: list[dict[str, Any]],
    correction: Correction,
) -> tuple[int | None, str]:
    """The household's place on one frozen shortlist with the corrected value (None and the
    reason when it would not have been eligible): pure, no database."""
    application_id = correction.application_id
    replayed = [
        corrected_snapshot(s, correction) if s["application_id"] == application_id else s
        for s in snapshots
    ]
    own = next(s for s in replayed if s["application_id"] == application_id)
    reason = ineligibility(vacancy, own)
    if reason:
        return None, reason
    return _positions(vacancy, policy, replayed).get(application_id), ""


def correction_shortlists(correction: Correction) -> QuerySet[ShortlistEntry]:
    """The household's lines on every shortlist frozen since the corrected date."""
    return (
        ShortlistEntry.objects.filter(
            application_id=correction.application_id,
            vacancy__frozen_at__date__gte=correction.applies_from,
            vacancy__policy_version__isnull=False,
        )
        .select_related("vacancy__policy_version", "vacancy__unit__site")
        .order_by("vacancy__frozen_at", "vacancy_id")
    )


def penalty_periods(correction: Correction) -> list[tuple[datetime, datetime]]:
    """When a refusal penalty held the household in the lowest band (from, until), read from
    the application's history: one query, none for a correction of anything but the band. A
    penalty lasts from the change that set it to the one that ended it (or, still running,
    to the start of its last day's date)."""
    if correction.field != Correction.Field.BAND:
        return []
    periods: list[tuple[datetime, datetime]] = []
    start: datetime | None = None
    until: date | None = None
    rows = (
        Application.history.filter(id=correction.application_id)
        .order_by("history_date", "history_id")
        .values_list("history_date", "band_penalty_until")
    )
    for when, penalty_until in rows:
        if penalty_until is not None:
            start, until = start or when, penalty_until
        elif start is not None:
            periods.append((start, when))
            start = None
    if start is not None and until is not None:
        periods.append((start, timezone.make_aware(datetime.combine(until, time.min))))
    return periods


def _lets(vacancy_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Who was let each home and when: one query."""
    return {
        row["offer__vacancy_id"]: row
        for row in AllocationDecision.objects.filter(
            status=AllocationDecision.Status.APPROVED, offer__vacancy_id__in=list(vacancy_ids)
        )
        .annotate(let_to=lead_name("offer__application__household"))
        .values(
            "offer__vacancy_id",
            "offer__application_id",
            "offer__application__reference",
            "decided_at",
            "let_to",
        )
    }


def correction_replay(correction: Correction) -> CorrectionReplay:
    """Replay every frozen shortlist the household was on since the corrected date, under
    each one's recorded policy version, with the corrected value (three queries)."""
    own = list(correction_shortlists(correction))
    vacancy_ids = [entry.vacancy_id for entry in own]
    lines: dict[int, list[ShortlistEntry]] = defaultdict(list)
    for line in ShortlistEntry.objects.filter(vacancy_id__in=vacancy_ids).only(
        "vacancy_id", "application_id", "position", "snapshot"
    ):
        lines[line.vacancy_id].append(line)
    lets = _lets(vacancy_ids)
    # One typed policy per version, not per shortlist (each instance parses its JSON once).
    policies: dict[int, PolicyVersion] = {}
    penalties = penalty_periods(correction)
    shortlists = []
    for entry in own:
        vacancy = entry.vacancy
        policy = policies.setdefault(vacancy.policy_version_id, vacancy.policy_version)
        vacancy_lines = lines[vacancy.pk]
        assert vacancy.frozen_at is not None
        held = any(start <= vacancy.frozen_at < end for start, end in penalties)
        if held:
            position, reason = entry.position, entry.ineligible_reason
        else:
            position, reason = shortlist_corrected_replay(
                vacancy, policy, [line.snapshot for line in vacancy_lines], correction
            )
        let = lets.get(vacancy.pk)
        positions = {line.application_id: line.position for line in vacancy_lines}
        shortlists.append(
            ReplayedShortlist(
                vacancy=vacancy,
                frozen_on=timezone.localdate(vacancy.frozen_at),
                position_had=entry.position,
                position_would_have_had=position,
                ineligible_reason_had=entry.ineligible_reason,
                ineligible_reason_would_have_had=reason,
                let_to=(let["let_to"] or let["offer__application__reference"]) if let else "",
                let_reference=let["offer__application__reference"] if let else "",
                let_position=positions.get(let["offer__application_id"]) if let else None,
                let_on=timezone.localdate(let["decided_at"]) if let else None,
                penalty_held=held,
            )
        )
    return CorrectionReplay(correction=correction, shortlists=shortlists)


def correction_queryset() -> QuerySet[Correction]:
    return Correction.objects.select_related(
        "application__household", "recorded_by", "remedy_decided_by"
    ).annotate(lead_name=lead_name("application__household"))


def corrections_awaiting_remedy() -> QuerySet[Correction]:
    """Corrections a team leader has still to decide a remedy for, oldest first."""
    return (
        correction_queryset()
        .filter(remedy=Correction.Remedy.AWAITING)
        .order_by("recorded_at", "pk")
    )
