"""Issue 17 in the scenario: Sở Công Thương Gia Lai reports its 2018 plan's four economic
targets (one first as an estimate, then corrected) and one report in the wrong unit, which
registration refuses; the expectation of the Gia Lai rollup is what was reported against the
plan, summed as reporting sums it."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from contracts import examples
from contracts.base import EventData
from scenarios import build_scenario
from scenarios.economy import ACTUALS, REPORTER
from scenarios.generator import DOSSIERS, ECONOMY
from services.registration.handlers import TABLE, decider
from services.reporting import economy
from thidua.es.memory import MemoryStore, decide
from thidua.es.rejections import Refused

SCENARIO = build_scenario(300)
REGISTRATION_TYPES = {kind.type_name() for kind, _, _ in TABLE}


def _registration_decisions() -> tuple[list[EventData], Counter[str]]:
    """Every registration fact of the scenario decided in order on the table, in memory: the
    economic results accepted, and the codes of the refusals of the last phase."""
    store, refused, accepted = MemoryStore(), Counter[str](), []
    table = decider()
    for phase in SCENARIO.phases:
        for s in phase.submissions:
            if s.event.type not in REGISTRATION_TYPES:
                continue
            try:
                facts = decide(table, store, s.event, department=s.department)
            except Refused as refusal:
                if phase.name == ECONOMY:
                    refused.update(r.code for r in refusal.reasons)
                continue
            accepted += [f for _, f in facts if type(f).__name__.startswith("Economic")]
    return accepted, refused


def test_the_reports_come_after_every_earlier_phase_and_the_bench_year_has_none() -> None:
    names = [p.name for p in SCENARIO.phases]
    assert names.index(ECONOMY) > names.index("Tiếp nhận đơn vị, phong trào năm 2026")
    main = SCENARIO.main_year()
    assert [p.name for p in main.phases][-1] == DOSSIERS
    assert main.expectation.figures()["economy"] == []


def test_four_results_are_accepted_one_corrected_and_the_wrong_unit_refused() -> None:
    accepted, refused = _registration_decisions()
    assert refused == Counter({"registration.economic_unit_mismatch": 1})
    names = Counter(type(f).__name__ for f in accepted)
    assert names == Counter({"EconomicResultReported": 4, "EconomicResultCorrected": 1})
    final = {f.indicator: f.value for f in accepted}  # the correction comes after the estimate
    assert final == ACTUALS


def test_the_gia_lai_rollup_must_show_the_targets_the_actuals_and_the_attainment() -> None:
    expected = SCENARIO.expectation.figures()["economy"]
    targets = {t["indicator"]: t for t in examples.GIA_LAI_2018_PLAN["economic_targets"]}
    assert [e["indicator"] for e in expected] == sorted(ACTUALS)
    for row in expected:
        target = Decimal(str(targets[row["indicator"]]["value"]))
        assert (row["target"], row["actual"]) == (target, ACTUALS[row["indicator"]])
        assert row["unit_of_measure"] == targets[row["indicator"]]["unit_of_measure"]
        assert row["attained_percent"] == economy.attained(row["actual"], target)
    by_name = {e["indicator"]: e["attained_percent"] for e in expected}
    assert by_name["Giá trị sản xuất công nghiệp"] == Decimal("102.29")
    assert by_name["Tổng kim ngạch nhập khẩu"] == Decimal("92.21")
    # Only Sở Công Thương reports; the other Gia Lai departments' plans carry the same targets.
    reporter = SCENARIO.by_department[f"{SCENARIO.prefix}{REPORTER.code}"]
    assert reporter.economy and all(
        not e.economy
        for code, e in SCENARIO.by_department.items()
        if not code.endswith(REPORTER.code)
    )
