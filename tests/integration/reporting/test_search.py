"""Search and the pages of a person and a unit (issue 18 item 1), on a model projected live on
the real stack: "nguyen thi hoa" finds "Nguyễn Thị Hoa" and "dao" finds "Đào"; the person's
page shows the same title counts as the rollup of her unit for the year (she is its only
individual awardee), the unit's page the same as the unit's rollup; the CSTĐCS chain by the
awards rules (2 of 3 years towards CSTĐ cấp tỉnh); her own initiatives (as author or co-author,
also one whose authors were corrected to name her) with title, year and status, on the API and
the page, not another author's; what a reader may not read is not found; bad input gets one
problem+json."""

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
from tests.integration.reporting.scenario import Feed, build_feed
from tests.integration.reporting.scenario_awards import BASE_SALARY, COEFFICIENT
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
    with_hoas_initiatives(feed, department)


# (initiative, title, submitted on, authors, then): hers recognized by the province, one she
# co-wrote rejected, one named her only once corrected, and a colleague's alone.
HOA_NAME = {"person_id": HOA, "full_name": "Nguyễn Thị Hoa"}
NAM = {"full_name": "Trần Văn Nam"}  # a co-author outside the directory: no person id
LAN = {"person_id": "sct-gialai/p-0042", "full_name": "Nguyễn Thị Lan"}
INITIATIVES = (
    ("gl/sk-hoa-1", "Kiểm tra hàng giả bằng mã QR", "2018-03-01", [HOA_NAME, NAM], "recognized"),
    ("gl/sk-hoa-2", "Sổ tay kiểm soát thị trường", "2017-05-02", [NAM, HOA_NAME], "rejected"),
    ("gl/sk-hoa-3", "Số hoá biên bản", "2018-04-10", [LAN], "corrected"),
    ("gl/sk-lan-1", "Sáng kiến của người khác", "2018-04-11", [LAN], "submitted"),
)


def with_hoas_initiatives(feed: Feed, department: str) -> None:
    def emit(payload: rg.RegistrationEvent, key: str) -> None:
        event = CloudEvent.new(
            payload, source="urn:thidua:service:registration", department=department
        )
        feed.registration.append((f"initiative:{key}".encode(), event))

    for initiative_id, title, on, authors, then in INITIATIVES:
        submitted = {
            "initiative_id": initiative_id, "department_code": department, "unit_id": HOA_UNIT,
            "title": title, "kind": "technical", "scope": "unit", "authors": authors,
            "submitted_on": on,
        }  # fmt: skip
        emit(rg.InitiativeSubmitted.model_validate(submitted), initiative_id)
        if then == "recognized":
            recognized = {"initiative_id": initiative_id, "level": "ministry_province",
                          "recognized_on": "2018-06-01"}  # fmt: skip
            emit(rg.InitiativeRecognized.model_validate(recognized), initiative_id)
        elif then == "rejected":
            reason = {"code": "registration.initiative_not_applied", "message": "Chưa áp dụng"}
            rejected = {"initiative_id": initiative_id, "rejected_on": "2017-08-01",
                        "reasons": [reason]}  # fmt: skip
            emit(rg.InitiativeRejected.model_validate(rejected), initiative_id)
        elif then == "corrected":
            corrected = {
                **submitted, "title": "Số hoá biên bản kiểm tra", "authors": [LAN, HOA_NAME],
                "corrected_on": "2018-05-01", "reason": "Bổ sung đồng tác giả",
            }  # fmt: skip
            del corrected["submitted_on"]
            emit(rg.InitiativeDetailsCorrected.model_validate(corrected), initiative_id)


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
    assert "Kiểm tra hàng giả bằng mã QR" in mine.text
    assert "Được công nhận cấp bộ, tỉnh" in mine.text

    # Her own initiatives, newest first: as author or co-author, corrected to name her too.
    assert [
        (i["initiative_id"], i["title"], i["year"], i["status"]) for i in person["initiatives"]
    ] == [
        ("gl/sk-hoa-3", "Số hoá biên bản kiểm tra", 2018, "Đã nộp"),
        ("gl/sk-hoa-1", "Kiểm tra hàng giả bằng mã QR", 2018, "Được công nhận cấp bộ, tỉnh"),
        ("gl/sk-hoa-2", "Sổ tay kiểm soát thị trường", 2017, "Không được công nhận"),
    ]
    colleague = (await client.get("/v1/people/sct-gialai/p-0042")).json()
    assert "gl/sk-hoa-3" in [i["initiative_id"] for i in colleague["initiatives"]]
    assert "gl/sk-hoa-1" not in [i["initiative_id"] for i in colleague["initiatives"]]
    assert {i["initiative_id"] for i in unit["initiatives"]} >= {x[0] for x in INITIATIVES}
    missing = await client.get("/tra-cuu/ca-nhan/sct-gialai/p-9999")
    assert missing.status_code == 404
