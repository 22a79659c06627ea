"""The 2025 restructuring part of the scenario (issue 16): what it publishes, and the
independent expectation it gives of the rollups before and after the merger."""

from __future__ import annotations

from datetime import date

from scenarios import build_scenario
from scenarios.expectation import Expectation
from scenarios.restructuring import AFTER_MERGER, CA_MAU, MERGER_DAY, PLAN_YEAR

SCENARIO = build_scenario(60, prefix="r-")


def _by_type(type_name: str) -> list[tuple[str, dict[str, object]]]:
    return [
        (s.department, dict(s.event.data or {}))
        for s in SCENARIO.submissions()
        if s.event.type.endswith(f".{type_name}.v1")
    ]


def test_cà_mau_s_board_states_the_mergers_after_every_fact_of_the_old_departments() -> None:
    phases = [p.name for p in SCENARIO.phases]
    merged = next(i for i, p in enumerate(SCENARIO.phases) if "Sắp xếp" in p.name)
    assert phases[merged + 1].startswith("Tiếp nhận")
    stated = [
        (s.department, s.event.type.split(".")[-2]) for s in SCENARIO.phases[merged].submissions
    ]
    assert stated == [
        ("r-ca-mau-board", "ProvinceMerged"),
        ("r-ca-mau-board", "DepartmentMerged"),
        ("r-ca-mau-board", "DepartmentDissolved"),
        ("r-gia-lai-board", "ProvinceMerged"),
        ("r-thai-nguyen-board", "ProvinceMerged"),
        ("r-khanh-hoa-board", "ProvinceMerged"),
    ]
    merged_into = {
        str(d["province_id"]): str(d["into_province_id"]) for _, d in _by_type("ProvinceMerged")
    }
    assert merged_into == {
        "r-bac-lieu": "r-ca-mau",
        "r-binh-dinh": "r-gia-lai",
        "r-bac-kan": "r-thai-nguyen",
        "r-ninh-thuan": "r-khanh-hoa",
    }
    assert {f"r-{p}-board" for p in ("binh-dinh", "bac-kan", "ninh-thuan")} <= set(SCENARIO.boards)
    old = {"r-sct-baclieu", "r-ubnd-tp-baclieu"}
    late = [s for p in SCENARIO.phases[merged:] for s in p.submissions if s.department in old]
    # Only the hire the old system still sends after the merger (to be refused).
    assert [(s.department, s.event.type.split(".")[-2]) for s in late] == [
        ("r-sct-baclieu", "PersonJoined")
    ]
    assert (late[0].event.data or {})["joined_on"] == AFTER_MERGER.isoformat()


def test_the_successor_takes_every_unit_over_then_registers_them_all_for_its_plan() -> None:
    transferred = {d["unit_id"] for _, d in _by_type("UnitTransferred")}
    established = {
        d["unit_id"] for dept, d in _by_type("UnitEstablished") if dept == "r-sct-baclieu"
    }
    assert transferred == established and len(transferred) == 6
    assert all(dept == "r-sct-camau" for dept, _ in _by_type("UnitTransferred"))
    plan = f"r-sct-camau/{PLAN_YEAR}/phat-dong"
    registered = [d for _, d in _by_type("UnitRegistered") if d["campaign_id"] == plan]
    assert {str(d["unit_id"]).split("/")[0] for d in registered} == {"r-sct-camau", "r-sct-baclieu"}
    people = [d for _, d in _by_type("IndividualRegistered") if d["campaign_id"] == plan]
    assert len(people) == 24
    assert all(date.fromisoformat(str(d["registered_on"])) > MERGER_DAY for d in people)


def test_the_former_city_lets_its_staff_go_before_it_ends() -> None:
    left = _by_type("PersonLeft")
    assert len(left) == 12
    assert all(dept == "r-ubnd-tp-baclieu" for dept, _ in left)
    assert all(date.fromisoformat(str(d["left_on"])) < MERGER_DAY for _, d in left)


def test_with_predecessors_is_the_sum_of_the_parts_and_2019_is_the_old_province() -> None:
    checks = {(c.scope, c.year, c.with_predecessors): c.expectation for c in SCENARIO.checks}
    bac_lieu = checks[("province/r-bac-lieu", 2019, False)].figures()
    assert bac_lieu["staff"]["staff"] == 24
    assert bac_lieu["registrations"]["units"] == 5
    assert bac_lieu["initiatives"]["submitted"] == {"technical": 4}
    ca_mau = f"province/r-{CA_MAU}"
    alone = checks[(ca_mau, 2019, False)]
    with_history = checks[(ca_mau, 2019, True)]
    parts = Expectation.merged([alone, checks[("province/r-bac-lieu", 2019, False)]])
    assert with_history.figures() == parts.figures()
    assert with_history.figures()["staff"]["staff"] == 12 + 24
    now = checks[(ca_mau, PLAN_YEAR, False)].figures()
    assert checks[(ca_mau, PLAN_YEAR, True)].figures() == now
    assert now["staff"]["staff"] == 24
    assert now["registrations"]["individuals_on_time"] == 24
