"""Economic results (issue 17) in the rollups, on the real stack: the seed feed with Sở Công
Thương Gia Lai's 2018 results (exports reported for the half-year and the year, industrial
output first estimated then corrected, imports not reported) and a second Gia Lai department
whose plan counts the same indicator in the same unit and exports in another unit. The
department's lines and the province's sums of like indicators in like units are checked in the
API, as of a date before the correction, on the dashboard, in the XLSX, and in a rebuild."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from contracts import examples
from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from scenarios.seeds import GIA_LAI
from services.reporting.queries import Rollup
from services.reporting.queries import rollup as scope_rollup
from services.reporting.rebuild import rebuild
from tests.integration.reporting.conftest import api_client, projected
from tests.integration.reporting.scenario import Feed, build_feed
from tests.integration.reporting.scenario_registration import GL_CAMPAIGN
from thidua.es.db import Pool, create_pool

YEAR = {"start": "2018-01-01", "end": "2018-12-31"}
INDUSTRY, EXPORTS, IMPORTS = (
    "Giá trị sản xuất công nghiệp",
    "Tổng kim ngạch xuất khẩu",
    "Tổng kim ngạch nhập khẩu",
)


@dataclass
class Economic:
    feed: Feed
    pool: Pool
    source: tuple[str, str]
    other: str
    """The second Gia Lai department (Sở Kế hoạch và Đầu tư)."""

    async def rollup(self, kind: str, scope: str, as_of: date | None = None) -> Rollup:
        async with self.pool.acquire() as conn:
            return await scope_rollup(conn, kind, scope, 2018, as_of=as_of)


def _add(feed: Feed, payload: EventData, key: str, department: str) -> None:
    event = CloudEvent.new(payload, source="urn:thidua:service:registration", department=department)
    feed.registration.append((key.encode(), event))


def with_results(feed: Feed) -> tuple[str, str]:
    """The feed with the economic facts; returns (Gia Lai's province, the other department)."""
    gl = feed.scenario.code(GIA_LAI)
    placed = next(
        e.payload()
        for _, e in feed.registration
        if e.type == rg.DepartmentRegistered.type_name() and e.data["department_code"] == gl
    )
    assert isinstance(placed, rg.DepartmentRegistered)
    other = feed.scenario.code("skhdt-gialai")
    _add(feed, rg.DepartmentRegistered(department_code=other, name="Sở Kế hoạch và Đầu tư Gia Lai",
         province_id=placed.province_id, ministry_id=placed.ministry_id), other, other)  # fmt: skip
    plan = {
        **examples.GIA_LAI_2018_PLAN,
        "campaign_id": f"{other}/2018/phat-dong",
        "department_code": other,
        "number": "02/KH-SKHĐT",
        "issuer": {"org_id": other, "name": "Sở Kế hoạch và Đầu tư Gia Lai"},
        "economic_targets": [
            {"indicator": INDUSTRY.lower(), "unit_of_measure": "Tỷ đồng", "value": 10000,
             "growth_percent": 5},
            {"indicator": EXPORTS, "unit_of_measure": "tỷ đồng", "value": 700},
        ],
    }  # fmt: skip
    _add(feed, rg.CampaignLaunched.model_validate(plan), plan["campaign_id"], other)

    def report(department: str, campaign: str, indicator: str, unit: str, value: str,
               on: str, period: dict[str, str] = YEAR, **kw: Any) -> None:  # fmt: skip
        fact = rg.EconomicResultReported.model_validate(
            {"campaign_id": campaign, "department_code": department, "indicator": indicator,
             "period": period, "unit_of_measure": unit, "value": value, "reported_on": on, **kw}
        )  # fmt: skip
        _add(feed, fact, f"economic:{campaign}:{indicator}", department)

    report(gl, GL_CAMPAIGN, INDUSTRY, "tỷ đồng", "20050", "2018-12-14", note="Ước thực hiện")
    _add(feed, rg.EconomicResultCorrected.model_validate(
        {"campaign_id": GL_CAMPAIGN, "department_code": gl, "indicator": INDUSTRY,
         "period": YEAR, "unit_of_measure": "tỷ đồng", "value": "20112.6",
         "corrected_on": "2019-01-15", "reason": "Số liệu chính thức"}),
        f"economic:{GL_CAMPAIGN}:{INDUSTRY}", gl)  # fmt: skip
    report(gl, GL_CAMPAIGN, EXPORTS, "triệu USD", "230", "2018-07-10",
           period={"start": "2018-01-01", "end": "2018-06-30"})  # fmt: skip
    report(gl, GL_CAMPAIGN, EXPORTS, "triệu USD", "488.5", "2019-01-15")
    report(other, plan["campaign_id"], INDUSTRY, "tỷ đồng", "10400", "2019-01-16",
           previous_value="9800")  # fmt: skip
    report(other, plan["campaign_id"], EXPORTS, "tỷ đồng", "720", "2019-01-16")
    return placed.province_id, other


@pytest.fixture
async def economic(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Economic]:
    feed = build_feed(f"{uid}-")
    _, other = with_results(feed)
    async with projected(database_url, bootstrap, uid, feed) as (_, pool, source):
        yield Economic(feed, pool, source, other)


def _lines(r: Rollup) -> dict[tuple[str, str], Any]:
    return {(e.indicator, e.unit_of_measure): e for e in r.economy.lines}


async def test_results_against_targets_per_department_and_summed_per_province(
    economic: Economic, database_url: str, bootstrap: str, uid: str
) -> None:
    gl = economic.feed.scenario.code(GIA_LAI)
    department = await economic.rollup("department", gl)
    lines = _lines(department)
    industry = lines[(INDUSTRY, "tỷ đồng")]
    # The corrected figure; 102.29 % of 19,663; +11.25 % on the plan's base 19,663 / 1.0876.
    assert (industry.actual, industry.attained_percent, industry.growth_percent) == (
        Decimal("20112.6"), Decimal("102.29"), Decimal("11.25"),
    )  # fmt: skip
    assert industry.period_label == "01/01/2018 - 31/12/2018"
    # The whole year measures the target, not the half-year reported before it.
    exports = lines[(EXPORTS, "triệu USD")]
    assert (exports.actual, exports.attained_percent) == (Decimal("488.5"), Decimal("103.94"))
    assert lines[(IMPORTS, "triệu USD")].actual is None
    # As of a day before the correction: the estimate; before the year's exports: the half.
    earlier = _lines(await economic.rollup("department", gl, date(2019, 1, 10)))
    assert earlier[(INDUSTRY, "tỷ đồng")].actual == Decimal("20050")
    assert earlier[(EXPORTS, "triệu USD")].actual == Decimal("230")

    async with api_client(database_url, uid) as http:
        reply = await http.get("/rollups/province/gia-lai", params={"year": 2018})
        assert reply.status_code == 200
        totals = {
            (t["indicator"], t["unit_of_measure"]): t for t in reply.json()["economy"]["totals"]
        }
        # Like indicators in like units are summed (case and spacing aside), over who reported.
        vnd = totals[(INDUSTRY, "tỷ đồng")]
        assert (vnd["planned"], vnd["reported"]) == (2, 2)
        assert Decimal(vnd["target"]) == 29663 and Decimal(vnd["actual"]) == Decimal("30512.6")
        assert Decimal(vnd["attained_percent"]) == Decimal("102.86")
        # Growth: 30,512.6 / (19,663 / 1.0876 + 9,800) - 1.
        assert Decimal(vnd["growth_percent"]) == Decimal("9.45")
        # Exports in two units are two lines, never one sum.
        assert Decimal(totals[(EXPORTS, "triệu USD")]["actual"]) == Decimal("488.5")
        assert Decimal(totals[(EXPORTS, "tỷ đồng")]["actual"]) == 720
        assert totals[(IMPORTS, "triệu USD")]["reported"] == 0
        assert totals[(IMPORTS, "triệu USD")]["actual"] is None

        page = await http.get("/tinh/gia-lai", params={"nam": 2018})
        html = page.text
        assert "Chỉ tiêu kinh tế: kế hoạch / thực hiện / đạt % / tăng trưởng" in html
        assert "Cộng (2/2 Sở báo cáo)" in html and "30.512,60" in html and "102,86" in html
        book = await http.get(
            "/tai-ve/tong-hop",
            params={"cap": "tinh", "ma": "gia-lai", "nam": 2018, "dinh-dang": "xlsx"},
        )
        assert book.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(book.content))["Chỉ tiêu kinh tế"]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        summed = next(r for r in rows if r[0] == "Cộng (2/2 Sở báo cáo)" and r[2] == INDUSTRY)
        assert [Decimal(str(v)) for v in summed[4:5] + summed[6:7]] == [29663, Decimal("30512.6")]

    # A rebuild from the log gives the same rows.
    rebuilt = await rebuild(
        database_url, bootstrap, lambda done, total: None, control_schema=f"test_{uid}_ctl",
        source_topics=economic.source, dlq_topic=f"test.{uid}.reporting.dlq",
    )  # fmt: skip
    assert rebuilt.skipped == 0
    pool = await create_pool(database_url, rebuilt.schema)
    try:
        query = "SELECT * FROM reporting_economy ORDER BY event_id"
        rows_rebuilt = [tuple(r) for r in await pool.fetch(query)]
        assert len(rows_rebuilt) == 6 + len(economic.feed.scenario.plans) + 1
        assert rows_rebuilt == [tuple(r) for r in await economic.pool.fetch(query)]
    finally:
        await pool.close()
