"""Issue 17 in the review reports: the plan's economic targets with what the department
reported (thực hiện, tỷ lệ so với kế hoạch, so với năm trước), in the grid, the DOCX and the
PDF; a target nobody reported stays "chưa có số liệu"."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as read_docx

from services.reporting.documents.pdf import review_pdf
from services.reporting.documents.queries import with_actuals
from services.reporting.documents.review import review_document
from services.reporting.documents.review_data import NO_DATA, Review
from services.reporting.documents.word import review_docx
from services.reporting.exports import FONT_DIR
from services.reporting.queries import EconomicLine, Economy
from tests.unit.reporting.test_review_documents import (
    AWARDS,
    CAMPAIGN,
    PLAN,
    _rollup,
    _text,
    pdf_text,
)

INDUSTRY = "Giá trị sản xuất công nghiệp"
REPORTED = EconomicLine(
    department_code="sct-gialai",
    campaign_id=CAMPAIGN,
    indicator=INDUSTRY.upper(),  # matched as reporting matches it: case does not matter
    unit_of_measure="Tỷ đồng",
    target=Decimal(19663),
    target_growth_percent=Decimal("8.76"),
    actual=Decimal("20112.6"),
    period_start=date(2018, 1, 1),
    period_end=date(2018, 12, 31),
    period_label="01/01/2018 - 31/12/2018",
    note=None,
    attained_percent=Decimal("102.29"),
    growth_percent=Decimal("11.25"),
)


def _review() -> Review:
    rollup = _rollup().model_copy(update={"economy": Economy(lines=[REPORTED])})
    plan = with_actuals(PLAN, rollup.economy.lines)
    return Review("tong-ket", plan, date(2018, 12, 26), None, rollup, AWARDS)


def test_the_grid_shows_the_actual_its_share_of_the_plan_and_its_growth() -> None:
    text = _text(review_document(_review()))
    assert (
        "Chỉ tiêu | Đơn vị tính | Kế hoạch | So với năm trước | Thực hiện | Tỷ lệ so với kế"
        " hoạch | Thực hiện so với năm trước" in text
    )
    assert f"{INDUSTRY} | tỷ đồng | 19.663 | +8,76% | 20.112,6 | 102,29% | +11,25%" in text
    # Imports were not reported: no figure, and the note says why.
    assert f"Tổng kim ngạch nhập khẩu | triệu USD | 86 | -31,20% | {NO_DATA} |  | " in text
    assert "chưa có báo cáo kết quả thực hiện" in text
    # A line of another campaign does not fill this plan's.
    other = REPORTED.model_copy(update={"campaign_id": "other"})
    assert with_actuals(PLAN, [other]).economic_targets[0].actual is None


def test_the_docx_and_the_pdf_print_the_reported_figure(tmp_path: Path) -> None:
    document = review_document(_review())
    doc = read_docx(io.BytesIO(review_docx(document)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "20.112,6" in cells and "102,29%" in cells and "+11,25%" in cells
    if not (FONT_DIR / "DejaVuSerif.ttf").is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    text = pdf_text(review_pdf(document), tmp_path)
    for expected in ("20.112,6", "102,29%", "+11,25%"):
        assert expected in text, expected
