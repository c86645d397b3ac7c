"""benchmark_all's background rows: documents drawn in a process of their own, and reminders
read from benchmark_reminders' own words (the kills themselves: tests/test_outbox_faults.py)."""

import pytest
from django.core.management.base import CommandError

from allocations.management import benchmark_background
from allocations.management.benchmark_background import documents_rows, reminders_rows_read

# benchmark_reminders' last line, as it prints it.
REMINDERS_LINE = (
    "300 reminders, 5 kills in 41 s: lost {lost}, duplicates {duplicates}, "
    "kills in the gap {gap}, flagged {gap}"
)


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
    output = "kill 1: 0 in the gap, 12 not yet sent\n" + REMINDERS_LINE.format(
        lost=lost, duplicates=duplicates, gap=gap
    )
    rows = reminders_rows_read(output, reminders=300, kills=5)
    assert tuple(row.result for row in rows) == results
    assert rows[0].name == "reminders (300), the worker killed 5 times: lost"


def test_the_reminders_line_is_the_one_benchmark_reminders_prints():
    from pathlib import Path

    source = Path(benchmark_background.__file__).parents[2] / (
        "projects/management/commands/benchmark_reminders.py"
    )
    assert (
        'f"duplicates {duplicates}, kills in the gap {in_gap}, flagged {flagged}"'
        in source.read_text()
    )


def test_a_command_that_fails_or_prints_no_figure_is_a_clear_error_not_a_row():
    with pytest.raises(CommandError, match=r"benchmark_documents failed: .*at least 1"):
        benchmark_background._manage("benchmark_documents", "--repeat", "0")
    with pytest.raises(CommandError, match="reminders printed no figure"):
        reminders_rows_read("nothing sent", reminders=1, kills=1)
