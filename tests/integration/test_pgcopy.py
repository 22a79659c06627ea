"""Rows copied with ``thidua.es.pgcopy`` read back from PostgreSQL exactly as the same rows
copied with asyncpg's own encoder (``copy_records_to_table``), on the reporting model's
lines table shape."""

from __future__ import annotations

from datetime import date

from services.reporting.readmodels.lines import LinesRow
from services.reporting.readmodels.tables import LINES_COLUMNS, LINES_KINDS
from thidua.es import pgcopy
from thidua.es.db import Pool

AWKWARD = [
    "",
    "Nguyễn Thị Hoa",
    'a "quoted", {braced} value',
    "back\\slash",
    "tab\tnew\nline\rreturn",
    "NULL",
    " spaces ",
    "đ" * 3000,
]


def _rows() -> list[LinesRow]:
    rows = []
    for n, text in enumerate(AWKWARD * 3):  # repeated values: the encoder's memo
        rows.append(
            LinesRow(
                f"e-{n}",
                "2025",
                "H1" if n % 2 else "",
                text,
                str(n % 3),
                date(1999, 12, 31) if n % 4 == 0 else date(2025, 1 + n % 12, 1 + n % 28),
                None if n % 3 == 0 else text,
                text or None,
                None,
                f"bo-{n % 2}",
                [text, "figure", text],
                ["k|" + text] if n % 5 else [],
                [n, -n, 2**31 - 1] if n % 5 else [],
                [2**62, -(2**40), 0] if n % 5 else [],
            )
        )
    return rows


async def test_rows_copied_by_the_encoder_read_back_as_asyncpgs_own(pool: Pool) -> None:
    rows = _rows()
    async with pool.acquire() as conn:
        for table in ("by_asyncpg", "by_pgcopy"):
            await conn.execute(
                f"""CREATE TABLE {table} (
                    event_id text PRIMARY KEY, year text NOT NULL, half text NOT NULL,
                    campaign_id text NOT NULL, phase text NOT NULL, effective_on date NOT NULL,
                    unit_id text, department_code text, province_id text, ministry_id text,
                    figures text[] NOT NULL, keys text[] NOT NULL, counts integer[] NOT NULL,
                    amounts bigint[] NOT NULL)"""
            )
        await conn.copy_records_to_table("by_asyncpg", records=rows, columns=LINES_COLUMNS)
        await conn.copy_to_table(
            "by_pgcopy",
            source=pgcopy.stream(rows, LINES_KINDS, chunk=7),
            columns=LINES_COLUMNS,
            format="binary",
        )
        theirs = await conn.fetch("SELECT * FROM by_asyncpg ORDER BY event_id")
        ours = await conn.fetch("SELECT * FROM by_pgcopy ORDER BY event_id")
        assert len(ours) == len(rows) == 24
        assert [tuple(r) for r in ours] == [tuple(r) for r in theirs]
        assert [tuple(r) for r in ours] == [
            tuple(r) for r in sorted(rows, key=lambda r: r.event_id)
        ]
        # Empty arrays are empty arrays, not NULLs (the columns refuse NULL).
        assert await conn.fetchval("SELECT count(*) FROM by_pgcopy WHERE keys = '{}'") == 5
