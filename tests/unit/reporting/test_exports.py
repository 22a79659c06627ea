"""Exports never hand a spreadsheet a formula, and keep numbers numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from services.reporting import exports
from services.reporting.presentation import Table

TABLE = Table(
    sheet="Đơn vị",
    title="=Tiêu đề",
    columns=["Tên", "Số"],
    rows=[
        ["=1+2", -3],
        ["+84 912", Decimal("-1.50")],
        ["-x", 0],
        ["@SUM(A1)", None],
        ["\tTab", 1],
        ["\rCR", 2],
        ["Sở Công Thương", 3],
    ],
)


def test_csv_quotes_formula_text_and_leaves_negative_numbers() -> None:
    text = exports.csv_bytes(["=Tiêu đề"], [TABLE]).decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    assert rows[0] == ["'=Tiêu đề"]
    assert rows[-7:] == [
        ["'=1+2", "-3"],
        ["'+84 912", "-1.50"],
        ["'-x", "0"],
        ["'@SUM(A1)", ""],
        ["'\tTab", "1"],
        ["'\rCR", "2"],
        ["Sở Công Thương", "3"],
    ]


def test_xlsx_writes_text_as_strings_and_numbers_as_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx(["=h"], [TABLE])))
    cells = [c for row in book["Đơn vị"].iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    assert [c.value for c in cells if c.data_type == "n"] == [-3, -1.5, 0, 1, 2, 3]
    assert "=1+2" in [c.value for c in cells]
