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
    encoder's life: make one per copy, not one per process."""

    def __init__(self, kinds: Sequence[Kind]) -> None:
        self.kinds = tuple(kinds)
        self._count = struct.pack(">h", len(self.kinds))
        self._seen: list[dict[Any, bytes]] = [{None: NULL} for _ in self.kinds]

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        """``rows``' fields, without the header or the trailer. Column by column: each
        column's values are looked up in one comprehension, then the rows interleaved."""
        width = len(self.kinds)
        if any(len(row) != width for row in rows):
            raise ValueError(f"every row must have {width} fields")
        columns = []
        for n, (kind, seen) in enumerate(zip(self.kinds, self._seen, strict=True)):
            values = [row[n] for row in rows]
            if kind in _ARRAYS:
                values = [None if v is None else tuple(v) for v in values]
            encode = _ENCODERS[kind]
            for value in set(values).difference(seen):
                seen[value] = encode(value)
            columns.append([seen[v] for v in values])
        return b"".join(chain.from_iterable(zip(repeat(self._count), *columns)))

    def encode(self, rows: Sequence[Sequence[Any]]) -> bytes:
        """A whole ``COPY`` stream of ``rows``."""
        return HEADER + self.rows(rows) + TRAILER


async def stream(
    rows: Sequence[Sequence[Any]], kinds: Sequence[Kind], chunk: int = 5000
) -> AsyncIterator[bytes]:
    """A ``COPY`` stream of ``rows`` in pieces of ``chunk`` rows (the event loop turns between
    pieces, and PostgreSQL reads the first while the next is encoded), for
    ``copy_to_table(source=..., format="binary")``."""
    pieces = (rows[start : start + chunk] for start in range(0, len(rows), chunk))
    async for data in stream_pieces(pieces, kinds):
        yield data


async def stream_pieces(
    pieces: Iterable[Sequence[Sequence[Any]]], kinds: Sequence[Kind]
) -> AsyncIterator[bytes]:
    """A ``COPY`` stream of rows made a piece at a time: each piece is made (by ``pieces``, an
    iterator that may do the work of making them) and sent before the next is asked for, so
    PostgreSQL stores a piece while the next is made."""
    encoder = Encoder(kinds)
    yield HEADER
    for piece in pieces:
        if piece:
            yield encoder.rows(piece)
        await asyncio.sleep(0)  # the event loop's other work runs between pieces
    yield TRAILER
