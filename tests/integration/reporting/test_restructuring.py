"""The 2025 restructuring in the reports (issue 16), on the real stack: the history before the
mergers is projected live, then the mergers, the transfers to the successors and the
successor's facts arrive in later batches, as registration and awards publish them (the facts
are written on the projection's source topics directly: this tests reporting's model, the lead
runs the end-to-end through registration after merging).

- a year's report shows that year's organisations: the 2019 Bạc Liêu rollup is unchanged by
  the merger (but says whom it merged into);
- "with predecessors", today's Cà Mau (and its Sở Công Thương, and the Bộ Tài chính) equals
  the sum of its parts, exactly, figure by figure;
- as of a date before and after a merger, each answer stays exact;
- a rebuild from the log equals the live model, lifecycle rows included;
- the API's option, the province list, the dashboard's checkbox, the former province's page
  and the XLSX column naming the former organisation of each figure.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import openpyxl
import pytest

from contracts.envelope import CloudEvent
from services.reporting.queries import Rollup
from services.reporting.queries import rollup as scope_rollup
from services.reporting.rebuild import rebuild
from tests.integration.reporting.conftest import api_client, produce_keyed, projected
from tests.integration.reporting.restructuring import Restructuring, build_restructuring
from tests.integration.reporting.test_rollups import model_rows
from tests.support import eventually
from thidua.es.db import Pool, create_pool


@dataclass
class Batch:
    registration: list[tuple[bytes, CloudEvent]] = field(default_factory=list)
    awards: list[tuple[bytes, CloudEvent]] = field(default_factory=list)


@dataclass
class Restructured:
    s: Restructuring
    pool: Pool
    source: tuple[str, str]
    before: dict[str, Rollup] = field(default_factory=dict)
    """Rollups taken before the mergers were published."""

    async def rollup(
        self, kind: str, code: str, year: int, as_of: date | None = None, *, whole: bool = False
    ) -> Rollup:
        async with self.pool.acquire() as conn:
            return await scope_rollup(conn, kind, code, year, as_of=as_of, with_predecessors=whole)


@pytest.fixture
async def restructured(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Restructured]:
    s = build_restructuring(f"{uid}-")
    history = Batch(s.before_registration, s.before_awards)
    async with projected(database_url, bootstrap, uid, history) as (runtime, pool, source):
        done = Restructured(s, pool, source)
        done.before["bl-2019"] = await done.rollup("province", s.bac_lieu, 2019)
        done.before["sct-bl-2019"] = await done.rollup("department", s.sct_bl, 2019)
        done.before["bl-2026-june"] = await done.rollup(
            "province", s.bac_lieu, 2026, date(2025, 6, 30)
        )
        for topic, records in zip(source, (s.after_registration, s.after_awards), strict=True):
            await produce_keyed(bootstrap, topic, records)
        runner = runtime.projection_runners()[0]
        total = sum(
            len(x)
            for x in (s.before_registration, s.before_awards, s.after_registration, s.after_awards)
        )
        await eventually(
            runner.checkpoints,
            lambda found: sum(found.values()) == total,
            what="the mergers and the successor's facts projected",
        )
        yield done


UNSUMMED = {
    "scope", "year", "campaign_id", "as_of", "as_of_label", "reference_date", "attainment",
    "children", "parts", "predecessors", "merged_into", "with_predecessors", "economy",
    "processing_days", "blocs",  # averages, the longest, ranks: not sums (issue 17)
}  # fmt: skip


def additive(r: Rollup) -> Counter[str]:
    """Every count and amount of a rollup, by its path (percentages left out: they are not
    sums)."""
    out: Counter[str] = Counter()

    def walk(value: Any, path: str) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int):
            out[path] += value
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for item in value:
                ident = {k: v for k, v in item.items() if isinstance(v, str) and "percent" not in k}
                walk(item, f"{path}[{json.dumps(ident, sort_keys=True)}]")

    for key, value in r.model_dump(mode="json").items():
        if key not in UNSUMMED:
            walk(value, key)
    return +out  # zeros dropped


def assert_sum_of_parts(whole: Rollup, parts: list[Rollup]) -> None:
    """The whole equals the sum of its parts: every count and amount, the plans measured, the
    parts listed (each labelled with its former organisation)."""
    assert whole.with_predecessors
    total: Counter[str] = Counter()
    for part in parts:
        total.update(additive(part))
    assert additive(whole) == +total
    rows = [a.model_dump_json() for p in parts for a in p.attainment]
    assert sorted(a.model_dump_json() for a in whole.attainment) == sorted(rows)
    # Economic targets (issue 17): each plan's line as it is in its part; the totals are sums
    # of decimals (strings in JSON), of like indicators in like units.
    lines = [e.model_dump_json() for p in parts for e in p.economy.lines]
    assert sorted(e.model_dump_json() for e in whole.economy.lines) == sorted(lines)
    for t in whole.economy.totals:
        key = (t.indicator, t.unit_of_measure)
        like = [
            u for p in parts for u in p.economy.totals if (u.indicator, u.unit_of_measure) == key
        ]
        assert t.planned_target == sum(u.planned_target for u in like)
    assert sorted(c.id for c in whole.children) == sorted(c.id for p in parts for c in p.children)
    assert [p.id for p in whole.parts] == [p.scope.id for p in parts]
    for shown, part in zip(whole.parts, parts, strict=True):
        assert shown.registrations == part.registrations.units + part.registrations.individuals
        assert shown.awards == sum(a.count for a in part.awards)
        assert shown.cash_vnd == part.cash_vnd
        assert shown.staff == part.staff.staff


def unchanged(r: Rollup) -> dict[str, Any]:
    """A rollup without what the merger adds to a former organisation's report (its
    successor): what must not change."""
    return r.model_dump(exclude={"merged_into"})


async def test_reports_keep_each_years_organisations_and_sum_their_parts(
    restructured: Restructured, database_url: str, bootstrap: str, uid: str
) -> None:
    r = restructured
    s = r.s

    # The 2019 Bạc Liêu rollup is unchanged by the merger; it says whom Bạc Liêu merged into.
    bl_2019 = await r.rollup("province", s.bac_lieu, 2019)
    assert unchanged(bl_2019) == unchanged(r.before["bl-2019"])
    assert bl_2019.registrations.individuals == 3 and sum(a.count for a in bl_2019.awards) == 2
    assert (bl_2019.staff.staff, bl_2019.staff.women, bl_2019.staff.units) == (3, 2, 2)
    assert r.before["bl-2019"].merged_into is None
    assert bl_2019.merged_into is not None
    assert bl_2019.merged_into.id == s.ca_mau
    assert bl_2019.merged_into.label == "đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025"
    assert bl_2019.merged_into.legal_basis == "Nghị quyết 202/2025/QH15"
    sct_bl_2019 = await r.rollup("department", s.sct_bl, 2019)
    assert unchanged(sct_bl_2019) == unchanged(r.before["sct-bl-2019"])
    assert [c.id for c in sct_bl_2019.children] == [f"{s.sct_bl}/qltt", f"{s.sct_bl}/vp"]
    # Cà Mau's own 2019: its own departments only, under their names of 2019.
    cm_2019 = await r.rollup("province", s.ca_mau, 2019)
    assert {c.id for c in cm_2019.children} == {s.sct_cm, s.skhdt_cm, s.stc_cm}
    assert cm_2019.registrations.individuals == 2
    assert {c.id: c.name for c in cm_2019.children}[s.sct_cm] == "Sở Công Thương Cà Mau"
    # With its predecessors: Bạc Liêu's 2019 as its history, labelled.
    cm_2019_whole = await r.rollup("province", s.ca_mau, 2019, whole=True)
    assert_sum_of_parts(cm_2019_whole, [cm_2019, bl_2019])
    origins = {c.id: c.origin_label for c in cm_2019_whole.children}
    assert origins[s.sct_bl] == "gồm tỉnh Bạc Liêu cũ" and origins[s.sct_cm] is None

    # 2026: today's Cà Mau, its own; Bạc Liêu's plan for 2026 launched and registered for
    # before the merger is Bạc Liêu's part; the staff of the units transferred are Cà Mau's.
    cm_2026 = await r.rollup("province", s.ca_mau, 2026)
    bl_2026 = await r.rollup("province", s.bac_lieu, 2026)
    assert cm_2026.registrations.individuals == 2 and sum(a.count for a in cm_2026.awards) == 3
    assert (cm_2026.staff.staff, cm_2026.staff.units) == (7, 5)
    assert {c.id: c.name for c in cm_2026.children} == {  # Sở KH&ĐT: merged away by 2026
        s.sct_cm: "Sở Công Thương tỉnh Cà Mau",
        s.stc_cm: "Sở Tài chính Cà Mau",
    }
    assert bl_2026.registrations.individuals == 2 and bl_2026.awards == []
    assert (bl_2026.staff.staff, bl_2026.staff.units) == (0, 0)
    assert [a.campaign_id for a in cm_2026.attainment if a.department_code == s.sct_cm] == [
        s.plan_2026
    ]  # the plan transferred is the successor's
    assert bl_2026.attainment == []
    cm_2026_whole = await r.rollup("province", s.ca_mau, 2026, whole=True)
    assert_sum_of_parts(cm_2026_whole, [cm_2026, bl_2026])
    assert cm_2026_whole.registrations.individuals == 4
    assert [f.id for f in cm_2026_whole.predecessors] == [s.bac_lieu]
    assert [p.origin_label for p in cm_2026_whole.parts] == [None, "gồm tỉnh Bạc Liêu cũ"]
    # The same for the successor department, and for the Bộ Tài chính (ministries merge too).
    sct_cm_whole = await r.rollup("department", s.sct_cm, 2026, whole=True)
    assert_sum_of_parts(
        sct_cm_whole,
        [
            await r.rollup("department", s.sct_cm, 2026),
            await r.rollup("department", s.sct_bl, 2026),
        ],
    )
    assert {c.id for c in sct_cm_whole.children} == {
        f"{s.sct_cm}/vp",
        f"{s.sct_bl}/vp",
        f"{s.sct_bl}/qltt",
    }
    for year in (2024, 2026):
        btc = await r.rollup("ministry", s.btc, year)
        bkhdt = await r.rollup("ministry", s.bkhdt, year)
        assert_sum_of_parts(await r.rollup("ministry", s.btc, year, whole=True), [btc, bkhdt])
    btc_2024 = await r.rollup("ministry", s.btc, 2024)
    btc_2024_whole = await r.rollup("ministry", s.btc, 2024, whole=True)
    assert btc_2024.awards == [] and sum(a.count for a in btc_2024_whole.awards) == 1
    assert btc_2024_whole.children[-1].origin_label == "gồm Bộ Kế hoạch và Đầu tư cũ"

    # As of dates before and after the merger: each exact, the whole always the sum.
    june = await r.rollup("province", s.bac_lieu, 2026, date(2025, 6, 30))
    assert unchanged(june) == unchanged(r.before["bl-2026-june"])
    assert (june.staff.staff, june.registrations.individuals) == (3, 2)
    assert [a.campaign_id for a in june.attainment] == [s.plan_2026]  # not yet transferred
    july = await r.rollup("province", s.bac_lieu, 2026, date(2025, 7, 1))
    assert (july.staff.staff, july.registrations.individuals, july.attainment) == (0, 2, [])
    for day, own_staff, own_registrations in (
        (date(2025, 2, 28), 4, 0),
        (date(2025, 6, 30), 4, 0),
        (date(2025, 7, 1), 7, 0),
        (date(2025, 9, 10), 7, 2),
    ):
        own = await r.rollup("province", s.ca_mau, 2026, day)
        former = await r.rollup("province", s.bac_lieu, 2026, day)
        whole = await r.rollup("province", s.ca_mau, 2026, day, whole=True)
        assert (own.staff.staff, own.registrations.individuals) == (own_staff, own_registrations)
        assert_sum_of_parts(whole, [own, former])
        assert whole.staff.staff == 7  # nobody joined or left: only who counts them moved
    # Before the ministries' merger, Cà Mau's Sở KH&ĐT still had its unit and staff.
    skhdt = await r.rollup("department", s.skhdt_cm, 2025, date(2025, 2, 28))
    assert (skhdt.staff.staff, skhdt.staff.units) == (1, 1)
    skhdt_march = await r.rollup("department", s.skhdt_cm, 2025, date(2025, 3, 1))
    assert (skhdt_march.staff.staff, skhdt_march.staff.units) == (0, 0)

    # A rebuild from the log equals the live model, row for row (lifecycle rows included).
    rebuilt = await rebuild(
        database_url,
        bootstrap,
        lambda done, total: None,
        control_schema=f"test_{uid}_ctl",
        source_topics=r.source,
        dlq_topic=f"test.{uid}.reporting.dlq",
    )
    assert rebuilt.skipped == 0
    pool = await create_pool(database_url, rebuilt.schema)
    try:
        rows = await model_rows(pool)
        assert rows == await model_rows(r.pool)
        assert len(rows["reporting_lifecycle"]) == 9
    finally:
        await pool.close()


async def test_the_api_and_the_dashboard_show_former_provinces_and_predecessors(
    restructured: Restructured, database_url: str, uid: str
) -> None:
    s = restructured.s
    async with api_client(database_url, uid) as http:
        # The API's option, in its OpenAPI document (which Schemathesis runs through).
        spec = (await http.get("/openapi.json")).json()
        for path in ("province/{province_id}", "ministry/{ministry_id}",
                     "department/{department_code}"):  # fmt: skip
            names = [p["name"] for p in spec["paths"][f"/rollups/{path}"]["get"]["parameters"]]
            assert "with_predecessors" in names
        assert "/provinces" in spec["paths"]
        own = await http.get(f"/rollups/province/{s.ca_mau}", params={"year": 2026})
        whole = await http.get(
            f"/rollups/province/{s.ca_mau}",
            params={"year": 2026, "with_predecessors": "true"},
        )
        assert own.status_code == whole.status_code == 200
        assert own.json()["with_predecessors"] is False
        assert whole.json()["registrations"]["individuals"] == 4
        assert own.json()["registrations"]["individuals"] == 2
        assert [p["id"] for p in whole.json()["parts"]] == [s.ca_mau, s.bac_lieu]

        # The statutory forms too: with predecessors, each figure the sum of the parts'.
        forms = {}
        for key, scope, whole_form in (
            ("own", s.ca_mau, False), ("former", s.bac_lieu, False), ("whole", s.ca_mau, True)
        ):  # fmt: skip
            reply = await http.get(
                "/forms/0601.N",
                params={"scope_kind": "province", "scope_id": scope, "year": 2026,
                        "with_predecessors": str(whole_form).lower()},
            )  # fmt: skip
            assert reply.status_code == 200, reply.text
            forms[key] = reply.json()
        assert forms["whole"]["scope_label"] == "Tỉnh Cà Mau (gồm tỉnh Bạc Liêu cũ)"
        for whole_row, own_row, former_row in zip(
            forms["whole"]["rows"], forms["own"]["rows"], forms["former"]["rows"], strict=True
        ):
            for column, value in whole_row["values"].items():
                parts = own_row["values"].get(column, 0) + former_row["values"].get(column, 0)
                assert value == parts, (whole_row["label"], column)

        # The province list: today's, the former ones beneath their successor.
        listed = (await http.get("/provinces")).json()
        assert [p["id"] for p in listed] == [s.ca_mau]
        formers = listed[0]["formers"]
        assert [(f["id"], f["note"]) for f in formers] == [
            (s.bac_lieu, "đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025")
        ]
        ministries = (await http.get("/ministries")).json()
        assert {m["id"] for m in ministries} == {s.bct, s.btc}
        assert [f["id"] for m in ministries for f in m["formers"]] == [s.bkhdt]

        home = (await http.get("/")).text
        assert f'data-former-of="{s.ca_mau}"' in home and f'data-former-of="{s.btc}"' in home
        assert home.index(f'data-id="{s.ca_mau}"') < home.index(f'data-id="{s.bac_lieu}"')

        # The former province's page keeps working, and says whom it merged into.
        page = await http.get(f"/tinh/{s.bac_lieu}", params={"nam": 2019})
        assert page.status_code == 200
        assert "đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025" in page.text
        assert f'data-successor="{s.ca_mau}"' in page.text
        # The successor's page: the checkbox, and each department's former province.
        plain = (await http.get(f"/tinh/{s.ca_mau}", params={"nam": 2026})).text
        assert (
            'id="with-predecessors"' in plain
            and "checked" not in plain.split('id="with-predecessors"')[1].split(">")[0]
        )
        assert "Gồm cả tỉnh cũ đã hợp nhất (Bạc Liêu)" in plain
        assert "gồm tỉnh Bạc Liêu cũ" not in plain
        checked = await http.get(f"/tinh/{s.ca_mau}", params={"nam": 2026, "gom-tien-than": "true"})
        assert checked.status_code == 200
        assert "gồm tỉnh Bạc Liêu cũ" in checked.text
        assert 'id="predecessors-included"' in checked.text

        # The XLSX: a column naming the former organisation each figure came from.
        xlsx = await http.get(
            "/tai-ve/tong-hop",
            params={"cap": "tinh", "ma": s.ca_mau, "nam": 2026, "dinh-dang": "xlsx",
                    "gom-tien-than": "true"},
        )  # fmt: skip
        assert xlsx.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
        rows = [list(r) for r in book["Sở"].iter_rows(values_only=True)]
        header = next(r for r in rows if r and r[0] == "Mã sở")
        column = header.index("Từ tổ chức cũ")
        by_code = {r[0]: r[column] for r in rows[rows.index(header) + 1 :] if r and r[0]}
        assert by_code[s.sct_bl] == "gồm tỉnh Bạc Liêu cũ"
        assert by_code[s.sct_cm] in ("", None)
        parts = [list(r) for r in book["Theo tổ chức cũ"].iter_rows(values_only=True)]
        assert any(r[0] == s.bac_lieu and r[2] == "gồm tỉnh Bạc Liêu cũ" for r in parts)
