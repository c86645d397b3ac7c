"""Benchmark (not a test): ranking a vacancy's shortlist against the equivalent single SQL query.

    manage.py benchmark_ranking [--bids 500] [--scale 10] [--repeat 15]
    manage.py benchmark_ranking --cycle --bids 5000 --scale 10   # a whole bidding cycle

Builds (once) a county × N register with `demo_load --scale N`, a vacancy with the given number
of bids from active applications, then times, side by side in one run, the engine's ranking
(load the bids' values in a bounded number of queries, rank and explain them in Python) and a
single SQL query that fetches the same values (household size, lead applicant's date of
birth) and orders them by the policy's tie-breakers. Prints the median of
each, the ratio, and the queries the engine used.
"""

import random
import statistics
import time
from datetime import date, timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from allocations import rules, selectors
from allocations.models import Application, Bid, Scheme, Vacancy
from allocations.selectors import RankingRow
from config.history import acting_as, system_user
from residents.models import Household
from sites.models import Unit

# The ORDER BY a policy's tie-breakers compile to; missing values last, as rules.rank_key does.
_SQL_ORDER = {
    rules.TieBreaker.LOCAL_CONNECTION: "a.local_connection ASC NULLS LAST",
    rules.TieBreaker.BAND: "a.band ASC NULLS LAST",
    rules.TieBreaker.POINTS: "a.points DESC NULLS LAST",
    rules.TieBreaker.EFFECTIVE_DATE: "a.effective_date ASC NULLS LAST",
    rules.TieBreaker.REGISTRATION_DATE: "a.registration_date ASC NULLS LAST",
}


class Command(BaseCommand):
    help = "Time shortlist ranking against the equivalent single SQL query."

    def add_arguments(self, parser):
        parser.add_argument("--bids", type=int, default=500)
        parser.add_argument("--scale", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--cycle",
            action="store_true",
            help="Cycle mode: 80 adverts, --bids bids through place_bid, then the close.",
        )

    def handle(self, *args, bids: int, scale: int, repeat: int, seed: int, cycle: bool, **options):
        call_command("demo_load", verbosity=0)
        if scale:
            call_command("demo_load", scale=scale, verbosity=0)
        if cycle:
            from allocations.management.benchmark_cycle import cycle_benchmark

            cycle_benchmark(self.stdout, bids=bids, seed=seed)
            return
        vacancy = self._vacancy(bids, random.Random(seed))
        policy = selectors.policy_in_force(scheme=vacancy.scheme, on=vacancy.closes_on)
        order = list(policy.policy.tie_breakers)
        # The same values as the engine reads, ordered by the policy's rules, written by hand.
        # The ORDER BY comes from the fixed table above, never from input.
        sql = (
            "SELECT a.id AS application_id, a.reference, a.status, a.band, a.points, "  # noqa: S608
            "a.local_connection AS local_connection_tier, a.effective_date, a.registration_date, "
            "a.bedroom_need, "
            "a.needs_accessible_home, (SELECT count(*) FROM residents_person p "
            "WHERE p.household_id = a.household_id) AS household_size, "
            "(SELECT p.date_of_birth FROM residents_person p WHERE p.household_id = "
            "a.household_id AND p.relationship = 'lead' LIMIT 1) AS lead_date_of_birth, "
            # A pitch: no adapted-home rule and no lettings plan, as the engine reads it.
            "a.access_category, NULL::boolean AS needs_adaptations, "
            "NULL::boolean AS plan_priority "
            "FROM allocations_bid b JOIN allocations_application a ON a.id = b.application_id "
            "WHERE b.vacancy_id = %s AND NOT b.withdrawn ORDER BY "
            + ", ".join([_SQL_ORDER[tie_breaker] for tie_breaker in order] + ["a.id"])
        )

        def engine():
            """As freezing ranks: the bids' values in policy order, eligibility checked."""
            ranked, _ = selectors.shortlist_rank(vacancy, policy=policy)
            return ranked

        def explained():
            """The same, with a plain-English reason for every position, each pair checked."""
            rows, _ = selectors.shortlist_rank(vacancy, policy=policy)
            snapshots = selectors.row_snapshots(rows, vacancy.closes_on)
            return snapshots, rules.explanations(rows, order)

        def single_query() -> list[tuple[Any, ...]]:
            # The engine's cursor hands the dates over as the ISO text the server sends
            # (RankingRow), this one as dates: the same bytes from the server, and about the
            # same work in psycopg either way (measured: within the noise).
            with connection.cursor() as cursor:
                cursor.execute(sql, [vacancy.pk])
                return cursor.fetchall()

        def single_query_named() -> list[RankingRow]:
            """The same rows, each column by name (untimed: only the comparison reads them)."""
            with connection.cursor() as cursor:
                cursor.execute(sql, [vacancy.pk])
                columns = tuple(column.name for column in cursor.description)
                if columns != RankingRow._fields:
                    raise CommandError(f"The benchmark's columns {columns} are not the engine's")
                return list(map(RankingRow._make, cursor.fetchall()))

        engine()
        single_query()  # warm both up
        reset_queries()  # building the data filled the debug query log
        with CaptureQueriesContext(connection) as queries:
            ranked = engine()
        rows = single_query_named()
        snapshots = selectors.row_snapshots(ranked, vacancy.closes_on)
        python = rules.rank_order([selectors.snapshot_candidate(s) for s in snapshots], order)
        same = (
            [row.application_id for row in ranked]
            == [row.application_id for row in rows]
            == [c.application_id for c in python]
        )
        explained()
        times: dict[str, list[float]] = {"engine": [], "sql": [], "explained": []}
        # Interleaved, so that the machine's other load falls on all three alike.
        for _ in range(repeat):
            for name, action in (
                ("engine", engine),
                ("sql", single_query),
                ("explained", explained),
            ):
                start = time.perf_counter()
                action()
                times[name].append(time.perf_counter() - start)
        engine_ms, sql_ms, explained_ms = (
            statistics.median(times[name]) * 1000 for name in ("engine", "sql", "explained")
        )
        self.stdout.write(f"vacancy {vacancy.reference}: {len(ranked)} ranked of {bids} bids")
        self.stdout.write(f"engine ranking (load, check, order):   {engine_ms:8.1f} ms median")
        self.stdout.write(f"single SQL query (same values, ORDER BY):{sql_ms:6.1f} ms median")
        self.stdout.write(f"ratio engine / SQL:                    {engine_ms / sql_ms:8.2f}")
        self.stdout.write(f"queries used by the engine:            {len(queries):8d}")
        self.stdout.write(f"same order as SQL and as rules.rank:   {'yes' if same else 'NO'}")
        self.stdout.write(
            f"with an explanation for every position:{explained_ms:7.1f} ms median "
            f"({explained_ms / sql_ms:.2f} × SQL)"
        )

    def _vacancy(self, bids: int, rng: random.Random) -> Vacancy:
        reference = f"BENCH-{bids}"
        existing = Vacancy.objects.filter(reference=reference).first()
        if existing:
            return existing
        admin = system_user()
        today = timezone.localdate()
        households = list(Household.objects.filter(applications__isnull=True).order_by("pk")[:bids])
        # Synthetic benchmark rows, inserted in bulk: no history wanted for them.
        with transaction.atomic(), acting_as(admin):
            unit = Unit.objects.filter(kind=Unit.Kind.PITCH, status=Unit.Status.VOID).first()
            vacancy = Vacancy.objects.create(
                reference=reference,
                unit=unit,
                scheme=Scheme.PITCH,
                status=Vacancy.Status.ADVERTISED,
                advert_text="Benchmark vacancy",
                opens_on=today - timedelta(days=7),
                closes_on=today + timedelta(days=7),
            )
            applications = Application.objects.bulk_create(
                Application(
                    reference=f"BENCH-{household.pk}",
                    household=household,
                    scheme=Scheme.PITCH,
                    kind=Application.Kind.NEW,
                    status=Application.Status.ACTIVE,
                    registration_date=date(2020, 1, 1) + timedelta(days=rng.randint(0, 1500)),
                    effective_date=date(2020, 1, 1) + timedelta(days=rng.randint(0, 1500)),
                    points=rng.choice([0, 20, 40, 50, 70, 100, 120]),
                    local_connection=rng.choice([1, 2, 3, None]),
                    bedroom_need=rng.randint(1, 4),
                )
                for household in households
            )
            Bid.objects.bulk_create(
                Bid(vacancy=vacancy, application=application, placed_by=admin)
                for application in applications
            )
        return vacancy
