"""How fast the busiest pages are, next to the lightest signed-in page. A benchmark, not a test.

    manage.py benchmark_pages [--requests 300] [--concurrency 4] [--scale 1]

Loads the demo data and `demo_load --scale N`, starts gunicorn (2 workers, the local settings
with DEBUG off) on a free loopback port, signs a benchmark officer in over HTTP, and sends
`--requests` GETs to each of: the sites list, one unit's page, and /ping/ (the same middleware
and sign-in check with no work), `--concurrency` at a time. It prints requests per second,
median and 95th-percentile latency, and each page's ratio to /ping/, so a slow page reads as
"n times the cost of being signed in" whatever the machine. Gunicorn is stopped at the end,
however the run ends.

DEBUG is switched off in each gunicorn worker by a hook, before Django reads its settings; the
local settings fix DEBUG = True and the benchmark must not measure DEBUG's query logging. With
DEBUG off the static files come from the manifest, so this runs collectstatic (into var/).
"""

from __future__ import annotations

import http.client
import ipaddress
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from axes.utils import reset as axes_reset
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from config.history import acting_as, system_user
from config.roles import OFFICER

HOST = "127.0.0.1"  # loopback only: this never sends a request off the machine
BASELINE = "/ping/"
BENCHMARK_USERNAME = "benchmark"
GUNICORN_WORKERS = 2
REQUEST_TIMEOUT_SECONDS = 10
STARTUP_TIMEOUT_SECONDS = 90  # a busy two-core machine can take most of a minute
STOP_TIMEOUT_SECONDS = 15
WARM_UP_PER_WORKER = 3

# Gunicorn's config file for the run. post_fork runs in each worker before it imports the app,
# so Django reads its settings, builds its middleware and its template engine with DEBUG off.
GUNICORN_CONFIG = """\
def post_fork(server, worker):
    from django.conf import settings

    settings.DEBUG = False
"""


# --- Pure parts: statistics and the table (tests/perf/test_benchmark_pages.py) -----------------


def percentile(samples: Iterable[float], percent: float) -> float:
    """The `percent`th percentile, interpolating between the two nearest ranks (as numpy does)."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("percentile() of no samples")
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, not {percent}")
    rank = (len(ordered) - 1) * percent / 100
    below, above = math.floor(rank), math.ceil(rank)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


@dataclass(frozen=True)
class Measurement:
    """One URL's run: the latency of each successful request, and the run's wall-clock time."""

    url: str
    latencies_ms: Sequence[float]
    wall_seconds: float
    errors: int = 0
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.wall_seconds if self.wall_seconds > 0 else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies_ms, 50) if self.latencies_ms else math.nan

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies_ms, 95) if self.latencies_ms else math.nan


def ratio(value: float, baseline: float) -> str:
    """'2.50×', or '–' when there is nothing sensible to divide by."""
    if not baseline or math.isnan(baseline) or math.isnan(value):
        return "–"
    return f"{value / baseline:.2f}×"


def format_table(measurements: Sequence[Measurement], baseline_url: str = BASELINE) -> str:
    """A plain-text table, one row per URL, with each page's cost as a multiple of the baseline's.

    "req/s ÷ base" below 1 means the page serves fewer requests a second than the baseline;
    "p95 ÷ base" above 1 means its slow requests are slower.
    """
    base = next((m for m in measurements if m.url == baseline_url), None)
    headers = ["URL", "Requests", "Errors", "req/s", "p50 ms", "p95 ms"]
    headers += [f"req/s ÷ {baseline_url}", f"p95 ÷ {baseline_url}"]
    rows = [
        [
            m.url,
            str(m.requests),
            str(m.errors),
            f"{m.requests_per_second:.1f}",
            f"{m.p50_ms:.1f}",
            f"{m.p95_ms:.1f}",
            ratio(m.requests_per_second, base.requests_per_second) if base else "–",
            ratio(m.p95_ms, base.p95_ms) if base else "–",
        ]
        for m in measurements
    ]
    widths = [max(len(line[index]) for line in [headers, *rows]) for index in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def cookies_from(set_cookie_headers: Iterable[str]) -> dict[str, str]:
    """Name → value from Set-Cookie headers; a deleted (expired) cookie's value is emptied."""
    cookies: dict[str, str] = {}
    for header in set_cookie_headers:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or (morsel.value == "" and morsel["expires"]):
                cookies[name] = ""
            else:
                cookies[name] = morsel.value
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()) if value)


# --- HTTP over loopback ------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def _exchange(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> Response:
    """One request on a fresh connection (gunicorn's sync workers close it after each answer)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": "benchmark_pages", **headers})
        answer = conn.getresponse()
        return Response(answer.status, answer.headers, answer.read())
    finally:
        conn.close()


@dataclass
class Client:
    """A browser in miniature: a cookie jar, and a form post."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, *, form: dict[str, str] | None = None) -> Response:
        headers = {"Cookie": cookie_header(self.cookies)} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = _exchange(self.port, method, path, headers, body)
        self.cookies.update(cookies_from(response.headers.get_all("Set-Cookie") or []))
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)


def _sign_in(client: Client, username: str, password: str) -> None:
    page = client.get("/accounts/login/")
    if page.status != 200 or not client.cookies.get(settings.CSRF_COOKIE_NAME):
        raise CommandError(f"The sign-in page answered {page.status} without a CSRF cookie.")
    # Django accepts the unmasked secret from the cookie as the form's token.
    answer = client.request(
        "POST",
        "/accounts/login/",
        form={
            "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME],
            "username": username,
            "password": password,
            "next": BASELINE,
        },
    )
    if answer.status != 302 or not client.cookies.get(settings.SESSION_COOKIE_NAME):
        raise CommandError(f"Signing in failed: the sign-in page answered {answer.status}.")
    check = client.get(BASELINE)
    if check.status != 200:
        raise CommandError(f"Signed in, but {BASELINE} answered {check.status}.")


def _measure(
    client: Client, path: str, *, requests: int, concurrency: int, deadline: float
) -> Measurement:
    """`requests` GETs of `path`, `concurrency` at a time; stops early at `deadline`."""
    latencies: list[float] = []
    failures: list[str] = []
    issued = 0
    lock = threading.Lock()
    cookies = cookie_header(client.cookies)

    def take_one() -> bool:
        nonlocal issued
        with lock:
            if issued >= requests or time.monotonic() >= deadline:
                return False
            issued += 1
            return True

    def worker() -> None:
        while take_one():
            started = time.perf_counter()
            try:
                response = _exchange(client.port, "GET", path, {"Cookie": cookies})
            except (OSError, http.client.HTTPException) as error:
                failures.append(f"{type(error).__name__}: {error}")
                continue
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.status == 200:
                latencies.append(elapsed_ms)
            else:
                failures.append(f"HTTP {response.status} {response.headers.get('Location', '')}")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        # Each request is bounded by its own timeout; this bounds the whole run as well.
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT_SECONDS)
    wall = time.perf_counter() - started
    return Measurement(
        url=path,
        latencies_ms=tuple(latencies),
        wall_seconds=wall,
        errors=len(failures),
        first_error=failures[0] if failures else "",
    )


# --- Gunicorn ---------------------------------------------------------------------------------


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _gunicorn_start(
    port: int, config_path: Path, workers: int = GUNICORN_WORKERS
) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--config", str(config_path),
        "--timeout", "30",
        "--graceful-timeout", "5",
        "--log-level", "warning",
        "--chdir", str(settings.BASE_DIR),
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603 - our own argv


def _gunicorn_wait(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    probe = Client(port)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"gunicorn exited with code {process.returncode} while starting.")
        try:
            if probe.get("/health/").status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass  # not listening yet
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer /health/ within {STARTUP_TIMEOUT_SECONDS} s.")


def _gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_SECONDS)


# --- The command ------------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Benchmark the sites list and a unit page against /ping/ on gunicorn (DEBUG off)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=300, help="Requests per URL.")
        parser.add_argument("--concurrency", type=int, default=4, help="Requests at a time.")
        parser.add_argument("--scale", type=int, default=1, help="demo_load --scale N first.")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=120.0,
            help="Seconds allowed per URL; a URL's run stops early when they are spent.",
        )

    def handle(
        self, *args, requests: int, concurrency: int, scale: int, time_limit: float, **options
    ):
        if not 1 <= requests <= 100_000:
            raise CommandError("--requests must be between 1 and 100000.")
        if not 1 <= concurrency <= 64:
            raise CommandError("--concurrency must be between 1 and 64.")
        if scale < 0:
            raise CommandError("--scale must be 0 or more.")
        if not 0 < time_limit <= 3600:
            raise CommandError("--time-limit must be more than 0 and at most 3600 seconds.")
        if not ipaddress.ip_address(HOST).is_loopback:
            raise CommandError(f"{HOST} is not a loopback address; this benchmark stays local.")

        self._check_migrated()
        call_command("demo_load", stdout=self.stdout, stderr=self.stderr)
        if scale:
            call_command("demo_load", scale=scale, stdout=self.stdout, stderr=self.stderr)
        # By name, as the settings name apps: config imports no app.
        Unit = apps.get_model("sites", "Unit")
        unit_id = Unit.objects.order_by("pk").values_list("pk", flat=True).first()
        if unit_id is None:
            raise CommandError("There are no units to fetch: demo_load loaded nothing.")
        password = secrets.token_urlsafe(24)
        self._benchmark_user(password)
        self.stdout.write("Collecting static files (DEBUG off serves them from the manifest)...")
        call_command("collectstatic", interactive=False, verbosity=0)
        # The workers open their own connections; this one has nothing more to do.
        connection.close()

        urls = ["/sites/", f"/sites/units/{unit_id}/", BASELINE]
        port = _free_loopback_port()
        with tempfile.TemporaryDirectory(prefix="benchmark-pages-") as directory:
            config_path = Path(directory) / "gunicorn.conf.py"
            config_path.write_text(GUNICORN_CONFIG)
            process = _gunicorn_start(port, config_path)
            try:
                _gunicorn_wait(process, port)
                measurements = self._run(port, password, urls, requests, concurrency, time_limit)
            finally:
                _gunicorn_stop(process)

        self.stdout.write("")
        self.stdout.write(
            f"{requests} requests per URL, {concurrency} at a time, to gunicorn "
            f"({GUNICORN_WORKERS} sync workers, config.settings.local with DEBUG off) "
            f"on {HOST}:{port}"
        )
        self.stdout.write(format_table(measurements))
        for measurement in measurements:
            if measurement.errors:
                self.stderr.write(
                    f"{measurement.url}: {measurement.errors} failed; "
                    f"the first: {measurement.first_error}"
                )
            elif measurement.requests < requests:
                self.stderr.write(
                    f"{measurement.url}: stopped at {measurement.requests} requests "
                    f"(--time-limit {time_limit:g} s)"
                )

    def _check_migrated(self) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "The database has unapplied migrations: run manage.py migrate first."
            )

    def _benchmark_user(self, password: str) -> None:
        """An officer who exists only for this; a fresh random password every run."""
        User = get_user_model()
        with acting_as(system_user()):
            user, _ = User.objects.get_or_create(
                username=BENCHMARK_USERNAME,
                defaults={
                    "first_name": "Benchmark",
                    "last_name": "(load test)",
                    "email": f"{BENCHMARK_USERNAME}@northshire.example",
                },
            )
            user.set_password(password)
            user.is_active = True
            user._change_reason = "Benchmark run: new password"
            user.save()
            user.groups.set([Group.objects.get(name=OFFICER.name)])
        # A lock-out left by an earlier failed run would make every request a redirect.
        axes_reset(username=BENCHMARK_USERNAME)

    def _run(
        self,
        port: int,
        password: str,
        urls: list[str],
        requests: int,
        concurrency: int,
        time_limit: float,
    ) -> list[Measurement]:
        client = Client(port)
        _sign_in(client, BENCHMARK_USERNAME, password)
        self.stdout.write("Checking that DEBUG is off (with a deliberate 404)...")
        self._check_debug_is_off(client)
        measurements = []
        for url in urls:
            self.stdout.write(f"Benchmarking {url} ...")
            warm_up = WARM_UP_PER_WORKER * GUNICORN_WORKERS
            _measure(
                client,
                url,
                requests=warm_up,
                concurrency=min(concurrency, warm_up),
                deadline=time.monotonic() + time_limit,
            )
            measurements.append(
                _measure(
                    client,
                    url,
                    requests=requests,
                    concurrency=concurrency,
                    deadline=time.monotonic() + time_limit,
                )
            )
        return measurements

    def _check_debug_is_off(self, client: Client) -> None:
        # With DEBUG on, a 404 is Django's technical page; with it off, ours.
        answer = client.get("/benchmark-pages-debug-check/")
        if answer.status != 404 or b"DEBUG = True" in answer.body:
            raise CommandError("gunicorn is running with DEBUG on; the numbers would mislead.")


# --- The pieces benchmark_all reuses (allocations/management/commands/benchmark_all.py) -------

measure = _measure
sign_in = _sign_in
free_loopback_port = _free_loopback_port
gunicorn_start = _gunicorn_start
gunicorn_wait = _gunicorn_wait
gunicorn_stop = _gunicorn_stop
