"""A review report as PDF (fpdf2), the same layout as the Word document: A4, margins
20/20/30/15 mm, DejaVu Serif (Debian's fonts-dejavu-core; the PDF core fonts cannot write
Vietnamese). A missing font is ``exports.FontMissing`` (the route answers 503)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from services.reporting.documents.document import (
    MOTTO,
    NATIONAL_NAME,
    Block,
    Document,
    Grid,
    Heading,
    Paragraph,
    recipient_lines,
)
from services.reporting.exports import FONT_DIR, FontMissing

FAMILY = "DejaVuSerif"
LEFT, RIGHT, TOP, BOTTOM = 30.0, 15.0, 20.0, 20.0
WIDTH = 210.0 - LEFT - RIGHT


def add_fonts(pdf: Any, font_dir: Path) -> None:
    """DejaVu Serif in its four styles (upright where a style is missing)."""
    regular, bold = font_dir / "DejaVuSerif.ttf", font_dir / "DejaVuSerif-Bold.ttf"
    if not regular.is_file():
        raise FontMissing(
            f"Không tìm thấy phông chữ tiếng Việt {regular} để xuất PDF"
            " (cài gói fonts-dejavu-core hoặc đặt THIDUA_PDF_FONT_DIR)."
        )
    bold = bold if bold.is_file() else regular
    italic = font_dir / "DejaVuSerif-Italic.ttf"  # fonts-dejavu-extra; upright without it
    bold_italic = font_dir / "DejaVuSerif-BoldItalic.ttf"
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))
    pdf.add_font(FAMILY, "I", str(italic if italic.is_file() else regular))
    pdf.add_font(FAMILY, "BI", str(bold_italic if bold_italic.is_file() else bold))


def review_pdf(document: Document, *, font_dir: Path = FONT_DIR) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    add_fonts(pdf, font_dir)
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(auto=True, margin=BOTTOM)
    pdf.set_title(f"{document.title} {document.subtitle}")
    pdf.set_lang("vi")
    pdf.add_page()
    _letterhead(pdf, document)
    pdf.ln(6)
    _line(pdf, document.title, "B", 14, align="C")
    _line(pdf, document.subtitle, "B", 13, align="C")
    _line(pdf, "―――――――", "", 9, align="C")
    pdf.ln(2)
    _blocks(pdf, document.blocks)
    _closing(pdf, document)
    if document.annex:
        pdf.add_page()
        _blocks(pdf, document.annex)
    return bytes(pdf.output())


def _blocks(pdf: Any, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            pdf.ln(1.5)
            _line(pdf, block.text, "B", 12, align="C" if block.centered else "L")
        elif isinstance(block, Paragraph):
            pdf.set_font(FAMILY, "I" if block.italic else "", 12)
            pdf.set_x(LEFT)
            pdf.multi_cell(
                WIDTH, 6, "\u00a0" * 8 + block.text, align="J", new_x="LMARGIN", new_y="NEXT"
            )
        else:
            _grid(pdf, block)


def _line(pdf: Any, text: str, style: str, size: float, *, align: str) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_x(LEFT)
    pdf.multi_cell(WIDTH, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _column(
    pdf: Any, x: float, y: float, width: float, lines: list[tuple[str, str, float]]
) -> float:
    """Centred lines (text, style, size) in a column from ``y``; returns the y below them."""
    pdf.set_xy(x, y)
    for text, style, size in lines:
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, size * 0.48, text, align="C", new_x="LEFT", new_y="NEXT")
    return float(pdf.get_y())


def _letterhead(pdf: Any, document: Document) -> None:
    head = document.letterhead
    top = float(pdf.get_y())
    left = [(head.parent_body, "", 11.0)] if head.parent_body else []
    left += [(head.issuing_body, "B", 11.0), ("――――", "", 8.0), (head.number, "", 12.0)]
    right = [
        (NATIONAL_NAME, "B", 11.0),
        (MOTTO, "BU", 12.0),
        ("", "", 6.0),
        (head.place_and_date, "I", 12.0),
    ]
    below_left = _column(pdf, LEFT - 10, top, 75, left)
    below_right = _column(pdf, LEFT + 62, top, WIDTH - 57, right)
    pdf.set_xy(LEFT, max(below_left, below_right))


def _grid(pdf: Any, grid: Grid) -> None:
    """The table drawn row by row: a cell whose text fits is one ``cell`` (fpdf2's own table
    breaks every cell's text twice, which costs seconds for a list of a thousand awards);
    a longer text wraps; the header row is repeated on each new page."""
    total = sum(grid.widths)
    widths = [WIDTH * w / total for w in grid.widths]
    head = ["C"] * len(widths)
    align = ["R" if n else "L" for n in grid.numeric]
    pdf.set_auto_page_break(False)  # the rows break pages themselves, between rows
    pdf.ln(1)
    if pdf.get_y() + 4 * LINE > pdf.h - BOTTOM:  # no room for the header and a row
        pdf.add_page()
    _row(pdf, grid.columns, widths, head, bold=True)
    for row in grid.rows:
        if not _row(pdf, row, widths, align, fits=True):
            pdf.add_page()
            _row(pdf, grid.columns, widths, head, bold=True)
            _row(pdf, row, widths, align)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.ln(2)


LINE = 4.6
PAD = 1.0


def _row(
    pdf: Any,
    cells: Sequence[str],
    widths: Sequence[float],
    align: Sequence[str],
    *,
    bold: bool = False,
    fits: bool = False,
) -> bool:
    """One row of a table at the current position; with ``fits``, nothing is drawn and False
    is answered when the row would cross the page's bottom."""
    pdf.set_font(FAMILY, "B" if bold else "", 9)
    lines = [
        [text]
        if pdf.get_string_width(text) <= width - 2 * PAD
        else pdf.multi_cell(width - 2 * PAD, LINE, text, dry_run=True, output="LINES")
        for text, width in zip(cells, widths, strict=True)
    ]
    height = LINE * max(len(x) for x in lines) + PAD
    top = float(pdf.get_y())
    if fits and top + height > pdf.h - BOTTOM:
        return False
    x = LEFT
    for cell, width, side in zip(lines, widths, align, strict=True):
        pdf.rect(x, top, width, height)
        for n, text in enumerate(cell):
            pdf.set_xy(x + PAD, top + PAD / 2 + n * LINE)
            pdf.cell(width - 2 * PAD, LINE, text, align=side)
        x += width
    pdf.set_xy(LEFT, top + height)
    return True


def _closing(pdf: Any, document: Document) -> None:
    recipients = recipient_lines(document.recipients)
    height = 8 + 5 * len(recipients)
    if pdf.get_y() + max(height, 45) > 297 - BOTTOM:
        pdf.add_page()
    pdf.ln(4)
    top = float(pdf.get_y())
    pdf.set_xy(LEFT, top)
    pdf.set_font(FAMILY, "BI", 11)
    pdf.cell(80, 6, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    for line in recipients:
        pdf.set_x(LEFT)
        pdf.multi_cell(80, 5, line, new_x="LMARGIN", new_y="NEXT")
    below = float(pdf.get_y())
    signer = [(line, "B", 12.0) for line in document.signature]
    signer += [("", "", 12.0)] * 4
    if document.signer_name:
        signer.append((document.signer_name, "B", 12.0))
    end = _column(pdf, LEFT + 80, top, WIDTH - 80, signer)
    pdf.set_xy(LEFT, max(below, end))
