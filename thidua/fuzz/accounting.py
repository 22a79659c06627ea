"""What became of each offset, and how it differs from what was expected.

The evidence: the refusals published on the rejections topic (each names the topic, partition
and offset it refuses), the services' inbox rows (an accepted or ignored input, at its
offset), the facts published on the events topics (by ``causationid``). An offset ends as
exactly one of: refused once, accepted (with facts), ignored (no fact), or a duplicate (its id
was recorded at an earlier offset, and it left no trace of its own). Anything else (refused
twice, refused and accepted, nothing at all) is a difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from thidua.fuzz.cases import ACCEPTED, DUPLICATE, IGNORED, REJECTED, Case


@dataclass(frozen=True)
class InboxRow:
    event_id: str
    position: str
    outcome: str


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    differences: list[str] = field(default_factory=list)


def account(
    cases: Sequence[Case],
    rejections: Iterable[Mapping[str, Any]],
    inbox: Iterable[InboxRow],
    facts: Mapping[str, int],
) -> Tally:
    """Match every sent case to its one outcome; ``rejections`` are InputRejected payloads,
    ``facts`` the number of facts published per causing event id."""
    refused: dict[str, list[Mapping[str, Any]]] = {}
    for r in rejections:
        refused.setdefault(f"{r['topic']}/{r['partition']}/{r['offset']}", []).append(r)
    rows = {row.position: row for row in inbox}
    first_seen: dict[str, str] = {row.event_id: row.position for row in rows.values()}
    tally = Tally()
    sent = {c.position for c in cases}
    for case in cases:
        assert case.position is not None
        tally.kinds[case.kind] += 1
        outcome, codes = _outcome(case, refused.get(case.position, []), rows, first_seen, facts)
        tally.outcomes[outcome] += 1
        tally.reasons.update(codes)
        problem = _compare(case, outcome, codes)
        if problem:
            tally.differences.append(f"{case.kind} at {case.position}: {problem}")
    for position in sorted(set(refused) - sent):
        tally.differences.append(f"a refusal of {position}, which the run did not send")
    return tally


def _outcome(
    case: Case,
    refusals: list[Mapping[str, Any]],
    rows: Mapping[str, InboxRow],
    first_seen: Mapping[str, str],
    facts: Mapping[str, int],
) -> tuple[str, list[str]]:
    assert case.position is not None
    row = rows.get(case.position)
    codes = [reason["code"] for r in refusals for reason in r["reasons"]]
    if len(refusals) > 1:
        return f"refused {len(refusals)} times", codes
    if refusals:
        if row is not None and row.outcome != REJECTED:
            return f"refused and {row.outcome}", codes
        return REJECTED, codes
    if row is not None:
        if row.outcome == ACCEPTED:
            return (ACCEPTED if facts.get(row.event_id, 0) > 0 else "accepted, no fact"), []
        if row.outcome == IGNORED:
            return (IGNORED if facts.get(row.event_id, 0) == 0 else "ignored, with facts"), []
        return "rejected in the inbox, no refusal published", []
    earlier = first_seen.get(case.event_id or "")
    if earlier is not None and _before(earlier, case.position):
        return DUPLICATE, []
    return "no outcome", []


def _before(a: str, b: str) -> bool:
    (topic_a, part_a, off_a), (topic_b, part_b, off_b) = a.rsplit("/", 2), b.rsplit("/", 2)
    return (topic_a, part_a) == (topic_b, part_b) and int(off_a) < int(off_b)


def _compare(case: Case, outcome: str, codes: list[str]) -> str | None:
    expect = case.expect
    if outcome != expect.outcome:
        return f"expected {expect.outcome}, got {outcome} {sorted(set(codes))}"
    if outcome == REJECTED and (not codes or not set(codes) <= expect.codes):
        return f"refused with {sorted(set(codes))}, expected codes among {sorted(expect.codes)}"
    return None


__all__ = ["ACCEPTED", "DUPLICATE", "IGNORED", "REJECTED", "InboxRow", "Tally", "account"]
