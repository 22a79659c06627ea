"""CloudEvents over HTTP (the HTTP protocol binding 1.0) read into the records the ingress
reads, then admitted by the kernel's own checks (``thidua.es.admission``): no second validator.

- **binary**: attributes in ``ce-<name>`` headers (percent-encoded, §3.1.3.2), the body is the
  data, ``Content-Type`` its ``datacontenttype``; read as a Kafka record in binary mode
  (``ce_<name>`` headers);
- **structured**: ``Content-Type: application/cloudevents+json``, the body is the envelope;
- **batch**: ``Content-Type: application/cloudevents-batch+json``, the body a JSON array of
  structured envelopes, each read as one structured record.

A batch is all or nothing: if any event is refused, none is published, and the refusal lists
each bad event's index with its reasons (a department resends the corrected batch whole, with
the same ids; the services take a repeated id with the same content as a duplicate)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from pydantic_core import from_json

from contracts import topics
from contracts.envelope import CloudEvent
from thidua.es.admission import admit
from thidua.es.intake import MAX_ENVELOPE_BYTES, STRUCTURED_CONTENT_TYPE, Incoming
from thidua.es.rejections import Reason, Refused

BATCH_CONTENT_TYPE = "application/cloudevents-batch+json"
MAX_ID = 200
"""The longest id a refusal quotes back (the envelope's own bound)."""
HTTP_PREFIX = "ce-"
MAX_BATCH_EVENTS = 1000
"""The most events one batch request may carry."""
MAX_BATCH_BYTES = 8 * 1024 * 1024
"""The largest batch body; a single event's limit is the ingress's (``MAX_ENVELOPE_BYTES``)."""
MAX_HEADERS_BYTES = 64 * 1024
"""What ``ce-`` headers may add to a binary event (the HTTP server bounds them anyway)."""


class Unreadable(Exception):
    """The request is not CloudEvents in any mode the door takes: a status and a code."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Admitted:
    """What a request carried: its events in order, or the refusals of the bad ones."""

    events: list[CloudEvent] = field(default_factory=list)
    refusals: dict[int, list[Reason]] = field(default_factory=dict)
    ids: dict[int, str] = field(default_factory=dict)
    """The id each refused event claims, where one can be read."""


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def body_limit(content_type: str | None) -> int:
    """The largest body a request of this content type may have."""
    if media_type(content_type) == BATCH_CONTENT_TYPE:
        return MAX_BATCH_BYTES
    return MAX_ENVELOPE_BYTES + MAX_HEADERS_BYTES


def read_request(
    code: str, headers: Sequence[tuple[bytes, bytes]], content_type: str | None, body: bytes
) -> Admitted:
    """The events of one request to ``code``'s door, each admitted as if it had arrived on
    ``thidua.ingress.<code>``; :class:`Unreadable` if the request is in no CloudEvents mode."""
    topic = topics.ingress(code)
    kind = media_type(content_type)
    if kind == BATCH_CONTENT_TYPE:
        records = [_record(topic, i, value) for i, value in enumerate(_batch(body))]
    elif kind == STRUCTURED_CONTENT_TYPE:
        records = [_record(topic, 0, body, content_type)]
    elif any(name.lower() == b"ce-specversion" for name, _ in headers):
        records = [_binary(topic, headers, content_type, body)]
    else:
        raise Unreadable(
            415,
            "door.unsupported_content",
            f"Kiểu nội dung '{kind or '(không có)'}' không phải CloudEvents: gửi ở chế độ"
            f" binary (tiêu đề ce-…), structured ({STRUCTURED_CONTENT_TYPE})"
            f" hoặc batch ({BATCH_CONTENT_TYPE}).",
        )
    admitted = Admitted()
    for index, record in enumerate(records):
        try:
            event, _ = admit(record)
        except Refused as refused:
            admitted.refusals[index] = refused.reasons
            claimed = _claimed_id(record)
            if claimed is not None:
                admitted.ids[index] = claimed
        else:
            admitted.events.append(event)
    return admitted


def _claimed_id(record: Incoming) -> str | None:
    """The id a refused record says it has (its ``ce_id``, or its envelope's ``id``), so the
    refusal can name it; None if it says none that reads as text."""
    try:
        raw = record.header("ce_id")
        if raw is not None:
            claimed: object = raw.decode()
        else:
            envelope = from_json(record.value, allow_inf_nan=False)
            claimed = envelope.get("id") if isinstance(envelope, dict) else None
    except ValueError:  # not UTF-8, not JSON
        return None
    if isinstance(claimed, str) and 0 < len(claimed) <= MAX_ID and claimed.isprintable():
        return claimed
    return None


def _record(topic: str, index: int, value: bytes, content_type: str | None = None) -> Incoming:
    headers = [("content-type", (content_type or STRUCTURED_CONTENT_TYPE).encode())]
    return Incoming(topic, 0, index, None, value, headers)


def _batch(body: bytes) -> list[bytes]:
    """Each element of a batch body as a structured envelope's bytes."""
    try:
        elements = from_json(body, allow_inf_nan=False)
    except ValueError as exc:
        raise Unreadable(
            400, "door.batch_unreadable", f"Nội dung lô không phải JSON hợp lệ: {str(exc)[:80]}"
        ) from None
    if not isinstance(elements, list):
        raise Unreadable(400, "door.batch_unreadable", "Nội dung lô phải là một mảng JSON.")
    if not elements:
        raise Unreadable(422, "door.batch_empty", "Lô không có sự kiện nào.")
    if len(elements) > MAX_BATCH_EVENTS:
        raise Unreadable(
            413,
            "door.batch_too_large",
            f"Lô có {len(elements)} sự kiện, vượt giới hạn {MAX_BATCH_EVENTS} sự kiện một lần gửi.",
        )
    # Each element again as JSON text, for the ingress's own reader (its limits included).
    return [json.dumps(e, ensure_ascii=False, allow_nan=False).encode() for e in elements]


def _binary(
    topic: str, headers: Sequence[tuple[bytes, bytes]], content_type: str | None, body: bytes
) -> Incoming:
    """Binary mode: ``ce-<name>`` headers, percent-decoded, as the Kafka binding's
    ``ce_<name>`` headers (the kernel refuses values that are not UTF-8)."""
    attributes: list[tuple[str, bytes]] = []
    for name, value in headers:
        lowered = name.decode("latin-1").lower()
        if lowered.startswith(HTTP_PREFIX):
            attributes.append(("ce_" + lowered[len(HTTP_PREFIX) :], unquote_to_bytes(value)))
    if content_type is not None:
        attributes.append(("content-type", content_type.encode()))
    return Incoming(topic, 0, 0, None, body, attributes)
