"""The document benchmark runs and computes the handbook's scaling against a 1-page document
(absolute speed is the machine's business, not a test's)."""

import re
from io import StringIO

from django.core.management import call_command


def test_the_benchmark_prints_time_memory_and_the_ratio():
    out = StringIO()
    call_command("benchmark_documents", "--handbook-sections", "3", stdout=out)
    lines = out.getvalue().splitlines()
    measured = re.compile(r"^(.+): (\d+) pages?, (\d+\.\d{3}) seconds, peak memory (\d+\.\d) MiB$")
    rows = {m[1]: (int(m[2]), float(m[3]), float(m[4])) for m in map(measured.match, lines) if m}
    assert set(rows) == {"1-page document", "licence agreement", "site handbook"}
    assert rows["1-page document"][0] == 1 and rows["licence agreement"][0] >= 4
    assert all(seconds > 0 and peak > 0 for _, seconds, peak in rows.values())
    ratio = re.search(
        r"/ 1-page time: (\d+\.\d)× \(limit 25×\): (within the limit|OVER)", lines[-2]
    )
    rss = re.fullmatch(r"peak RSS of this process: (\d+) MB \(limit 300 MB\)", lines[-1])
    assert rss and 20 < int(rss[1]) < 4096  # a Python process with Django and WeasyPrint
    expected = rows["site handbook"][1] / rows["1-page document"][1]
    assert (
        ratio and abs(float(ratio[1]) - expected) <= 0.1 + expected * 0.05
    )  # printed times are rounded
