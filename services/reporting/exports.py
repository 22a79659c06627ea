"""Downloads: XLSX and CSV of any table set, PDF of a statutory form (pure, bytes out).

- XLSX (openpyxl): one sheet per table, the heading lines above it, numbers as numbers.
- CSV: UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly; comma separated,
  numbers unformatted (``57.14``) so other systems read them back.
- Text that a spreadsheet would take for a formula (a name such as ``=HYPERLINK(...)``: one
  starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) stays text (OWASP's
  "CSV injection"): every XLSX text cell is written as a string cell, never a formula, and
  in CSV such text is prefixed with a single quote ``'``. Numbers (negative ones too) are
  numbers, untouched.
- PDF (fpdf2) of forms 0601.N, 0602.N, 0603.N with a Unicode TrueType font (DejaVu Sans):
  the core PDF fonts cannot write Vietnamese.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from services.reporting.forms import Form
from services.reporting.presentation import Cell, Table, form_table, vn_date, vn_number

FONT_DIR = Path(os.environ.get("THIDUA_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"xlsx": XLSX_TYPE, "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP, CSV injection)."""


class FontMissing(RuntimeError):
    """The Vietnamese-capable font for PDFs is not installed."""


def slug(text: str) -> str:
    """ASCII file-name part: ``Sở Công Thương/vp`` → ``so-cong-thuong-vp``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-") or "bao-cao"


def content_disposition(stem: str, extension: str) -> str:
    """An attachment named ``<ascii slug of stem>.<extension>`` (safe in every browser)."""
    return f'attachment; filename="{slug(stem)}.{extension}"'


# --- XLSX ------------------------------------------------------------------------------------


def xlsx(heading: Sequence[str], tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.sheet))
        for n, line in enumerate(heading, start=1):
            _put(sheet, n, 1, line).font = Font(bold=n == 1)
        top = len(heading) + 2
        _put(sheet, top, 1, table.title).font = Font(bold=True, size=12)
        for col, name in enumerate(table.columns, start=1):
            cell = _put(sheet, top + 1, col, name)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r, row in enumerate(table.rows, start=top + 2):
            for col, value in enumerate(row, start=1):
                cell = _put(sheet, r, col, value)
                if isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
                elif isinstance(value, int):
                    cell.number_format = "#,##0"
        for col, name in enumerate(table.columns, start=1):
            width = max([len(name), *(len(str(row[col - 1] or "")) for row in table.rows)])
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 10), 60)
        sheet.freeze_panes = sheet.cell(row=top + 2, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(sheet: Any, row: int, column: int, value: Cell) -> Any:
    """One cell; text always a string cell (openpyxl makes any text starting with ``=`` a
    formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31]


# --- CSV -------------------------------------------------------------------------------------


def csv_bytes(heading: Sequence[str], tables: Sequence[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in heading:
        writer.writerow([_plain(line)])
    for table in tables:
        writer.writerow([])
        writer.writerow([_plain(table.title)])
        writer.writerow([_plain(name) for name in table.columns])
        writer.writerows([_plain(v) for v in row] for row in table.rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _plain(value: Cell) -> str:
    """The CSV field: text a spreadsheet would evaluate gets a leading ``'``; numbers as
    they are (``-3`` stays a number)."""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_LEADS) else value
    return "" if value is None else str(value)


# --- PDF -------------------------------------------------------------------------------------


def form_pdf(form: Form, *, as_of: date | None = None, font_dir: Path = FONT_DIR) -> bytes:
    """The form laid out as on paper: title block, then the table (one-row forms transposed so
    that each breakdown is a line)."""
    from fpdf import FPDF

    regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
    if not regular.is_file():
        raise FontMissing(
            f"Không tìm thấy phông chữ tiếng Việt {regular} để xuất PDF"
            " (cài gói fonts-dejavu-core hoặc đặt THIDUA_PDF_FONT_DIR)."
        )
    table = form_table(form)
    transpose = len(table.rows) == 1
    pdf = FPDF(orientation="portrait" if transpose else "landscape", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold if bold.is_file() else regular))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(0, 5, f"Biểu số {form.form}", new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.cell(
        0,
        5,
        "Ban hành kèm theo Thông tư số 02/2023/TT-BNV",
        new_x="LMARGIN",
        new_y="NEXT",
        align="R",
    )
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, form.name.upper(), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"Năm {form.year}", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.cell(0, 6, f"Đơn vị báo cáo: {form.scope_label}", new_x="LMARGIN", new_y="NEXT")
    if as_of:
        pdf.cell(0, 6, f"Số liệu tính đến ngày {vn_date(as_of)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    rows: list[list[Cell]]
    if transpose:
        rows = [["Chỉ tiêu", table.rows[0][0] or ""]]
        rows += [
            [name, value] for name, value in zip(table.columns[1:], table.rows[0][1:], strict=True)
        ]
        widths: tuple[int, ...] = (120, 60)
    else:
        rows = [list[Cell](table.columns), *table.rows]
        widths = (70, *([25] * (len(table.columns) - 1)))
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=6) as grid:
        for n, row in enumerate(rows):
            line = grid.row()
            for value in row:
                text = vn_number(value) if n and isinstance(value, int) else str(value or "")
                line.cell(text)
    return bytes(pdf.output())
