"""Dead letters as text an operator can trust: nothing of a record reaches the terminal
unescaped (a header or body may hold control characters, escape sequences, invalid UTF-8)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from thidua.dlq.operations import Entry, Result
from thidua.es.dlq import DeadLetter

BODY_BYTES_SHOWN = 4096
REASON_CHARS = 160


def safe(text: str) -> str:
    """``text`` with every non-printable character escaped (``\\x1b``, ``\\n``, ``\\u2028``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def raw(value: bytes | None) -> str:
    """Bytes shown as text if they are UTF-8, else as a byte string literal."""
    if value is None:
        return "(none)"
    try:
        return safe(value.decode("utf-8"))
    except UnicodeDecodeError:
        shown = repr(value[:64]) + (" …" if len(value) > 64 else "")
        return f"<{len(value)} bytes, not UTF-8> {shown}"


def when(moment: datetime) -> str:
    return f"{moment.astimezone():%d/%m/%Y %H:%M:%S}"


def _reason(d: DeadLetter, limit: int | None = REASON_CHARS) -> str:
    error = safe(d.error or "")
    if limit is not None and len(error) > limit:
        error = error[: limit - 1] + "…"
    attempts = f" after {d.attempts} attempts" if d.attempts else ""
    return f"{safe(d.error_type or 'unknown error')}{attempts}: {error}"


def _status(entry: Entry) -> str:
    r = entry.replay
    if r is None:
        return entry.status
    if r.confirmed and r.replayed_at is not None:
        return f"replayed {when(r.replayed_at)} to {r.target} by {safe(r.operator)}"
    return (
        f"replay claimed {when(r.claimed_at)} by {safe(r.operator)}, not confirmed"
        " (check the topic; --again replays it)"
    )


def _event(d: DeadLetter) -> str:
    if d.relay_position is not None:
        return f"{safe(d.event_type or '?')} at store position {d.relay_position}"
    if d.event_id is None and d.event_type is None:
        return "(not a readable CloudEvent)"
    return f"{safe(d.event_type or '?')} id {safe(d.event_id or '?')}"


def _origin(d: DeadLetter) -> str:
    if d.relay_position is not None:
        return f"{safe(d.service)}'s outbox relay (the event was refused by Kafka)"
    return safe(d.original or "(unknown)")


def block(entry: Entry) -> list[str]:
    """One dead letter in ``thidua dlq list``."""
    d = entry.dead
    return [
        f"{safe(d.ref)}  {safe(d.service)}  {when(entry.dead_lettered_at)}  {_status(entry)}",
        f"  from    {_origin(d)}",
        f"  event   {_event(d)}",
        f"  reason  {_reason(d)}",
    ]


def as_json(entry: Entry) -> dict[str, Any]:
    d = entry.dead
    r = entry.replay
    return {
        "ref": d.ref,
        "service": d.service,
        "dead_lettered_at": entry.dead_lettered_at.isoformat(),
        "original": d.original,
        "key": raw(d.key),
        "event_id": d.event_id,
        "event_type": d.event_type,
        "error_type": d.error_type,
        "error": d.error,
        "attempts": d.attempts,
        "relay_position": d.relay_position,
        "replay_of": d.replay_of,
        "status": entry.status,
        "replayed_to": r.target if r is not None and r.confirmed else None,
    }


def _body(value: bytes) -> list[str]:
    if not value:
        return ["body (empty)"]
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        shown = value[:BODY_BYTES_SHOWN]
        lines = [f"body ({len(value)} bytes, not UTF-8; hex):"]
        lines += [f"  {shown[i : i + 16].hex(' ')}" for i in range(0, len(shown), 16)]
        if len(value) > len(shown):
            lines.append(f"  … {len(value) - len(shown)} more bytes (--raw writes them all)")
        return lines
    try:
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        kind = "JSON"
    except (ValueError, RecursionError):
        kind = "text, not JSON"
    return [
        f"body ({len(value)} bytes, {kind}):",
        *(f"  {safe(line)}" for line in text.split("\n")),
    ]


def detail(entry: Entry) -> list[str]:
    """Everything about one dead letter, for ``thidua dlq show``."""
    d = entry.dead
    lines = [
        f"dead letter    {safe(d.ref)} (service {safe(d.service)})",
        f"dead-lettered  {when(entry.dead_lettered_at)}",
        f"from           {_origin(d)}",
        f"key            {raw(d.key)}",
        f"event          {_event(d)}",
        f"reason         {_reason(d, limit=None)}",
        f"status         {_status(entry)}",
    ]
    if d.replay_of:
        lines.append(f"replay of      {safe(d.replay_of)}")
    own = d.original_headers
    lines.append(f"headers ({len(own)} of the record's own):")
    lines += [f"  {safe(k)}: {raw(v)}" for k, v in own] or ["  (none)"]
    return [*lines, *_body(d.value)]


def result(r: Result) -> str:
    ref = safe(r.entry.dead.ref)
    if r.outcome == "replayed":
        return f"replayed {ref} -> {safe(r.detail)}"
    return f"{r.outcome} {ref}: {safe(r.detail)}"
