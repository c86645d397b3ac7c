"""benchmark_all's background rows: documents drawn in a process of their own, and reminders
read from the line benchmark_reminders prints (`summary`; the kills themselves:
tests/test_outbox_faults.py)."""

import pytest
from django.core.management.base import CommandError

from allocations.management import benchmark_background
from allocations.management.benchmark_background import documents_rows, reminders_rows_read
from projects.management.commands.benchmark_reminders import summary


def test_documents_are_drawn_in_a_new_process_and_give_the_ratio_and_its_peak_memory():
    ratio, rss = documents_rows(1)
    assert ratio.goal == "≤ 25×" and len(ratio.samples) == 1 and ratio.samples[0] > 1
    assert rss.unit == "MB" and 20 < rss.samples[0] < 4096
    assert {ratio.result, rss.result} <= {"PASS", "FAIL"}
    assert rss.result == ("PASS" if rss.samples[0] <= 300 else "FAIL")


@pytest.mark.parametrize(
    ("lost", "duplicates", "gap", "results"),
    [
        (0, 0, 0, ("PASS", "PASS")),
        (0, 2, 2, ("PASS", "PASS")),  # sent twice only those killed between send and mark
        (0, 3, 1, ("PASS", "FAIL")),
        (1, 0, 0, ("FAIL", "PASS")),
    ],
)
def test_reminders_pass_only_with_none_lost_and_no_repeat_beyond_the_kills(
    lost, duplicates, gap, results
):
    output = "kill 1: 0 in the gap, 12 not yet sent\n" + summary(
        300, 5, 41.2, lost, duplicates, gap, gap
    )
    rows = reminders_rows_read(output, reminders=300, kills=5)
    assert tuple(row.result for row in rows) == results
    assert rows[0].name == "reminders (300), the worker killed 5 times: lost"


def test_a_command_that_fails_or_prints_no_figure_is_a_clear_error_not_a_row():
    with pytest.raises(CommandError, match=r"benchmark_documents failed: .*at least 1"):
        benchmark_background._manage("benchmark_documents", "--repeat", "0")
    with pytest.raises(CommandError, match="reminders printed no figure"):
        reminders_rows_read("nothing sent", reminders=1, kills=1)


def test_the_documents_peak_memory_is_their_own_process_s_not_the_one_that_started_it():
    """benchmark_all has the county register loaded when it starts the drawing process: the
    peak reported is the drawing's (an rusage peak would carry the starter's over exec)."""
    import subprocess
    import sys

    from django.conf import settings

    starter = (
        "import subprocess, sys\n"
        "held = bytearray(700 * 1024 * 1024)\n"
        "held[::4096] = b'1' * len(held[::4096])  # resident, not just reserved\n"
        "sys.exit(subprocess.run([sys.executable, 'manage.py', 'benchmark_documents',"
        " '--handbook-sections', '1']).returncode)\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", starter],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    rss = benchmark_background._found(benchmark_background._RSS, done.stdout, "documents")
    assert 20 < int(rss[1]) < 500  # the drawing's own (about 150 MB), not the starter's 700+
