"""The cycle benchmark's comparison with what freezing must write: the same lines, each with
its history and change-log row, written for the twin adverts that hold the same bids."""

import io
import random

from allocations.management import benchmark_cycle
from allocations.models import ShortlistEntry, Vacancy
from config.models import ChangeLogEntry
from tests.allocations.factories import HouseholdWithPeopleFactory
from tests.factories import HomeFactory


def test_the_writes_it_compares_with_are_the_close_s_own_lines_with_their_audit(
    monkeypatch, team_leader
):
    monkeypatch.setattr(benchmark_cycle, "ADVERTS", 4)
    HomeFactory.create_batch(8)
    HouseholdWithPeopleFactory.create_batch(8, people=2)
    out = io.StringIO()

    benchmark_cycle._run(out, random.Random(3), team_leader, 20)

    closed = Vacancy.objects.filter(cycle__reference="BENCH-CYCLE").order_by("pk")
    twins = Vacancy.objects.filter(cycle__reference="BENCH-BARE").order_by("pk")
    assert [v.status for v in closed] == [Vacancy.Status.CLOSED] * 4

    def lines(vacancy):
        return list(
            ShortlistEntry.objects.filter(vacancy=vacancy)
            .order_by("pk")
            .values_list("application_id", "position", "eligible", "explanation", "snapshot")
        )

    assert sum(len(lines(v)) for v in closed) == 20
    for vacancy, twin in zip(closed, twins, strict=True):
        assert lines(twin) == lines(vacancy)
    copies = ShortlistEntry.objects.filter(vacancy__in=twins)
    for entry in copies:
        assert entry.history.get().history_change_reason == "Shortlist frozen"
    assert (
        ChangeLogEntry.objects.filter(
            record_type="allocations.shortlistentry", record_id__in=copies.values("pk")
        ).count()
        == 20
    )
    report = out.getvalue()
    assert "SQL, then the same lines written with their history:" in report
    assert "ratio close / that:" in report
