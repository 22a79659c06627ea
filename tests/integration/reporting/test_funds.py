"""The commendation funds (issue 18, item 4) in reporting, projected live from the awards
facts as the awards service publishes them: Sở Công Thương Gia Lai's fund of 2018 allocated
(500.000 đồng, then +100.000), a first decision drawing 417.000, a dossier voted (417.000
committed until it is decided), a second decision overdrawing the fund (FundOverdrawn, 517.000
đồng); in 2019 the second decision's award is revoked and its cash recovered to the 2018 fund
(FundRecovered): the province's page, API and XLSX show it recovered and the balance back above
0, the flag kept; as of the end of 2018 the negative balance; as of a date before the second
decision, the earlier balance and no flag."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from openpyxl import load_workbook

from contracts import awards as aw
from contracts import registration as rg
from contracts.envelope import CloudEvent
from scenarios.seeds import GIA_LAI
from tests.integration.reporting.conftest import api_client, projected
from tests.integration.reporting.scenario import build_feed

BASIS = {"number": "1024/QĐ-UBND", "issuer": "UBND tỉnh Gia Lai", "issued_on": "2017-12-20"}
Served = tuple[str, str, httpx.AsyncClient]


@pytest.fixture
async def served(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Served]:
    feed = build_feed(f"{uid}-")
    department = feed.scenario.code(GIA_LAI)
    [province] = [
        e.data["province_id"]
        for _, e in feed.registration
        if e.type == rg.DepartmentRegistered.type_name() and e.data["department_code"] == department
    ]
    fund = f"fund:{department}:2018"

    def emit(payload: aw.AwardsEvent, key: str) -> None:
        event = CloudEvent.new(payload, source="urn:thidua:service:awards", department=department)
        feed.awards.append((key.encode(), event))

    def draw(kind: type[aw.FundDraw], number: str, on: str, **extra: int) -> aw.FundDraw:
        return kind.model_validate(
            {"department_code": department, "year": 2018, "decision_id": f"{department}/{number}",
             "decision_number": f"{number}/QĐ-SCT", "decided_on": on, "amount_vnd": 417_000,
             **extra}
        )  # fmt: skip

    emit(aw.FundAllocated.model_validate(
        {"department_code": department, "year": 2018, "amount_vnd": 500_000,
         "legal_basis": BASIS, "allocated_on": "2018-01-05"}), fund)  # fmt: skip
    emit(aw.FundAdjusted.model_validate(
        {"department_code": department, "year": 2018, "delta_vnd": 100_000,
         "reason": "Bổ sung dự toán", "legal_basis": BASIS, "adjusted_on": "2018-06-01"}),
        fund)  # fmt: skip
    emit(draw(aw.FundDrawn, "1", "2018-12-20", balance_vnd=183_000), fund)
    voted = f"{department}/2018/fund-voted"
    emit(aw.NominationVoted.model_validate(
        {"nomination_id": voted, "session_id": f"{department}/hd-1",
         "department_code": department, "council_level": "department", "members_total": 9,
         "members_present": 9, "yes_votes": 9, "reached": True, "voted_on": "2018-12-21",
         "expected_cash_vnd": 417_000}), f"nomination:{voted}")  # fmt: skip
    emit(draw(aw.FundOverdrawn, "2", "2018-12-28", balance_vnd=-234_000, available_vnd=183_000),
         fund)  # fmt: skip
    emit(aw.FundRecovered.model_validate(
        {**draw(aw.FundDrawn, "2", "2018-12-28", balance_vnd=183_000).model_dump(mode="json"),
         "nomination_id": f"{department}/2018/fund-revoked", "revoked_by": "5/QĐ-SCT",
         "recovered_on": "2019-02-15"}), fund)  # fmt: skip
    async with (
        projected(database_url, bootstrap, uid, feed),
        api_client(database_url, uid) as client,
    ):
        yield department, province, client


def line(report: dict[str, object], owner: str) -> dict[str, object]:
    lines = report["lines"]
    assert isinstance(lines, list)
    [found] = [x for x in lines if x["owner"] == owner]
    return dict(found)


async def test_an_overdrawn_fund_shows_its_negative_balance_and_flag_as_of_any_date(
    served: Served,
) -> None:
    department, province, client = served
    url = f"/v1/funds/province/{province}"
    figures = ("allocated_vnd", "spent_vnd", "recovered_vnd", "committed_vnd", "balance_vnd",
               "available_vnd", "overdrawn")  # fmt: skip
    end = await client.get(url, params={"year": 2018, "as_of": "2018-12-31"})
    assert end.status_code == 200, end.text
    assert {k: line(end.json(), department)[k] for k in figures} == {
        "allocated_vnd": 600_000,
        "spent_vnd": 834_000,
        "recovered_vnd": 0,
        "committed_vnd": 417_000,
        "balance_vnd": -234_000,
        "available_vnd": -651_000,
        "overdrawn": ["2/QĐ-SCT"],
    }
    now = await client.get(url, params={"year": 2018})
    fund = line(now.json(), department)
    assert {k: fund[k] for k in figures} == {
        "allocated_vnd": 600_000,
        "spent_vnd": 834_000,
        "recovered_vnd": 417_000,
        "committed_vnd": 417_000,
        "balance_vnd": 183_000,
        "available_vnd": -234_000,
        "overdrawn": ["2/QĐ-SCT"],
    }
    assert now.json()["total"]["overdrawn"] == ["2/QĐ-SCT"]
    assert now.json()["total"]["recovered_vnd"] == 417_000
    board = line(now.json(), f"{province}-board")
    assert (board["allocated"], board["spent_vnd"]) == (False, 0)

    before = await client.get(url, params={"year": 2018, "as_of": "2018-12-27"})
    earlier = line(before.json(), department)
    assert (earlier["balance_vnd"], earlier["overdrawn"]) == (183_000, [])
    assert earlier["committed_vnd"] == 417_000
    start = line((await client.get(url, params={"year": 2018, "as_of": "2018-03-01"})).json(),
                 department)  # fmt: skip
    assert (start["allocated_vnd"], start["committed_vnd"]) == (500_000, 0)

    xlsx = await client.get(f"{url}/export.xlsx", params={"year": 2018})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    [mine] = [r for r in rows if r[0] == fund["name"]]
    assert mine[1:] == [600_000, 834_000, 417_000, 417_000, 183_000, -234_000, "2/QĐ-SCT"]

    page = await client.get("/bao-cao/quy-thi-dua", params={"tinh": province, "nam": 2018})
    assert page.status_code == 200, page.text
    assert 'id="fund-overdrawn"' in page.text and "-234.000" in page.text
    assert "Thu hồi (đồng)" in page.text and "417.000" in page.text
    earlier_page = await client.get(
        "/bao-cao/quy-thi-dua", params={"tinh": province, "nam": 2018, "den-ngay": "27/12/2018"}
    )
    assert 'id="fund-overdrawn"' not in earlier_page.text and "183.000" in earlier_page.text

    # The department's own fund, within its scope, and the links from the dashboard's pages.
    own = await client.get(f"/v1/funds/department/{department}", params={"year": 2018})
    assert [x["owner"] for x in own.json()["lines"]] == [department]
    assert own.json()["total"]["balance_vnd"] == 183_000
    mine_page = await client.get("/bao-cao/quy-thi-dua", params={"so": department, "nam": 2018})
    assert 'id="fund-overdrawn"' in mine_page.text and f"{province}-board" not in mine_page.text
    rollup_page = await client.get(f"/tinh/{province}", params={"nam": 2018})
    assert "/bao-cao/quy-thi-dua?tinh=" in rollup_page.text
