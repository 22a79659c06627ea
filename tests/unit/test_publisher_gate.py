"""The scenario publisher's gate reads a service's outbox lag from its metrics: an answer that
does not say the lag (an error, no gauge, no answer) must keep the gate closed, never open it."""

from __future__ import annotations

import math

import httpx
import pytest

from scenarios.generator import Phase
from scenarios.lag import outbox_lag
from scenarios.publisher import LONGEST_PAUSE, _Looks, gate

URL = "http://registration.test/metrics"
GAUGE = 'thidua_outbox_lag_events{service="registration"} '


def _client(status: int, body: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(status, text=body))
    )


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, f"# HELP x\n{GAUGE}0.0\n", 0.0),
        (200, f"{GAUGE}1333.0\n", 1333.0),
        # The service could not measure (its database or Kafka away): FastAPI's error body.
        (500, "Internal Server Error", math.inf),
        (503, f"{GAUGE}0.0\n", math.inf),
        (403, '{"detail": "forbidden"}', math.inf),
        # An answer without the gauge says nothing about the outbox.
        (200, "# HELP thidua_consumer_lag x\n", math.inf),
    ],
)
async def test_outbox_lag_is_known_only_from_a_good_answer_with_the_gauge(
    status: int, body: str, expected: float
) -> None:
    async with _client(status, body) as client:
        assert await outbox_lag(URL, client) == expected


async def test_outbox_lag_is_unknown_while_the_service_does_not_answer() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
        assert await outbox_lag(URL, client) == math.inf


def test_the_gate_looks_rarely_while_the_bulk_goes_through_and_often_near_the_end() -> None:
    looks = _Looks(interval=0.02)
    # The first look, and any look before the group has committed more: the usual interval.
    assert looks.pause("registration", 1_000, 11_000, now=10.0) == 0.02
    assert looks.pause("registration", 1_000, 11_000, now=10.5) == 0.02
    # 2,000 records a second since the first look, 8,000 left: 4 s to go; the pause is capped.
    assert looks.pause("registration", 3_000, 11_000, now=11.0) == LONGEST_PAUSE
    # 200 left at 2,000 a second: 0.1 s to go, look again in half of it.
    assert looks.pause("registration", 10_800, 11_000, now=14.9) == pytest.approx(0.05, rel=0.1)
    # A few records left: the usual interval again, never less.
    assert looks.pause("registration", 10_990, 11_000, now=14.995) == 0.02
    assert looks.pause("registration", 11_000, 11_000, now=15.0) == 0.02
    # Each group is timed from its own first look.
    assert looks.pause("awards.registration-facts", 500, 600, now=15.0) == 0.02


def _phase(name: str, by: str) -> Phase:
    return Phase(name, (), (by,))


def test_awards_copies_are_waited_for_only_before_a_phase_awards_decides() -> None:
    directory, departments = _phase("directory", "registration"), _phase("dept", "registration")
    dossiers, conference = _phase("dossiers", "awards"), _phase("conference", "awards")
    decides_registration = ("registration", "ingress")
    copies = ("awards.registration-facts", "registration")
    decides_awards = ("awards.ingress", "ingress")
    # Registration decides the next phase from its own records: its group alone.
    assert gate(directory, departments) == (decides_registration,)
    # Awards judges the next phase by its copies of registration's facts: those too, after
    # registration's own group (the first is the one whose progress the phase reports).
    assert gate(departments, dossiers) == (decides_registration, copies)
    # Whatever came before: the copies before any phase awards decides.
    assert gate(dossiers, conference) == (decides_awards, copies)
    assert gate(dossiers, departments) == (decides_awards,)
    # The last phase of a load: another load may follow it (the bench publishes a scenario's
    # dossiers by a load of their own), with a phase awards decides.
    assert gate(departments, None) == (decides_registration, copies)
    assert gate(conference, None) == (decides_awards, copies)
