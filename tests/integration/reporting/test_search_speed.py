"""How fast the search answers over a large model (issue 18: p99 ≤ 20 ms): a model schema
made by the reporting migrations on the real test stack, filled directly through its tables
(``THIDUA_SEARCH_BENCH_PEOPLE`` people, 200,000 by default, with Vietnamese names drawn by
their real frequencies, in 5,000 units of 250 departments of 25 provinces), then the API's
query (``search``, in a read-only snapshot as the API reads) timed per kind of query.

A benchmark, not part of ``make test``: it runs only with ``THIDUA_SEARCH_BENCH=1`` and prints
the p50/p99 of each kind (``THIDUA_SEARCH_BENCH_OUT=file.json`` keeps them)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.reporting.readmodels.projection import MIGRATIONS_DIR
from services.reporting.search.queries import Filters, SearchResults, search
from thidua.auth import Principal
from thidua.es.db import create_pool
from thidua.es.migrations import apply_migrations, load_migrations

pytestmark = pytest.mark.skipif(
    not os.environ.get("THIDUA_SEARCH_BENCH"), reason="a benchmark: THIDUA_SEARCH_BENCH=1"
)

PEOPLE = int(os.environ.get("THIDUA_SEARCH_BENCH_PEOPLE", "200000"))
PROVINCES, DEPARTMENTS_EACH, UNITS_EACH = 25, 10, 20
ROUNDS = 200
# Surnames by their share of the population (per cent, rounded), middle and given names.
SURNAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9, "Phạm": 7, "Hoàng": 5, "Huỳnh": 4, "Phan": 4, "Vũ": 4,
    "Võ": 3, "Đặng": 2, "Bùi": 2, "Đỗ": 2, "Hồ": 2, "Ngô": 1, "Dương": 1, "Lý": 1, "Đào": 1,
    "Đinh": 1, "Đoàn": 1, "Lâm": 1,
}  # fmt: skip
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Xuân", "Kim",
          "Hồng", "Bảo", "Gia", "Thế", "Công", "Đình", "Anh", "Mỹ", "Phương")  # fmt: skip
GIVEN = ("Hoa", "Lan", "Hùng", "Dũng", "Hà", "Mai", "Sơn", "Tuấn", "Hương", "Nga", "Hải",
         "Bình", "Đạt", "Long", "Nam", "Linh", "Trang", "Thảo", "Huy", "Khoa", "Phúc", "Yến",
         "Vy", "Ngân", "Quân", "Hiếu", "Trung", "Tâm", "Nhung", "Loan", "Cường", "Đông",
         "Giang", "Hạnh", "Hiền", "Khánh", "Lộc", "Minh", "Nhân", "Oanh", "Quyên", "Sang",
         "Thắng", "Thủy", "Tú", "Uyên", "Việt", "Xuân", "Yên", "Đức")  # fmt: skip
UNIT_WORDS = ("Văn phòng", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý công nghiệp",
              "Chi cục Quản lý thị trường", "Thanh tra", "Trung tâm Khuyến công",
              "Phòng Quản lý thương mại", "Phòng Kỹ thuật an toàn - Môi trường",
              "Đội Quản lý thị trường số", "Trung tâm Xúc tiến thương mại")  # fmt: skip


def person_name(rng: random.Random) -> str:
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    return f"{surname} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


async def fill(conn: Any, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """The dimensions; returns every person as (id, name, department, unit)."""
    departments = [
        (f"so-{p:02d}-{d:02d}", f"Sở số {d} tỉnh {p}", f"tinh-{p:02d}", f"bo-{d:02d}")
        for p in range(PROVINCES)
        for d in range(DEPARTMENTS_EACH)
    ]
    await conn.copy_records_to_table(
        "reporting_provinces",
        records=[(f"tinh-{p:02d}", f"Tỉnh {p}") for p in range(PROVINCES)],
        columns=["province_id", "name"],
    )
    await conn.copy_records_to_table(
        "reporting_departments",
        records=departments,
        columns=["department_code", "name", "province_id", "ministry_id"],
    )
    units = [
        (f"{code}/u{u:02d}", code, f"{UNIT_WORDS[u % len(UNIT_WORDS)]} {u}", "section",
         date(2010, 1, 1))
        for code, *_ in departments
        for u in range(UNITS_EACH)
    ]  # fmt: skip
    await conn.copy_records_to_table(
        "reporting_units",
        records=units,
        columns=["unit_id", "department_code", "name", "kind", "established_on"],
    )
    people = []
    for n in range(PEOPLE):
        unit_id, code = rng.choice(units)[:2]
        people.append((f"{code}/p-{n:06d}", person_name(rng), code, unit_id))
    await conn.copy_records_to_table(
        "reporting_people",
        records=[
            (pid, code, name, rng.choice(("male", "female")), date(2012, 1, 2))
            for pid, name, code, _ in people
        ],
        columns=["person_id", "department_code", "full_name", "sex", "joined_on"],
    )
    await conn.copy_records_to_table(
        "reporting_person_history",
        records=[(pid, 0, date(2012, 1, 2), unit, False) for pid, _, _, unit in people],
        columns=["person_id", "seq", "effective_on", "unit_id", "is_leader"],
    )
    await conn.execute("ANALYZE")
    return people


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def test_search_times_over_a_large_model(database_url: str, uid: str) -> None:
    schema = f"test_{uid}_search_bench"
    pool = await create_pool(database_url, schema, max_size=2)
    rng = random.Random(18)
    central = Principal("bench", "bench", frozenset({"board"}), province="*")
    try:
        await apply_migrations(pool, load_migrations("reporting", MIGRATIONS_DIR))
        async with pool.acquire() as conn:
            started = time.perf_counter()
            people = await fill(conn, rng)
            filled = time.perf_counter() - started
        sample = rng.sample(people, ROUNDS)

        def department_reader(code: str) -> Principal:
            return Principal("bench", "bench", frozenset({"department"}), department=code)

        async def timed(q: str, filters: Filters, who: Principal) -> SearchResults:
            async with (
                pool.acquire() as conn,
                conn.transaction(isolation="repeatable_read", readonly=True),
            ):
                return await search(conn, q, filters, who)

        def full_name(i: int) -> tuple[str, Filters, Principal, str | None]:
            pid, name, _, _ = sample[i]
            return fold_plain(name), Filters(), central, pid

        def full_name_in_department(i: int) -> tuple[str, Filters, Principal, str | None]:
            pid, name, code, _ = sample[i]
            return fold_plain(name), Filters(), department_reader(code), pid

        def given_name_in_province(i: int) -> tuple[str, Filters, Principal, str | None]:
            _, name, code, _ = sample[i]
            return name.split()[-1], Filters(province=f"tinh-{code[3:5]}"), central, None

        def surname_and_given(i: int) -> tuple[str, Filters, Principal, str | None]:
            _, name, _, _ = sample[i]
            words = name.split()
            return fold_plain(f"{words[0]} {words[-1]}"), Filters(), central, None

        def common_surname(i: int) -> tuple[str, Filters, Principal, str | None]:
            return ("nguyen", "tran", "le", "pham")[i % 4], Filters(), central, None

        def unit_name(i: int) -> tuple[str, Filters, Principal, str | None]:
            return (
                ("quan ly thi truong", "khuyen cong", "van phong")[i % 3],
                Filters(),
                central,
                None,
            )

        figures: dict[str, dict[str, float]] = {}
        for label, make in (
            ("họ tên đủ, không dấu", full_name),
            ("họ tên đủ, cán bộ một Sở", full_name_in_department),
            ("họ và tên (2 từ)", surname_and_given),
            ("tên, lọc theo tỉnh", given_name_in_province),
            ("tên đơn vị", unit_name),
            ("chỉ họ phổ biến (nguyen, tran…)", common_surname),
        ):
            times = []
            for i in range(ROUNDS):
                q, filters, who, expected = make(i)
                started = time.perf_counter()
                found = await timed(q, filters, who)
                times.append((time.perf_counter() - started) * 1000)
                assert found.total > 0, q
                if expected is not None:
                    assert expected in {h.id for h in found.hits} or found.total > 20, q
            figures[label] = {
                "p50_ms": round(statistics.median(times), 2),
                "p99_ms": round(percentile(times, 0.99), 2),
            }
        units = PROVINCES * DEPARTMENTS_EACH * UNITS_EACH
        report = {"people": PEOPLE, "units": units, "fill_s": round(filled, 1), "queries": figures}
        print(json.dumps(report, ensure_ascii=False, indent=2))
        out = os.environ.get("THIDUA_SEARCH_BENCH_OUT")
        if out:
            text = json.dumps(report, ensure_ascii=False, indent=2)
            await asyncio.to_thread(Path(out).write_text, text)
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await pool.close()


def fold_plain(name: str) -> str:
    """A name as typed without diacritics (the search must fold the stored one to match)."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()
