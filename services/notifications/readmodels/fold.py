"""Folding one batch's changes per key before writing them: one statement per table and kind of
change, whatever the batch's size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thidua.es.db import Conn


class Patches:
    """Per key, the columns the batch set (later facts win), and the columns of the rows the
    batch created (an insert, or an upsert of them)."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.created: dict[str, frozenset[str]] = {}

    def create(self, key: str, **columns: Any) -> None:
        self.rows.setdefault(key, {}).update(columns)
        self.created[key] = self.created.get(key, frozenset()) | frozenset(columns)

    def set(self, key: str, **columns: Any) -> None:
        self.rows.setdefault(key, {}).update(columns)

    def inserts(self, *columns: str) -> list[tuple[Any, ...]]:
        """(key, *columns) of each created row, with the batch's later changes folded in."""
        return [(k, *(self.rows[k].get(c) for c in columns)) for k in self.created]

    def updates(self, *columns: str) -> list[tuple[Any, ...]]:
        """(key, *columns) of each row changed beyond what its insert wrote (None: unchanged)."""
        return [
            (k, *(row.get(c) for c in columns))
            for k, row in self.rows.items()
            if not set(row) <= self.created.get(k, frozenset())
        ]


async def write(conn: Conn, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """``sql`` takes one array per column (``unnest($1::text[], ...)``); nothing to write: no
    statement. Rows go in the order of their keys (the leading columns), so two instances
    writing the same rows lock them in the same order and do not deadlock."""
    if rows:
        ordered = sorted(rows, key=lambda row: [str(v) for v in row[:3]])
        await conn.execute(sql, *[list(column) for column in zip(*ordered, strict=True)])
