"""The audit projection: each record of the services' events topics and of the rejections
topics becomes one row of ``audit_events`` and one row per subject of ``audit_subjects``,
written for the whole batch by one statement (``unnest`` arrays, a data-modifying ``WITH``),
idempotent by event id (``ON CONFLICT DO NOTHING``: a redelivery or a repeated id changes
nothing). Nothing depends on when or in which order records are read, so a rebuild from the
log gives the same trail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_json

from contracts import topics as topic_map
from contracts.envelope import CloudEvent
from contracts.rejections import InputRejected
from contracts.subjects import SubjectRef, subjects_of
from services.reporting.audit.summary import summary, type_name
from thidua.es.consumer import Incoming
from thidua.es.db import Conn
from thidua.es.migrations import Migration, load_migrations

MIGRATIONS_DIR = Path(__file__).parent / "sql"
AUDITED_SERVICES = ("registration", "awards", "notifications")
REFUSAL_TYPE = InputRejected.type_name()
_SERVICE_OF_TYPE = re.compile(r"^vn\.thidua\.([a-z]+)\.")


@dataclass(frozen=True)
class Entry:
    """One audited event, as its rows."""

    event_id: str
    kind: str
    type: str
    occurred_at: Any
    source: str
    producer: str | None
    department: str | None
    decided_by: str | None
    causation_id: str | None
    correlation_id: str | None
    cloud_subject: str | None
    original_id: str | None
    original_type: str | None
    codes: list[str]
    reasons: str | None
    summary: str
    data: str
    topic: str
    partition: int
    offset: int
    subjects: list[SubjectRef]
    placed: tuple[str, str, str] | None
    """A DepartmentRegistered: (department, province, ministry)."""


def entry_of(record: Incoming) -> Entry:
    """The audit rows of one record; raises ValueError if it is not a valid event."""
    event = CloudEvent.from_json(record.value)
    subjects = subjects_of(event.data)
    department = event.department or _text(event.data.get("department_code"))
    found = _SERVICE_OF_TYPE.match(event.type)
    placed = None
    if type_name(event.type) == "DepartmentRegistered" and department:
        province = _text(event.data.get("province_id"))
        ministry = _text(event.data.get("ministry_id"))
        if province and ministry:
            placed = (department, province, ministry)
    fact = Entry(
        event_id=event.id,
        kind="fact",
        type=event.type,
        occurred_at=event.time,
        source=event.source,
        producer=event.source,
        department=department,
        decided_by=found.group(1) if found else None,
        causation_id=event.causationid,
        correlation_id=event.correlationid,
        cloud_subject=event.subject,
        original_id=None,
        original_type=None,
        codes=[],
        reasons=None,
        summary=summary(event.type, subjects),
        # jsonb keeps keys in an order of its own, whatever order they are written in.
        data=to_json(event.data).decode(),
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        subjects=subjects,
        placed=placed,
    )
    if event.type != REFUSAL_TYPE:
        return fact
    refusal = InputRejected.model_validate(event.data)
    named = list(refusal.subjects or [])
    codes = [r.code for r in refusal.reasons]
    return replace(
        fact,
        kind="refusal",
        producer=refusal.producer,
        department=refusal.department,
        decided_by=refusal.rejected_by,
        original_id=refusal.original_id,
        original_type=refusal.original_type,
        codes=codes,
        reasons=json.dumps(
            [r.model_dump(mode="json") for r in refusal.reasons], ensure_ascii=False
        ),
        summary=summary(event.type, named, refused_type=refusal.original_type, codes=codes),
        subjects=named,
        placed=None,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


WRITE = """
WITH events AS (
    INSERT INTO audit_events (
        event_id, kind, type, occurred_at, source, producer, department, decided_by,
        causation_id, correlation_id, cloud_subject, original_id, original_type, codes,
        reasons, summary, data, topic, kafka_partition, kafka_offset)
    SELECT e.event_id, e.kind, e.type, e.occurred_at, e.source, e.producer, e.department,
           e.decided_by, e.causation_id, e.correlation_id, e.cloud_subject, e.original_id,
           e.original_type, coalesce(
               (SELECT array_agg(c) FROM jsonb_array_elements_text(e.codes) AS c), '{}'),
           e.reasons, e.summary, e.data, e.topic, e.kafka_partition, e.kafka_offset
    FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[],
                $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                $13::text[], $14::jsonb[], $15::jsonb[], $16::text[], $17::jsonb[], $18::text[],
                $19::integer[], $20::bigint[])
         AS e(event_id, kind, type, occurred_at, source, producer, department, decided_by,
              causation_id, correlation_id, cloud_subject, original_id, original_type, codes,
              reasons, summary, data, topic, kafka_partition, kafka_offset)
    ON CONFLICT (event_id) DO NOTHING
), subjects AS (
    INSERT INTO audit_subjects (subject_kind, subject_id, event_id)
    SELECT * FROM unnest($21::text[], $22::text[], $23::text[])
    ON CONFLICT DO NOTHING
), places AS (
    INSERT INTO audit_departments
        (department_code, province_id, ministry_id, registered_at, event_id)
    SELECT * FROM unnest($24::text[], $25::text[], $26::text[], $27::timestamptz[], $28::text[])
    ON CONFLICT (department_code) DO UPDATE
    SET province_id = excluded.province_id, ministry_id = excluded.ministry_id,
        registered_at = excluded.registered_at, event_id = excluded.event_id
    WHERE (excluded.registered_at, excluded.event_id)
        > (audit_departments.registered_at, audit_departments.event_id)
)
SELECT 1
"""


async def write_entries(conn: Conn, entries: Sequence[Entry]) -> None:
    """Record ``entries`` (one statement); each event id once, the first read kept."""
    unique: dict[str, Entry] = {}
    for entry in entries:
        unique.setdefault(entry.event_id, entry)
    rows = list(unique.values())
    columns: list[list[Any]] = [[] for _ in range(20)]
    for e in rows:
        values = (
            e.event_id, e.kind, e.type, e.occurred_at, e.source, e.producer, e.department,
            e.decided_by, e.causation_id, e.correlation_id, e.cloud_subject, e.original_id,
            e.original_type, json.dumps(e.codes), e.reasons, e.summary, e.data, e.topic,
            e.partition, e.offset,
        )  # fmt: skip
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    subjects = [(s.kind, s.id, e.event_id) for e in rows for s in e.subjects]
    latest: dict[str, tuple[Entry, tuple[str, str, str]]] = {}
    for e in rows:
        if e.placed is not None:
            known = latest.get(e.placed[0])
            if known is None or (e.occurred_at, e.event_id) > (
                known[0].occurred_at,
                known[0].event_id,
            ):
                latest[e.placed[0]] = (e, e.placed)
    places = [(p[0], p[1], p[2], e.occurred_at, e.event_id) for e, p in latest.values()]
    await conn.execute(
        WRITE,
        *columns,
        *(list(c) for c in zip(*subjects, strict=True)) if subjects else ([], [], []),
        *(list(c) for c in zip(*places, strict=True)) if places else ([], [], [], [], []),
    )


class AuditProjection:
    """The audit trail (nhật ký) of every fact and refusal, by subject."""

    name = "audit"

    def __init__(
        self,
        topics: Sequence[str] | None = None,
        rejections_stem: str = topic_map.REJECTIONS,
    ) -> None:
        self.event_topics: tuple[str, ...] = tuple(
            topics or [topic_map.events(s) for s in AUDITED_SERVICES]
        )
        self.pattern = "|".join(
            [
                *(re.escape(t) for t in self.event_topics),
                topic_map.rejections_pattern(rejections_stem),
            ]
        )
        self.topics: Sequence[str] = self.event_topics
        """What a rebuild reads: set to every topic the pattern matches before one starts."""
        self.migrations: Sequence[Migration] = load_migrations("reporting_audit", MIGRATIONS_DIR)

    async def setup(self, conn: Conn) -> None:
        return None

    async def reset(self, conn: Conn) -> None:
        await conn.execute("TRUNCATE audit_events, audit_subjects, audit_departments")

    async def apply(self, conn: Conn, event: CloudEvent, incoming: Incoming) -> None:
        await self.apply_records(conn, [incoming])

    async def apply_records(self, conn: Conn, records: Sequence[Incoming]) -> None:
        entries = []
        for record in records:
            try:
                entries.append(entry_of(record))
            except ValidationError as exc:  # a ValueError: the record goes to the DLQ
                raise ValueError(f"{record.position}: not an auditable event: {exc}") from exc
        if entries:
            await write_entries(conn, entries)
