"""The fuzz run's account of offsets: each ends as exactly one outcome, and anything else is
reported as a difference."""

from __future__ import annotations

from typing import Any

from thidua.fuzz.accounting import InboxRow, account
from thidua.fuzz.cases import ACCEPTED, DUPLICATE, IGNORED, Case, Expect, refused

TOPIC = "thidua.ingress.x"


def case(offset: int, expect: Expect, event_id: str | None = None) -> Case:
    return Case("k", "x", b"", expect, event_id=event_id, position=f"{TOPIC}/0/{offset}")


def refusal(offset: int, *codes: str) -> dict[str, Any]:
    return {
        "topic": TOPIC,
        "partition": 0,
        "offset": offset,
        "reasons": [{"code": c} for c in codes],
    }


def test_each_offset_ends_as_its_expected_outcome() -> None:
    cases = [
        case(0, Expect(ACCEPTED), "a"),
        case(1, refused("envelope.invalid")),
        case(2, Expect(DUPLICATE), "a"),
        case(3, Expect(IGNORED), "b"),
    ]
    rows = [InboxRow("a", f"{TOPIC}/0/0", "accepted"), InboxRow("b", f"{TOPIC}/0/3", "ignored")]
    tally = account(cases, [refusal(1, "envelope.invalid")], rows, {"a": 1})
    assert tally.differences == []
    assert tally.outcomes == {"accepted": 1, "rejected": 1, "duplicate": 1, "ignored": 1}


def test_a_double_refusal_a_wrong_reason_a_lost_record_and_a_stray_refusal_differ() -> None:
    cases = [
        case(0, refused("envelope.unknown_type")),
        case(1, refused("envelope.invalid")),
        case(2, Expect(ACCEPTED), "c"),
        case(3, Expect(ACCEPTED), "d"),
    ]
    refusals = [
        refusal(0, "envelope.unknown_type"),
        refusal(0, "envelope.unknown_type"),
        refusal(1, "data.invalid"),
        refusal(9, "envelope.invalid"),
    ]
    rows = [InboxRow("d", f"{TOPIC}/0/3", "accepted")]
    tally = account(cases, refusals, rows, {})
    assert tally.differences == [
        f"k at {TOPIC}/0/0: expected rejected, got refused 2 times ['envelope.unknown_type']",
        f"k at {TOPIC}/0/1: refused with ['data.invalid'], expected codes among"
        " ['envelope.invalid']",
        f"k at {TOPIC}/0/2: expected accepted, got no outcome []",
        f"k at {TOPIC}/0/3: expected accepted, got accepted, no fact []",
        f"a refusal of {TOPIC}/0/9, which the run did not send",
    ]
