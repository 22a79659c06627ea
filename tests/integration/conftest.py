"""Integration tests run against the real local stack, started here if it is not running
(``stack``, ``settings``, ``database_url`` and ``bootstrap`` are in ``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support import remove_leftovers, unique
from thidua.es import migrations
from thidua.es.db import Pool, create_pool
from thidua.stack import LocalStack


@pytest.fixture(scope="session", autouse=True)
def stack_running(stack: LocalStack) -> LocalStack:
    """Every integration test needs the stack."""
    return stack


@pytest.fixture
def uid() -> str:
    return unique()


@pytest.fixture(autouse=True)
async def drop_test_leftovers(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[None]:
    """What a test made on the shared stack (schemas, topics) is removed after it."""
    yield
    await remove_leftovers(database_url, bootstrap, uid)


@pytest.fixture
async def pool(database_url: str, uid: str) -> AsyncIterator[Pool]:
    """A fresh schema ``test_<uid>`` with the runtime's tables."""
    created = await create_pool(database_url, f"test_{uid}")
    await migrations.apply_migrations(created, migrations.runtime_migrations())
    yield created
    await created.close()
