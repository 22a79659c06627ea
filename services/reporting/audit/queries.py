"""Questions to the audit trail. Each takes a connection whose ``search_path`` is the audit
schema (``audit_schema(control)``, e.g. ``reporting_audit``): the API's snapshot sets it, and
another caller (the HTTP door) may use ``create_pool(url, audit_schema())``.

- ``subject_trail``: every fact and refusal concerning one subject, in order;
- ``subject_place``: where the subject sits (its department, province, ministry), for scoping;
- ``event_outcome``: what became of an event a department sent: pending, accepted (with the
  facts it caused, transitively) or refused (with the reasons).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from contracts import topics
from contracts.common import RejectionReason
from contracts.subjects import SubjectRef
from thidua.auth import Place
from thidua.es.db import Conn

AUDIT_SUFFIX = "_audit"
MAX_TRAIL = 5000
"""A subject's trail lists at most this many events (the oldest first)."""
MAX_CAUSED = 1000
MAX_DEPTH = 10
"""How far ``event_outcome`` follows causation (a fact's facts …)."""


def audit_schema(control_schema: str = "reporting") -> str:
    """The audit trail's schema beside a reporting model's control schema."""
    return f"{control_schema}{AUDIT_SUFFIX}"


class AuditEntry(BaseModel):
    """One fact or refusal in a trail (một dòng nhật ký)."""

    event_id: str
    kind: Literal["fact", "refusal"] = Field(
        description="fact: được chấp nhận; refusal: bị từ chối."
    )
    type: str
    occurred_at: datetime
    summary: str = Field(description="Tóm tắt bằng tiếng Việt.")
    source: str = Field(description="Nguồn (CloudEvents source) của bản ghi.")
    producer: str | None = Field(description="Hệ thống đã gửi (với bản ghi bị từ chối: bên gửi).")
    department: str | None
    decided_by: str | None = Field(description="Dịch vụ đã quyết định (chấp nhận hoặc từ chối).")
    causation_id: str | None
    correlation_id: str | None
    original_id: str | None = Field(description="Với bản ghi bị từ chối: mã sự kiện gốc.")
    original_type: str | None
    reasons: list[RejectionReason] = Field(description="Lý do từ chối (tiếng Việt).")
    data: dict[str, Any]
    topic: str
    partition: int
    offset: int


class SubjectTrail(BaseModel):
    """Nhật ký của một đối tượng: mọi sự kiện theo thứ tự."""

    subject_kind: str
    subject_id: str
    department: str | None
    entries: list[AuditEntry]
    truncated: bool = False
    subjects: list[SubjectRef] = Field(
        default_factory=list, description="Với một sự kiện: các đối tượng nó nêu."
    )


class EventOutcome(BaseModel):
    """Kết quả xử lý một sự kiện đã gửi."""

    event_id: str
    department_code: str
    status: Literal["pending", "accepted", "refused"] = Field(
        description="pending: chưa có kết quả; accepted: đã chấp nhận; refused: bị từ chối."
    )
    message: str = Field(description="Kết quả bằng tiếng Việt.")
    facts: list[AuditEntry] = Field(
        default_factory=list, description="Các sự kiện đã phát sinh từ sự kiện này."
    )
    refusals: list[AuditEntry] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list)
    reasons: list[RejectionReason] = Field(default_factory=list)


COLUMNS = """e.event_id, e.kind, e.type, e.occurred_at, e.summary, e.source, e.producer,
    e.department, e.decided_by, e.causation_id, e.correlation_id, e.original_id,
    e.original_type, e.reasons, e.data, e.topic, e.kafka_partition, e.kafka_offset"""
ORDER = "e.occurred_at, e.topic, e.kafka_partition, e.kafka_offset"


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        event_id=row["event_id"],
        kind=row["kind"],
        type=row["type"],
        occurred_at=row["occurred_at"],
        summary=row["summary"],
        source=row["source"],
        producer=row["producer"],
        department=row["department"],
        decided_by=row["decided_by"],
        causation_id=row["causation_id"],
        correlation_id=row["correlation_id"],
        original_id=row["original_id"],
        original_type=row["original_type"],
        reasons=json.loads(row["reasons"]) if row["reasons"] else [],
        data=json.loads(row["data"]),
        topic=row["topic"],
        partition=row["kafka_partition"],
        offset=row["kafka_offset"],
    )


async def subject_place(conn: Conn, kind: str, subject_id: str) -> Place | None:
    """Where a subject sits: the department of its first accepted fact (else of its first
    refusal), and that department's province and ministry; None if the trail never names it."""
    row = await conn.fetchrow(
        f"""SELECT e.department FROM audit_subjects s JOIN audit_events e USING (event_id)
            WHERE s.subject_kind = $1 AND s.subject_id = $2
            ORDER BY e.department IS NULL, e.kind <> 'fact', {ORDER} LIMIT 1""",
        kind,
        subject_id,
    )
    if row is None:
        return None
    department = subject_id if kind == "department" else row["department"]
    return await placed_in(conn, kind, subject_id, department)


async def placed_in(conn: Conn, kind: str, scope_id: str, department: str | None) -> Place:
    """A scope of ``department``, with the province and ministry the trail knows it in (None
    for a department whose registration it has not read)."""
    placed = await conn.fetchrow(
        "SELECT province_id, ministry_id FROM audit_departments WHERE department_code = $1",
        department,
    )
    return Place(
        kind,
        scope_id,
        department=department,
        province=placed["province_id"] if placed else None,
        ministry=placed["ministry_id"] if placed else None,
    )


async def subject_trail(
    conn: Conn, kind: str, subject_id: str, place: Place | None = None
) -> SubjectTrail | None:
    """Every fact and refusal naming the subject, oldest first; None if none does."""
    place = place or await subject_place(conn, kind, subject_id)
    if place is None:
        return None
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} FROM audit_subjects s JOIN audit_events e USING (event_id)
            WHERE s.subject_kind = $1 AND s.subject_id = $2
            ORDER BY {ORDER} LIMIT $3""",
        kind,
        subject_id,
        MAX_TRAIL + 1,
    )
    return SubjectTrail(
        subject_kind=kind,
        subject_id=subject_id,
        department=place.department,
        entries=[_entry(r) for r in rows[:MAX_TRAIL]],
        truncated=len(rows) > MAX_TRAIL,
    )


async def event_trail(conn: Conn, event_id: str) -> SubjectTrail | None:
    """One recorded event, then the facts it caused (directly), as a trail whose subject is the
    event; its ``subjects`` are those the event names. None if the trail has no such event."""
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} FROM audit_events e
            WHERE e.event_id = $1 OR (e.causation_id = $1 AND e.kind = 'fact')
            ORDER BY e.event_id <> $1, {ORDER} LIMIT $2""",
        event_id,
        MAX_TRAIL,
    )
    if not rows or rows[0]["event_id"] != event_id:
        return None
    named = await conn.fetch(
        """SELECT subject_kind, subject_id FROM audit_subjects WHERE event_id = $1
           ORDER BY subject_kind, subject_id""",
        event_id,
    )
    return SubjectTrail(
        subject_kind="event",
        subject_id=event_id,
        department=rows[0]["department"],
        entries=[_entry(r) for r in rows],
        subjects=[SubjectRef.model_validate({"kind": r[0], "id": r[1]}) for r in named],
    )


async def event_outcome(conn: Conn, department_code: str, event_id: str) -> EventOutcome:
    """What became of the event ``event_id`` that ``department_code`` sent: ``refused`` if a
    service refused it (a refusal on that department's topic naming it), ``accepted`` with the
    facts it caused (by causation id, across services, and the facts those caused, up to
    ``MAX_DEPTH`` steps; the first step's facts must concern that department, as the kernel's
    department rule makes them, except for a board, whose facts place other departments),
    else ``pending`` (nothing recorded yet; an event that was a
    repeat of a known fact and changed nothing stays pending too)."""
    refused = await conn.fetch(
        f"""SELECT {COLUMNS} FROM audit_events e
            WHERE e.original_id = $1 AND e.kind = 'refusal' AND e.department = $2
            ORDER BY {ORDER}""",
        event_id,
        department_code,
    )
    if refused:
        refusals = [_entry(r) for r in refused]
        reasons = [reason for r in refusals for reason in r.reasons]
        return EventOutcome(
            event_id=event_id,
            department_code=department_code,
            status="refused",
            message=f"Sự kiện '{event_id}' bị từ chối: " + "; ".join(r.message for r in reasons),
            refusals=refusals,
            codes=[r.code for r in reasons],
            reasons=reasons,
        )
    caused = await conn.fetch(
        f"""WITH RECURSIVE caused(event_id, depth) AS (
                SELECT e.event_id, 1 FROM audit_events e
                WHERE e.causation_id = $1 AND e.kind = 'fact'
                  AND (e.department = $2 OR $5)
              UNION
                SELECT e.event_id, c.depth + 1 FROM caused c
                JOIN audit_events e ON e.causation_id = c.event_id AND e.kind = 'fact'
                WHERE c.depth < $3
            )
            SELECT {COLUMNS} FROM audit_events e
            WHERE e.event_id IN (SELECT event_id FROM caused)
            ORDER BY {ORDER} LIMIT $4""",
        event_id,
        department_code,
        MAX_DEPTH,
        MAX_CAUSED,
        topics.is_board(department_code),
    )
    if caused:
        facts = [_entry(r) for r in caused]
        return EventOutcome(
            event_id=event_id,
            department_code=department_code,
            status="accepted",
            message=f"Sự kiện '{event_id}' đã được chấp nhận: {len(facts)} sự kiện phát sinh.",
            facts=facts,
        )
    return pending_outcome(department_code, event_id)


def pending_outcome(department_code: str, event_id: str) -> EventOutcome:
    """Nothing recorded yet about the event."""
    return EventOutcome(
        event_id=event_id,
        department_code=department_code,
        status="pending",
        message=f"Chưa có kết quả xử lý sự kiện '{event_id}' của Sở '{department_code}'.",
    )
