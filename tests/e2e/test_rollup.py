"""A small province scenario through the running services: the rollup equals its expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts import topics
from contracts.envelope import CloudEvent
from scenarios import seeds
from scenarios.restructuring import CA_MAU, CA_MAU_DEPARTMENT
from scenarios.rollups import rollup_differences
from services.reporting.presentation import vn_number
from tests.documents import docx_text, pdf_text, table_rows
from tests.e2e.conftest import PEOPLE, Loaded, log_tails
from tests.support import read_topic
from thidua import runner
from thidua.reviews import write_review_documents
from thidua.settings import StackSettings

pytestmark = pytest.mark.e2e


async def test_the_province_rollup_equals_what_the_scenario_expects(
    loaded: Loaded, services: StackSettings
) -> None:
    scenario = loaded.scenario
    figures = scenario.expectation.figures()
    # The comparison is not vacuous: staff, registrations, initiatives recognised and rejected,
    # dossiers returned, titles granted and refused, cash.
    assert figures["staff"]["staff"] == PEOPLE
    assert figures["registrations"]["individuals"] > 0
    assert figures["initiatives"]["recognized"] and figures["initiatives"]["rejected"]
    assert figures["dossiers"]["returned"] > 0
    assert any("rejected" in outcomes for outcomes in figures["nominations"].values())
    assert figures["awards"] and figures["cash_vnd"] > 0

    assert loaded.published, f"{scenario.province_id} was in the rollup before it was published"
    assert loaded.remaining == [], (
        f"after {loaded.seconds:.0f} s the rollup of {scenario.province_id} still differs:\n"
        + "\n".join(loaded.remaining[:30])
        + "\n"
        + log_tails(services)
    )
    # Read again: the rollup stays equal (nothing arrives late or twice).
    assert await rollup_differences(runner.reporting_url(services), scenario) == []


async def test_the_restructuring_keeps_history_and_the_old_channel_names_its_successor(
    loaded: Loaded, services: StackSettings
) -> None:
    """Issue 16 through the running services: the rollups of the 2025 restructuring (checked
    with the others above) are not vacuous, and what the merged-away department's system still
    sends after the merger is refused, naming its successor."""
    scenario = loaded.scenario
    assert loaded.remaining == []
    checks = {(c.scope, c.year, c.with_predecessors): c.expectation for c in scenario.checks}
    ca_mau = f"province/{scenario.prefix}{CA_MAU}"
    alone, whole = checks[(ca_mau, 2019, False)], checks[(ca_mau, 2019, True)]
    assert whole.figures()["staff"]["staff"] > alone.figures()["staff"]["staff"] > 0
    assert (
        whole.figures()["registrations"]["units"] > 0 == alone.figures()["registrations"]["units"]
    )
    old = f"{scenario.prefix}{seeds.BAC_LIEU}"
    successor = f"{scenario.prefix}{CA_MAU_DEPARTMENT.code}"
    refused = [
        reason
        for record in await read_topic(services.kafka_bootstrap, topics.rejections(old))
        for reason in (CloudEvent.from_json(record.value or b"").data or {})["reasons"]
    ]
    merged = [r for r in refused if r["code"] == "directory.department_merged"]
    assert len(merged) == 1, refused
    assert f"(mã {successor})" in merged[0]["message"]
    assert "01/07/2025" in merged[0]["message"]


async def test_the_review_reports_of_the_loaded_scenario_hold_its_figures(
    loaded: Loaded, services: StackSettings, tmp_path: Path
) -> None:
    """Issue 17's "Must show": the sơ kết of each phase and the tổng kết of the main campaign,
    written as ``thidua up`` writes them after loading, hold the figures the scenario expects
    of its department (registrations, titles decided), in the DOCX's table and the PDF's text."""
    scenario = loaded.scenario
    assert loaded.remaining == []
    written = await write_review_documents(runner.reporting_url(services), scenario, tmp_path)
    assert sorted((d.name, d.path.suffix) for d in written) == sorted(
        (name, suffix)
        for name in ("so-ket-dot-1", "so-ket-dot-2", "tong-ket")
        for suffix in (".docx", ".pdf")
    )
    paths = {(d.name, d.path.suffix): d.path for d in written}
    expected = scenario.by_department[f"{scenario.prefix}{seeds.GIA_LAI}"].figures()
    registered = expected["registrations"]
    decided = sum(a["count"] for a in expected["awards"])
    assert registered["units"] > 0 and registered["individuals"] > 0 and decided > 0
    final = table_rows(docx_text(paths[("tong-ket", ".docx")].read_bytes()))
    assert final["Tập thể đăng ký thi đua"][-1] == vn_number(registered["units"])
    assert final["Cá nhân đăng ký thi đua"][-1] == vn_number(registered["individuals"])
    assert final["Danh hiệu, hình thức khen thưởng đã quyết định"][-1] == vn_number(decided)
    text = pdf_text(paths[("tong-ket", ".pdf")])
    assert "Tổng kết phong trào thi đua năm 2018" in text
    assert any(
        line.split()[:4] == ["Cá", "nhân", "đăng", "ký"]
        and line.split()[-1] == vn_number(registered["individuals"])
        for line in text.splitlines()
    )
    midterm = pdf_text(paths[("so-ket-dot-1", ".pdf")])
    assert "Sơ kết đợt 1 phong trào thi đua năm 2018" in midterm
