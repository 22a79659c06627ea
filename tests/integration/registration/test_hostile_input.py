"""Nothing a department writes can make a record vanish: every offset of an ingress topic ends
as an accepted fact, an ignored repeat, a duplicate or a refusal (or, for a handler bug, a DLQ
copy). Hostile records sit in the same Kafka batch as valid ones, and the valid ones are still
accepted; events written by the official CloudEvents SDK are read in both content modes."""

from __future__ import annotations

import json
import subprocess
from datetime import date

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from cloudevents.v1.http import CloudEvent as SdkEvent
from cloudevents.v1.kafka import to_binary, to_structured

from contracts import topics
from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined
from scenarios.seeds import GIA_LAI
from tests.integration.registration.conftest import Registration
from tests.support import unique
from thidua.es.intake import MAX_ENVELOPE_BYTES
from thidua.es.kafka import client_options, partitions_of
from thidua.security.kcat import kcat_arguments, kcat_environment


def joined(registration: Registration, person: str) -> PersonJoined:
    code = registration.code(GIA_LAI)
    return PersonJoined(
        person_id=f"{GIA_LAI}/{person}",
        department_code=code,
        unit_id=f"{GIA_LAI}/qltt",
        full_name=f"Người thử {person}",
        sex="female",
        position="Chuyên viên",
        is_leader=False,
        joined_on=date(2017, 3, 1),
    )


def hostile(valid: bytes) -> dict[str, tuple[bytes, list[tuple[str, bytes]]]]:
    """Each kind of malformed record, as (value, headers)."""
    nested = b'{"specversion":"1.0","id":"deep","source":"s","type":"t",' + (
        b'"time":"2018-01-01T00:00:00Z","data":{"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    )
    with_nul = json.loads(valid)
    with_nul["data"]["full_name"] = "Nguyễn\u0000Văn A"
    long_correlation = json.loads(valid)
    long_correlation["correlationid"] = "c" * 100_000
    return {
        "bad header bytes": (b'{"x": 1}', [("ce_specversion", b"1.0"), ("ce_id", b"\xff\xfe")]),
        "deep nesting": (nested, []),
        "NUL in a string": (json.dumps(with_nul).encode(), []),
        "not UTF-8": (valid.replace(b"Ng", b"\xff\xfe"), []),
        "not JSON": (b"{this is not json", []),
        "over the size limit": (json.dumps(long_correlation).encode() * 3, []),
        "correlation id too long": (json.dumps(long_correlation).encode(), []),
    }


async def produce_together(
    registration: Registration, records: list[tuple[bytes, list[tuple[str, bytes]]]]
) -> list[str]:
    """Send every record to the department's partition in one go (one batch on the wire);
    returns each record's position (topic/partition/offset)."""
    topic = topics.ingress(registration.code(GIA_LAI))
    producer = AIOKafkaProducer(
        **client_options(registration.bootstrap),
        acks="all",
        linger_ms=200,
        max_request_size=4 * MAX_ENVELOPE_BYTES,
    )
    await producer.start()
    try:
        key = registration.code(GIA_LAI).encode()
        futures = [
            await producer.send(topic, value, key=key, headers=headers)
            for value, headers in records
        ]
        sent = [await f for f in futures]
        return [f"{m.topic}/{m.partition}/{m.offset}" for m in sent]
    finally:
        await producer.stop()


async def test_hostile_records_in_a_batch_are_refused_and_their_neighbours_accepted(
    registration: Registration,
) -> None:
    department = registration.code(GIA_LAI)
    valid = [
        registration.envelope(department, joined(registration, f"h{unique()}")) for _ in range(8)
    ]
    bad = hostile(valid[0].to_json())
    junk_header = registration.envelope(department, joined(registration, f"h{unique()}"))
    records: list[tuple[bytes, list[tuple[str, bytes]]]] = [(valid[0].to_json(), [])]
    for i, (value, headers) in enumerate(bad.values(), 1):
        records += [(value, headers), (valid[i].to_json(), [])]
    # A header nobody reads may hold any bytes: the event itself is fine.
    records.append((junk_header.to_json(), [("x", b"\xff")]))
    positions = await produce_together(registration, records)
    assert len({p.rsplit("/", 1)[0] for p in positions}) == 1, "one partition"

    outcomes = await registration.settle([*valid, junk_header])
    assert [o.inbox for o in outcomes] == ["accepted"] * (len(valid) + 1)
    assert all(o.types() == ["PersonJoined"] for o in outcomes)

    refused = positions[1 : 2 * len(bad) : 2]
    for kind, position in zip(bad, refused, strict=True):
        refusal = await registration.rejection_at(position)
        codes = {r["code"] for r in refusal.data["reasons"]}
        expected = {"envelope.too_large"} if kind == "over the size limit" else {"envelope.invalid"}
        assert codes == expected, (kind, codes)

    # Every offset is accounted for exactly once, and nothing went to the DLQ.
    consumer = registration.runtime.command_consumers()[0]
    assert consumer.counts.get("dead-lettered", 0) == 0
    topic, partition = positions[0].split("/")[:2]
    offsets = [int(p.rsplit("/", 1)[1]) for p in positions]
    accepted = await registration.pool.fetchval(
        """SELECT count(*) FROM inbox
           WHERE topic = $1 AND kafka_partition = $2 AND kafka_offset = ANY($3)""",
        topic,
        int(partition),
        offsets,
    )
    rejections = await registration.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id = ANY($1)",
        [f"rejection:{p}" for p in positions],
    )
    assert (accepted, rejections) == (len(valid) + 1, len(bad))


async def test_events_from_the_official_cloudevents_sdk_are_read_in_both_modes(
    registration: Registration,
) -> None:
    department = registration.code(GIA_LAI)
    sent: list[CloudEvent] = []
    messages = []
    for mode in (to_binary, to_structured):
        payload = joined(registration, f"sdk{unique()}")
        event = registration.envelope(department, payload)
        sdk_event = SdkEvent(
            {
                "id": event.id,
                "source": event.source,
                "type": event.type,
                "time": event.time.isoformat(),
                "subject": payload.person_id,
                "department": department,
                "datacontenttype": "application/json",
            },
            payload.model_dump(mode="json"),
        )
        messages.append(mode(sdk_event))
        sent.append(event)
    await produce_together(registration, [(m.value, list(m.headers.items())) for m in messages])
    outcomes = await registration.settle(sent)
    assert [o.inbox for o in outcomes] == ["accepted", "accepted"]
    assert [o.types() for o in outcomes] == [["PersonJoined"], ["PersonJoined"]]


async def test_a_header_key_that_is_not_utf8_is_refused_and_stalls_nothing(
    registration: Registration,
) -> None:
    """Kafka's protocol makes header keys UTF-8, but the broker does not check: kcat writes any
    bytes. Such a record must end as a refusal, and the records after it on its partition must
    be read as usual (aiokafka alone fails the whole fetch, for ever)."""
    department = registration.code(GIA_LAI)
    topic = topics.ingress(department)
    before, bad, after = (
        registration.envelope(department, joined(registration, f"k{unique()}")) for _ in range(3)
    )
    bad_key = b"x\xff\xfe"

    def kcat(value: bytes, *header: str | bytes) -> None:
        command: list[str | bytes] = ["kcat", *kcat_arguments(registration.bootstrap)]
        command += ["-P", "-t", topic]
        command += ["-p", "0", "-k", department, *header]
        subprocess.run(command, input=value, check=True, timeout=60, env=kcat_environment())

    kcat(before.to_json())
    ends = await end_offsets(registration.bootstrap, topic)
    # zstd: the tolerant reader decompresses the batch again (and every codec must be readable)
    kcat(bad.to_json(), "-z", "zstd", "-H", bad_key + b"=v", "-H", b"ce_note=kept")
    kcat(after.to_json())

    outcomes = await registration.settle([before, after])
    assert [o.inbox for o in outcomes] == ["accepted", "accepted"]
    refusal = await registration.rejection_at(f"{topic}/0/{ends[0]}")
    [reason] = refusal.data["reasons"]
    assert reason["code"] == "envelope.invalid"
    assert "x\\xff\\xfe" in reason["message"] and "UTF-8" in reason["message"]
    accepted_bad = await registration.pool.fetchval(
        "SELECT count(*) FROM inbox WHERE event_id = $1", bad.id
    )
    assert accepted_bad == 0
    consumer = registration.runtime.command_consumers()[0]
    assert consumer.counts.get("dead-lettered", 0) == 0


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        parts = await partitions_of(bootstrap, [topic])
        tps = [TopicPartition(topic, p) for p in parts[topic]]
        ends = await consumer.end_offsets(tps)
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()
