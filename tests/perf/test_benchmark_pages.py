"""The benchmark's arithmetic and its table: no server, no database."""

import math

import pytest

from config.management.commands.benchmark_pages import (
    Measurement,
    cookie_header,
    cookies_from,
    format_table,
    percentile,
    ratio,
)


def test_the_median_of_an_odd_count_is_the_middle_value():
    assert percentile([5, 1, 3], 50) == 3


def test_the_median_of_an_even_count_is_halfway_between_the_middle_two():
    assert percentile([1, 2, 3, 4], 50) == 2.5


def test_percentiles_interpolate_between_ranks_as_numpy_does():
    samples = list(range(1, 101))  # 1..100
    assert percentile(samples, 95) == pytest.approx(95.05)
    assert percentile(samples, 0) == 1
    assert percentile(samples, 100) == 100


def test_one_sample_is_every_percentile():
    assert percentile([42.0], 5) == percentile([42.0], 95) == 42.0


def test_the_order_of_the_samples_does_not_matter():
    assert percentile([9, 1, 7, 3, 5], 95) == percentile([1, 3, 5, 7, 9], 95) == pytest.approx(8.6)


def test_no_samples_have_no_percentile():
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)


@pytest.mark.parametrize("percent", [-1, 100.5])
def test_a_percent_outside_0_to_100_is_refused(percent):
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1, 2], percent)


def test_a_measurement_reports_its_rate_and_percentiles():
    run = Measurement(url="/sites/", latencies_ms=(10.0, 20.0, 30.0, 40.0), wall_seconds=0.5)
    assert run.requests == 4
    assert run.requests_per_second == 8.0
    assert run.p50_ms == 25.0
    assert run.p95_ms == pytest.approx(38.5)


def test_a_measurement_with_no_successful_requests_has_no_percentiles():
    run = Measurement(url="/sites/", latencies_ms=(), wall_seconds=0.0, errors=3)
    assert run.requests_per_second == 0.0
    assert math.isnan(run.p50_ms)
    assert math.isnan(run.p95_ms)


def test_a_ratio_has_a_times_sign_and_two_decimals():
    assert ratio(50.0, 200.0) == "0.25×"
    assert ratio(30.0, 10.0) == "3.00×"


@pytest.mark.parametrize(("value", "baseline"), [(1.0, 0.0), (1.0, math.nan), (math.nan, 2.0)])
def test_a_ratio_with_nothing_to_divide_by_is_a_dash(value, baseline):
    assert ratio(value, baseline) == "–"


def _runs():
    return [
        Measurement(url="/sites/", latencies_ms=(20.0,) * 9 + (40.0,), wall_seconds=0.5),
        Measurement(url="/sites/units/7/", latencies_ms=(10.0,) * 10, wall_seconds=0.25),
        Measurement(url="/ping/", latencies_ms=(5.0,) * 9 + (10.0,), wall_seconds=0.1),
    ]


def test_the_table_has_a_header_a_rule_and_a_row_per_url():
    lines = format_table(_runs()).splitlines()
    assert lines[0].split() == [
        "URL", "Requests", "Errors", "req/s", "p50", "ms", "p95", "ms",
        "req/s", "÷", "/ping/", "p95", "÷", "/ping/",
    ]  # fmt: skip
    assert set(lines[1]) == {"-", " "}
    assert [line.split()[0] for line in lines[2:]] == ["/sites/", "/sites/units/7/", "/ping/"]


def test_the_table_gives_each_page_as_a_multiple_of_ping():
    rows = {line.split()[0]: line.split() for line in format_table(_runs()).splitlines()[2:]}
    # URL, requests, errors, req/s, p50, p95, req/s ratio, p95 ratio
    assert rows["/sites/"] == ["/sites/", "10", "0", "20.0", "20.0", "31.0", "0.20×", "4.00×"]
    assert rows["/sites/units/7/"][3:] == ["40.0", "10.0", "10.0", "0.40×", "1.29×"]
    assert rows["/ping/"][6:] == ["1.00×", "1.00×"]


def test_the_columns_line_up():
    lines = format_table(_runs()).splitlines()
    # Every column but the first is right-aligned, so each line ends at the rule's end.
    assert {len(line) for line in lines} == {len(lines[1])}


def test_without_the_baseline_the_ratios_are_dashes():
    table = format_table(_runs()[:2])
    for line in table.splitlines()[2:]:
        assert line.split()[-2:] == ["–", "–"]


def test_cookies_are_read_from_set_cookie_headers():
    headers = [
        "csrftoken=abc123; expires=Sat, 20 Nov 2027 10:00:00 GMT; Max-Age=31449600; Path=/; "
        "SameSite=Lax",
        "sessionid=s3ss10n; HttpOnly; Path=/; SameSite=Lax",
    ]
    assert cookies_from(headers) == {"csrftoken": "abc123", "sessionid": "s3ss10n"}


def test_a_deleted_cookie_is_emptied_and_left_out_of_the_cookie_header():
    cookies = {"csrftoken": "abc123", "sessionid": "s3ss10n"}
    cookies.update(
        cookies_from(['sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'])
    )
    assert cookies["sessionid"] == ""
    assert cookie_header(cookies) == "csrftoken=abc123"
