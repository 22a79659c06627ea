"""Fixtures shared by the suites that need the real local stack (integration, e2e).

Nothing here is autouse: a suite that needs the stack asks for ``stack`` (the unit tests never
start it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from thidua.settings import PROJECT_ROOT, StackSettings
from thidua.stack import LocalStack


@pytest.fixture(scope="session")
def settings() -> StackSettings:
    return StackSettings()


@pytest.fixture(scope="session")
async def stack(settings: StackSettings) -> AsyncIterator[LocalStack]:
    """The real local stack, started if it is not running (and then stopped at the end)."""
    local = LocalStack(settings)
    # A stack already running (even one slow to answer under load) belongs to whoever started
    # it: leave it running afterwards.
    was_running = any(c.running for c in (await local.status()).components)
    # A stack kept in another checkout's state directory (THIDUA_STATE_DIR) is shared: never ours.
    shared = not settings.state_dir.resolve().is_relative_to(PROJECT_ROOT)
    await local.up()
    yield local
    if not was_running and not shared:
        await local.down()


@pytest.fixture(scope="session")
def database_url(settings: StackSettings) -> str:
    return settings.database_url


@pytest.fixture(scope="session")
def bootstrap(settings: StackSettings) -> str:
    return settings.kafka_bootstrap
