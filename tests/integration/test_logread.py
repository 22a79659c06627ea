"""The replay's log reader (``thidua.es.logread``, librdkafka) on the real broker: every record
of each partition from its start up to the end taken, keys and headers as sent, nothing past
the end; a refusal by the brokers stops the read instead of passing records over."""

from __future__ import annotations

import asyncio
import shutil
import subprocess

import confluent_kafka
import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from confluent_kafka.admin import AdminClient

from contracts import topics
from thidua.es.kafka import KafkaPrincipal, client_options, ensure_topics, librdkafka_config
from thidua.es.logread import FETCH_BYTES, LogReader, LogReadError, replay_group
from thidua.security import acls, credentials
from thidua.security.departments import provision_services
from thidua.security.kcat import kcat_arguments, kcat_environment
from thidua.settings import StackSettings

KCAT = shutil.which("kcat")
needs_kcat = pytest.mark.skipif(KCAT is None, reason="kcat is not installed (make system-deps)")


async def _send(bootstrap: str, topic: str, records: list[tuple[int, bytes]]) -> None:
    """(partition, value) records, each with its key and a header naming it."""
    producer = AIOKafkaProducer(**client_options(bootstrap), acks="all")
    await producer.start()
    try:
        for partition, value in records:
            await producer.send_and_wait(
                topic, value, key=b"k-" + value, partition=partition, headers=[("name", value)]
            )
    finally:
        await producer.stop()


async def _read_all(
    reader: LogReader,
    tps: list[TopicPartition],
    starts: dict[TopicPartition, int],
    ends: dict[TopicPartition, int],
) -> list[tuple[int, int, bytes, bytes | None, list[tuple[str, bytes]]]]:
    got = []
    async for batch in reader.read(tps, starts, ends, batch=2):
        got += [(r.partition, r.offset, r.value, r.key, list(r.headers)) for r in batch]
    return got


async def test_reads_each_partition_from_its_start_up_to_the_end_taken(
    bootstrap: str, uid: str
) -> None:
    topic, missing = f"test.{uid}.log", f"test.{uid}.missing"
    await ensure_topics(bootstrap, [topic], partitions=2)
    await _send(bootstrap, topic, [(0, b"a0"), (0, b"a1"), (0, b"a2"), (1, b"b0"), (0, b"a3")])
    async with LogReader(bootstrap, f"test-{uid}") as reader:
        assert await reader.layout([topic, missing]) == {topic: [0, 1], missing: []}
        tps = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
        firsts, ends = await reader.offsets(tps)
        assert firsts == {tps[0]: 0, tps[1]: 0}
        assert ends == {tps[0]: 4, tps[1]: 1}
        # Records written after the ends were taken are not read.
        await _send(bootstrap, topic, [(0, b"late0"), (1, b"late1")])
        got = await _read_all(reader, tps, {tps[0]: 1, tps[1]: 0}, ends)
    assert sorted(got) == [
        (0, 1, b"a1", b"k-a1", [("name", b"a1")]),
        (0, 2, b"a2", b"k-a2", [("name", b"a2")]),
        (0, 3, b"a3", b"k-a3", [("name", b"a3")]),
        (1, 0, b"b0", b"k-b0", [("name", b"b0")]),
    ]
    # Each partition in its order.
    assert [g[1] for g in got if g[0] == 0] == [1, 2, 3]


async def test_a_partition_with_nothing_to_read_ends_the_read_at_once(
    bootstrap: str, uid: str
) -> None:
    topic = f"test.{uid}.log"
    await ensure_topics(bootstrap, [topic], partitions=1)
    await _send(bootstrap, topic, [(0, b"x")])
    tp = TopicPartition(topic, 0)
    async with LogReader(bootstrap, f"test-{uid}") as reader:
        assert await _read_all(reader, [tp], {tp: 1}, {tp: 1}) == []


async def test_records_no_longer_held_stop_the_read(bootstrap: str, uid: str) -> None:
    """A start before the partition's first offset (records deleted by retention) is an
    error, not a silent jump to what is left."""
    topic = f"test.{uid}.log"
    await ensure_topics(bootstrap, [topic], partitions=1)
    await _send(bootstrap, topic, [(0, b"x0"), (0, b"x1"), (0, b"x2")])
    admin = AdminClient({**librdkafka_config(bootstrap)})
    deleted = admin.delete_records([confluent_kafka.TopicPartition(topic, 0, 2)])
    await asyncio.to_thread(next(iter(deleted.values())).result)
    tp = TopicPartition(topic, 0)
    async with LogReader(bootstrap, f"test-{uid}") as reader:
        firsts, ends = await reader.offsets([tp])
        assert (firsts[tp], ends[tp]) == (2, 3)
        with pytest.raises(LogReadError, match="offset"):
            await _read_all(reader, [tp], {tp: 0}, ends)


async def test_records_filling_several_fetches_are_all_read_whole(bootstrap: str, uid: str) -> None:
    """A fetch brings at most ``FETCH_BYTES``: records that fill several (each near the
    broker's 1 MB limit on a record: its value, and its key and a header each holding it
    again) come whole, in order, one fetch after the other."""
    topic = f"test.{uid}.log"
    await ensure_topics(bootstrap, [topic], partitions=2)
    big = [bytes([65 + n]) * 300_000 for n in range(5)]
    await _send(bootstrap, topic, [(n % 2, value) for n, value in enumerate(big)])
    tps = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
    async with LogReader(bootstrap, f"test-{uid}") as reader:
        firsts, ends = await reader.offsets(tps)
        assert sum(ends.values()) * 3 * 300_000 > 4 * FETCH_BYTES
        got = await _read_all(reader, tps, firsts, ends)
    assert [(p, o, v) for p, o, v, _, _ in got if p == 0] == [
        (0, 0, big[0]),
        (0, 1, big[2]),
        (0, 2, big[4]),
    ]
    assert [(p, o, v) for p, o, v, _, _ in got if p == 1] == [(1, 0, big[1]), (1, 1, big[3])]


@needs_kcat
async def test_a_record_whose_header_names_are_not_utf8_is_read_without_them(
    bootstrap: str, uid: str
) -> None:
    """librdkafka decodes header names as UTF-8 and cannot hand over their bytes: such a record
    is read, key and value whole, without its headers; the read goes on. It comes after 400
    others, as in a real log: by then the interpreter has specialized the call that reads
    headers, which no longer raises the decoding error itself."""
    topic = f"test.{uid}.log"
    await ensure_topics(bootstrap, [topic], partitions=1)
    await _send(bootstrap, topic, [(0, f"r{n}".encode()) for n in range(400)])
    base = [KCAT or "kcat", *kcat_arguments(bootstrap), "-P", "-t", topic, "-p", "0", "-k", "k"]

    def kcat(value: bytes, header: bytes) -> None:
        arguments: list[str | bytes] = [*base, "-H", header]
        subprocess.run(arguments, input=value, check=True, timeout=60, env=kcat_environment())

    for value, header in ((b"odd", b"\xff\xfename=v"), (b"plain", b"name=v")):
        await asyncio.to_thread(kcat, value, header)
    tp = TopicPartition(topic, 0)
    async with LogReader(bootstrap, f"test-{uid}") as reader:
        _, ends = await reader.offsets([tp])
        got = []
        async for batch in reader.read([tp], {tp: 0}, ends):
            got += [(r.offset, r.value, r.key, list(r.headers)) for r in batch]
    assert len(got) == 402
    assert got[399] == (399, b"r399", b"k-r399", [("name", b"r399")])
    assert got[400:] == [(400, b"odd", b"k", []), (401, b"plain", b"k", [("name", b"v")])]


async def test_reporting_s_principal_reads_its_topics_in_the_replay_s_group(
    settings: StackSettings, bootstrap: str, uid: str
) -> None:
    """The replay runs as reporting's principal, in its group (``replay_group``)."""
    await asyncio.to_thread(provision_services, settings)
    user = acls.service_user("reporting")
    password = credentials.read_password(settings.state_dir, user)
    assert password is not None
    reporting = KafkaPrincipal(user, password)
    topic = topics.events("registration")
    tp = TopicPartition(topic, 0)
    await _send(bootstrap, topic, [(0, f"event of {uid}".encode())])
    async with LogReader(bootstrap, replay_group("reporting"), principal=reporting) as reader:
        _, ends = await reader.offsets([tp])
        got = await _read_all(reader, [tp], {tp: ends[tp] - 1}, ends)
    assert [g[2] for g in got] == [f"event of {uid}".encode()]
