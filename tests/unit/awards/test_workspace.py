"""Folded streams reused between decisions, and the read copy's statements per fact."""

from __future__ import annotations

import gc
from datetime import date

from contracts.awards import AwardRevoked
from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined, UnitMerged
from services.awards import aggregates as agg
from services.awards.readmodels import registration as rc
from services.awards.workspace import Folds, require
from tests.unit.awards.test_decisions import _approved
from thidua.es.decider import Command, Missing, StreamView
from thidua.es.intake import Incoming
from thidua.es.store import Stream


def _stream(stream_id: str, *facts: object) -> Stream:
    events = [CloudEvent.new(f, source="urn:test") for f in facts]  # type: ignore[arg-type]
    return Stream(stream_id).extended(events)


def test_a_count_folded_before_is_extended_not_folded_again() -> None:
    folds = Folds()
    first = _stream("claim:quota:d:2018:LDTT", _approved("a"), _approved("b"))
    assert folds.fold(first, agg.QUOTA) == 2
    grown = first.extended([CloudEvent.new(_approved("c"), source="urn:test")])
    assert folds.fold(grown, agg.QUOTA) == 3
    revoked = AwardRevoked(
        nomination_id="x",
        department_code="d",
        decision_number="1/QĐ",
        revoked_on=date(2019, 1, 1),
        reason="r",
    )
    assert folds.fold(grown.extended([CloudEvent.new(revoked, source="urn:test")]), agg.QUOTA) == 2


def test_a_stream_reloaded_with_other_events_is_folded_from_its_start() -> None:
    folds = Folds()
    mine = _stream("claim:quota:d:2018:LDTT", _approved("a"), _approved("b"))
    assert folds.fold(mine, agg.QUOTA) == 2
    theirs = _stream("claim:quota:d:2018:LDTT", _approved("c"))  # another instance's append
    assert folds.fold(theirs, agg.QUOTA) == 1


def test_a_merger_moves_the_units_people_in_the_people_table() -> None:
    merged = UnitMerged.model_validate(
        {"unit_id": "u1", "into_unit_id": "u2", "effective_on": "2018-06-01"}
    )
    assert [(t, s) for t, s, _ in rc.changes(merged)] == [
        (rc.UNITS, rc.UNIT_ENDED),
        (rc.PEOPLE, rc.PEOPLE_MERGED),
    ]
    joined = PersonJoined.model_validate(
        {
            "person_id": "p",
            "department_code": "d",
            "unit_id": "u1",
            "full_name": "A",
            "sex": "female",
            "joined_on": "2012-01-01",
        }
    )
    assert rc.changes(joined)[0][:2] == (rc.PEOPLE, rc.PERSON_JOINED)


def test_what_a_decision_misses_is_raised_without_a_reference_cycle() -> None:
    # Raised for most records of a batch: a cycle (the exception, its traceback, the frame that
    # held it) would keep each decision's objects until the cyclic collector ran.
    event = CloudEvent.new(_approved("a"), source="urn:test")
    cmd = Command(event.payload(), event, Incoming("t", 0, 0, None, b""), None, StreamView({}, {}))

    def ask() -> set[str]:
        try:
            require(cmd, ["nomination:a", "nomination:b"])
        except Missing as missing:
            return missing.stream_ids
        return set()

    gc.collect()
    gc.disable()
    try:
        assert ask() == {"nomination:a", "nomination:b"}
        assert gc.collect() == 0
    finally:
        gc.enable()
