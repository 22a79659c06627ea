"""Rows in PostgreSQL's binary ``COPY`` format, for tables of text, dates and arrays.

asyncpg's ``copy_records_to_table`` encodes arrays element by element, asking of every
element whether it is itself a sequence (``isinstance`` against ``collections.abc``, a Python
call each): 14 µs a row of the reporting model's lines, four short arrays each, against 1 µs
a row of its facts. Such rows repeat their arrays and most of their strings, so this encoder
encodes each distinct value once per call (``encode``) and joins bytes; the result is sent
with ``copy_to_table(format="binary")``.

The format is PostgreSQL's own ("Binary Format" under ``COPY`` in its manual): a signature and
two zero words, then per row a 16-bit field count and each field as a 32-bit length (``-1``:
NULL) and its bytes in the type's binary ``send`` form, then ``-1`` as 16 bits. Dates are days
since 2000-01-01; a one-dimensional array is its dimension count, a has-NULLs flag, the
element type's OID, its length and lower bound (1), then each element as a field.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import date
from enum import Enum
from itertools import chain, repeat
from typing import Any

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
NULL = struct.pack(">i", -1)
_DATE_EPOCH = date(2000, 1, 1).toordinal()
_TEXT_OID, _INT4_OID, _INT8_OID = 25, 23, 20


class Kind(Enum):
    """A column's type, as the table declares it."""

    TEXT = "text"
    DATE = "date"
    TEXT_ARRAY = "text[]"
    INT4_ARRAY = "integer[]"
    INT8_ARRAY = "bigint[]"


def _with_length(body: bytes) -> bytes:
    return struct.pack(">i", len(body)) + body


def _text(value: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"text expected, got {type(value).__name__}: {value!r}")
    return _with_length(value.encode())


def _date(value: date) -> bytes:
    return struct.pack(">ii", 4, value.toordinal() - _DATE_EPOCH)


def _array_head(oid: int, n: int) -> bytes:
    return struct.pack(">iiiii", 1, 0, oid, n, 1) if n else struct.pack(">iii", 0, 0, oid)


def _text_array(values: tuple[str, ...]) -> bytes:
    return _with_length(
        b"".join([_array_head(_TEXT_OID, len(values)), *(_text(v) for v in values)])
    )


def _int_array(oid: int, width: str) -> Callable[[tuple[int, ...]], bytes]:
    size = struct.calcsize(">" + width)

    def encode(values: tuple[int, ...]) -> bytes:
        fields = struct.pack(
            ">" + ("i" + width) * len(values), *(x for v in values for x in (size, v))
        )
        return _with_length(_array_head(oid, len(values)) + fields)

    return encode


_ENCODERS: dict[Kind, Callable[[Any], bytes]] = {
    Kind.TEXT: _text,
    Kind.DATE: _date,
    Kind.TEXT_ARRAY: _text_array,
    Kind.INT4_ARRAY: _int_array(_INT4_OID, "i"),
    Kind.INT8_ARRAY: _int_array(_INT8_OID, "q"),
}
_ARRAYS = {Kind.TEXT_ARRAY, Kind.INT4_ARRAY, Kind.INT8_ARRAY}


class Encoder:
    """Encodes rows whose columns are ``kinds`` (``None`` in any column is NULL; arrays are
    sequences without NULLs). Each distinct value of a column is encoded once for the
    encoder's life: make one per copy, not one per process.

    ``runs`` (column counts, in order, summing to the row's width) groups adjacent columns
    whose values go together (a line's placement, its four arrays): each distinct run is
    encoded once and looked up as one value, instead of each of its columns (a replay's
    44,300 lines: 0.11 s instead of 0.19-0.21 s). Arrays in a run are best tuples (hashable
    as they are; lists are made tuples first). ``unique`` runs (by index: an event's id)
    differ in every row and are encoded without being remembered."""

    def __init__(
        self,
        kinds: Sequence[Kind],
        runs: Sequence[int] | None = None,
        unique: Iterable[int] = (),
    ) -> None:
        self.kinds = tuple(kinds)
        widths = tuple(runs) if runs is not None else (1,) * len(self.kinds)
        if sum(widths) != len(self.kinds) or min(widths, default=1) < 1:
            raise ValueError(f"runs {widths} must split the {len(self.kinds)} columns")
        starts = [sum(widths[:n]) for n in range(len(widths))]
        self._runs = [(start, start + width) for start, width in zip(starts, widths, strict=True)]
        self._unique = frozenset(unique)
        self._count = struct.pack(">h", len(self.kinds))
        self._seen: list[dict[Any, bytes]] = [{None: NULL} for _ in self.kinds]
        self._seen_runs: list[dict[Any, bytes]] = [{} for _ in self._runs]

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        """``rows``' fields, without the header or the trailer. Run by run: each run's values
        are looked up in one comprehension, then the rows interleaved."""
        width = len(self.kinds)
        if any(len(row) != width for row in rows):
            raise ValueError(f"every row must have {width} fields")
        columns = []
        for n, (start, stop) in enumerate(self._runs):
            if stop == start + 1:
                columns.append(self._column(start, [row[start] for row in rows], n))
            else:
                columns.append(self._run(n, start, stop, [row[start:stop] for row in rows]))
        return b"".join(chain.from_iterable(zip(repeat(self._count), *columns)))

    def _column(self, n: int, values: list[Any], run: int) -> list[bytes]:
        kind, seen = self.kinds[n], self._seen[n]
        encode = _ENCODERS[kind]
        if kind in _ARRAYS:
            values = [None if v is None else tuple(v) for v in values]
        if run in self._unique:
            return [NULL if v is None else encode(v) for v in values]
        for value in set(values).difference(seen):
            seen[value] = encode(value)
        return [seen[v] for v in values]

    def _run(self, n: int, start: int, stop: int, values: list[Any]) -> list[bytes]:
        seen = self._seen_runs[n]
        try:
            missing = set(values).difference(seen)
        except TypeError:  # lists among the arrays
            values = [tuple(_hashable(v) for v in value) for value in values]
            missing = set(values).difference(seen)
        for value in missing:
            seen[value] = b"".join(self._column(start + k, [v], -1)[0] for k, v in enumerate(value))
        return [seen[v] for v in values]

    def encode(self, rows: Sequence[Sequence[Any]]) -> bytes:
        """A whole ``COPY`` stream of ``rows``."""
        return HEADER + self.rows(rows) + TRAILER


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


async def stream(
    rows: Sequence[Sequence[Any]], kinds: Sequence[Kind] | Encoder, chunk: int = 5000
) -> AsyncIterator[bytes]:
    """A ``COPY`` stream of ``rows`` in pieces of ``chunk`` rows (the event loop turns between
    pieces, and PostgreSQL reads the first while the next is encoded), for
    ``copy_to_table(source=..., format="binary")``."""
    pieces = (rows[start : start + chunk] for start in range(0, len(rows), chunk))
    async for data in stream_pieces(pieces, kinds):
        yield data


async def stream_pieces(
    pieces: Iterable[Sequence[Sequence[Any]]], kinds: Sequence[Kind] | Encoder
) -> AsyncIterator[bytes]:
    """A ``COPY`` stream of rows made a piece at a time: each piece is made (by ``pieces``, an
    iterator that may do the work of making them) and sent before the next is asked for, so
    PostgreSQL stores a piece while the next is made. ``kinds``: the columns' kinds, or an
    encoder made for this copy alone."""
    encoder = kinds if isinstance(kinds, Encoder) else Encoder(kinds)
    yield HEADER
    for piece in pieces:
        if piece:
            yield encoder.rows(piece)
        await asyncio.sleep(0)  # the event loop's other work runs between pieces
    yield TRAILER
