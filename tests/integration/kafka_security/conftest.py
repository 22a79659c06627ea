"""Kafka authentication and authorization on the real broker (issues 14 and 16): the
departments' test accounts (``departments``, ``two``: disabled again after the test), the
clients the tests log in with (aiokafka, and ``kcat -F <the written config>``, a client
nobody here wrote) and the registration events topic every test of the package needs."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from contracts import topics
from thidua.es.kafka import KafkaPrincipal, client_options, ensure_topics, partitions_for_new
from thidua.security import credentials
from thidua.security.departments import Departments, department_principal
from thidua.security.kcat import kcat_environment
from thidua.settings import StackSettings

KCAT = shutil.which("kcat")
needs_kcat = pytest.mark.skipif(KCAT is None, reason="kcat is not installed (make system-deps)")


def partitions(topic: str) -> list[TopicPartition]:
    """Every partition of a topic made by provisioning."""
    return [TopicPartition(topic, p) for p in range(partitions_for_new(topic))]


@pytest.fixture
def departments(settings: StackSettings) -> Departments:
    return Departments(settings)


@pytest.fixture
def two(departments: Departments, uid: str) -> Iterator[tuple[str, str]]:
    """Departments ``<uid>-a`` and ``<uid>-b``, disabled again after the test."""
    codes = (f"{uid}-a", f"{uid}-b")
    for code in codes:
        departments.add(code, province="gia-lai", ministry="bo-cong-thuong")
    yield codes
    for code in codes:
        known = departments.get(code)
        if known is not None and known.state == "active":
            departments.disable(code)


def principal(settings: StackSettings, code: str) -> KafkaPrincipal:
    found = department_principal(settings.state_dir, code)
    assert found is not None
    return found


async def send(bootstrap: str, who: KafkaPrincipal | None, topic: str, value: bytes) -> None:
    options = client_options(bootstrap, who) if who else {"bootstrap_servers": bootstrap}
    producer = AIOKafkaProducer(**options, acks="all", request_timeout_ms=15000)
    await producer.start()
    try:
        await asyncio.wait_for(producer.send_and_wait(topic, value, key=b"k"), 30)
    finally:
        await producer.stop()


async def connects(bootstrap: str, who: KafkaPrincipal | None) -> bool:
    """Whether a client authenticated as ``who`` (None: no SASL at all) gets the metadata."""
    return await connects_with(
        client_options(bootstrap, who) if who else {"bootstrap_servers": bootstrap}
    )


async def connects_with(options: dict[str, Any]) -> bool:
    admin = AIOKafkaAdminClient(**options, request_timeout_ms=10000)
    try:
        async with asyncio.timeout(30):
            await admin.start()
            await admin.list_topics()
        return True
    except (KafkaError, TimeoutError):
        return False
    finally:
        await admin.close()


def kcat(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert KCAT is not None
    # With a librdkafka that speaks SCRAM to Kafka 4 (Debian 12's does not: thidua.security.kcat).
    env = kcat_environment()
    return subprocess.run(
        [KCAT, *args], input=data, capture_output=True, timeout=60, check=False, env=env
    )


@pytest.fixture(autouse=True)
async def registration_events(bootstrap: str) -> AsyncIterator[None]:
    await ensure_topics(bootstrap, [topics.events("registration")])
    yield


def _admin_password(settings: StackSettings) -> str:
    password = credentials.read_password(settings.state_dir, credentials.ADMIN)
    assert password is not None
    return password
