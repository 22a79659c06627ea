"""End-to-end tests: the real service processes (``thidua run <service>``) on the real local stack.

The processes are started once for the package, with ports of their own (not the 18080-18093
range of a developer's ``thidua up``), their own state directory (pid, ready and log files, the
SMTP sink's mail) and every business event traced (sample rate 1). They are stopped when the
package ends, also when a test fails. Scenarios use a unique prefix, so each has a province of
its own on the suites' stack (see ``tests/conftest.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from contracts import topics
from contracts.envelope import CloudEvent
from scenarios import Scenario, build_scenario
from tests.support import read_topic, remove_leftovers, unique
from thidua import loading, runner
from thidua.security.departments import service_credentials_env
from thidua.settings import StackSettings
from thidua.stack import LocalStack

# Below Linux's ephemeral range (32768-60999): a port in it can be taken at any moment as the
# local end of some outgoing connection (a Kafka or PostgreSQL client), and then a service
# cannot bind it (seen: awards failing on 38082, held by a client of Kafka).
HTTP_PORT_BASE = 28080
"""Services listen on base+1 … base+4 (registration, awards, notifications, reporting)."""
NOTIFICATIONS_HTTP_PORT = 28093
SMTP_SINK_PORT = 28025
SECOND_INSTANCE_PORT = 28089
"""Health and metrics of a second instance of a service (the failover test)."""
PEOPLE = 100
"""Staff of each e2e scenario: about 670 events, with every kind of outcome (registrations,
initiatives recognised and rejected, dossiers returned, titles granted and refused)."""
LOAD_TIMEOUT = 180.0
"""Bound on each phase's absorption and on the rollup catching up."""


def e2e_ports() -> list[int]:
    services = [HTTP_PORT_BASE + 1 + i for i in range(4)]
    return [*services, NOTIFICATIONS_HTTP_PORT, SMTP_SINK_PORT, SECOND_INSTANCE_PORT]


def _in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def share_kafka_secrets(state: Path, stack_state: Path) -> None:
    """A state directory whose processes log in to the stack of ``stack_state``: its Kafka
    principals' passwords and its CA (PostgreSQL's: ``THIDUA_PG_SECRETS_DIR``)."""
    state.mkdir(parents=True, exist_ok=True)
    (state / "secrets").mkdir(mode=0o700, exist_ok=True)
    (state / "secrets" / "kafka").symlink_to(stack_state / "secrets" / "kafka")
    (state / "tls").symlink_to(stack_state / "tls")


@pytest.fixture(scope="package")
def e2e_settings(
    stack: LocalStack, settings: StackSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StackSettings]:
    """The stack's settings with the e2e state directory; the environment the service processes
    inherit (and that ``StackSettings.service_port`` reads) is set for the package and restored
    after it."""
    state = tmp_path_factory.mktemp("e2e-state")
    secrets = settings.local_pg_password_file(settings.postgres_user).parent
    share_kafka_secrets(state, settings.state_dir)
    busy = [port for port in e2e_ports() if _in_use(port)]
    if busy:
        pytest.fail(
            f"e2e ports {busy} are in use (an earlier e2e run left behind? "
            f"`ss -ltnp` shows who listens); the e2e services need them free",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "THIDUA_STATE_DIR": str(state),
            "THIDUA_HTTP_PORT_BASE": str(HTTP_PORT_BASE),
            "THIDUA_NOTIFICATIONS_HTTP_PORT": str(NOTIFICATIONS_HTTP_PORT),
            "THIDUA_SMTP_SINK_PORT": str(SMTP_SINK_PORT),
            "THIDUA_SMTP_PORT": str(SMTP_SINK_PORT),
            # Every event traced, by the department systems (this process) and the services.
            "THIDUA_TRACE_SAMPLE": "1",
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": "1",
            "OTEL_TRACES_EXPORTER": "zipkin",
            "OTEL_EXPORTER_ZIPKIN_ENDPOINT": settings.zipkin_spans_endpoint,
            # The services log in to the suites' stack: its roles' passwords, not this state's.
            "THIDUA_PG_SECRETS_DIR": str(secrets),
        }.items():
            env.setenv(name, value)
        for name in ("OTEL_SERVICE_NAME", "OTEL_SDK_DISABLED"):
            env.delenv(name, raising=False)
        yield dataclasses.replace(settings, state_dir=state, pg_secrets_dir=secrets)


@pytest.fixture(scope="package")
async def scenarios(e2e_settings: StackSettings) -> AsyncIterator[list[Scenario]]:
    """The scenarios the package publishes. Once the services have stopped, their departments'
    ingress topics are deleted, so that runs do not pile up topics on the suites' stack for
    every ingress consumer to follow (what the services made of them stays: a province of its
    own)."""
    made: list[Scenario] = []
    yield made
    for scenario in made:
        await remove_leftovers(
            e2e_settings.database_url, e2e_settings.kafka_bootstrap, scenario.prefix.rstrip("-")
        )


@pytest.fixture(scope="package")
async def services(
    e2e_settings: StackSettings, scenarios: list[Scenario]
) -> AsyncIterator[StackSettings]:
    """Every service (and the SMTP sink) as its own process, ready; stopped after the package."""
    try:
        await asyncio.to_thread(runner.start_services, e2e_settings, lambda _: None)
        yield e2e_settings
    finally:
        await asyncio.to_thread(runner.stop_services, e2e_settings, lambda _: None)


def log_tails(settings: StackSettings, lines: int = 15) -> str:
    """The last lines of each service log (for failure messages)."""
    out = []
    for log in sorted((settings.state_dir / "logs").glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-lines:]
        out.append(f"--- {log.name}\n" + "\n".join(tail))
    return "\n".join(out)


async def refusals(bootstrap: str, scenario: Scenario) -> Counter[str]:
    """The reasons of every refusal of the scenario's events (on each of its departments' and
    boards' own rejections topics), counted by code."""
    counted: Counter[str] = Counter()
    for code in scenario.publishers:
        for record in await read_topic(bootstrap, topics.rejections(code)):
            data = CloudEvent.from_json(record.value or b"").data
            counted.update(reason["code"] for reason in data["reasons"])
    return counted


@pytest.fixture(scope="package")
def new_scenario(scenarios: list[Scenario]) -> Callable[..., Scenario]:
    """Makes a scenario with a province of its own (a unique prefix)."""

    def make(people: int = PEOPLE) -> Scenario:
        scenario = build_scenario(people, prefix=unique("e2e") + "-")
        scenarios.append(scenario)
        return scenario

    return make


@dataclasses.dataclass(frozen=True)
class Loaded:
    scenario: Scenario
    published: bool
    remaining: list[str]
    seconds: float


@pytest.fixture(scope="package")
async def loaded(services: StackSettings, new_scenario: Callable[..., Scenario]) -> Loaded:
    """A small scenario published by its departments' systems through the running services;
    returns once the province rollup equals its expectation (or the bounded wait ended)."""
    scenario = new_scenario()
    started = time.monotonic()
    published, remaining = await loading.load_scenario(services, scenario, timeout=LOAD_TIMEOUT)
    return Loaded(scenario, published, remaining, time.monotonic() - started)


@dataclasses.dataclass
class Instance:
    """One more process of a service, beside the one ``start_services`` started."""

    service: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/metrics"

    def alive(self) -> bool:
        return self.process.poll() is None

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no offset commit, no relay checkpoint."""
        self._signal(signal.SIGKILL)
        await asyncio.to_thread(self.process.wait, 10)

    async def stop(self) -> None:
        """SIGTERM (a clean stop), then SIGKILL if it has not exited within 20 s."""
        if not self.alive():
            return
        self._signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(self.process.wait, 20)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            await asyncio.to_thread(self.process.wait, 10)

    def _signal(self, sig: signal.Signals) -> None:
        # Its own session (start_new_session): the group is this process and nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)


def _spawn(
    settings: StackSettings, service: str, port: int, state: Path, log: Path
) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    share_kafka_secrets(state, settings.state_dir)
    env = {
        **runner.service_environment(settings),
        # As the supervisor runs an instance: as the service's principal.
        **service_credentials_env(settings, service),
        "THIDUA_STATE_DIR": str(state),
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "thidua.cli", "run", service, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


@contextlib.asynccontextmanager
async def another_instance(
    settings: StackSettings, service: str, port: int, *, timeout: float = 120.0
) -> AsyncIterator[Instance]:
    """Run ``thidua run <service> --port <port>`` in the same consumer groups as the first
    instance, with a state directory of its own (its ready file must not be the first's)."""
    state = settings.state_dir / f"{service}-{port}"
    ready = runner.ready_file(dataclasses.replace(settings, state_dir=state), service)
    log = settings.state_dir / "logs" / f"{service}-{port}.log"
    instance = Instance(service, port, _spawn(settings, service, port, state, log), log)
    try:
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if not instance.alive():
                raise RuntimeError(f"{service} on port {port} exited during startup; see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{service} on port {port} not ready after {timeout:.0f} s")
            await asyncio.sleep(0.1)
        yield instance
    finally:
        await instance.stop()
