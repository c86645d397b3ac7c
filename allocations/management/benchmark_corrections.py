"""Benchmark (not a test): what a correction would have changed, over many frozen shortlists.

    manage.py benchmark_corrections [--shortlists 200] [--lines 20] [--repeat 3]

One household on `--shortlists` frozen shortlists of `--lines` lines each (the other lines'
households shared between them), its effective date corrected; then, side by side, the bulk
replay of every shortlist (`selectors.correction_replay`: a constant number of queries,
ranked in Python) against replaying one shortlist the way a vacancy's page does
(`selectors.shortlist_replay`) times the number of shortlists. The rows are a bulk insert of
a fixture (not a service's write: there is nothing to audit) in one transaction that is
rolled back at the end: the benchmark leaves no rows behind.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from allocations import rules, selectors
from allocations.models import (
    Application,
    Bid,
    Correction,
    Scheme,
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors.ranking import snapshot_candidate
from residents.models import Household
from sites.models import Unit


@dataclass(frozen=True)
class CorrectionReplayFigures:
    shortlists: int
    lines: int
    bulk_seconds: float  # the correction replayed over every shortlist at once
    one_seconds: float  # one shortlist replayed from its vacancy's page

    @property
    def ratio(self) -> float:
        """Bulk ÷ (one × shortlists): under 1 when the bulk replay is cheaper."""
        return self.bulk_seconds / (self.one_seconds * self.shortlists)


def _median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def correction_replay_measure(
    *, shortlists: int, lines: int, repeat: int = 3, seed: int = 1
) -> CorrectionReplayFigures:
    randomiser = random.Random(seed)  # noqa: S311 - benchmark data, not security
    with transaction.atomic():
        user = get_user_model().objects.order_by("pk").first()
        unit = Unit.objects.order_by("pk").first()
        if user is None or unit is None:
            raise ValueError("Load the demo first (manage.py demo_load): no user or unit.")
        policy = selectors.policy_in_force(scheme=Scheme.PITCH, on=timezone.localdate())
        stamp = f"{time.time_ns() % 10**8:08d}"
        households = Household.objects.bulk_create(
            Household(reference=f"HB{stamp}{i:05d}"[:20], address_line_1="1 Bench Lane")
            for i in range(lines)
        )
        applications = Application.objects.bulk_create(
            Application(
                reference=f"CR{stamp}{i:05d}"[:20],
                household=household,
                scheme=Scheme.PITCH,
                kind=Application.Kind.NEW,
                status=Application.Status.ACTIVE,
                registration_date=date(2022, 1, 1),
                effective_date=date(2022, 1, 1) + timedelta(days=randomiser.randrange(900)),
                points=randomiser.choice([10, 20, 30, 50]),
                bedroom_need=2,
            )
            for i, household in enumerate(households)
        )
        ours = applications[0]
        now = timezone.now()
        today = timezone.localdate()
        vacancies = Vacancy.objects.bulk_create(
            Vacancy(
                reference=f"VB{stamp}{i:05d}"[:20],
                unit=unit,
                scheme=Scheme.PITCH,
                status=Vacancy.Status.LET,  # not open: many on one unit
                advert_text="Benchmark vacancy",
                opens_on=today - timedelta(days=30),
                closes_on=today - timedelta(days=1),
                policy_version=policy,
                frozen_at=now - timedelta(minutes=i),
            )
            for i in range(shortlists)
        )
        order = list(policy.policy.tie_breakers)
        entries, bids = [], []
        for vacancy in vacancies:
            snapshots = [
                {
                    "application_id": application.pk,
                    "label": f"Application {application.reference}",
                    "status": "active",
                    "band": None,
                    "points": application.points,
                    "local_connection_tier": None,
                    "effective_date": application.effective_date.isoformat(),
                    "registration_date": application.registration_date.isoformat(),
                    "household_size": 2,
                    "bedroom_need": 2,
                    "lead_age": 40,
                    "needs_accessible_home": False,
                    "access_category": "",
                    "needs_adaptations": None,
                    "plan_priority": None,
                }
                for application in applications
            ]
            by_id = {s["application_id"]: s for s in snapshots}
            ranked = rules.rank_order([snapshot_candidate(s) for s in snapshots], order)
            for position, candidate in enumerate(ranked, start=1):
                entries.append(
                    ShortlistEntry(
                        vacancy=vacancy,
                        application_id=candidate.application_id,
                        position=position,
                        eligible=True,
                        snapshot=by_id[candidate.application_id],
                    )
                )
                bids.append(
                    Bid(vacancy=vacancy, application_id=candidate.application_id, placed_by=user)
                )
        ShortlistEntry.objects.bulk_create(entries, batch_size=5000)
        Bid.objects.bulk_create(bids, batch_size=5000)
        correction = Correction.objects.create(
            application=ours,
            field=Correction.Field.EFFECTIVE_DATE,
            value_before=ours.effective_date.isoformat(),
            value_after="2021-06-01",
            applies_from=date(2021, 6, 1),
            reason="Benchmark",
            recorded_by=user,
            recorded_at=now,
        )
        replayed = selectors.correction_replay(correction)
        assert len(replayed.shortlists) == shortlists, "every shortlist is replayed"
        bulk = _median_seconds(lambda: selectors.correction_replay(correction), repeat)
        one = _median_seconds(lambda: selectors.shortlist_replay(vacancy=vacancies[0]), repeat)
        transaction.set_rollback(True)
    return CorrectionReplayFigures(shortlists, lines, bulk, one)
