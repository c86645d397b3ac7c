"""benchmark_all's rows for the background work: documents drawn to PDF and reminders sent by a
Celery worker killed at random.

Each runs its own command (`benchmark_documents`, `benchmark_reminders`) in a new process, as
a worker runs: the documents' peak resident memory is that process's own, never the
benchmark's (which has loaded the county register), and the reminders' workers are its
children. Both use the benchmark's database and Redis (the environment is passed on).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from django.conf import settings
from django.core.management.base import CommandError

from allocations.management.benchmark_table import Row, at_most

# benchmark_reminders' arguments in benchmark_all: fewer than its own defaults (1,000 and 10,
# about 3 minutes), so that the part takes about a minute; run once, whatever --repeat says.
REMINDERS = 300
KILLS = 5
COMMAND_TIMEOUT = 900  # seconds: a command that takes longer has hung

_HANDBOOK_RATIO = re.compile(r"handbook \((\d+) pages\) / 1-page time: ([\d.]+)×")
_RSS = re.compile(r"peak RSS of this process: (\d+) MB")
_REMINDERS = re.compile(
    r"lost (\d+), duplicates (\d+), kills in the gap (\d+), flagged (\d+)",
)


def _manage(*arguments: str) -> str:
    """Run `manage.py <arguments>` in a new process; its output, or why it failed."""
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter, command and arguments
            [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
            cwd=settings.BASE_DIR,
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CommandError(f"{arguments[0]} took over {COMMAND_TIMEOUT} s") from error
    if done.returncode:
        raise CommandError(f"{arguments[0]} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def _found(pattern: re.Pattern[str], output: str, command: str) -> re.Match[str]:
    match = pattern.search(output)
    if match is None:
        raise CommandError(f"{command} printed no figure the benchmark reads:\n{output}")
    return match


def documents_rows(repeat: int) -> list[Row]:
    """A 20-page handbook's drawing time ÷ a 1-page document's (≤ 25×: cost grows with the
    pages, not faster), and the drawing process's peak RSS (≤ 300 MB), `repeat` times."""
    ratio = Row(
        "documents: 20-page handbook ÷ 1-page document (drawing time)", "≤ 25×", passes=at_most(25)
    )
    rss = Row(
        "documents: peak memory of the drawing process (RSS)",
        "≤ 300 MB",
        unit="MB",
        passes=at_most(300),
    )
    for _ in range(repeat):
        output = _manage("benchmark_documents")
        ratio.samples.append(float(_found(_HANDBOOK_RATIO, output, "benchmark_documents")[2]))
        rss.samples.append(float(_found(_RSS, output, "benchmark_documents")[1]))
    return [ratio, rss]


def reminders_rows(reminders: int = REMINDERS, kills: int = KILLS) -> list[Row]:
    """`reminders` reminders sent by a Celery worker SIGKILLed at random `kills` times (each
    time a new worker takes over): none lost, and no more sent twice than were caught between
    sending and being marked sent (a mail system can drop those repeats by their
    Message-ID)."""
    output = _manage("benchmark_reminders", "--reminders", str(reminders), "--kills", str(kills))
    return reminders_rows_read(output, reminders=reminders, kills=kills)


def reminders_rows_read(output: str, *, reminders: int, kills: int) -> list[Row]:
    """reminders_rows' two rows, from benchmark_reminders' output."""
    lost, duplicates, in_gap, _flagged = map(int, _found(_REMINDERS, output, "reminders").groups())
    name = f"reminders ({reminders}), the worker killed {kills} times"
    lost_row = Row(f"{name}: lost", "0", unit="lost", passes=lambda value: value == 0)
    lost_row.samples.append(lost)
    beyond = Row(
        f"{name}: sent twice, beyond those killed mid-send",
        "0",
        unit="sent twice",
        passes=lambda value: value == 0,
    )
    beyond.samples.append(max(0, duplicates - in_gap))
    return [lost_row, beyond]
