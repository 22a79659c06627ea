"""Search and the pages of a person and a unit (issue 18 item 1), on a model projected live on
the real stack: "nguyen thi hoa" finds "Nguyễn Thị Hoa" and "dao" finds "Đào"; the person's
page shows the same title counts as the rollup of her unit for the year (she is its only
individual awardee), the unit's page the same as the unit's rollup; the CSTĐCS chain by the
awards rules (2 of 3 years towards CSTĐ cấp tỉnh); what a reader may not read is not found;
bad input gets one problem+json."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from contracts import awards as aw
from contracts import registration as rg
from contracts.envelope import CloudEvent
from scenarios.seeds import BAC_LIEU, GIA_LAI
from services.reporting.search.queries import Filters, search
from tests.integration.reporting.conftest import api_client, projected
from tests.integration.reporting.scenario import BASE_SALARY, COEFFICIENT, Feed, build_feed
from thidua.auth import Principal
from thidua.es.db import create_pool

HOA = "sct-gialai/p-0200"
HOA_UNIT = "sct-gialai/qltt"
# (nomination, year, title): her CSTĐCS of 2017 and 2018 (2 of the 3 years towards CSTĐ
# cấp tỉnh), her LĐTT of 2018; a Bằng khen of 2018 given to her and revoked.
HOA_AWARDS = (
    ("gl/cstdcs-2017-0200", 2017, "CSTDCS"),
    ("gl/cstdcs-2018-0200", 2018, "CSTDCS"),
    ("gl/ldtt-2018-0200", 2018, "LDTT"),
    ("gl/bk-2018-0200", 2018, "BANG_KHEN"),
)
REVOKED = "gl/bk-2018-0200"

Served = tuple[Feed, httpx.AsyncClient, str]


def with_hoa(feed: Feed) -> None:
    """Nguyễn Thị Hoa of the Chi cục Quản lý thị trường, and her titles."""
    department = feed.scenario.code(GIA_LAI)
    joined = rg.PersonJoined.model_validate(
        {
            "person_id": HOA,
            "department_code": department,
            "unit_id": HOA_UNIT,
            "full_name": "Nguyễn Thị Hoa",
            "sex": "female",
            "is_leader": False,
            "joined_on": "2015-01-05",
        }
    )
    source = "urn:thidua:service:registration"
    feed.registration.append(
        (HOA.encode(), CloudEvent.new(joined, source=source, department=department))
    )

    def emit(payload: aw.AwardsEvent, nid: str) -> None:
        event = CloudEvent.new(payload, source="urn:thidua:service:awards", department=department)
        feed.awards.append((f"nomination:{nid}".encode(), event))

    for nid, year, title in HOA_AWARDS:
        common = {
            "nomination_id": nid,
            "department_code": department,
            "year": year,
            "title": title,
            "nominee_kind": "individual",
            "nominee_id": HOA,
            "unit_id": HOA_UNIT,
        }
        emit(aw.NominationSubmitted.model_validate({**common, "received_on": f"{year}-12-01"}), nid)
        approved = {
            **common,
            "method": "regular",
            "decision_number": f"{year}/QĐ-SCT",
            "decision_date": f"{year}-12-20",
            "authority": "department_director",
            "cash_vnd": round(COEFFICIENT[title] * BASE_SALARY),
            "base_salary_vnd": BASE_SALARY,
            "coefficient": COEFFICIENT[title],
        }
        emit(aw.NominationApproved.model_validate(approved), nid)
    revoked = {
        "nomination_id": REVOKED,
        "department_code": department,
        "decision_number": "12/QĐ-SCT",
        "revoked_on": "2019-02-15",
        "reason": "Kê khai thành tích không trung thực",
    }
    emit(aw.AwardRevoked.model_validate(revoked), REVOKED)


@pytest.fixture
async def served(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Served]:
    feed = build_feed(f"{uid}-")
    with_hoa(feed)
    async with (
        projected(database_url, bootstrap, uid, feed),
        api_client(database_url, uid) as client,
    ):
        yield feed, client, f"test_{uid}_ctl"


def names(body: dict[str, Any], kind: str = "person") -> list[str]:
    return [h["name"] for h in body["hits"] if h["kind"] == kind]


async def test_a_search_without_diacritics_finds_the_person(
    served: Served, database_url: str
) -> None:
    feed, client, control = served
    gl, bl = feed.scenario.code(GIA_LAI), feed.scenario.code(BAC_LIEU)

    async def found(**params: Any) -> dict[str, Any]:
        answer = await client.get("/v1/search", params=params)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    hoa = await found(q="nguyen thi hoa")
    assert hoa["hits"][0]["name"] == "Nguyễn Thị Hoa"
    assert hoa["hits"][0] | {"score": None} == {
        "kind": "person",
        "id": HOA,
        "name": "Nguyễn Thị Hoa",
        "department_code": gl,
        "department": hoa["hits"][0]["department"],
        "province_id": "gia-lai",
        "province": hoa["hits"][0]["province"],
        "unit_id": HOA_UNIT,
        "unit": "Chi cục Quản lý thị trường",
        "score": None,
    }
    assert hoa["hits"][0]["score"] == 1.0
    assert names(await found(q="NGUYỄN thị HOA")) == ["Nguyễn Thị Hoa"]
    assert "Nguyễn Thị Hoa" not in names(await found(q="nguyen thi lan"))
    for q in ("dao", "DAO", "đào", "Dao thi thu"):
        assert names(await found(q=q)) == ["Đào Thị Thu Nguyệt"], q
    assert "Văn phòng Sở" in names(await found(q="van phong"), "unit")
    # filters: province, department, unit, year
    assert names(await found(q="nguyen thi hoa", tinh="gia-lai")) == ["Nguyễn Thị Hoa"]
    assert names(await found(q="nguyen thi hoa", tinh="bac-lieu")) == []
    assert names(await found(q="nguyen thi hoa", so=gl)) == ["Nguyễn Thị Hoa"]
    assert names(await found(q="nguyen thi hoa", so=bl)) == []
    assert names(await found(q="nguyen thi hoa", **{"don-vi": HOA_UNIT})) == ["Nguyễn Thị Hoa"]
    assert names(await found(q="nguyen thi hoa", **{"don-vi": "sct-gialai/vp"})) == []
    assert names(await found(q="nguyen thi hoa", nam="2018")) == ["Nguyễn Thị Hoa"]
    assert names(await found(q="nguyen thi hoa", nam="2014")) == []  # she joined in 2015
    assert (await found(q="nguyen", trang=99))["total"] == (await found(q="nguyen"))["total"]

    # A reader finds only what their roles let them read.
    pool = await create_pool(database_url, control)
    try:
        async with pool.acquire() as conn:
            model = await conn.fetchval(f'SELECT schema_name FROM "{control}".current_model')
            await conn.execute(f'SET search_path TO "{model}", public')
            assert await conn.fetchval("SELECT search_fold('Đào Đức ĐẠT')") == "dao duc dat"

            def reader(**scope: str) -> Principal:
                roles = frozenset(k for k in ("board", "ministry", "department") if k in scope)
                place = {("province" if k == "board" else k): v for k, v in scope.items()}
                return Principal("s", "u", roles, **place)

            async def people(who: Principal) -> list[str]:
                hits = (await search(conn, "nguyen thi hoa", Filters(), who)).hits
                return [h.name for h in hits if h.kind == "person"]

            assert await people(reader(department=gl)) == ["Nguyễn Thị Hoa"]
            assert await people(reader(board="gia-lai")) == ["Nguyễn Thị Hoa"]
            assert await people(reader(department=bl)) == []
            assert await people(reader(board="bac-lieu")) == []
            assert await people(Principal("s", "u", frozenset({"operator"}))) == []
    finally:
        await pool.close()

    # Refusals: one problem each, nothing searched.
    for params in (
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 101},
        {"q": "hoa", "nam": "hai nghìn"},
        {"q": "hoa", "trang": "0"},
        {"q": "hoa", "so": "SCT GIA LAI"},
        {"q": "hoa", "don-vi": "../vp"},
    ):
        refused = await client.get("/v1/search", params=params)
        assert refused.status_code == 422, (params, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["errors"], params
    for path in ("/v1/people/sct-gialai/p-9999", "/v1/units/sct-gialai/khong-co"):
        missing = await client.get(path)
        assert missing.status_code == 404, missing.text
        assert missing.headers["content-type"] == "application/problem+json"


async def test_the_pages_show_the_title_counts_of_the_rollup(served: Served) -> None:
    _, client, _ = served
    person = (await client.get(f"/v1/people/{HOA}")).json()
    assert person["full_name"] == "Nguyễn Thị Hoa"
    assert [(m["unit_id"], m["since"], m["until"]) for m in person["units"]] == [
        (HOA_UNIT, "2015-01-05", None)
    ]
    held = {(t["year"], t["title"]): t for t in person["titles"]}
    assert {k: t["count"] for k, t in held.items()} == {
        (2018, "BANG_KHEN"): 0,
        (2018, "CSTDCS"): 1,
        (2018, "LDTT"): 1,
        (2017, "CSTDCS"): 1,
    }
    assert held[(2018, "BANG_KHEN")]["revoked"] == 1
    assert [
        (c["title"], c["towards"], c["years"], c["needed"], c["up_to"]) for c in person["chains"]
    ] == [("CSTDCS", "CSTD_BO_TINH", 2, 3, 2018)]

    # The rollup of her unit for each year counts the same titles (she is its only individual
    # awardee); the unit's page counts what the rollup counts, individuals and collectives.
    unit = (await client.get(f"/v1/units/{HOA_UNIT}")).json()
    assert [m["person_id"] for m in unit["members"] if m["person_id"] == HOA] == [HOA]
    for year in (2017, 2018):
        rollup = await client.get("/rollups/unit", params={"unit_id": HOA_UNIT, "year": year})
        assert rollup.status_code == 200, rollup.text
        awards = {a["title"]: a for a in rollup.json()["awards"]}
        # titles held (a title revoked whole counts 0: the rollup lists it no more)
        hers = {t: v["count"] for (y, t), v in held.items() if y == year and v["count"]}
        assert hers == {t: a["individuals"] for t, a in awards.items()}, year
        page = {
            t["title"]: (t["count"], t["individuals"], t["collectives"], t["cash_vnd"])
            for t in unit["titles"]
            if t["year"] == year and t["count"]
        }
        assert page == {
            t: (a["count"], a["individuals"], a["collectives"], a["cash_vnd"])
            for t, a in awards.items()
        }, year

    # The dashboard: the search box, the results, the person's page, the unit's page.
    home = await client.get("/?nam=2018")
    assert 'id="people-search"' in home.text
    results = await client.get("/tra-cuu", params={"q": "nguyen thi hoa"})
    assert results.status_code == 200, results.text
    assert f'data-id="{HOA}"' in results.text and "Nguyễn Thị Hoa" in results.text
    mine = await client.get(f"/tra-cuu/ca-nhan/{HOA}")
    assert mine.status_code == 200, mine.text
    assert "Chiến sĩ thi đua cơ sở: 2/3 lần liên tục đến năm 2018" in mine.text
    assert "Chi cục Quản lý thị trường" in mine.text and "05/01/2015" in mine.text
    unit_page = await client.get(f"/tra-cuu/don-vi/{HOA_UNIT}")
    assert unit_page.status_code == 200, unit_page.text
    assert "Nguyễn Thị Hoa" in unit_page.text
    missing = await client.get("/tra-cuu/ca-nhan/sct-gialai/p-9999")
    assert missing.status_code == 404
