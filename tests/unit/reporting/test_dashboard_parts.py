"""What an official reads: Vietnamese formats, charts that render offline, downloads."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from contracts.common import InitiativeKind
from services.reporting.charts import TargetBar, attainment_chart, grouped_bars
from services.reporting.dashboard.parts import html_table
from services.reporting.exports import (
    FontMissing,
    content_disposition,
    csv_bytes,
    form_pdf,
    slug,
    xlsx,
)
from services.reporting.forms import form_0603
from services.reporting.presentation import (
    INITIATIVE_LABELS,
    Table,
    event_label,
    key_label,
    parse_vn_date,
    period_label,
    vn_date,
    vn_number,
    vn_percent,
)

FIGURES = {
    ("awards", "CO_THI_DUA|collective|regular|provincial_chair"): (1, 11_120_000),
    ("awards", "BANG_KHEN|individual|sudden|minister"): (2, 2_780_000),
}


def test_numbers_group_thousands_with_dots_and_decimals_with_a_comma() -> None:
    assert vn_number(1_234_567) == "1.234.567"
    assert vn_number(-1_390_000) == "-1.390.000"
    assert vn_number(Decimal("1234.5")) == "1.234,5"
    assert vn_number(Decimal("57.14"), 2) == "57,14"
    assert vn_percent(Decimal("42.86")) == "42,86%"
    assert vn_percent(None) == "\u2013"


def test_dates_are_read_and_written_day_first() -> None:
    assert vn_date(date(2019, 2, 1)) == "01/02/2019"
    assert parse_vn_date("01/02/2019") == date(2019, 2, 1)
    assert parse_vn_date("2019-02-01") == date(2019, 2, 1)
    assert parse_vn_date("  ") is None
    with pytest.raises(ValueError):
        parse_vn_date("31/02/2019")


def test_labels_are_vietnamese() -> None:
    assert event_label("vn.thidua.awards.NominationApproved.v1") == "Quyết định khen thưởng"
    assert key_label("awards", "LDTT|individual|regular|department_director") == (
        "Lao động tiên tiến; Cá nhân; Thường xuyên; Giám đốc Sở"
    )
    assert key_label("nominations", "TTLDXS|returned") == "Tập thể lao động xuất sắc: Trả hồ sơ"
    assert period_label("half:2018-H2") == "6 tháng cuối năm 2018"
    assert period_label("phase:1") == "Đợt 1"


def test_file_names_are_ascii() -> None:
    assert slug("Sở Công Thương/vp Đà Nẵng") == "so-cong-thuong-vp-da-nang"
    assert content_disposition("tong-hop-don-vi-sct-gialai/vp-2018", "xlsx") == (
        'attachment; filename="tong-hop-don-vi-sct-gialai-vp-2018.xlsx"'
    )


def test_attainment_chart_is_svg_with_one_bar_and_one_target_tick_per_target() -> None:
    svg = attainment_chart(
        [
            TargetBar("Lao động tiên tiến", Decimal("42.86"), Decimal(90), True, False, "≥"),
            TargetBar("Cờ thi đua", Decimal(1), Decimal(1), False, True, "="),
        ],
        title="Thực hiện so với chỉ tiêu",
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "42,86% / chỉ tiêu ≥ 90%" in texts
    assert "1 / chỉ tiêu = 1" in texts
    assert len([line for line in root.iter(f"{ns}line")]) == 3  # two ticks and the legend's


def test_bars_by_period_escape_their_labels_and_show_each_value() -> None:
    svg = grouped_bars(
        ["Đợt 1", "<Đợt 2>"],
        [("Đăng ký", [5, 0]), ("Khen thưởng", [1200, 7])],
        title="Diễn biến",
        chart_id="periods",
    )
    root = ET.fromstring(svg)  # well-formed although a label held markup
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<Đợt 2>" in texts
    assert "1.200" in texts


def test_html_tables_escape_names_and_format_numbers() -> None:
    table = Table("Sở", "Chi tiết", ["Tên", "Khen thưởng"], [['<script>alert("x")</script>', 1234]])
    html = html_table(table)
    assert "<script>" not in html
    assert '<td class="num" data-value="1234">1.234</td>' in html


def test_xlsx_and_csv_hold_the_table_numbers_and_vietnamese_text() -> None:
    table = Table(
        "Chỉ số chính",
        "Chỉ số chính",
        ["Mã chỉ số", "Chỉ số", "Giá trị"],
        [["ldtt_awarded", "Lao động tiên tiến", 3], ["share", "Tỷ lệ", Decimal("42.86")]],
    )
    heading = ["BÁO CÁO TỔNG HỢP", "Tỉnh: Gia Lai"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx(heading, [table])))
    sheet = book["Chỉ số chính"]
    assert sheet["A2"].value == "Tỉnh: Gia Lai"
    rows = {r[0]: r[2] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["ldtt_awarded"] == 3
    assert rows["share"] == pytest.approx(42.86)
    raw = csv_bytes(heading, [table])
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["ldtt_awarded", "Lao động tiên tiến", "3"] in lines
    assert ["share", "Tỷ lệ", "42.86"] in lines


def test_a_form_pdf_embeds_a_vietnamese_font_and_fails_clearly_without_it(tmp_path: Path) -> None:
    form = form_0603(FIGURES, scope_label="Bộ Bộ Công Thương", year=2018)
    pdf = form_pdf(form)
    assert pdf.startswith(b"%PDF")
    assert b"DejaVuSans" in pdf
    with pytest.raises(FontMissing, match="phông chữ tiếng Việt"):
        form_pdf(form, font_dir=tmp_path)


def test_every_initiative_kind_has_a_vietnamese_label() -> None:
    """What an official reads names each kind in Vietnamese (the tổng kết printed
    ``applied_technology`` before this label existed)."""
    assert set(INITIATIVE_LABELS) == {k.value for k in InitiativeKind}
    assert all(label and label[0].isupper() for label in INITIATIVE_LABELS.values())
