"""Benchmark (not a test): a bidding cycle at county scale, through the services.

    manage.py benchmark_ranking --cycle [--bids 5000] [--scale 10]

80 adverts in a cycle (one 1-bed flat drawing about 140 bids, a 2-bed flat 4, the rest in
between), `--bids` bids placed one by one through `place_bid` (limit, eligibility, row locks,
history) against a bare bulk insert of the same rows; then the close (every shortlist frozen,
ranked, explained, tiers per home) against ranking the same bids with one SQL statement per
advert, and against that ranking followed by writing the same lines with their history and
change-log rows in one statement (what freezing must write, with nothing worked out); and the
live-position query for one bidder (queries counted). Everything is rolled back at the end:
the benchmark leaves no rows behind.
"""

from __future__ import annotations

import cProfile
import gc
import os
import random
import statistics
import time
from datetime import date, timedelta

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations import selectors, services
from allocations.models import (
    Application,
    Bid,
    BiddingCycle,
    HouseholdConnection,
    Scheme,
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors.ranking import (
    _ranking_sql,
    connection_tier_params,
    ranking_sql_params,
)
from allocations.services.freezing import FROZEN_REASON, Line
from config.history import acting_as, system_user
from config.kernel.bulk import insert_with_history
from residents.models import Household
from sites.models import Unit

ADVERTS = 80
WRITE_ROUNDS = 3
PARISHES = ["Cheriton", "Folkestone", "Hythe", "Sandgate", "Hawkinge", "Newington"]


class _Rollback(Exception):
    pass


def cycle_benchmark(stdout, *, bids: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data
    admin = system_user()
    # Fresh statistics and no dead rows, as autovacuum leaves a live database: each run's
    # rolled-back bids, lines and history leave dead rows that slowed the next run by a third
    # on a server with autovacuum off (as benchmark_all does first).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    try:
        with transaction.atomic(), acting_as(admin):
            _run(stdout, rng, admin, bids)
            raise _Rollback
    except _Rollback:
        stdout.write("(rolled back: nothing was kept)")


def _run(stdout, rng, admin, bids: int) -> None:
    now = timezone.now()
    today = timezone.localdate()
    applicants = max(1, -(-bids // 3))  # three bids each at most (the policy's limit)
    households = list(
        Household.objects.filter(applications__isnull=True).order_by("pk")[:applicants]
    )
    if len(households) * 3 < bids:
        raise SystemExit(
            f"Only {len(households)} households without an application: load a larger scale."
        )
    # Homes with no open vacancy of their own (one open vacancy per unit, in the database).
    units = list(
        Unit.objects.filter(kind=Unit.Kind.HOME)
        .exclude(
            pk__in=Vacancy.objects.filter(status__in=["draft", "advertised", "closed"]).values(
                "unit"
            )
        )
        .order_by("pk")[: ADVERTS * 2]
    )
    if len(units) < ADVERTS * 2:
        raise SystemExit(f"Only {len(units)} homes without an open vacancy: load a larger scale.")
    cycle = BiddingCycle.objects.create(
        reference="BENCH-CYCLE",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=6),
    )
    twin = BiddingCycle.objects.create(
        reference="BENCH-BARE",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=6),
    )

    def adverts_for(which: BiddingCycle, offset: int) -> list[Vacancy]:
        return [
            Vacancy.objects.create(
                reference=f"{which.reference[:8]}-{n}",
                unit=units[(offset + n) % len(units)],
                scheme=Scheme.CBL,
                status=Vacancy.Status.ADVERTISED,
                advert_text="Benchmark advert",
                opens_on=today,
                closes_on=today,
                cycle=which,
                parish=PARISHES[n % len(PARISHES)],
                area=PARISHES[n % len(PARISHES)],
            )
            for n in range(ADVERTS)
        ]

    adverts, bare_adverts = adverts_for(cycle, 0), adverts_for(twin, ADVERTS)
    applications = Application.objects.bulk_create(
        Application(
            reference=f"BC-{household.pk}",
            household=household,
            scheme=Scheme.CBL,
            kind=Application.Kind.NEW,
            status=Application.Status.ACTIVE,
            registration_date=date(2020, 1, 1) + timedelta(days=rng.randint(0, 1500)),
            effective_date=date(2020, 1, 1) + timedelta(days=rng.randint(0, 1500)),
            band=rng.randint(1, 4),
        )
        for household in households
    )
    HouseholdConnection.objects.bulk_create(
        HouseholdConnection(
            household=household,
            kind="residence",
            parish=rng.choice(PARISHES),
            since=today - timedelta(days=rng.randint(100, 2000)),
            evidence_seen="Benchmark",
        )
        for household in households
        if rng.random() < 0.6
    )
    # Advert 0 (a 1-bed flat) draws about 140 bids, advert 1 (a 2-bed flat) 4; the rest share.
    weights = [140, 4] + [max(5, (bids - 144) // (ADVERTS - 2))] * (ADVERTS - 2)
    pairs: list[tuple[int, int]] = []
    chosen: dict[int, set[int]] = {}
    index = 0
    while len(pairs) < bids:
        application = applications[index % len(applications)]
        index += 1
        mine = chosen.setdefault(application.pk, set())
        if len(mine) >= 3:
            continue
        advert = rng.choices(range(ADVERTS), weights=weights)[0]
        if advert in mine:
            continue
        mine.add(advert)
        pairs.append((application.pk, advert))
    by_pk = {a.pk: a for a in applications}

    start = time.perf_counter()
    for application_pk, advert in pairs:
        services.place_bid(
            application=by_pk[application_pk], advert=adverts[advert], channel="phone", by=admin
        )
    service_s = time.perf_counter() - start
    start = time.perf_counter()
    Bid.objects.bulk_create(
        Bid(
            vacancy=bare_adverts[advert],
            application_id=application_pk,
            placed_by=admin,
            cycle=twin,
            channel="phone",
        )
        for application_pk, advert in pairs
    )
    bare_s = time.perf_counter() - start
    stdout.write(f"{len(pairs)} bids on {ADVERTS} adverts, {len(applications)} households")
    stdout.write(
        f"place_bid, one by one:     {len(pairs) / service_s:8.0f} bids/s ({service_s:.1f} s)"
    )
    stdout.write(f"bare bulk insert:          {len(pairs) / bare_s:8.0f} bids/s ({bare_s:.2f} s)")
    stdout.write(f"ratio service / bare:      {service_s / bare_s:8.1f}")

    bidder = by_pk[pairs[0][0]]
    reset_queries()  # with DEBUG on, placing the bids filled the query log
    with CaptureQueriesContext(connection) as queries:
        positions = selectors.bid_positions(bidder)
    stdout.write(f"live positions of one bidder: {len(positions)} bids in {len(queries)} queries")

    policy = services.policy_in_force(scheme=Scheme.CBL, on=today)
    start = time.perf_counter()
    _rank_in_sql(adverts, policy, today)
    sql_s = time.perf_counter() - start
    BiddingCycle.objects.filter(pk=cycle.pk).update(closes_at=now - timedelta(seconds=1))
    BiddingCycle.objects.filter(pk=twin.pk).update(frozen_at=now)  # not part of the close
    profile = os.environ.get("BENCHMARK_PROFILE_CLOSE")
    profiler = cProfile.Profile() if profile else None
    # The benchmark's own set-up (5,000 bids placed, the debug query log) leaves this process
    # a heap no worker has: collected and set aside, so the close's garbage collections walk
    # only what the close itself makes, as they would in a worker.
    gc.collect()
    gc.freeze()
    # A worker has resolved URLs before (every reminder names its record's page): this process
    # has not, and the close's first nomination would pay for reading the URL patterns.
    reverse("allocations:nomination-list")
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    services.cycles_close_due(by=admin)
    close_s = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    gc.unfreeze()
    writes_s = audited_writes(adverts, bare_adverts, policy, today, by=admin)
    stdout.write(f"close (every shortlist frozen): {close_s:6.2f} s")
    stdout.write(f"one SQL statement per advert:   {sql_s:6.2f} s")
    stdout.write(f"ratio close / SQL:              {close_s / sql_s:6.1f} (goal ≤ 2)")
    stdout.write(
        f"SQL, then the same lines written with their history: {writes_s:6.2f} s "
        f"(median of {WRITE_ROUNDS})"
    )
    stdout.write(f"ratio close / that:             {close_s / writes_s:6.1f}")


def _rank_in_sql(adverts: list[Vacancy], policy, on: date) -> None:
    """Each advert's bids ranked by one SQL statement, its rows read (nothing explained)."""
    order = tuple(policy.policy.tie_breakers)
    with connection.cursor() as cursor:
        for advert in adverts:
            cursor.execute(
                _ranking_sql(order, True),
                ranking_sql_params(advert) | connection_tier_params(advert.parish, policy, on),
            )
            cursor.fetchall()


def audited_writes(adverts: list[Vacancy], twins: list[Vacancy], policy, on: date, *, by) -> float:
    """Seconds to do what no close can do without: rank the bids in SQL and write the lines the
    close froze, each with its history row (and the change log's, by its trigger), in one
    statement. The twin adverts hold the same bids; they get a copy of each advert's lines.
    The median of WRITE_ROUNDS rounds, each but the last rolled back to a savepoint."""
    twin_of = {advert.pk: twin.pk for advert, twin in zip(adverts, twins, strict=True)}
    fields = [name for name in Line.__slots__ if name != "vacancy_id"]  # type: ignore[attr-defined]
    rows = [
        {"vacancy_id": twin_of[row.pop("vacancy_id")], **row}
        for row in ShortlistEntry.objects.filter(vacancy__in=adverts)
        .order_by("vacancy_id", "pk")
        .values("vacancy_id", *fields)
    ]
    rounds = []
    for n in range(WRITE_ROUNDS):
        saved = transaction.savepoint()
        gc.collect()
        gc.freeze()
        start = time.perf_counter()
        _rank_in_sql(twins, policy, on)
        insert_with_history(ShortlistEntry, rows, by=by, reason=FROZEN_REASON)
        rounds.append(time.perf_counter() - start)
        gc.unfreeze()
        if n < WRITE_ROUNDS - 1:
            transaction.savepoint_rollback(saved)
        else:  # the last round's lines stay until the benchmark's own rollback
            transaction.savepoint_commit(saved)
    return statistics.median(rounds)
