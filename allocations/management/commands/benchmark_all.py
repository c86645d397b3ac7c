"""Every performance goal in one run, one table. A benchmark, not a test: it asserts nothing.

    manage.py benchmark_all [--scale 10] [--repeat 3] [--requests 60] [--json] [--only PART]

Loads the demo and the county × N register once (then VACUUM ANALYZE, as autovacuum would),
and measures, side by side in the same run and `--repeat` times each, every figure as a ratio:

- pages under gunicorn (2 sync workers, DEBUG off): requests per second and p95 of the change
  log, sites list, a household, an application, a vacancy with its frozen shortlist and the
  home page (work queue), each ÷ /ping/ (the same middleware doing no work) measured in the
  same round. The application is a fixed one with casework, as a real case has: the demo's
  first, by reference, with an assessment, a validation, evidence, letters, a check and an
  offer (CBL-001015), never the benchmark's own offers' applications, so the row reads the
  same page whichever parts ran before (`application_with_casework`);
- the full change-log CSV, streamed, in seconds;
- queries per page (in-process), and the work queue's;
- household search (exact reference, a surname, two names) at county × N ÷ county × 1 (a
  second database, built once: allocations/management/benchmark_search.py), and whether any
  query of any search scans a large table sequentially (`--only search`: these rows alone);
- saving a record with its history ÷ without (in a transaction, rolled back);
- asking for a PDF (the request that queues it) ÷ saving one row with history;
- ranking a 500-bid shortlist with its explanations ÷ one SQL query (benchmark_ranking);
- a correction replayed over 5,000 frozen shortlists at once: seconds, and ÷ one shortlist's
  replay × 5,000 (benchmark_corrections);
- 20 offers made through the offer form under gunicorn (4 sync worker processes, DEBUG off),
  20 at a time by 4 signed-in clients ÷ the same 20 by one client one after another, each
  round on fresh vacancies with frozen shortlists (allocations/management/benchmark_offers.py:
  the rows it writes are labelled benchmark data), and the same requests' offer forms (GET,
  no write) the same two ways: the machine's floor for that ratio;
- documents drawn to PDF in a process of their own: a 20-page handbook's time ÷ a 1-page
  document's, and that process's peak RSS (benchmark_documents);
- reminders sent by a Celery worker killed at random: none lost, none sent twice beyond those
  caught mid-send (benchmark_reminders, once; allocations/management/benchmark_background.py).

Prints min / median / max, the goal and PASS or FAIL for each row (`--json` for machines).
`--only offers` (or pages, queries, search, history, pdf, ranking, corrections, documents,
reminders, lists: every list page's queries at county × 1 → × N,
allocations/management/benchmark_lists.py; repeatable)
runs only those rows.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client as DjangoClient
from django.test.utils import CaptureQueriesContext

from allocations.management import (
    benchmark_background,
    benchmark_lists,
    benchmark_offers,
    benchmark_search,
)
from allocations.management.benchmark_corrections import correction_replay_measure
from allocations.management.benchmark_table import Row, at_most, table
from allocations.models import Application, Vacancy
from config.kernel.present import has_rows
from config.kernel.records import save
from config.management.commands import benchmark_pages as pages
from config.roles import AUDITOR
from residents import services as resident_services
from residents.models import HandbookSection, Household
from sites.models import Site

LARGE_TABLE_ROWS = 10_000
PARTS = (
    "pages",
    "queries",
    "search",
    "history",
    "pdf",
    "ranking",
    "corrections",
    "offers",
    "documents",
    "reminders",
    "lists",
)
OFFERS = 20  # offers a round, each on its own vacancy
OFFER_WORKERS = 4  # gunicorn sync worker processes, and clients at a time


# The kinds of casework the benchmarked application page shows: a real case has them all.
CASEWORK_KINDS = ("assessments", "validations", "evidence", "letters", "checks", "offers")


def application_with_casework() -> Application | None:
    """The application whose page is benchmarked: the first, by reference, with every kind of
    casework in CASEWORK_KINDS (the demo's CBL-001015), so the page shows what a real case's
    does. Never one of the offers benchmark's applications (they have letters, checks and an
    offer, and were the newest once it had run): the same page whichever parts ran before."""
    return (
        Application.objects.annotate(**has_rows(Application, *CASEWORK_KINDS))
        .filter(**{f"has_{kind}": True for kind in CASEWORK_KINDS})
        .exclude(reference__startswith=benchmark_offers.REFERENCE_PREFIX)
        .order_by("reference")
        .first()
    )


class Command(pages.Command):
    help = "Run every performance measurement side by side and print one table of goals."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=3, help="Rounds of each measurement.")
        parser.add_argument("--requests", type=int, default=60, help="Requests per page a round.")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--bids", type=int, default=500)
        parser.add_argument(
            "--correction-shortlists",
            type=int,
            default=5000,
            help="Frozen shortlists a correction is replayed over.",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON, not a table.")
        parser.add_argument(
            "--only",
            action="append",
            choices=PARTS,
            help="Run only this part (repeatable); every part when not given.",
        )

    def handle(self, *args, scale, repeat, requests, concurrency, bids, **options):
        if not 1 <= repeat <= 20 or not 1 <= requests <= 10_000:
            raise CommandError("--repeat must be 1–20 and --requests 1–10000.")
        self.quiet = as_json = options["json"]
        self._check_migrated()
        self._say("Loading the demo and the county register (once)...")
        call_command("demo_load", verbosity=0)
        if scale:
            call_command("demo_load", scale=scale, verbosity=0)
        self._vacuum()
        if options["only"] == ["search"]:  # no signed-in user needed
            self._print(self._search(repeat, scale), scale, as_json)
            return
        password = secrets.token_urlsafe(24)
        self._benchmark_user(password)
        user = self._user()
        user.groups.add(Group.objects.get(name=AUDITOR.name))
        urls = self._urls()
        only = set(options["only"] or PARTS)
        rows: list[Row] = []
        if "pages" in only:
            rows += self._pages(urls, password, repeat, requests, concurrency)
        if "queries" in only:
            rows += self._in_process(user, urls, repeat)
        if "search" in only:
            rows += self._search(repeat, scale)
        if "history" in only:
            rows.append(self._history(repeat))
        if "pdf" in only:
            rows.append(self._pdf(user, repeat))
        if "ranking" in only:
            rows.append(self._ranking(repeat, bids))
        if "corrections" in only:
            rows += self._corrections(repeat, options["correction_shortlists"])
        if "offers" in only:
            rows += self._offers(user, password, repeat)
        if "documents" in only:
            self._say("Drawing documents (a process of their own)...")
            rows += benchmark_background.documents_rows(repeat)
        if "reminders" in only:
            self._say("Sending reminders, the worker killed at random (about a minute)...")
            rows += benchmark_background.reminders_rows()
        if "lists" in only:
            self._collect_static()  # DEBUG off, as the pages are served
            rows += benchmark_lists.rows(repeat, self._say)
        self._print(rows, scale, as_json)

    def _print(self, rows: list[Row], scale: int, as_json: bool) -> None:
        if as_json:
            self.stdout.write(
                _json_dumps({"scale": scale, "rows": [row.as_json() for row in rows]})
            )
        else:
            self.stdout.write("")
            self.stdout.write(table(rows))

    # --- set-up -------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        if not self.quiet:
            self.stdout.write(text)

    def _vacuum(self) -> None:
        """Fresh statistics and merged GIN lists in every table, as autovacuum leaves a live
        database (a server may run with it off; the planner then guesses at every table)."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def _user(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=pages.BENCHMARK_USERNAME)

    def _urls(self) -> dict[str, str]:
        household = Household.objects.filter(people__isnull=False).order_by("pk").first()
        application = application_with_casework()
        if application:
            self._say(f"The application page: {application.reference} (with casework).")
        vacancy = Vacancy.objects.filter(status=Vacancy.Status.CLOSED).order_by("pk").first()
        urls = {
            "change log": "/change-log/",
            "sites list": "/sites/",
            "household": f"/households/{household.pk}/" if household else "",
            "application": f"/allocations/applications/{application.pk}/" if application else "",
            "vacancy with frozen shortlist": (
                f"/allocations/vacancies/{vacancy.pk}/" if vacancy else ""
            ),
            "home (work queue)": "/",
        }
        return {name: url for name, url in urls.items() if url}

    # --- pages under gunicorn -----------------------------------------------------------------

    def _pages(self, urls, password, repeat, requests, concurrency) -> list[Row]:
        self._collect_static()
        throughput = {
            name: Row(f"page: {name}, req/s ÷ /ping/", "≥ 0.25×", passes=lambda v: v >= 0.25)
            for name in urls
        }
        p95 = {
            name: Row(f"page: {name}, p95 ÷ /ping/", "≤ 4×", passes=lambda v: v <= 4)
            for name in urls
        }
        port = pages.free_loopback_port()
        with tempfile.TemporaryDirectory(prefix="benchmark-all-") as directory:
            config_path = Path(directory) / "gunicorn.conf.py"
            config_path.write_text(pages.GUNICORN_CONFIG)
            process = pages.gunicorn_start(port, config_path)
            try:
                pages.gunicorn_wait(process, port)
                client = pages.Client(port)
                pages.sign_in(client, pages.BENCHMARK_USERNAME, password)
                self._check_debug_is_off(client)
                for url in [pages.BASELINE, *urls.values()]:  # warm every worker up
                    pages.measure(client, url, requests=6, concurrency=2, deadline=_later(30))
                for round_number in range(repeat):
                    self._say(f"Pages, round {round_number + 1} of {repeat}...")
                    for name, url in urls.items():
                        base = pages.measure(
                            client,
                            pages.BASELINE,
                            requests=requests,
                            concurrency=concurrency,
                            deadline=_later(60),
                        )
                        page = pages.measure(
                            client, url, requests=requests, concurrency=concurrency,
                            deadline=_later(60),
                        )  # fmt: skip
                        if page.errors or not page.requests:
                            raise CommandError(f"{url}: {page.first_error}")
                        throughput[name].samples.append(
                            page.requests_per_second / base.requests_per_second
                        )
                        p95[name].samples.append(page.p95_ms / base.p95_ms)
            finally:
                pages.gunicorn_stop(process)
        return [row for name in urls for row in (throughput[name], p95[name])]

    def _collect_static(self) -> None:
        """DEBUG off serves the static files from the manifest; once a run is enough."""
        if not getattr(self, "static_collected", False):
            self._say("Collecting static files...")
            call_command("collectstatic", interactive=False, verbosity=0)
            self.static_collected = True
        connection.close()

    # --- offers under gunicorn ----------------------------------------------------------------

    def _offers(self, user, password, repeat) -> list[Row]:
        name = f"{OFFERS} offers"
        sequential = Row(f"{name} one after another (1 client)", "seconds (shown in ms)", unit="ms")
        parallel = Row(
            f"{name} at once ({OFFER_WORKERS} clients, {OFFER_WORKERS} workers)",
            "seconds (shown in ms)",
            unit="ms",
        )
        ratio = Row(
            f"{name} in parallel ({OFFER_WORKERS} workers) ÷ one after another",
            "≤ 0.6×",
            passes=at_most(0.6),
        )
        floor = Row(
            f"{OFFERS} offer forms (GET, no write) in parallel ÷ one after another",
            "the machine's floor",
        )
        self._say(f"Offers: preparing {OFFERS * 2 * repeat + OFFER_WORKERS} frozen shortlists...")
        warm_up = benchmark_offers.offer_entries(OFFER_WORKERS, by=user)
        rounds = [
            (
                benchmark_offers.offer_entries(OFFERS, by=user),
                benchmark_offers.offer_entries(OFFERS, by=user),
            )
            for _ in range(repeat)
        ]
        self._collect_static()
        port = pages.free_loopback_port()
        with tempfile.TemporaryDirectory(prefix="benchmark-offers-") as directory:
            config_path = Path(directory) / "gunicorn.conf.py"
            config_path.write_text(pages.GUNICORN_CONFIG)
            process = pages.gunicorn_start(port, config_path, workers=OFFER_WORKERS)
            try:
                pages.gunicorn_wait(process, port)
                clients = [pages.Client(port) for _ in range(OFFER_WORKERS)]
                for client in clients:
                    pages.sign_in(client, pages.BENCHMARK_USERNAME, password)
                self._check_debug_is_off(clients[0])
                for _ in range(3):  # every worker imports the offer's code, once each
                    benchmark_offers.offer_round(
                        clients, warm_up, action=benchmark_offers.offer_form_get
                    )
                benchmark_offers.offer_round(clients, warm_up)
                for number, (one_by_one, at_once) in enumerate(rounds, start=1):
                    self._say(f"Offers, round {number} of {repeat}...")
                    # The same requests with no write: how far this machine's cores let any
                    # request of this weight go faster four at a time.
                    form = benchmark_offers.offer_form_get
                    alone = benchmark_offers.offer_round(clients[:1], one_by_one, action=form)
                    together = benchmark_offers.offer_round(clients, at_once, action=form)
                    floor.samples.append(together.seconds / alone.seconds)
                    alone = benchmark_offers.offer_round(clients[:1], one_by_one)
                    together = benchmark_offers.offer_round(clients, at_once)
                    sequential.samples.append(alone.seconds * 1000)
                    parallel.samples.append(together.seconds * 1000)
                    ratio.samples.append(together.seconds / alone.seconds)
            finally:
                pages.gunicorn_stop(process)
        return [sequential, parallel, ratio, floor]

    # --- in-process ---------------------------------------------------------------------------

    def _in_process(self, user, urls, repeat) -> list[Row]:
        settings.DEBUG = False
        client = DjangoClient(HTTP_HOST="localhost")
        client.force_login(user)
        rows = []
        csv = Row("change-log CSV, the whole log streamed (in-process)", "streams", unit="ms")
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get("/change-log.csv")
            size = sum(len(chunk) for chunk in response.streaming_content)
            csv.samples.append((time.perf_counter() - started) * 1000)
        csv.note = f"{size / 1e6:.1f} MB"
        rows.append(csv)
        for name, url in urls.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            goal = "≤ 15" if name.startswith("home") else "constant (tests)"
            rows.append(
                Row(
                    f"queries: {name}",
                    goal,
                    [float(len(queries))] * repeat,
                    unit="queries",
                    passes=(lambda v: v <= 15) if name.startswith("home") else None,
                )
            )
        return rows

    def _search(self, repeat, scale) -> list[Row]:
        """Each search's time at × scale ÷ at × 1 (a second database, built once), measured
        in the same round; then whether any query of any search scans a large table."""
        if scale <= 1:
            return [
                Row(f"household search: {name}, ×{scale} ÷ ×1", "≤ 1.3×", note="needs --scale 2+")
                for name in benchmark_search.SEARCHES
            ]
        small = benchmark_search.register_x1_ready(self._say)
        large = benchmark_search.register_here()
        self._say(
            f"Search: × {scale} has {large.people} people in {large.households} households, "
            f"× 1 {small.people} in {small.households}..."
        )
        rows = []
        scans: set[str] = set()
        try:
            for name in benchmark_search.SEARCHES:
                row = Row(
                    f"household search: {name}, ×{scale} ÷ ×1 (page and count)",
                    "≤ 1.3×",
                    passes=at_most(1.3),
                )
                counts: dict[str, int] = {}
                at_large = benchmark_search.criteria_for(name, large)
                at_small = benchmark_search.criteria_for(name, small)
                for register, criteria in ((large, at_large), (small, at_small)):
                    benchmark_search.search_ms(criteria, register.alias, repeat=1)  # warm up
                for _ in range(repeat):
                    # Alternately, so both registers see the same load on a shared machine.
                    times: dict[str, list[float]] = {small.alias: [], large.alias: []}
                    for _ in range(9):
                        for register, criteria in ((small, at_small), (large, at_large)):
                            ms, count = benchmark_search.search_ms(criteria, register.alias, 1)
                            times[register.alias].append(ms)
                            counts[register.alias] = count
                    small_ms = statistics.median(times[small.alias])
                    large_ms = statistics.median(times[large.alias])
                    large_count, small_count = counts[large.alias], counts[small.alias]
                    row.samples.append(large_ms / small_ms)
                    self._say(
                        f"  {name}: × {scale} {large_ms:.1f} ms ({large_count} results), "
                        f"× 1 {small_ms:.1f} ms ({small_count} results)"
                    )
                for sql, params in benchmark_search.search_queries(at_large):
                    scans.update(_large_seq_scans(_explain(sql, params)))
                rows.append(row)
        finally:
            benchmark_search.close()
        rows.append(
            Row(
                "household search: large tables scanned sequentially",
                "none",
                [float(len(scans))] * repeat,
                unit="tables",
                passes=lambda v: v == 0,
                note=", ".join(sorted(scans)),
            )
        )
        return rows

    def _history(self, repeat) -> Row:
        self._say("Saving with and without history...")
        site = Site.objects.order_by("pk").first()
        user = self._user()
        row = Row("save with history ÷ without (in a transaction)", "≤ 1.6×", passes=at_most(1.6))

        def saves(history: bool) -> float:
            with transaction.atomic():
                record = Site.objects.get(pk=site.pk)
                if not history:
                    record.skip_history_when_saving = True
                started = time.perf_counter()
                for number in range(25):
                    record.notes = f"Benchmark {number}"
                    save(record, by=user, reason="Benchmark")
                elapsed = time.perf_counter() - started
                transaction.set_rollback(True)
            return elapsed

        saves(True)
        for _ in range(repeat):
            pairs = [saves(True) / saves(False) for _ in range(7)]
            row.samples.append(statistics.median(pairs))
        return row

    def _pdf(self, user, repeat) -> Row:
        self._say("Asking for a PDF...")
        row = Row(
            "ask for a PDF ÷ save one row with history (the write)", "≤ 2×", passes=at_most(2)
        )
        site = Site.objects.filter(pk__in=HandbookSection.objects.values("site")).first()
        if site is None:
            row.note = "no site with a handbook"
            return row

        def ask() -> float:
            with transaction.atomic():
                started = time.perf_counter()
                resident_services.handbook_edition_request(site=site, by=user)
                elapsed = time.perf_counter() - started
                transaction.set_rollback(True)
            return elapsed

        def bare() -> float:
            with transaction.atomic():
                started = time.perf_counter()
                record = Site.objects.get(pk=site.pk)
                record.notes = "Benchmark"
                save(record, by=user, reason="Benchmark")
                elapsed = time.perf_counter() - started
                transaction.set_rollback(True)
            return elapsed

        ask()
        bare()
        for _ in range(repeat):
            row.samples.append(statistics.median([ask() / bare() for _ in range(7)]))
        return row

    def _ranking(self, repeat, bids) -> Row:
        self._say("Ranking a shortlist...")
        row = Row(
            f"rank {bids} bids with explanations ÷ one SQL query",
            "≤ 1.5×",
            passes=at_most(1.5),
        )
        for _ in range(repeat):
            out = io.StringIO()
            call_command("benchmark_ranking", bids=bids, scale=0, repeat=5, stdout=out)
            match = re.search(r"\(([\d.]+) × SQL\)", out.getvalue())
            if match is None:
                row.note = "benchmark_ranking printed no ratio"
                return row
            row.samples.append(float(match.group(1)))
        return row

    def _corrections(self, repeat, shortlists) -> list[Row]:
        self._say(f"Replaying a correction over {shortlists} frozen shortlists...")
        seconds = Row(
            f"correction replay over {shortlists} frozen shortlists",
            "seconds (shown in ms)",
            unit="ms",
        )
        ratio = Row(
            f"correction replay ÷ (one shortlist's replay × {shortlists})",
            "< 1×",
            passes=lambda value: value < 1,
        )
        for _ in range(repeat):
            figures = correction_replay_measure(shortlists=shortlists, lines=20, repeat=1)
            seconds.samples.append(figures.bulk_seconds * 1000)
            ratio.samples.append(figures.ratio)
        return [seconds, ratio]


def _later(seconds: float) -> float:
    return time.monotonic() + seconds


def _large_seq_scans(plan: str) -> list[str]:
    """Tables the plan reads with a sequential scan that hold more than LARGE_TABLE_ROWS."""
    found = set(re.findall(r"Seq Scan on (\w+)", plan))
    large = []
    with connection.cursor() as cursor:
        for table_name in sorted(found):
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table_name])
            answer = cursor.fetchone()
            if answer and answer[0] > LARGE_TABLE_ROWS:
                large.append(table_name)
    return large


def _explain(sql: str, params: tuple) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(line for (line,) in cursor.fetchall())


def _json_dumps(data: dict) -> str:
    return json.dumps(data, indent=2, default=str)
