"""The search by word arrays (model format 9) finds the same names in the same order as the
plain ``LIKE`` over the folded names, ranked by ``word_similarity`` (format 7's query, kept
here as the reference): names written by the projection's own two paths (``COPY`` into an
empty model, and the upsert), a renamed person found by their new name only, partial words,
LIKE's own characters, scopes and filters, and a second page."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from services.reporting.readmodels.projection import MIGRATIONS_DIR, MODEL_FORMAT, model_format
from services.reporting.readmodels.tables import PEOPLE, UNITS
from services.reporting.readmodels.write import put_rows
from services.reporting.search.queries import Filters, like_pattern, search
from thidua.auth import Principal
from thidua.bench.names import fold_plain, person_name, unit_name
from thidua.es.db import create_pool
from thidua.es.migrations import apply_migrations, load_migrations

CENTRAL = Principal("t", "t", frozenset({"board"}), province="*")
ODD_NAMES = ("Đỗ Thị Hoa", "Lê  Lê", "Nguyễn Văn Hoàng", "Phạm Khoa", "Trần 100%_Đạt")


def person(n: int, name: str, department: str) -> tuple[Any, ...]:
    return (f"{department}/p{n:04d}", department, name, "female", date(2015, 1, 5), None, "[]")


async def reference(conn: Any, q: str, filters: Filters, who: Principal) -> list[tuple[Any, ...]]:
    """Format 7's search: every word a substring of the folded name, by word similarity."""
    words = str(await conn.fetchval("SELECT search_fold($1)", q)).split()
    args: list[Any] = [" ".join(words)]
    likes = []
    for w in words:
        args.append(like_pattern(w))
        likes.append(f"search_name LIKE ${len(args)}")
    where = " AND ".join(likes)
    if filters.province:
        args.append(filters.province)
        where += f" AND d.province_id = ${len(args)}"
    if who.department:
        args.append(who.department)
        where += f" AND d.department_code = ${len(args)}"
    rows = await conn.fetch(
        f"""SELECT id, score FROM (
              SELECT p.person_id AS id, p.full_name AS name, word_similarity($1, search_name) score
                FROM reporting_people p JOIN reporting_departments d USING (department_code)
               WHERE {where}
              UNION ALL
              SELECT u.unit_id, u.name, word_similarity($1, search_name)
                FROM reporting_units u JOIN reporting_departments d USING (department_code)
               WHERE {where}) h
            ORDER BY h.score DESC, h.name, h.id""",
        *args,
    )
    return [(r["id"], round(float(r["score"]), 3)) for r in rows]


async def test_word_arrays_find_what_like_found_in_the_same_order(
    database_url: str, uid: str
) -> None:
    schema = f"test_{uid}_search_words"
    pool = await create_pool(database_url, schema, max_size=2)
    rng = random.Random(9)
    try:
        await apply_migrations(pool, load_migrations("reporting", MIGRATIONS_DIR))
        async with pool.acquire() as conn:
            await conn.executemany(
                "INSERT INTO reporting_provinces (province_id, name) VALUES ($1, $2)",
                [("tinh-a", "Tỉnh A"), ("tinh-b", "Tỉnh B")],
            )
            await conn.executemany(
                """INSERT INTO reporting_departments (department_code, name, province_id,
                       ministry_id) VALUES ($1, $2, $3, 'bo-ct')""",
                [("so-a", "Sở A", "tinh-a"), ("so-b", "Sở B", "tinh-b")],
            )
            units = [
                (f"{d}/u{n}", d, unit_name(n), "section", None, date(2010, 1, 1), None, 5)
                for d in ("so-a", "so-b")
                for n in range(12)
            ]
            units.append(("so-a/x", "so-a", "Đội 50%_số_1", "section", None, date(2010, 1, 1),
                          None, 3))  # fmt: skip
            await put_rows(conn, UNITS, units, bulk=True)
            copied = [person(n, person_name(rng), ("so-a", "so-b")[n % 2]) for n in range(300)]
            await put_rows(conn, PEOPLE, copied, bulk=True)  # COPY, as a rebuild writes
            upserted = [person(300 + n, name, "so-a") for n, name in enumerate(ODD_NAMES)]
            await put_rows(conn, PEOPLE, upserted, bulk=False)  # the live projection's upsert
            await put_rows(conn, PEOPLE, [person(0, "Vương Quỳnh", "so-a")], bulk=False)
            vocabulary = {r[0] for r in await conn.fetch("SELECT word FROM reporting_search_words")}
            assert {"vuong", "quynh", "do", "100%_dat", "50%_so_1"} <= vocabulary

            officer = Principal("t", "t", frozenset({"department"}), department="so-b")
            queries: list[tuple[str, Filters, Principal]] = [
                ("vuong quynh", Filters(), CENTRAL),
                ("Vương", Filters(), officer),
                ("do thi hoa", Filters(), CENTRAL),
                ("le le", Filters(), CENTRAL),
                ("hoa", Filters(), CENTRAL),  # Hoa, Hoàng, Khoa
                ("hoa", Filters(province="tinh-b"), CENTRAL),
                ("ng", Filters(), CENTRAL),
                ("uye thi", Filters(), officer),
                ("%_", Filters(), CENTRAL),
                ("50%", Filters(), CENTRAL),
                ("quan ly thi truong", Filters(), CENTRAL),
                ("van phong", Filters(province="tinh-a"), CENTRAL),
                ("zzz", Filters(), CENTRAL),
            ]
            for _, _, name, *_ in copied[1:40]:
                words = fold_plain(name).split()
                queries.append((fold_plain(name), Filters(), CENTRAL))
                queries.append((f"{words[0]} {words[-1]}", Filters(), CENTRAL))
                queries.append((f"{words[-1]} {words[0]}", Filters(), CENTRAL))
                queries.append((words[-1], Filters(province="tinh-a"), CENTRAL))
            found_none = []
            for q, filters, who in queries:
                expected = await reference(conn, q, filters, who)
                for page in (1, 2):
                    got = await search(conn, q, filters, who, page=page)
                    assert got.total == len(expected), q
                    assert [(h.id, h.score) for h in got.hits] == expected[
                        (page - 1) * got.per_page : page * got.per_page
                    ], (q, page)
                if not expected:
                    found_none.append((q, filters.province))
            # Vương Quỳnh is of Sở A, out of Sở B's officer's reach; a given name may have no
            # one in province A
            assert {q for q, province in found_none if province is None} == {"zzz", "Vương"}
            renamed = await search(conn, copied[0][2], Filters(), CENTRAL)
            assert "so-a/p0000" not in {h.id for h in renamed.hits}  # not by the old name
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await pool.close()


async def test_a_model_made_without_the_word_arrays_gets_them_and_keeps_its_format(
    database_url: str, uid: str
) -> None:
    """A model made by every migration but 0009 (main's format 10 came first) gets it at the
    next start: the names already there are found, and the format stays the code's."""
    schema = f"test_{uid}_search_words_late"
    pool = await create_pool(database_url, schema, max_size=2)
    migrations = load_migrations("reporting", MIGRATIONS_DIR)
    try:
        await apply_migrations(pool, [m for m in migrations if m.version != 9])
        async with pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO reporting_departments (department_code, name, province_id,
                       ministry_id) VALUES ('so-a', 'Sở A', 'tinh-a', 'bo-ct')"""
            )
            await put_rows(conn, PEOPLE, [person(1, "Đào Thị Hoa", "so-a")], bulk=False)
        assert [m.version for m in await apply_migrations(pool, migrations)] == [9]
        async with pool.acquire() as conn:
            assert await model_format(conn) == MODEL_FORMAT
            found = await search(conn, "dao hoa", Filters(), CENTRAL)
            assert [h.id for h in found.hits] == ["so-a/p0001"]
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await pool.close()
