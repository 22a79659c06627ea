"""PostgreSQL stopped for 30 s while a scenario is being absorbed: nothing is dead-lettered,
nothing is refused because of it, and everything is processed once it is back (issue 13, 8).

The outage is real (``pg_ctl stop -m fast``: every connection dropped, new ones refused), on a
stack of the test's own (Kafka and PostgreSQL on ports 263xx, a temporary state directory),
so that it stops nobody else's database. Every service runs supervised, as under ``thidua up``.
PostgreSQL is stopped just before the scenario's facts phase is published, so that its records
arrive while the database is away; it is kept down for 30 s, and started again. Then: the
province rollup equals the expectation; no record on any DLQ; the refusals, counted by reason,
are those of the same scenario absorbed undisturbed (the package's ``loaded`` one, also of
``PEOPLE``); no service was restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from contracts import topics
from scenarios import Phase, build_scenario
from scenarios.publisher import Progress, Publisher
from scenarios.rollups import rollup_differences
from scenarios.sending import Producers
from tests.e2e.conftest import LOAD_TIMEOUT, PEOPLE, Loaded, log_tails, refusals
from tests.support import eventually, unique
from thidua import loading, runner
from thidua.es.dlq import read_dead_letters
from thidua.settings import StackSettings
from thidua.stack import LocalStack
from thidua.supervision import control

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

OUTAGE_SECONDS = 30.0
FACTS_PHASE = 3
"""The scenario's facts phase (after the boards' two): its records are published while the
database is away."""
OWN_STACK = {
    "THIDUA_KAFKA_BOOTSTRAP": "127.0.0.1:26392",
    "THIDUA_KAFKA_CONTROLLER_PORT": "26393",
    "THIDUA_PG_PORT": "26332",
    "THIDUA_ZIPKIN_PORT": "26311",
    "THIDUA_KEYCLOAK_PORT": "26380",
    "THIDUA_HTTP_PORT_BASE": "26350",
    "THIDUA_NOTIFICATIONS_HTTP_PORT": "26363",
    "THIDUA_SMTP_SINK_PORT": "26375",
    "THIDUA_SMTP_PORT": "26375",
    # Nothing traced: this stack has no Zipkin (its spans would only cost CPU).
    "OTEL_SDK_DISABLED": "true",
    "OTEL_TRACES_SAMPLER_ARG": "0",
}
READINESS = {
    "registration": "/health/ready",
    "awards": "/health/ready",
    "notifications": "/health/ready",
    "reporting": "/health",
}


@dataclass(frozen=True)
class Own:
    settings: StackSettings
    postgres: LocalStack
    """A view of the stack with PostgreSQL alone: ``down`` stops it, ``up`` starts it again."""


def without(stack: LocalStack, *names: str) -> LocalStack:
    stack.components = tuple(c for c in stack.components if c.name not in names)
    return stack


@pytest.fixture(scope="module")
async def own(loaded: Loaded) -> AsyncIterator[Own]:
    """Kafka, PostgreSQL and every service (supervised) of the test's own; stopped and deleted
    after it. (``loaded`` first: the package's services start with the package's environment.)"""
    # Under /var/tmp: PostgreSQL's account must be able to enter the state directory.
    state = Path(tempfile.mkdtemp(prefix="thidua-outage-", dir="/var/tmp"))
    with pytest.MonkeyPatch.context() as env:
        for name, value in {**OWN_STACK, "THIDUA_STATE_DIR": str(state)}.items():
            env.setenv(name, value)
        env.delenv("THIDUA_PG_SECRETS_DIR", raising=False)  # its own passwords, in its state
        settings = StackSettings()
        stack = without(LocalStack(settings), "zipkin")
        await stack.up()
        try:
            await asyncio.to_thread(runner.start_services, settings, lambda _: None)
            try:
                yield Own(settings, without(LocalStack(settings), "zipkin", "kafka"))
            finally:
                await asyncio.to_thread(runner.stop_services, settings, lambda _: None)
        finally:
            await stack.down()
            shutil.rmtree(state, ignore_errors=True)


async def readiness(settings: StackSettings) -> dict[str, int]:
    """Each service's readiness status code (0: no answer)."""
    codes: dict[str, int] = {}
    async with httpx.AsyncClient(timeout=5) as client:
        for service, path in READINESS.items():
            try:
                url = f"http://127.0.0.1:{settings.service_port(service)}{path}"
                codes[service] = (await client.get(url)).status_code
            except httpx.HTTPError:
                codes[service] = 0
    return codes


def restarts(settings: StackSettings) -> dict[str, int]:
    status = control.status(settings)
    assert status is not None, "the supervisor is gone"
    return {p.name: p.restarts for p in status.programs}


async def test_postgres_stopped_for_30_s_under_load_loses_and_refuses_nothing(
    own: Own, loaded: Loaded, services: StackSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = own.settings
    scenario = build_scenario(PEOPLE, prefix=unique("outage") + "-")
    facts = scenario.phases[FACTS_PHASE - 1]
    stopped = asyncio.Event()
    publish = Publisher._publish

    async def stop_postgres_first(
        publisher: Publisher, producers: Producers, phase: Phase, values: list[bytes]
    ) -> None:
        if phase is facts:  # its records then arrive while the database is away
            await own.postgres.down()
            stopped.set()
        await publish(publisher, producers, phase, values)

    monkeypatch.setattr(Publisher, "_publish", stop_postgres_first)
    progress: list[Progress] = []
    started = time.monotonic()
    load = asyncio.create_task(
        loading.load_scenario(
            settings, scenario, progress.append, timeout=LOAD_TIMEOUT + OUTAGE_SECONDS
        )
    )
    try:

        async def stopped_or_done() -> tuple[bool, bool]:
            return stopped.is_set(), load.done()

        await eventually(
            stopped_or_done,
            any,
            timeout=LOAD_TIMEOUT,
            what="PostgreSQL stopped before the scenario's facts phase",
        )
        assert stopped.is_set(), f"the load ended first: {load.result()}"
        since = time.monotonic()
        assert not (await own.postgres.status()).healthy
        # Down: every service stays up and says it is not ready.
        down = await eventually(
            lambda: readiness(settings),
            lambda codes: set(codes.values()) == {503},
            timeout=OUTAGE_SECONDS - 5,
            interval=0.5,
            what="every service answering 503 while PostgreSQL is down",
        )
        while time.monotonic() - since < OUTAGE_SECONDS:  # the outage lasts this long
            assert set((await readiness(settings)).values()) == {503}
            await asyncio.sleep(1)
        during = progress[-1]
        await own.postgres.up()
        outage = time.monotonic() - since
        published, remaining = await load
    finally:
        if not load.done():
            load.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await load
    took = time.monotonic() - started

    dead = {
        s: len(await read_dead_letters(settings.kafka_bootstrap, topics.dlq(s))) for s in READINESS
    }
    refused = await refusals(settings.kafka_bootstrap, scenario)
    with pytest.MonkeyPatch.context() as env:  # the suites' stack: its CA and admin password
        env.setenv("THIDUA_STATE_DIR", str(services.state_dir))
        undisturbed = await refusals(services.kafka_bootstrap, loaded.scenario)
    restarted = restarts(settings)
    waiting = during.published - during.absorbed
    print(
        f"PostgreSQL stopped {outage:.1f} s; meanwhile {len(facts.submissions):,} records of "
        f"phase {during.number} of {during.phases} published, {waiting:,} of "
        f"them waiting when it restarted; readiness while down {down}; "
        f"{scenario.events:,} events, rollup matched {took:.1f} s after the first publish; "
        f"dead letters {dead}; refusals {dict(refused)} (undisturbed: {dict(undisturbed)}); "
        f"restarts {restarted}"
    )
    assert published
    assert during.number == FACTS_PHASE
    assert waiting == len(facts.submissions), "records absorbed while the database was down?"
    assert remaining == [], "\n".join(remaining[:30]) + "\n" + log_tails(settings)
    assert await rollup_differences(runner.reporting_url(settings), scenario) == []
    assert sum(dead.values()) == 0, dead
    assert refused == undisturbed
    assert sum(restarted.values()) == 0, restarted
