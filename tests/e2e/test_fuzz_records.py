"""The fuzz run of Kafka records (issue 13, section 7) at a size for the suite: hostile
records generated from the committed schemas and mutated, mixed with valid traffic, on two
departments' ingress topics, sent to the service processes the e2e package runs under their
supervisor. Each hostile record is refused exactly once with the expected reason, valid
traffic is accepted (or, as expected, ignored or recognised as a duplicate), nothing reaches a
DLQ, no service process restarts or stops being ready, and every consumer group ends with no
lag. ``thidua fuzz --records 10000`` runs the full size."""

from __future__ import annotations

import pytest

from thidua.fuzz.run import SERVICES, Options, fuzz
from thidua.settings import StackSettings

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(600)
async def test_hostile_records_are_refused_once_and_valid_traffic_accepted(
    services: StackSettings,
) -> None:
    report = await fuzz(services, Options(records=2_000, seed=2026, timeout=300))
    print("\n".join(report.lines()))
    assert report.differences == []
    outcomes = report.tally.outcomes
    assert report.sent == 2_000
    assert report.hostile >= 1_200
    assert outcomes["rejected"] == report.hostile
    assert outcomes["accepted"] > 300
    assert outcomes["ignored"] > 0 and outcomes["duplicate"] > 0
    assert (report.lag, report.dead_letters, report.not_ready) == (0, 0, 0)
    assert report.restarts == 0 and report.processes >= len(SERVICES)
    # Every family of hostile record was in the run, and each reason was given.
    kinds = {k.split("/")[1] for k in report.tally.kinds if k.startswith("hostile/")}
    assert {
        "not-utf8-body",
        "binary-lone-surrogate",
        "header-key-not-utf8",
        "deep-nesting",
        "schema-wrong-type",
        "schema-unknown-type",
        "not-submittable",
        "same-id-other-content",
        "left-before-joined",
    } <= kinds
    assert {
        "envelope.invalid",
        "envelope.too_large",
        "data.invalid",
        "envelope.unknown_type",
        "envelope.not_submittable",
        "producer.foreign_department",
        "envelope.duplicate_id_conflict",
        "directory.unknown_person",
    } <= set(report.tally.reasons)
