"""The bench's reading of Debian wrk's ``--latency`` output (queries under load)."""

from __future__ import annotations

import pytest

from thidua.bench.http import parse_wrk

# Printed by wrk 4.1.0 on this machine, its 99th percentile put in microseconds.
OUTPUT = """Running 10s test @ http://127.0.0.1:18999/rollups/province/tinh-0?year=2024
  2 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.63ms   15.30ms 111.16ms   91.21%
    Req/Sec     1.48k   478.57     2.18k    61.50%
  Latency Distribution
     50%    5.48ms
     75%    7.37ms
     90%   19.29ms
     99%  178.12us
  29522 requests in 10.01s, 158.28MB read
Requests/sec:   2948.94
Transfer/sec:     15.81MB
"""

TROUBLED = """Running 15s test @ http://127.0.0.1:8085/tinh/x
  2 threads and 20 connections
  Latency Distribution
     50%  120.00ms
     75%  300.50ms
     90%    1.20s
     99%    1.50m
  1500 requests in 15.00s, 1.20MB read
  Socket errors: connect 0, read 2, write 0, timeout 7
  Non-2xx or 3xx responses: 12
Requests/sec:    100.00
Transfer/sec:     81.92KB
"""


def test_requests_per_second_and_latency_percentiles_are_read_in_milliseconds() -> None:
    r = parse_wrk(OUTPUT)
    assert r.requests == 29522
    assert r.seconds == pytest.approx(10.01)
    assert r.requests_per_s == pytest.approx(2948.94)
    assert r.p50_ms == pytest.approx(5.48)
    assert r.latency_ms["90%"] == pytest.approx(19.29)
    assert r.p99_ms == pytest.approx(0.17812)  # microseconds
    assert (r.non_2xx, r.socket_errors) == (0, 0)


def test_failed_requests_and_slow_units_are_reported() -> None:
    r = parse_wrk(TROUBLED)
    assert r.latency_ms == {"50%": 120.0, "75%": 300.5, "90%": 1200.0, "99%": 90_000.0}
    assert r.non_2xx == 12
    assert r.socket_errors == 9


def test_output_without_the_latency_distribution_is_refused() -> None:
    without = OUTPUT.split("  Latency Distribution")[0]
    with pytest.raises(ValueError, match=r"no latency distribution \(--latency\)"):
        parse_wrk(without + "  10 requests in 1.00s, 1MB read\nRequests/sec: 10.00\n")
