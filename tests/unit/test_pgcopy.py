"""The binary COPY encoder's bytes (``thidua.es.pgcopy``); the same rows round-trip through
PostgreSQL in tests/integration/test_pgcopy.py."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import date

import pytest

from thidua.es.pgcopy import HEADER, NULL, TRAILER, Encoder, Kind, stream_pieces


def test_a_row_of_each_kind_is_encoded_as_postgresql_reads_it() -> None:
    encoder = Encoder(
        [Kind.TEXT, Kind.TEXT, Kind.DATE, Kind.TEXT_ARRAY, Kind.INT4_ARRAY, Kind.INT8_ARRAY]
    )
    got = encoder.encode([("Đào", None, date(2000, 1, 2), ["a", ""], [7], [-1, 2**40])])
    text = "Đào".encode()
    expected = (
        HEADER
        + struct.pack(">h", 6)
        + struct.pack(">i", len(text))
        + text
        + NULL
        + struct.pack(">ii", 4, 1)  # one day after 2000-01-01
        + struct.pack(">i", 20 + 4 + 1 + 4)
        + struct.pack(">iiiii", 1, 0, 25, 2, 1)
        + struct.pack(">i", 1)
        + b"a"
        + struct.pack(">i", 0)
        + struct.pack(">i", 20 + 8)
        + struct.pack(">iiiii", 1, 0, 23, 1, 1)
        + struct.pack(">ii", 4, 7)
        + struct.pack(">i", 20 + 24)
        + struct.pack(">iiiii", 1, 0, 20, 2, 1)
        + struct.pack(">iq", 8, -1)
        + struct.pack(">iq", 8, 2**40)
        + TRAILER
    )
    assert got == expected


def test_an_empty_array_has_no_dimension_and_dates_before_2000_are_negative() -> None:
    got = Encoder([Kind.TEXT_ARRAY, Kind.DATE]).rows([([], date(1999, 12, 31))])
    assert got == (
        struct.pack(">h", 2)
        + struct.pack(">i", 12)
        + struct.pack(">iii", 0, 0, 25)
        + struct.pack(">ii", 4, -1)
    )


def test_repeated_values_are_encoded_once_and_give_the_same_bytes() -> None:
    encoder = Encoder([Kind.TEXT, Kind.INT4_ARRAY])
    one = encoder.rows([("x", [1, 2])])
    assert encoder.rows([("x", (1, 2)), ("x", [1, 2])]) == one * 2
    assert len(encoder._seen[1]) == 2  # NULL and (1, 2): a list and a tuple are one value


def test_runs_of_columns_give_the_bytes_of_column_by_column() -> None:
    """Columns grouped in runs (each distinct run encoded once), and a unique column encoded
    row by row, make the same stream; arrays as tuples or as lists alike."""
    kinds = [Kind.TEXT, Kind.TEXT, Kind.DATE, Kind.TEXT_ARRAY, Kind.INT4_ARRAY]
    rows = [
        (f"e{n}", None if n % 3 else "d", date(2024, 1, 1 + n % 2), ("a", "b")[: n % 3], (n % 2,))
        for n in range(12)
    ]
    expected = Encoder(kinds).encode(rows)
    grouped = Encoder(kinds, runs=(1, 2, 2), unique=(0,))
    assert grouped.encode(rows) == expected
    assert len(grouped._seen_runs[1]) == 4  # (None or "d") x two dates
    assert len(grouped._seen_runs[2]) == 6  # three text arrays x two int arrays
    assert not grouped._seen[0].keys() - {None}  # the unique ids are not remembered
    as_lists = [(*row[:3], list(row[3]), list(row[4])) for row in rows]
    assert Encoder(kinds, runs=(1, 2, 2), unique=(0,)).encode(as_lists) == expected
    with pytest.raises(ValueError, match="split"):
        Encoder(kinds, runs=(1, 2, 1))


def test_values_that_do_not_fit_raise_instead_of_being_cut() -> None:
    with pytest.raises(struct.error):
        Encoder([Kind.INT4_ARRAY]).rows([([2**31],)])
    with pytest.raises(TypeError):
        Encoder([Kind.TEXT_ARRAY]).rows([(["a", None],)])
    with pytest.raises(ValueError):
        Encoder([Kind.TEXT, Kind.TEXT]).rows([("only one",)])


async def test_rows_made_a_piece_at_a_time_stream_as_one_copy() -> None:
    kinds = [Kind.TEXT, Kind.INT8_ARRAY]
    rows = [(f"e{n}", [n, -n]) for n in range(7)]
    made: list[int] = []

    def pieces() -> Iterator[list[tuple[str, list[int]]]]:
        for at in (0, 3, 3, 6):  # an empty piece among them
            made.append(at)
            yield rows[at : at + 3] if at != 3 or len(made) == 2 else []

    sent: list[bytes] = []
    async for data in stream_pieces(pieces(), kinds):
        sent.append(data)
        if len(sent) == 2:  # the first piece is sent before the second is made
            assert made == [0]
    assert b"".join(sent) == Encoder(kinds).encode(rows)
    assert sent[0] == HEADER and sent[-1] == TRAILER
