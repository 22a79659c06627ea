"""Reading one Kafka record into a CloudEvent, or into the reasons it cannot be one.

Every record is read from its raw bytes here and nowhere else: no framework parser sees the
headers or the value first, so nothing can be dropped before a refusal is possible. Both
content modes of the CloudEvents Kafka protocol binding are read, as the official SDKs write
them:

- **structured**: the whole envelope is the JSON value (``content-type:
  application/cloudevents+json``, ``application/json``, or no content type at all, as this
  project's own producers and ``kcat`` users write); a record that says its value is anything
  else (``text/plain``, ``application/xml``…) is refused, even if the value reads as an envelope;
- **binary**: the attributes are ``ce_<name>`` headers (UTF-8 strings), the value is the data
  and the ``content-type`` header is its ``datacontenttype``.

Limits are part of reading: an envelope above ``MAX_ENVELOPE_BYTES``, a string holding NUL
(PostgreSQL cannot store it), nesting deeper than the JSON parser's limit, bytes that are not UTF-8,
a value that is not JSON (in binary mode too: the data is parsed by the same strict parser as an
envelope, which refuses lone UTF-16 surrogates that could not be stored), a header that is not UTF-8
where an attribute is expected, or a header *key* that is not UTF-8 (read by ``thidua.es.records``):
each is refused with a reason, and later records are read as usual. A reason echoes at most
``ECHO_CHARS`` characters of what it quotes (a header's name, a content type), so that the refusal
itself stays within its contract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import ValidationError
from pydantic_core import from_json

from contracts.envelope import CloudEvent
from contracts.rejections import GenericReason
from thidua.es.records import printable_key, undecodable_key
from thidua.es.rejections import Reason, Refused, validation_reasons

MAX_ENVELOPE_BYTES = 256 * 1024
"""The largest record accepted (the envelope, or in binary mode the data plus headers)."""

STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"
BINARY_PREFIX = "ce_"
JSON_CONTENT_TYPES = ("application/json", "text/json")
STRUCTURED_MEDIA_TYPES = (STRUCTURED_CONTENT_TYPE, "application/json")
"""What a structured record's ``content-type`` may say (or it says nothing)."""
ECHO_CHARS = 80
"""The most of a record's own text (a header name, a media type) a reason quotes."""


class Incoming(NamedTuple):
    """One Kafka record as received: nothing decoded yet (a named tuple: every record read
    makes one, and a tuple is made in a third of a frozen dataclass's time)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: Sequence[tuple[str, bytes]] = ()

    @property
    def position(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"

    def header(self, name: str) -> bytes | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None


def _refused(code: str, message: str, field: str | None = None) -> Refused:
    return Refused([Reason(code, message, field)])


def read_event(incoming: Incoming, *, limit: int = MAX_ENVELOPE_BYTES) -> CloudEvent:
    """The record's CloudEvent; raises :class:`Refused` with the reasons it is not one."""
    headers = _Headers.of(incoming)
    if headers.size > limit:
        raise _refused(
            GenericReason.TOO_LARGE,
            f"Bản ghi {headers.size:,} byte vượt giới hạn {limit:,} byte".replace(",", "."),
        )
    if headers.bad_key is not None:
        shown = _echo(printable_key(headers.bad_key))
        raise _refused(
            GenericReason.ENVELOPE_INVALID,
            f"Tên tiêu đề '{shown}' không phải chuỗi UTF-8",
            shown,
        )
    content_type = _content_type(headers.content_type)
    if headers.binary and not (content_type or "").startswith(STRUCTURED_CONTENT_TYPE):
        event = _binary(incoming, content_type)
    else:
        _check_structured(content_type)
        event = _structured(incoming.value)
    if (headers.nul or _may_hold_nul(incoming.value)) and _holds_nul(
        event.model_dump(mode="python")
    ):
        raise _refused(
            GenericReason.ENVELOPE_INVALID,
            "Dữ liệu chứa ký tự NUL (\\u0000), không được chấp nhận",
        )
    return event


@dataclass
class _Headers:
    """What reading needs of a record's headers, found in one pass over them (every record
    of every consumer is read here)."""

    size: int
    """The value's bytes and every header's key and value."""
    bad_key: str | None = None
    """The first header key that is not UTF-8 (see ``thidua.es.records``)."""
    content_type: bytes | None = None
    """The first ``content-type`` header's value."""
    binary: bool = False
    """The first ``ce_specversion`` header has a value: binary content mode."""
    nul: bool = False
    """A ``ce_`` header's value holds a NUL byte."""

    @classmethod
    def of(cls, incoming: Incoming) -> _Headers:
        found = cls(len(incoming.value))
        content_type_seen = specversion_seen = False
        for key, value in incoming.headers:
            found.size += len(key) + (len(value) if value else 0)
            # Kafka's header keys are UTF-8 strings; a key that is not cannot be an attribute
            # nor be written back to Kafka as it is. An ASCII key is UTF-8 (the usual case).
            if found.bad_key is None and not key.isascii() and undecodable_key(key):
                found.bad_key = key
            if key.startswith(BINARY_PREFIX):
                if value and b"\x00" in value:
                    found.nul = True
                if key == "ce_specversion" and not specversion_seen:
                    specversion_seen = True
                    found.binary = value is not None
            elif key == "content-type" and not content_type_seen:
                content_type_seen = True
                found.content_type = value
        return found


def _content_type(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    try:
        return raw.decode().strip().lower()
    except UnicodeDecodeError:
        raise _refused(
            GenericReason.ENVELOPE_INVALID,
            "Tiêu đề 'content-type' không phải chuỗi UTF-8",
            "content-type",
        ) from None


def _echo(text: str) -> str:
    """``text`` as a reason may quote it: at most ``ECHO_CHARS`` characters."""
    return text if len(text) <= ECHO_CHARS else text[: ECHO_CHARS - 1] + "…"


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip()


def _check_structured(content_type: str | None) -> None:
    """A record without ``ce_`` headers whose content type names another media type is not a
    CloudEvent, whatever its value (the content type would lie about it)."""
    if content_type is None or _media_type(content_type) in STRUCTURED_MEDIA_TYPES:
        return
    raise _refused(
        GenericReason.ENVELOPE_INVALID,
        f"Kiểu nội dung '{_echo(_media_type(content_type))}' không phải sự kiện CloudEvents "
        f"dạng JSON ({STRUCTURED_CONTENT_TYPE})",
        "content-type",
    )


def _structured(value: bytes) -> CloudEvent:
    try:
        return CloudEvent.from_json(value)
    except ValidationError as exc:
        raise Refused(validation_reasons(exc, "envelope")) from None


def _binary(incoming: Incoming, content_type: str | None) -> CloudEvent:
    """Binary content mode: attributes from ``ce_`` headers, the value is ``data``."""
    attributes: dict[str, Any] = {}
    for name, raw in incoming.headers:
        if not name.startswith(BINARY_PREFIX):
            continue
        try:
            attributes[name[len(BINARY_PREFIX) :]] = (raw or b"").decode()
        except UnicodeDecodeError:
            raise _refused(
                GenericReason.ENVELOPE_INVALID,
                f"Tiêu đề '{_echo(name)}' không phải chuỗi UTF-8",
                _echo(name[len(BINARY_PREFIX) :]),
            ) from None
    media_type = _media_type(content_type or "application/json")
    if media_type not in JSON_CONTENT_TYPES:
        raise _refused(
            GenericReason.ENVELOPE_INVALID,
            f"Kiểu nội dung '{_echo(media_type)}' không được hỗ trợ: dữ liệu phải là JSON",
            "datacontenttype",
        )
    attributes["datacontenttype"] = "application/json"
    try:
        # The envelope's own parser: bounded nesting, no lone surrogates (json.loads allows
        # both a recursion error and strings that cannot be encoded to UTF-8 again).
        data = from_json(incoming.value, allow_inf_nan=False)
    except ValueError as exc:
        raise _refused(
            GenericReason.ENVELOPE_INVALID,
            f"Dữ liệu không phải JSON hợp lệ: {_echo(str(exc))}",
            "data",
        ) from None
    attributes["data"] = data
    try:
        return CloudEvent.model_validate(attributes)
    except ValidationError as exc:
        raise Refused(validation_reasons(exc, "envelope")) from None


def _may_hold_nul(value: bytes) -> bool:
    """A JSON text can only carry NUL as the escape ``\\u0000`` (or as a raw byte). Most values
    hold no backslash at all, which is the quickest thing to look for."""
    return b"\x00" in value or (b"\\" in value and b"\\u0000" in value)


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False
