"""The document every report, decision and certificate of the service is laid out from (pure):
headings, paragraphs and tables, the letterhead, and the conventions of Vietnamese
administrative layout (Nghị định 30/2020/NĐ-CP): Quốc hiệu and tiêu ngữ, the issuing body
beneath its parent, place and date, "Nơi nhận" and the signer's lines.

Apart from what each document states (``review.py``, ``decision.py``, ``certificates.py``):
``word.py`` and ``pdf.py`` lay out any ``Document`` alike, and need nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    centered: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False


@dataclass(frozen=True)
class Grid:
    """A table: header row, body rows (text as printed), relative column widths, and which
    columns are figures (right-aligned)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    numeric: tuple[bool, ...]


Block = Heading | Paragraph | Grid


@dataclass(frozen=True)
class Letterhead:
    parent_body: str | None
    """Cơ quan chủ quản, e.g. UBND TỈNH GIA LAI (none for a People's Committee itself)."""
    issuing_body: str
    number: str
    """Số, ký hiệu: ``Số:      /BC-SCT`` (the number is given when the report is issued)."""
    place_and_date: str


@dataclass(frozen=True)
class Document:
    kind: str
    """``so-ket``, ``tong-ket`` (a review), ``quyet-dinh`` (a decision's draft)."""
    letterhead: Letterhead
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]
    signature: tuple[str, ...]
    signer_name: str | None
    file_stem: str
    annex: tuple[Block, ...] = ()
    """Phụ lục: on pages of its own after the signer (a decision's list of awardees)."""


def place_and_date(place: str, day: date) -> str:
    """``Gia Lai, ngày 26 tháng 12 năm 2018``; days below 10 and months 1 and 2 take a
    leading zero (NĐ 30/2020/NĐ-CP, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def bodies(department_name: str, province_name: str | None) -> tuple[str | None, str]:
    """The letterhead's two bodies: ``Sở Công Thương Gia Lai`` in Gia Lai → ``UBND TỈNH GIA
    LAI`` above ``SỞ CÔNG THƯƠNG``; any other body stands alone."""
    name = department_name.strip()
    if province_name and name.startswith("Sở "):
        own = name.removesuffix(province_name).strip() or name
        return f"UBND TỈNH {province_name}".upper(), own.upper()
    return None, name.upper()


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """ "Nơi nhận" as written: ``- Ban TĐKT tỉnh (b/c);`` …, the last line (the archive,
    ``Lưu: VT``) ending with a full stop."""
    lines = [f"- {r.rstrip(';.')};" for r in recipients[:-1]]
    return [*lines, f"- {recipients[-1].rstrip(';.')}."] if recipients else lines


def signature_lines(
    position: str | None, on_behalf_of: str | None, body_name: str
) -> tuple[str, ...]:
    """``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC`` for a deputy signing for the director; without a
    signer, the head of the body (a Sở's Giám đốc)."""
    if on_behalf_of and position:
        return (f"KT. {on_behalf_of.upper()}", position.upper())
    if position:
        return (position.upper(),)
    return ("GIÁM ĐỐC",) if body_name.startswith("Sở ") else ("THỦ TRƯỞNG CƠ QUAN",)
