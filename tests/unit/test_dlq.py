"""Reading dead letters without trusting them, and choosing which to replay."""

from __future__ import annotations

import json

import pytest

from thidua.dlq import render
from thidua.dlq.operations import Entry, Selection, dlq_topics, parse_ref
from thidua.es import dlq
from thidua.es.intake import Incoming

ORIGINAL = Incoming(
    "thidua.ingress.sct-gl",
    2,
    41,
    b"sct-gl",
    json.dumps({"id": "e-1", "type": "vn.thidua.registration.UnitEstablished.v1"}).encode(),
    (("content-type", b"application/cloudevents+json"), ("x-odd", b"\xff\x1b[2J")),
)


def dead_letter(
    incoming: Incoming = ORIGINAL, headers: dlq.Headers | None = None
) -> dlq.DeadLetter:
    written = dlq.error_headers(incoming, RuntimeError("handler bug\n\x1b[31mred"), 3)
    return dlq.DeadLetter(
        "thidua.awards.dlq",
        1,
        7,
        1_764_547_200_000,
        incoming.key,
        incoming.value,
        tuple(written if headers is None else headers),
    )


def test_a_dead_letter_says_where_it_came_from_and_why() -> None:
    d = dead_letter()
    assert d.ref == "thidua.awards.dlq/1/7"
    assert d.service == "awards"
    assert d.original == "thidua.ingress.sct-gl/2/41"
    assert (d.error_type, d.attempts) == ("RuntimeError", 3)
    assert (d.event_id, d.event_type) == ("e-1", "vn.thidua.registration.UnitEstablished.v1")
    assert d.original_headers == ORIGINAL.headers
    assert d.replayable and d.relay_position is None


def test_a_record_that_brought_reason_headers_of_its_own_keeps_them() -> None:
    """The reason is the last block of headers; what the record carried stays its own."""
    forged = ORIGINAL._replace(headers=((dlq.ORIGINAL_TOPIC, b"elsewhere"),))
    d = dead_letter(forged)
    assert d.original_topic == "thidua.ingress.sct-gl"
    assert d.original_headers == ((dlq.ORIGINAL_TOPIC, b"elsewhere"),)


def test_a_record_nested_too_deep_to_read_is_still_listed() -> None:
    """A value of 50,000 nested brackets (the live projection dead-letters it) is not JSON
    anyone can read here: its dead letter still says where it came from, without an id."""
    deep = ORIGINAL._replace(value=b"[" * 50_000 + b"]" * 50_000)
    d = dead_letter(deep)
    assert d.original == "thidua.ingress.sct-gl/2/41"
    assert (d.event_id, d.event_type) == (None, None)
    assert d.error_type == "RuntimeError"


def test_the_relays_dead_letter_is_told_apart_from_a_consumers_of_a_relayed_record() -> None:
    described = {"position": 12, "stream_id": "unit:x", "type": "T.v1", "error": "too large"}
    relay = dlq.DeadLetter(
        "thidua.registration.dlq",
        0,
        0,
        0,
        b"unit:x",
        json.dumps(described).encode(),
        ((dlq.RELAY_POSITION, b"12"), (dlq.RELAY, b"registration")),
    )
    assert (relay.relay_position, relay.event_type, relay.error) == (12, "T.v1", "too large")
    assert not relay.replayable
    relayed = Incoming(
        "thidua.registration.events", 0, 5, b"k", b"{}", ((dlq.RELAY, b"registration"),)
    )
    assert dead_letter(relayed).relay_position is None
    assert dead_letter(relayed).replayable


def test_nothing_of_a_record_reaches_the_terminal_unescaped() -> None:
    lines = "\n".join(render.detail(Entry(dead_letter(), None)))
    assert "\x1b" not in lines
    assert "x-odd: <5 bytes, not UTF-8> b'\\xff\\x1b[2J'" in lines
    assert "handler bug\\n\\x1b[31mred" in lines
    assert render.safe("Phòng Một\u2028") == "Phòng Một\\u2028"
    binary = render.detail(Entry(dead_letter(ORIGINAL._replace(value=b"\xff" * 20)), None))
    assert "body (20 bytes, not UTF-8; hex):" in binary


def test_refs_name_a_dlq_topic_or_a_service() -> None:
    assert parse_ref("awards/0/3") == "thidua.awards.dlq/0/3"
    assert parse_ref("test.x.alpha.dlq/2/10") == "test.x.alpha.dlq/2/10"
    with pytest.raises(ValueError, match="<dlq topic>/<partition>/<offset>"):
        parse_ref("awards/0")
    assert dlq_topics([], []) == [
        "thidua.registration.dlq",
        "thidua.awards.dlq",
        "thidua.notifications.dlq",
        "thidua.reporting.dlq",
    ]
    assert dlq_topics(["awards"], ["t.dlq"]) == ["t.dlq", "thidua.awards.dlq"]


def test_a_selection_holds_every_condition_given() -> None:
    entry = Entry(dead_letter(), None)
    assert Selection()(entry)
    assert Selection(offsets=(5, 7), partition=1, reason="HANDLER BUG", status="pending")(entry)
    assert not Selection(offsets=(8, 9))(entry)
    assert not Selection(event_id="e-2")(entry)
    assert not Selection(from_topic="thidua.ingress.other")(entry)
    assert not Selection(status="replayed")(entry)
