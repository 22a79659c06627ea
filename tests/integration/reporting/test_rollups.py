"""Province and ministry rollups from the seed scenario, every figure checked against values
computed here from the same inputs; as-of dates; a rebuild equal to the live model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from scenarios.seeds import BAC_LIEU, GIA_LAI, KHANH_HOA
from services.reporting import app as reporting
from services.reporting.queries import (
    Rollup,
    campaigns_in,
    ministry_rollup,
    province_rollup,
    unit_detail,
)
from services.reporting.queries import rollup as scope_rollup
from services.reporting.rebuild import rebuild
from tests.integration.reporting.conftest import client_of
from tests.integration.reporting.expected import expected, pct, q2
from tests.integration.reporting.scenario import Feed
from thidua.es.db import Pool, create_pool
from thidua.es.service import ServiceRuntime


def check(rollup: Rollup, want: dict[str, Any], *, gia_lai: bool) -> None:
    s = rollup.staff
    assert (s.staff, s.women, s.leaders, s.non_leaders, s.units) == want["staff"]
    r = rollup.registrations
    units, individuals, women = want["registrations"]
    assert (r.units, r.units_on_time) == (units, units)  # all before the 30/08 deadline
    assert (r.individuals, r.individuals_on_time, r.individuals_women) == (
        individuals,
        individuals,
        women,
    )
    assert r.share_of_staff_percent == q2(pct(individuals, want["staff"][0]))
    assert r.women_percent == q2(pct(women, individuals))
    assert {a.title: a.count for a in rollup.awards if a.count} == want["awarded"]
    assert {a.title: a.women for a in rollup.awards if a.women} == want["awarded_women"]
    assert {a.title: a.non_leaders for a in rollup.awards if a.non_leaders} == want[
        "awarded_non_leaders"
    ]
    assert {a.title: a.revoked for a in rollup.awards if a.revoked} == want["revoked"]
    assert rollup.cash_vnd == want["cash"] == sum(a.cash_vnd for a in rollup.awards)
    assert rollup.nominations == want["nominations"]
    d = rollup.dossiers
    received, late, returned, reasons = want["dossiers"]
    assert (d.received, d.late, d.returned, d.return_reasons) == (
        received,
        late,
        returned,
        reasons,
    )
    assert rollup.reference_date == want["on"]
    if gia_lai:
        # Initiatives of the Sở Công Thương Gia Lai (all three submitted 15/10/2018).
        assert rollup.initiatives.submitted == {"management": 1, "operational": 1, "technical": 1}
        assert {(x.kind, x.level): x.count for x in rollup.initiatives.recognized} == {
            ("management", "unit"): 1,
            ("technical", "ministry_province"): 1,
        }
        assert rollup.initiatives.rejected == {"operational": 1}


def check_attainment(rollup: Rollup, feed: Feed, gl: str) -> None:
    """The Gia Lai 2018 plan's targets, measured on the department's own figures."""
    want = expected(feed, {gl}, rollup.as_of)
    staff, _, _, non_leaders, units = want["staff"]
    got = {(a.department_code, a.title): a for a in rollup.attainment}
    assert {d for d, _ in got} == {gl}  # only Gia Lai has a plan for 2018
    awarded = want["awarded"]
    targets: list[tuple[str, Decimal | None, int, bool]] = [
        ("LDTT", pct(awarded.get("LDTT", 0), staff), 90, True),
        ("CSTDCS", pct(want["awarded_non_leaders"].get("CSTDCS", 0), non_leaders), 15, False),
        ("TTLDTT", pct(awarded.get("TTLDTT", 0), units), 100, False),
        ("TTLDXS", pct(awarded.get("TTLDXS", 0), units), 30, True),
        ("CO_THI_DUA", Decimal(awarded.get("CO_THI_DUA", 0)), 1, False),
    ]
    for title, exact, target, at_least in targets:
        row = got[(gl, title)]
        actual = q2(exact)
        assert actual is not None
        assert row.actual == actual, title
        assert row.attainment_percent == q2(actual * 100 / target), title
        assert row.met is (actual >= target if at_least else actual == target), title


async def test_province_and_ministry_rollups_match_figures_computed_from_the_inputs(
    live: tuple[Feed, ServiceRuntime, Pool, tuple[str, str]],
) -> None:
    feed, _, pool, _ = live
    sc = feed.scenario
    gl, bl, kh = sc.code(GIA_LAI), sc.code(BAC_LIEU), sc.code(KHANH_HOA)
    async with pool.acquire() as conn:
        province = await province_rollup(conn, "gia-lai", 2018)
        ministry = await ministry_rollup(conn, "bct", 2018)
    check(province, expected(feed, {gl}, None), gia_lai=True)
    want_ministry = expected(feed, {gl, bl, kh}, None)
    want_awarded: dict[str, int] = want_ministry["awarded"]
    check(ministry, want_ministry, gia_lai=True)
    check_attainment(province, feed, gl)
    check_attainment(ministry, feed, gl)
    assert province.scope.name == "Gia Lai"
    assert ministry.scope.name == "Bộ Công Thương"
    assert {c.id for c in ministry.children} == {gl, bl, kh}
    assert sum(c.cash_vnd for c in ministry.children) == ministry.cash_vnd
    # The departments of the three provinces add up to the ministry (the sector axis).
    assert sum(c.awards for c in ministry.children) == sum(want_awarded.values())


async def test_an_as_of_date_before_a_decision_leaves_it_out(
    live: tuple[Feed, ServiceRuntime, Pool, tuple[str, str]],
) -> None:
    feed, _, pool, _ = live
    gl = feed.scenario.code(GIA_LAI)
    async with pool.acquire() as conn:
        before_flag = await province_rollup(conn, "gia-lai", 2018, as_of=date(2019, 1, 10))
        before_revocation = await province_rollup(conn, "gia-lai", 2018, as_of=date(2019, 2, 1))
        mid_year = await province_rollup(conn, "gia-lai", 2018, as_of=date(2018, 5, 1))
        live_now = await province_rollup(conn, "gia-lai", 2018)
        facts = await unit_detail(conn, "sct-gialai/vp", 2018, figure="awards")
    # The flag decided on 15/01/2019 is not there on 10/01/2019, and is on 01/02/2019.
    assert "CO_THI_DUA" not in {a.title for a in before_flag.awards}
    assert {a.title: a.count for a in before_revocation.awards}["CO_THI_DUA"] == 1
    # The LĐTT revoked on 01/03/2019 still counts on 01/02/2019, not any more today.
    ldtt = {a.title: a.count for a in before_revocation.awards}["LDTT"]
    assert ldtt == {a.title: a.count for a in live_now.awards}["LDTT"] + 1
    for day, rollup in (
        (date(2019, 1, 10), before_flag),
        (date(2019, 2, 1), before_revocation),
        (date(2018, 5, 1), mid_year),
    ):
        check(rollup, expected(feed, {gl}, day), gia_lai=day.year == 2019)
        check_attainment(rollup, feed, gl)
    assert mid_year.as_of_label == "01/05/2018"
    # Drill-down: the Văn phòng's awards are exactly its approvals and the revocation.
    want = {
        feed.decision_events[n]
        for n in (
            "gl/ldtt-0042",
            "gl/ldtt-0100",
            "gl/cstdcs-0042",
            "gl/cstdtq-0042",
            "gl/ttldtt-vp",
        )
    }
    revocation = next(e.id for _, e in feed.awards if e.type == "vn.thidua.awards.AwardRevoked.v1")
    assert {f.event_id for f in facts} == want | {revocation}
    assert sum(f.count for f in facts) == len(want) - 1


async def test_figures_as_of_a_date_after_every_fact_equal_the_live_figures(
    live: tuple[Feed, ServiceRuntime, Pool, tuple[str, str]],
) -> None:
    """As-of figures (dated counters, a unit's lines) and live figures (counters) are read
    from different tables: after the last fact they must agree for every scope and campaign."""
    feed, _, pool, _ = live
    gl = feed.scenario.code(GIA_LAI)
    later = date(2100, 1, 1)
    async with pool.acquire() as conn:
        campaigns = [c.id for c in await campaigns_in(conn, "province", "gia-lai", 2018)]
        unit = await conn.fetchval(
            "SELECT unit_id FROM reporting_units WHERE department_code = $1 ORDER BY 1", gl
        )
        assert campaigns
        compared = 0
        for kind, scope in (
            ("province", "gia-lai"),
            ("ministry", "bct"),
            ("department", gl),
            ("unit", unit),
        ):
            for campaign in (None, *campaigns):
                now = await scope_rollup(conn, kind, scope, 2018, campaign_id=campaign)
                then = await scope_rollup(
                    conn, kind, scope, 2018, as_of=later, campaign_id=campaign
                )
                exclude = {"as_of", "as_of_label"}
                assert then.model_dump(exclude=exclude) == now.model_dump(exclude=exclude)
                compared += bool(now.awards or now.registrations.individuals)
    assert compared >= 4  # figures were there to compare, for every kind of scope


MODEL_TABLES = (
    ("reporting_counters", "1, 2, 3, 4, 5, 6, 7"),
    ("reporting_dated_counters", "1, 2, 3, 4, 5, 6, 7, 8"),
    ("reporting_staff_changes", "1, 2"),
    ("reporting_fact_lines", "1, 2, 3, 4, 5, 6, 7, 8, 9, 10"),
    ("reporting_facts", "event_id"),
    ("reporting_nominations", "nomination_id"),
    ("reporting_initiatives", "initiative_id"),
    ("reporting_ministries", "ministry_id"),
    ("reporting_provinces", "province_id"),
    ("reporting_departments", "department_code"),
    ("reporting_units", "unit_id"),
    ("reporting_lifecycle", "event_id"),
)


DAY_KEY = "department_code, effective_on, year, figure, key"
DAY_SUMS = f"""SELECT {DAY_KEY}, sum(count)::bigint, sum(amount)::bigint FROM {{}}
               GROUP BY {DAY_KEY} HAVING sum(count) <> 0 OR sum(amount) <> 0 ORDER BY {DAY_KEY}"""
"""The day counters' sums per key (a key has a row per batch that moved it)."""


async def model_rows(pool: Pool) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the model's tables, in a fixed order, and the day counters' sums (to
    compare two models)."""
    rows = {
        table: [tuple(r) for r in await pool.fetch(f"SELECT * FROM {table} ORDER BY {order}")]
        for table, order in MODEL_TABLES
    }
    sums = await pool.fetch(DAY_SUMS.format("reporting_day_counters"))
    rows["reporting_day_counters"] = [tuple(r) for r in sums]
    return rows


async def day_counters_and_lines(pool: Pool) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The day counters' sums, and the same sums made from the lines (they must be equal)."""
    counters = await pool.fetch(DAY_SUMS.format("reporting_day_counters"))
    sums = await pool.fetch(
        DAY_SUMS.format(
            """(SELECT department_code, effective_on, year, u.figure, u.key, u.count, u.amount
                FROM reporting_fact_lines,
                     unnest(figures, keys, counts, amounts) AS u(figure, key, count, amount)
                WHERE department_code IS NOT NULL) l"""
        )
    )
    return [tuple(r) for r in counters], [tuple(r) for r in sums]


async def test_a_rebuilt_model_equals_the_live_one_and_readers_switch_to_it_whole(
    live: tuple[Feed, ServiceRuntime, Pool, tuple[str, str]],
    database_url: str,
    bootstrap: str,
    uid: str,
) -> None:
    feed, _, pool, source = live
    control = f"test_{uid}_ctl"
    api_pool = await create_pool(database_url, control)
    try:
        async with client_of(api_pool, control) as http:
            before = await http.get("/rollups/province/gia-lai", params={"year": 2018})
            assert before.status_code == 200
            progress: list[tuple[int, int]] = []
            rebuilt = await rebuild(
                database_url,
                bootstrap,
                lambda d, t: progress.append((d, t)),
                control_schema=control,
                source_topics=source,
                dlq_topic=f"test.{uid}.reporting.dlq",
            )
            new = rebuilt.schema
            assert new == f"{control}_2"
            assert rebuilt.skipped == 0
            total = len(feed.registration) + len(feed.awards)
            assert progress[-1] == (total, total)
            rebuilt = await create_pool(database_url, new)
            try:
                assert await model_rows(rebuilt) == await model_rows(pool)
            finally:
                await rebuilt.close()
            after = await http.get("/rollups/province/gia-lai", params={"year": 2018})
            assert after.json() == before.json()
            form = await http.get(
                "/forms/0603.N",
                params={"scope_kind": "ministry", "scope_id": "bct", "year": 2018},
            )
            rows = {r["code"]: r["values"] for r in form.json()["rows"]}
            # Ministry/province-level awards: the flag (provincial chair) and the Bằng khen.
            assert rows["total"]["total"] == 2
            assert rows["CO_THI_DUA"]["collective"] == 1
            assert rows["BANG_KHEN"]["method.sudden"] == 1
            state = await http.get(
                "/forms/0602.N",
                params={"scope_kind": "province", "scope_id": "gia-lai", "year": 2018},
            )
            assert {r["code"]: r["values"]["individual"] for r in state.json()["rows"]} == {
                "total": 1,
                "CSTD_TOAN_QUOC": 1,
            }
        assert await reporting.current_model(api_pool, control) == new
    finally:
        await api_pool.close()
