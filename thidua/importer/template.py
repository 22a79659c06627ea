"""The published template of past titles and decisions (one sheet, a Vietnamese header row) and
the reading of a filled one into records, or into the reasons a row is not one.

A row names a person (``Mã cán bộ``) or, for a collective title, leaves it empty and names the
unit (``Mã đơn vị``); the title is its code (``CSTDCS``) or its Vietnamese name; dates are
dd/mm/yyyy (or a date cell).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from pydantic import ValidationError

from contracts.awards import AwardImported
from contracts.common import COLLECTIVE_TITLES, SubjectKind, TitleCode
from services.awards.rules.authority import TITLE_NAMES

COLUMNS = (
    ("STT", 6),
    ("Mã cán bộ", 26),
    ("Họ và tên", 26),
    ("Mã đơn vị", 26),
    ("Năm", 8),
    ("Danh hiệu", 30),
    ("Số quyết định", 18),
    ("Ngày quyết định (dd/mm/yyyy)", 16),
)
HEADER = tuple(name for name, _ in COLUMNS)
SHEET = "Lịch sử khen thưởng"
TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "templates" / "lich-su-khen-thuong.xlsx"
"""The committed template (``thidua import --template PATH`` writes the same)."""
_NAMESPACE = uuid.UUID("6f1d4b7e-3c2a-4e0f-9a51-2b7c8d9e0f13")
_TITLES = {**{t.value.casefold(): t for t in TitleCode}} | {
    name.casefold(): title for title, name in TITLE_NAMES.items()
}


def write_template(path: Path) -> None:
    """An empty template: the header row and one example row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append(
        (
            1,
            "sct-gialai/cb-0001",
            "Nguyễn Văn A",
            "sct-gialai/vp",
            2016,
            "CSTDCS",
            "125/QĐ-SCT",
            "28/12/2016",
        )
    )
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


@dataclass(frozen=True)
class Row:
    """One row of a filled template: its record, or why it is not one."""

    number: int
    """The row's number in the sheet (the header is row 1)."""
    label: str
    record: AwardImported | None = None
    event_id: str | None = None
    problems: tuple[str, ...] = ()


def read_rows(path: Path, department: str) -> Iterator[Row]:
    """Every non-empty row after the header, in order. Raises ``ValueError`` when the file
    is not the template (another header)."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = tuple(str(v or "").strip() for v in next(rows, ()))[: len(HEADER)]
        if header != HEADER:
            raise ValueError(f"{path.name}: dòng tiêu đề không đúng mẫu; cần: {' | '.join(HEADER)}")
        for number, values in enumerate(rows, start=2):
            cells = (list(values) + [None] * len(HEADER))[: len(HEADER)]
            if all(v is None or str(v).strip() == "" for v in cells):
                continue
            yield _row(number, cells, department)
    finally:
        book.close()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _row(number: int, cells: list[Any], department: str) -> Row:
    _, person, _name, unit, year, title, decision, decided = cells
    nominee = _text(person) or _text(unit)
    label = f"{nominee or '?'}, {_text(year) or '?'}, {_text(title) or '?'}"
    problems: list[str] = []
    found_title = _TITLES.get(_text(title).casefold())
    if found_title is None:
        problems.append(f"Danh hiệu '{_text(title)}' không có trong danh mục")
    if not nominee:
        problems.append("Thiếu mã cán bộ (hoặc mã đơn vị cho danh hiệu tập thể)")
    kind = SubjectKind.INDIVIDUAL if _text(person) else SubjectKind.COLLECTIVE
    if found_title is not None and (kind is SubjectKind.COLLECTIVE) != (
        found_title in COLLECTIVE_TITLES
    ):
        problems.append(
            f"Danh hiệu {TITLE_NAMES[found_title]} dành cho "
            + ("tập thể: để trống mã cán bộ" if found_title in COLLECTIVE_TITLES else "cá nhân")
        )
    on = _date(decided)
    if on is None:
        problems.append(f"Ngày quyết định '{_text(decided)}' không đúng dạng dd/mm/yyyy")
    if problems or found_title is None or on is None:
        return Row(number, label, problems=tuple(problems))
    nomination_id = f"{nominee}/lich-su/{_text(year)}/{found_title.value.lower()}"
    try:
        record = AwardImported(
            nomination_id=nomination_id,
            department_code=department,
            year=year,
            title=found_title,
            nominee_kind=kind,
            nominee_id=nominee,
            unit_id=_text(unit) or None,
            decision_number=_text(decision),
            decision_date=on,
        )
    except ValidationError as exc:
        return Row(number, label, problems=tuple(_vietnamese(exc)))
    # What the record says, not where it sits (a row moved or a file renamed is the same record).
    identity = f"{department}|{nomination_id}|{record.decision_number}|{on.isoformat()}"
    return Row(number, label, record, str(uuid.uuid5(_NAMESPACE, identity)))


_FIELDS = {
    "year": "Năm",
    "decision_number": "Số quyết định",
    "nominee_id": "Mã cán bộ / mã đơn vị",
    "unit_id": "Mã đơn vị",
    "department_code": "Mã Sở",
}


def _vietnamese(exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "bản ghi"
        name = _FIELDS.get(where, where)
        if error["type"] == "value_error":
            out.append("Ngày quyết định trước năm được khen thưởng")
        else:
            out.append(f"{name}: giá trị '{error.get('input')}' không hợp lệ")
    return out


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(_text(value), "%d/%m/%Y").date()
    except ValueError:
        return None
