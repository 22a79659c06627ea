"""The certificates of a decision (in phôi giấy khen, bằng khen), pure: one A4 landscape page
per title in force, laid out for the pre-printed blank (its border, emblem and heading are on
the blank; the office's printer adds the text inside the margins, which the office sets for its
printer: ``Margins``), each with the verification QR code (segno, drawn as vector squares)
and the short code beneath it.

Who decides names the blank: a Giám đốc Sở's or a unit head's decision is printed on Giấy
khen blanks, a Chủ tịch UBND tỉnh's or a minister's on Bằng khen blanks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno

from services.reporting.documents.awarded import Awardee, Decision
from services.reporting.documents.decision import FORMS, authority_line
from services.reporting.documents.document import bodies, place_and_date, signature_lines
from services.reporting.documents.pdf import FAMILY, add_fonts
from services.reporting.exports import FONT_DIR
from services.reporting.forms import TITLE_LABELS

PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0
QR_SIZE = 34.0
"""The QR code's side in mm (with its quiet zone)."""
BANG_KHEN_AUTHORITIES = frozenset({"provincial_chair", "minister", "prime_minister", "president"})


@dataclass(frozen=True)
class Margins:
    """Where the blank leaves room for the printed text, in mm from the sheet's edges."""

    left: float = 30.0
    right: float = 30.0
    top: float = 55.0
    bottom: float = 22.0


@dataclass(frozen=True)
class Certificate:
    awardee: Awardee
    code: str
    """The short code printed under the QR code."""
    qr_text: str
    """What the QR code holds: the verification page's URL and the signed token."""


def blank_kind(decision: Decision) -> str:
    return "BẰNG KHEN" if decision.authority in BANG_KHEN_AUTHORITIES else "GIẤY KHEN"


def certificates_pdf(
    decision: Decision,
    certificates: Sequence[Certificate],
    margins: Margins,
    *,
    font_dir: Path = FONT_DIR,
) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    add_fonts(pdf, font_dir)
    pdf.set_margins(margins.left, margins.top, margins.right)
    pdf.set_auto_page_break(False)
    pdf.set_title(f"{blank_kind(decision).capitalize()} - Quyết định {decision.number}")
    pdf.set_lang("vi")
    for certificate in certificates:
        pdf.add_page()
        _page(pdf, decision, certificate, margins)
    return bytes(pdf.output())


def _centered(pdf: Any, x: float, width: float, text: str, style: str, size: float) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_x(x)
    pdf.multi_cell(width, size * 0.5, text, align="C", new_x="LEFT", new_y="NEXT")


def _page(pdf: Any, decision: Decision, certificate: Certificate, margins: Margins) -> None:
    a = certificate.awardee
    left, width = margins.left, PAGE_WIDTH - margins.left - margins.right
    _, body = bodies(decision.department_name, decision.province_name)
    pdf.set_xy(left, margins.top)
    _centered(pdf, left, width, authority_line(decision, body), "B", 14)
    pdf.ln(3)
    label = TITLE_LABELS.get(a.title, a.title)
    if a.title in FORMS:
        _centered(pdf, left, width, "TẶNG", "B", 16)
        _centered(pdf, left, width, label.upper(), "B", 20)
    else:
        _centered(pdf, left, width, "TẶNG DANH HIỆU", "B", 14)
        _centered(pdf, left, width, f"“{label.upper()}” NĂM {a.year}", "B", 20)
    pdf.ln(2)
    _centered(pdf, left, width, "cho" if a.nominee_kind != "individual" else "cho cá nhân", "I", 13)
    _centered(pdf, left, width, a.name, "B", 22)
    if a.unit:
        _centered(pdf, left, width, a.unit, "", 14)
    pdf.ln(2)
    _centered(
        pdf,
        left,
        width,
        f"Đã có thành tích xuất sắc trong phong trào thi đua năm {a.year}",
        "I",
        13,
    )
    # The foot: the QR code and the decision (left), place, date and signer (right).
    foot = PAGE_HEIGHT - margins.bottom - QR_SIZE - 6
    _qr(pdf, certificate.qr_text, left, foot, QR_SIZE)
    pdf.set_font(FAMILY, "", 9)
    pdf.set_xy(left, foot + QR_SIZE)
    pdf.cell(QR_SIZE, 4, certificate.code, align="C")
    pdf.set_xy(left + QR_SIZE + 3, foot + 4)
    pdf.set_font(FAMILY, "", 11)
    pdf.multi_cell(
        70,
        5.5,
        f"Quyết định số {decision.number}\nngày {decision.issued_on:%d/%m/%Y}\n"
        f"Mã xác minh: {certificate.code}",
        new_x="LEFT",
        new_y="NEXT",
    )
    signer_x, signer_width = left + width - 110, 110.0
    pdf.set_xy(signer_x, foot - 8)
    day = place_and_date(decision.province_name or "", decision.issued_on).lstrip(", ")
    _centered(pdf, signer_x, signer_width, day, "I", 12)
    for line in signature_lines(
        decision.signer_position, decision.signer_on_behalf_of, decision.department_name
    ):
        _centered(pdf, signer_x, signer_width, line, "B", 13)
    if decision.signer_name:
        pdf.set_y(foot + QR_SIZE - 2)
        _centered(pdf, signer_x, signer_width, decision.signer_name, "B", 13)


def _qr(pdf: Any, text: str, x: float, y: float, size: float) -> None:
    """The QR code of ``text`` as filled squares (one rectangle per run of dark modules in a
    row), with its white quiet zone of four modules."""
    code = segno.make(text, error="m", micro=False)
    rows = code.matrix
    module = size / (len(rows) + 8)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c] & 1:
                start = c
                while c < len(row) and row[c] & 1:
                    c += 1
                pdf.rect(
                    x + (start + 4) * module,
                    y + (r + 4) * module,
                    (c - start) * module,
                    module,
                    style="F",
                )
            else:
                c += 1
