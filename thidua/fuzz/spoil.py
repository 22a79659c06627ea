"""Hostile records made by spoiling a valid event on the wire, in the ways a department's
system might: bytes, headers and header keys that are not UTF-8, content types that lie, binary-mode
attributes out of bounds, sizes, NUL, nesting, values that are not JSON."""

from __future__ import annotations

import json
import random
from typing import Any

from contracts.envelope import CloudEvent
from contracts.rejections import GenericReason
from thidua.es.intake import MAX_ENVELOPE_BYTES
from thidua.es.records import KEY_ERRORS
from thidua.fuzz.cases import INVALID, TOO_LARGE, Case, Expect, Headers, binary, dumps, refused


def spoiled(department: str, event: CloudEvent, rng: random.Random) -> Case:
    """A valid event spoilt on the wire in one of the ways a department's system might."""
    document = json.loads(event.to_json())
    text = event.to_json()
    kind = rng.choice(SPOILERS)
    value, headers, expect = _spoil(kind, document, text, rng)
    return Case(f"hostile/{kind}", department, value, expect, headers, event.id)


SPOILERS = (
    "not-utf8-body",
    "not-utf8-ce-header",
    "not-utf8-content-type",
    "content-type-lies-structured",
    "content-type-says-structured",
    "binary-not-json-type",
    "binary-value-not-json",
    "binary-bad-attribute",
    "binary-lone-surrogate",
    "long-header-name",
    "header-key-not-utf8",
    "oversize-field",
    "nul-in-field",
    "nul-in-header",
    "nul-in-key",
    "deep-nesting",
    "deep-nesting-binary",
    "not-json",
    "envelope-attribute-wrong",
)


def _spoil(
    kind: str, document: dict[str, Any], text: bytes, rng: random.Random
) -> tuple[bytes, Headers, Expect]:
    data = document["data"]
    if kind == "not-utf8-body":
        at = rng.randrange(1, len(text) - 1)
        return (
            text[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80"]) + text[at:],
            [],
            refused(*INVALID),
        )
    if kind == "not-utf8-ce-header":
        value, headers = binary(document)
        at = rng.randrange(len(headers) - 1)
        headers[at] = (headers[at][0], b"\xff\xfe" + headers[at][1])
        return value, headers, refused(*INVALID)
    if kind == "not-utf8-content-type":
        return text, [("content-type", b"application/\xff\xfejson")], refused(*INVALID)
    if kind == "content-type-lies-structured":
        lie = rng.choice(
            [
                b"text/plain",
                b"application/xml",
                b"application/octet-stream",
                b"application/cloudevents-batch+json",
                b"application/avro",
            ]
        )
        return text, [("content-type", lie)], refused(*INVALID)
    if kind == "content-type-says-structured":
        value, headers = binary(document)
        headers[-1] = ("content-type", b"application/cloudevents+json; charset=utf-8")
        return value, headers, refused(*INVALID)
    if kind == "binary-not-json-type":
        value, headers = binary(document)
        headers[-1] = ("content-type", rng.choice([b"application/xml", b"text/csv", b"x" * 5000]))
        return value, headers, refused(*INVALID)
    if kind == "binary-value-not-json":
        _, headers = binary(document)
        return b"<person><name>A</name></person>", headers, refused(*INVALID)
    if kind == "binary-bad-attribute":
        name, bad = rng.choice(BAD_ATTRIBUTES)
        value, headers = binary({k: v for k, v in document.items() if k != name})
        if bad is not None:
            headers.insert(0, (f"ce_{name}", bad))
        return value, headers, refused(*INVALID)
    if kind == "binary-lone-surrogate":
        value, headers = binary(document)
        value = value.replace(b'"full_name": "', b'"full_name": "\\ud800', 1)
        return value, headers, refused(*INVALID)
    if kind == "long-header-name":
        value, headers = binary(document)
        headers.insert(0, ("ce_" + "x" * rng.choice([400, 5000]), b"\xff"))
        return value, headers, refused(*INVALID)
    if kind == "header-key-not-utf8":
        # Only kcat can write it (thidua.fuzz.run sends such a case through kcat).
        value, headers = binary(document) if rng.random() < 0.5 else (text, [])
        raw = rng.choice([b"x\xff\xfe", b"\xc3\x28", b"ce_\xed\xa0\x80", b"\x80"])
        headers.insert(rng.randrange(len(headers) + 1), (raw.decode("utf-8", KEY_ERRORS), b"v"))
        return value, headers, refused(*INVALID)
    if kind == "oversize-field":
        if rng.random() < 0.2:
            data["full_name"] = "A" * (MAX_ENVELOPE_BYTES + 1000)
            return dumps(document), [], refused(*TOO_LARGE)
        data["full_name"] = "Nguyễn " * rng.choice([60, 1000, 20000])
        return dumps(document), [], refused(GenericReason.DATA_INVALID.value)
    if kind == "nul-in-field":
        field_name = rng.choice(["full_name", "position", "unit_id"])
        data[field_name] = str(data[field_name])[:3] + "\x00" + str(data[field_name])[3:]
        return dumps(document), [], refused(*INVALID)
    if kind == "nul-in-header":
        value, headers = binary(document)
        at = rng.randrange(len(headers) - 1)
        headers[at] = (headers[at][0], headers[at][1] + b"\x00")
        return value, headers, refused(*INVALID)
    if kind == "nul-in-key":
        data["ghi\x00chu"] = "x"
        return dumps(document), [], refused(*INVALID)
    if kind in ("deep-nesting", "deep-nesting-binary"):
        depth = rng.choice([1000, 5000, 100_000])
        nested = dumps(document).replace(
            b'"data": {', b'"data": {"sau": ' + b"[" * depth + b"]" * depth + b", ", 1
        )
        if kind == "deep-nesting":
            return nested, [], refused(*INVALID)
        _, headers = binary(document)
        return b'{"sau": ' + b"[" * depth + b"]" * depth + b"}", headers, refused(*INVALID)
    if kind == "not-json":
        junk = rng.choice(
            [
                text[: len(text) // 2],
                b"",
                b"null",
                b"[]",
                b"42",
                b'"x"',
                bytes(rng.randrange(256) for _ in range(64)),
            ]
        )
        return junk, [], refused(*INVALID)
    name, wrong = rng.choice(WRONG_ATTRIBUTES)
    if wrong is None:
        document.pop(name)
    else:
        document[name] = wrong
    return dumps(document), [], refused(*INVALID)


BAD_ATTRIBUTES: list[tuple[str, bytes | None]] = [
    ("specversion", b"0.3"),
    ("specversion", b"2.0"),
    ("time", b"yesterday"),
    ("time", b"2018-13-45T00:00:00Z"),
    ("time", b"2018-01-01T00:00:00"),  # no time zone
    ("id", b""),
    ("id", b"i" * 201),
    ("id", None),
    ("type", b""),
    ("source", None),
    ("traceparent", b"0" * 600),
    ("department", b"d" * 51),
]

WRONG_ATTRIBUTES: list[tuple[str, Any]] = [
    ("id", None),
    ("id", 42),
    ("id", ""),
    ("type", None),
    ("type", ["vn.thidua.registration.PersonJoined.v1"]),
    ("source", {"url": "x"}),
    ("specversion", "1.1"),
    ("time", "2018-02-30T00:00:00Z"),
    ("data", None),
    ("data", "not an object"),
    ("data", [1, 2, 3]),
    ("subject", 7),
    ("datacontenttype", "application/xml"),
    ("correlationid", "c" * 201),
]
