"""Small Kafka helpers shared by the relay, the consumers and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import re
import ssl
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram512

from contracts import topics as topic_map
from thidua.security import credentials
from thidua.settings import StackSettings

SASL_MECHANISM = "SCRAM-SHA-512"
SECURITY_PROTOCOL = "SASL_PLAINTEXT"
TLS_PROTOCOL = "SASL_SSL"


@dataclass(frozen=True)
class KafkaPrincipal:
    """Who a client authenticates as (SASL/SCRAM-SHA-512): ``User:<username>`` in ACLs."""

    username: str
    password: str
    mechanism: str = SASL_MECHANISM
    """SCRAM-SHA-512; PLAIN only for an admin whose password is in the brokers' JAAS lines
    (``docker-compose.yml``)."""

    def __repr__(self) -> str:  # never print a password in a log or a traceback
        return f"KafkaPrincipal({self.username!r})"


def principal_from_env(
    state_dir: Path | None = None, *, prefix: str = "THIDUA_KAFKA_"
) -> KafkaPrincipal | None:
    """The principal this process runs as: ``THIDUA_KAFKA_USERNAME`` with
    ``THIDUA_KAFKA_PASSWORD`` or ``THIDUA_KAFKA_PASSWORD_FILE`` (services, a deployment);
    else the local stack's admin, whose password ``thidua stack up`` keeps in the state
    directory (tools and tests on a local stack); else None (a client without credentials,
    which the brokers refuse). ``prefix`` names another principal of the same process (the
    HTTP door's ``THIDUA_DOOR_KAFKA_USERNAME`` …)."""
    username = os.environ.get(f"{prefix}USERNAME")
    if username:
        password = os.environ.get(f"{prefix}PASSWORD")
        password_file = os.environ.get(f"{prefix}PASSWORD_FILE")
        if not password and password_file:
            password = Path(password_file).read_text().strip()
        if not password:
            raise RuntimeError(
                f"{prefix}USERNAME={username} needs {prefix}PASSWORD or {prefix}PASSWORD_FILE"
            )
        mechanism = os.environ.get(f"{prefix}SASL_MECHANISM") or SASL_MECHANISM
        return KafkaPrincipal(username, password, mechanism)
    state = state_dir or StackSettings().state_dir
    admin = credentials.read_password(state, credentials.ADMIN)
    return KafkaPrincipal(credentials.ADMIN, admin) if admin else None


AIOKAFKA_NAMES = (
    "bootstrap_servers",
    "security_protocol",
    "sasl_mechanism",
    "sasl_plain_username",
    "sasl_plain_password",
)
LIBRDKAFKA_NAMES = (
    "bootstrap.servers",
    "security.protocol",
    "sasl.mechanisms",
    "sasl.username",
    "sasl.password",
    "ssl.ca.location",
)


def ca_location(state_dir: Path | None = None) -> Path | None:
    """The CA certificate clients trust: ``THIDUA_KAFKA_CA_FILE``, else the local stack's
    (made by ``thidua stack up``); None: the brokers speak no TLS (``docker-compose.yml``)."""
    given = os.environ.get("THIDUA_KAFKA_CA_FILE")
    if given:
        return Path(given)
    local = credentials.ca_file(state_dir or StackSettings().state_dir)
    return local if local.is_file() else None


def _connection(
    names: tuple[str, ...], bootstrap: str, who: KafkaPrincipal | None, ca: Path | None
) -> dict[str, str]:
    """The bootstrap servers and, for a principal, SASL as it, over TLS when a CA is known:
    one set of settings, named as a client library calls them."""
    values = [bootstrap]
    if who is not None:
        protocol = TLS_PROTOCOL if ca is not None else SECURITY_PROTOCOL
        values += [protocol, who.mechanism, who.username, who.password]
        if ca is not None:
            values.append(str(ca))
    return dict(zip(names, values, strict=False))


def ssl_context(ca: Path | None) -> ssl.SSLContext | None:
    """A client context that trusts ``ca`` and checks the broker's name (None without TLS)."""
    return create_ssl_context(cafile=str(ca)) if ca is not None else None


def client_options(
    bootstrap: str, principal: KafkaPrincipal | None = None, state_dir: Path | None = None
) -> dict[str, Any]:
    """Connection options of every aiokafka client (producer, consumer, admin): the bootstrap
    servers and SASL/SCRAM-SHA-512 as ``principal`` (default: :func:`principal_from_env`),
    over TLS when the stack has a CA (:func:`ca_location`; ``state_dir``: of which stack)."""
    who = principal or principal_from_env(state_dir)
    ca = ca_location(state_dir) if who is not None else None
    options: dict[str, Any] = _connection(AIOKAFKA_NAMES, bootstrap, who, ca)
    if ca is not None:
        options["ssl_context"] = ssl_context(ca)
    return options


def librdkafka_config(
    bootstrap: str, principal: KafkaPrincipal | None = None, state_dir: Path | None = None
) -> dict[str, str]:
    """The same as librdkafka properties (``kcat -F``, confluent-kafka)."""
    who = principal or principal_from_env(state_dir)
    return _connection(LIBRDKAFKA_NAMES, bootstrap, who, ca_location(state_dir) if who else None)


def faststream_security(principal: KafkaPrincipal | None = None) -> BaseSecurity | None:
    """The same for FastStream's ``KafkaBroker(security=...)``."""
    who = principal or principal_from_env()
    if who is None:
        return None
    context = ssl_context(ca_location())
    tls = context is not None
    if who.mechanism == "PLAIN":
        return SASLPlaintext(who.username, who.password, ssl_context=context, use_ssl=tls)
    return SASLScram512(who.username, who.password, ssl_context=context, use_ssl=tls)


# Local default; a deployment sets these (e.g. 6 partitions, replication 3 on three brokers).
DEFAULT_PARTITIONS = int(os.environ.get("THIDUA_TOPIC_PARTITIONS", "3"))
DEPARTMENT_PARTITIONS = int(os.environ.get("THIDUA_DEPARTMENT_TOPIC_PARTITIONS", "1"))
"""A department's own topics (its ingress and its refusals) carry one department's traffic:
one partition keeps it in the order sent, and a province's hundreds of them are already
spread over the services' instances topic by topic. Each partition is in every fetch request
and response of every consumer subscribed by pattern (registration, awards, the audit trail,
notifications), decoded in Python by aiokafka whether it holds records or not: with three a
topic, that decoding was 14-18% of registration's and awards' CPU (py-spy, 02/12/2026)."""


def partitions_for_new(topic: str) -> int:
    """How many partitions a topic gets when it is created here."""
    if topic.startswith((topic_map.INGRESS_PREFIX, topic_map.REJECTIONS_PREFIX)):
        return DEPARTMENT_PARTITIONS
    return DEFAULT_PARTITIONS


def default_replication() -> int:
    """``THIDUA_TOPIC_REPLICATION``; else 3 on a local cluster of three brokers
    (``THIDUA_KAFKA_BROKERS``), 1 on one."""
    given = os.environ.get("THIDUA_TOPIC_REPLICATION")
    if given:
        return int(given)
    return min(int(os.environ.get("THIDUA_KAFKA_BROKERS") or "1"), 3)


@functools.lru_cache(maxsize=1 << 16)
def partition_for(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner picks for ``key`` (Java-compatible murmur2).

    Kept for the last 65,536 keys: a relay publishes several facts of one stream in a pass (a
    decision's nominations, each with its copies), and the hash was 18% of a relay's time."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 (``org.apache.kafka.common.utils.Utils.murmur2``), as aiokafka's
    ``murmur2`` computes it, with the whole 4-byte words read at once (``struct``) instead of
    byte by byte: 5.4 µs a 48-byte key instead of 9.5 in CPython (tests compare the two)."""
    length = len(data)
    h = 0x9747B28C ^ length
    whole = length & ~3
    for (k,) in struct.iter_unpack("<I", data[:whole]):
        k = (k * _M) & _MASK
        k = ((k ^ (k >> 24)) * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    extra = length & 3
    if extra >= 3:
        h ^= data[whole + 2] << 16
    if extra >= 2:
        h ^= data[whole + 1] << 8
    if extra >= 1:
        h = ((h ^ data[whole]) * _M) & _MASK
    h = ((h ^ (h >> 13)) * _M) & _MASK
    return h ^ (h >> 15)


async def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    *,
    partitions: int | None = None,
    replication: int | None = None,
) -> None:
    """Create the topics that do not exist yet (existing ones are left as they are), with
    ``partitions`` each (default: :func:`partitions_for_new`) and ``replication`` replicas
    (default: :func:`default_replication`); their minimum in-sync replicas is the brokers'
    (2 on a cluster of three)."""
    replicas = default_replication() if replication is None else replication
    admin = AIOKafkaAdminClient(**client_options(bootstrap))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if not missing:
            return
        # Another instance may create one between our listing and our request.
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(
                [
                    NewTopic(
                        name=t,
                        num_partitions=partitions or partitions_for_new(t),
                        replication_factor=replicas,
                    )
                    for t in missing
                ]
            )
    finally:
        await admin.close()


async def topics_matching(bootstrap: str, pattern: str) -> list[str]:
    """The topics whose whole name matches the regex ``pattern``, sorted (the way a
    pattern subscription chooses them)."""
    admin = AIOKafkaAdminClient(**client_options(bootstrap))
    await admin.start()
    try:
        names = await admin.list_topics()
    finally:
        await admin.close()
    chosen = re.compile(pattern)
    return sorted(t for t in names if chosen.fullmatch(t))


async def partitions_of(
    bootstrap: str, topics: Iterable[str], *, matching: str | None = None
) -> dict[str, list[int]]:
    """Partition numbers of each topic (an empty list for a topic that does not exist), and of
    every topic whose name matches the regex ``matching``, asked with one client."""
    admin = AIOKafkaAdminClient(**client_options(bootstrap))
    await admin.start()
    try:
        names = list(topics)
        if matching is not None:
            chosen = re.compile(matching)
            names += sorted(t for t in await admin.list_topics() if chosen.fullmatch(t))
        described = await admin.describe_topics(list(dict.fromkeys(names)))
    finally:
        await admin.close()
    return {
        entry["topic"]: sorted(p["partition"] for p in entry["partitions"]) for entry in described
    }


async def end_offsets(
    consumer: AIOKafkaConsumer, partitions: Iterable[TopicPartition]
) -> dict[TopicPartition, int]:
    """``consumer.end_offsets``, with the metadata of every topic it does not know yet asked
    for in one request first. aiokafka's own call learns unknown topics one a retry: it stops
    at the first partition whose leader it does not know, asks for that topic's metadata and
    sleeps ``retry_backoff_ms`` (100 ms) before trying again, so a consumer that had not seen
    a province's 36 new department topics took 1.8 s to answer (the scenario publisher's gate
    and every service's lag metrics, measured in the sixteenth session)."""
    tps = list(partitions)
    client = consumer._client  # no public way to have a consumer track topics' metadata
    unknown = {tp.topic for tp in tps if client.cluster.leader_for_partition(tp) is None}
    if unknown:
        await asyncio.gather(*(client.add_topic(topic) for topic in unknown))
    found: dict[TopicPartition, int] = await consumer.end_offsets(tps)
    return found


async def read_range(
    consumer: AIOKafkaConsumer,
    tp: TopicPartition,
    start: int,
    end: int,
    *,
    timeout: float = 30.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Records of ``tp`` with offsets in [start, end), read with a manually assigned consumer."""
    records: list[ConsumerRecord[bytes, bytes]] = []
    if start >= end:
        return records
    consumer.assign([tp])
    consumer.seek(tp, start)
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        batch = await consumer.getmany(tp, timeout_ms=1000)
        for record in batch.get(tp, []):
            if record.offset >= end:
                return records
            records.append(record)
            if record.offset == end - 1:
                return records
        if not batch and await consumer.position(tp) >= end:
            return records
    raise TimeoutError(f"could not read {tp} offsets {start}..{end} within {timeout} s")


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return None
