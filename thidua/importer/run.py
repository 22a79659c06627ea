"""Importing a filled template: each record as an ``AwardImported`` event on the department's
ingress topic (the idempotent producer, keyed by department), then a wait until awards has read
past every record sent, and the outcome of each row from awards' inbox and its refusals.

A row whose event id awards already knows was imported before: it is sent again (the path is
the same; awards recognises the repeat and changes nothing) and reported unchanged.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from contracts import topics
from contracts.envelope import CloudEvent
from thidua.importer.template import Row, read_rows

ACCEPTED, UNCHANGED, REFUSED = "accepted", "unchanged", "refused"
LABELS = {ACCEPTED: "đã nhận", UNCHANGED: "không đổi (đã nhập trước đó)", REFUSED: "từ chối"}


@dataclass(frozen=True)
class Outcome:
    row: Row
    status: str
    reasons: tuple[str, ...] = ()

    def line(self) -> str:
        text = f"Dòng {self.row.number} ({self.row.label}): {LABELS[self.status]}"
        return text + (f": {'; '.join(self.reasons)}" if self.reasons else "")


@dataclass(frozen=True)
class Target:
    """Where awards reads and keeps what a department submits."""

    bootstrap: str
    database_url: str
    schema: str = "awards"
    group: str = "awards.ingress"


Progress = Callable[[int, int], None]
"""(rows settled, rows in all)."""


async def import_file(
    path: Path,
    department: str,
    target: Target,
    *,
    timeout: float = 300.0,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Every row's outcome, in the file's order."""
    rows = list(read_rows(path, department))
    outcomes: dict[int, Outcome] = {
        r.number: Outcome(r, REFUSED, r.problems) for r in rows if r.record is None
    }
    sendable = [r for r in rows if r.record is not None]
    conn = await asyncpg.connect(target.database_url)
    try:
        ids = [r.event_id or "" for r in sendable]
        known = set(await _inbox(conn, target.schema, ids))
        written = await _publish(target.bootstrap, department, sendable)
        topic = topics.ingress(department)
        await _until_read(target, topic, written, conn, ids, len(rows), progress, timeout)
        inbox = await _inbox(conn, target.schema, ids)
        reasons = await _reasons(conn, target.schema, ids)
    finally:
        await conn.close()
    for row in sendable:
        event_id = row.event_id or ""
        found = inbox.get(event_id)
        if found == "rejected":
            outcomes[row.number] = Outcome(row, REFUSED, tuple(reasons.get(event_id, ())))
        elif event_id in known:
            outcomes[row.number] = Outcome(row, UNCHANGED)
        elif found == "accepted":
            outcomes[row.number] = Outcome(row, ACCEPTED)
        else:
            outcomes[row.number] = Outcome(row, REFUSED, (f"awards ghi nhận '{found}'",))
    return [outcomes[r.number] for r in rows]


def _event(row: Row, department: str) -> CloudEvent:
    assert row.record is not None and row.event_id is not None
    return CloudEvent.new(
        row.record,
        source=f"urn:thidua:department:{department}",
        department=department,
        subject=row.record.nomination_id,
        id=row.event_id,
    )


async def _publish(bootstrap: str, department: str, rows: Sequence[Row]) -> dict[int, int]:
    """Send in order; returns the highest offset written per partition."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=20
    )
    await producer.start()
    try:
        topic = topics.ingress(department)
        futures = [
            await producer.send(topic, _event(r, department).to_json(), key=department.encode())
            for r in rows
        ]
        written: dict[int, int] = {}
        for future in futures:
            meta = await future
            written[meta.partition] = max(written.get(meta.partition, -1), meta.offset)
        return written
    finally:
        await producer.stop()


async def _until_read(
    target: Target,
    topic: str,
    written: dict[int, int],
    conn: asyncpg.Connection,
    ids: list[str],
    total: int,
    progress: Progress | None,
    timeout: float,
) -> None:
    """Until awards' group has committed past every record written (a repeat leaves no other
    trace), reporting rows settled as they are."""
    deadline = time.monotonic() + timeout
    admin = AIOKafkaAdminClient(bootstrap_servers=target.bootstrap)
    await admin.start()
    try:
        while True:
            settled = len(await _inbox(conn, target.schema, ids)) + (total - len(ids))
            if progress is not None:
                progress(min(settled, total), total)
            committed = await admin.list_consumer_group_offsets(target.group)
            if all(
                (meta := committed.get(TopicPartition(topic, partition))) is not None
                and meta.offset > offset
                for partition, offset in written.items()
            ):
                if progress is not None:
                    progress(total, total)
                return
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"awards chưa đọc hết các bản ghi sau {timeout:.0f} giây "
                    f"(nhóm {target.group}); dịch vụ awards có đang chạy không?"
                )
            await asyncio.sleep(0.3)
    finally:
        await admin.close()


async def _inbox(conn: asyncpg.Connection, schema: str, ids: list[str]) -> dict[str, str]:
    rows = await conn.fetch(
        f"SELECT event_id, outcome FROM {schema}.inbox WHERE event_id = ANY($1::text[])", ids
    )
    return {r["event_id"]: r["outcome"] for r in rows}


async def _reasons(conn: asyncpg.Connection, schema: str, ids: list[str]) -> dict[str, list[str]]:
    rows = await conn.fetch(
        f"""SELECT envelope->'data'->>'original_id' AS id, envelope->'data'->'reasons' AS reasons
            FROM {schema}.events
            WHERE stream_id LIKE 'rejection:%' AND envelope->'data'->>'original_id' = ANY($1)""",
        ids,
    )
    found: dict[str, list[str]] = {}
    for r in rows:
        for reason in json.loads(r["reasons"]):
            found.setdefault(r["id"], []).append(reason["message"])
    return found
