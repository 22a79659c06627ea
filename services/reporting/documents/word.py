"""A review report as a Word document (python-docx), laid out as NĐ 30/2020/NĐ-CP asks: A4,
margins 20/20/30/15 mm, Times New Roman 13, the letterhead in two columns (the bodies and
số/ký hiệu left, Quốc hiệu, tiêu ngữ and place and date right), "Nơi nhận" left of the
signer at the end."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

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

FONT = "Times New Roman"
TEXT_WIDTH_MM = 165
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def review_docx(document: Document) -> bytes:
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(3)

    _letterhead(doc, document)
    _centered(doc.add_paragraph(), document.title, bold=True, size=14, before=12)
    _centered(doc.add_paragraph(), document.subtitle, bold=True, size=13)
    _centered(doc.add_paragraph(), "―――――――", size=10)
    _blocks(doc, document.blocks)
    _closing(doc, document)
    if document.annex:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _blocks(doc, document.annex)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _blocks(doc: DocxDocument, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            if block.centered:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(block.text).bold = True
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Mm(10)
            p.add_run(block.text).italic = block.italic
        else:
            _grid(doc, block)


def _centered(
    p: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: int = 13,
    before: int = 0,
) -> DocxParagraph:
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(before)
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return p


def _two_columns(doc: DocxDocument, left_mm: int) -> tuple[_Cell, _Cell]:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(left_mm), Mm(TEXT_WIDTH_MM + 10 - left_mm)
    return left, right


def _letterhead(doc: DocxDocument, document: Document) -> None:
    head = document.letterhead
    left, right = _two_columns(doc, 70)
    first = left.paragraphs[0]
    if head.parent_body:
        _centered(first, head.parent_body, size=12)
        first = left.add_paragraph()
    _centered(first, head.issuing_body, bold=True, size=12)
    _centered(left.add_paragraph(), "――――", size=10)
    _centered(left.add_paragraph(), head.number, size=13, before=4)
    _centered(right.paragraphs[0], NATIONAL_NAME, bold=True, size=12)
    _centered(right.add_paragraph(), MOTTO, bold=True, underline=True, size=13)
    _centered(right.add_paragraph(), head.place_and_date, italic=True, size=13, before=10)


def _grid(doc: DocxDocument, grid: Grid) -> None:
    """The table with all its rows made at once, each row's cells read from its own XML
    (``row.cells`` walks the whole table: a thousand-row list would take seconds)."""
    table: Table = doc.add_table(rows=len(grid.rows) + 1, cols=len(grid.columns))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    total = sum(grid.widths)
    widths = [Mm(TEXT_WIDTH_MM * w / total) for w in grid.widths]
    rows = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    center, right, left = (
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.LEFT,
    )
    for cell, text, width in zip(rows[0], grid.columns, widths, strict=True):
        cell.width = width
        _cell_text(cell, text, bold=True, align=center)
    for cells, row in zip(rows[1:], grid.rows, strict=True):
        for cell, text, width, numeric in zip(cells, row, widths, grid.numeric, strict=True):
            cell.width = width
            _cell_text(cell, text, align=right if numeric else left)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, align: int = 0) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(11)


def _closing(doc: DocxDocument, document: Document) -> None:
    left, right = _two_columns(doc, 80)
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in recipient_lines(document.recipients):
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(line).font.size = Pt(11)
    top = right.paragraphs[0]
    for n, line in enumerate(document.signature):
        _centered(top if n == 0 else right.add_paragraph(), line, bold=True, size=13)
    for _ in range(4):
        right.add_paragraph()
    if document.signer_name:
        _centered(right.add_paragraph(), document.signer_name, bold=True, size=13)
