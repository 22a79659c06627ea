"""Fixtures shared by the suites that need the real local stack (integration, e2e).

The suites run on a stack of their own, never on the one of ``make up``: its own state directory
(``.stack-test``: its own PostgreSQL cluster and database, its own Kafka log), its own ports. The
environment is set here, when pytest loads this file and before any test module reads it, so
that everything the tests start (``StackSettings()``, service processes) inherits it. The stack
is started by the first test that asks for ``stack`` and stopped at the end of the session;
started afresh (its data deleted first), as on a new machine. Nothing here is autouse: the unit
tests never start it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from thidua.settings import PROJECT_ROOT, StackSettings
from thidua.stack import LocalStack

TEST_STATE_DIR = PROJECT_ROOT / ".stack-test"
TEST_STACK = {
    "THIDUA_STATE_DIR": str(TEST_STATE_DIR),
    # Not the ports of `make up` (15432, 18025-18093, 19092-19411), of the supervision test's
    # stack (26051-26093, 26411, 26432), of the outage test's (263xx), of the e2e services
    # (28xxx) or of a chaos run (27000-27944); below Linux's ephemeral range (32768-60999),
    # where any client's outgoing connection may hold a port.
    "THIDUA_KAFKA_BOOTSTRAP": "127.0.0.1:26292",
    "THIDUA_KAFKA_CONTROLLER_PORT": "26293",
    "THIDUA_PG_PORT": "26232",
    "THIDUA_PG_DB": "thidua_test",
    "THIDUA_ZIPKIN_PORT": "26211",
    "THIDUA_HTTP_PORT_BASE": "26250",
    "THIDUA_NOTIFICATIONS_HTTP_PORT": "26263",
    "THIDUA_SMTP_SINK_PORT": "26275",
    "THIDUA_SMTP_PORT": "26275",
    "THIDUA_KEYCLOAK_PORT": "26280",  # and its management interface on 26281
}
"""Where the suites' stack listens and keeps its data (a developer's THIDUA_* settings, which
point at the stack of ``make up``, are overridden)."""

_SHIFT = int(os.environ.get("THIDUA_TEST_PORT_SHIFT", "0"))
"""Moves every port above by this much: two checkouts can run their suites at once (the fixed
stacks of the supervision, outage, e2e and chaos suites do not move: run those one at a time)."""
if _SHIFT:
    for _name, _value in TEST_STACK.items():
        if _name.endswith("_PORT") or _name.endswith("_BASE"):
            TEST_STACK[_name] = str(int(_value) + _SHIFT)
    _host, _, _port = TEST_STACK["THIDUA_KAFKA_BOOTSTRAP"].rpartition(":")
    TEST_STACK["THIDUA_KAFKA_BOOTSTRAP"] = f"{_host}:{int(_port) + _SHIFT}"
os.environ.update(TEST_STACK)
os.environ.pop("THIDUA_DATABASE_URL", None)  # it would win over THIDUA_PG_*
# The suites' clients are the stack's admin (its password in the state directory) unless a
# test says otherwise: a developer's Kafka principal would be refused here.
for _name in ("THIDUA_KAFKA_USERNAME", "THIDUA_KAFKA_PASSWORD", "THIDUA_KAFKA_PASSWORD_FILE"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def settings() -> StackSettings:
    return StackSettings()


@pytest.fixture(scope="session")
async def stack(settings: StackSettings) -> AsyncIterator[LocalStack]:
    """The suites' own stack: started afresh unless it is running, stopped at the end."""
    assert settings.state_dir == TEST_STATE_DIR, "the tests must never run on another stack"
    local = LocalStack(settings)
    # Running already: another session of the tests (in this checkout) started it and stops it.
    was_running = any(c.running for c in (await local.status()).components)
    if not was_running:
        await local.down(purge=True)  # what an earlier run left (it was stopped, not deleted)
    await local.up()
    yield local
    if not was_running:
        await local.down()


@pytest.fixture(scope="session")
def database_url(settings: StackSettings, stack: LocalStack) -> str:
    """As the stack's admin, with the password its first start generated (tests connect as the
    admin unless a test is about a service's role: ``tests.support.as_service_role``)."""
    return settings.database_url


@pytest.fixture(scope="session")
def bootstrap(settings: StackSettings) -> str:
    return settings.kafka_bootstrap
