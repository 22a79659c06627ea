"""The review reports' builders (pure): the Vietnamese administrative layout, the figures of a
phase and of the campaign, targets against actual ("chưa có số liệu" where there is none),
the awards with names, and the same content in DOCX and PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as read_docx

from services.reporting.documents.document import Grid, bodies, place_and_date
from services.reporting.documents.pdf import review_pdf
from services.reporting.documents.review import (
    movement,
    plan_reference,
    review_document,
    signature,
)
from services.reporting.documents.review_data import (
    NO_DATA,
    AwardLine,
    EconomicLine,
    PhaseInfo,
    Plan,
    Review,
    Tally,
)
from services.reporting.documents.word import review_docx
from services.reporting.exports import FONT_DIR, FontMissing
from services.reporting.queries import (
    AttainmentRow,
    Dossiers,
    Initiatives,
    Recognized,
    Registrations,
    Rollup,
    ScopeRef,
    Staff,
    TitleAwards,
)

CAMPAIGN = "sct-gialai/2018/phat-dong"
PLAN = Plan(
    campaign_id=CAMPAIGN,
    title="Kế hoạch phát động phong trào thi đua năm 2018",
    year=2018,
    period_start=date(2018, 1, 1),
    period_end=date(2018, 12, 31),
    department_name="Sở Công Thương Gia Lai",
    province_name="Gia Lai",
    abbreviation="SCT",
    theme="Kỷ cương - Hành động - Chung tay cùng tỉnh Gia Lai phát triển",
    phases=(
        PhaseInfo(
            1,
            "Chào mừng 70 năm Ngày Truyền thống thi đua yêu nước",
            date(2018, 1, 1),
            date(2018, 6, 30),
        ),
        PhaseInfo(2, "Về đích sớm", date(2018, 7, 1), date(2018, 12, 31)),
    ),
    deadlines={"registration": date(2018, 8, 30), "dossier": date(2018, 12, 10)},
    economic_targets=(
        EconomicLine("Giá trị sản xuất công nghiệp", "tỷ đồng", Decimal(19663), Decimal("8.76")),
        EconomicLine("Tổng kim ngạch nhập khẩu", "triệu USD", Decimal(86), Decimal("-31.2")),
    ),
    recipients=("Ban TĐKT tỉnh (b/c)", "Lãnh đạo Sở"),
    signer_name="Đào Thị Thu Nguyệt",
    signer_position="Phó Giám đốc",
    signer_on_behalf_of="Giám đốc",
)


def _rollup() -> Rollup:
    return Rollup(
        scope=ScopeRef(
            kind="department", id="sct-gialai", name="Sở Công Thương Gia Lai", label="Sở"
        ),
        year=2018,
        campaign_id=CAMPAIGN,
        as_of=None,
        as_of_label=None,
        reference_date=date(2018, 12, 31),
        staff=Staff(staff=240, women=110, leaders=20, non_leaders=220, units=8),
        registrations=Registrations(
            units=8,
            units_on_time=7,
            individuals=230,
            individuals_on_time=226,
            individuals_women=104,
            share_of_staff_percent=None,
            women_percent=None,
        ),
        initiatives=Initiatives(
            submitted={"technical": 12, "management": 3},
            recognized=[Recognized(kind="technical", level="unit", count=9)],
            rejected={"technical": 2},
        ),
        nominations={},
        dossiers=Dossiers(
            received=250, late=4, late_override=0, returned=4, returned_late=4, return_reasons={}
        ),
        awards=[
            TitleAwards(
                title="LDTT",
                label="Lao động tiên tiến",
                count=201,
                individuals=201,
                collectives=0,
                women=90,
                non_leaders=190,
                revoked=0,
                cash_vnd=83_817_000,
                share_of_staff_percent=None,
            )
        ],
        cash_vnd=83_817_000,
        women_percent_of_individual_awards=None,
        exemplary_models=0,
        discipline={},
        attainment=[
            AttainmentRow(
                department_code="sct-gialai",
                campaign_id=CAMPAIGN,
                title="LDTT",
                label="Lao động tiên tiến",
                measure="percent",
                basis="all_staff",
                comparator="gte",
                target=Decimal(90),
                numerator=201,
                denominator=240,
                actual=Decimal("83.75"),
                attainment_percent=Decimal("93.06"),
                met=False,
            ),
            AttainmentRow(
                department_code="sct-gialai",
                campaign_id="sct-gialai/2018/other",
                title="CSTDCS",
                label="Chiến sĩ thi đua cơ sở",
                measure="percent",
                basis="all_staff",
                comparator="eq",
                target=Decimal(15),
                numerator=0,
                denominator=240,
                actual=Decimal(0),
                attainment_percent=Decimal(0),
                met=False,
            ),
        ],
        periods={
            "phase:1": {"registrations.units": 8, "registrations.units_on_time": 8},
            "phase:2": {
                "registrations.individuals": 230,
                "awards|LDTT|individual|regular|department_director": 201,
            },
        },
        children=[],
    )


AWARDS = (
    AwardLine(
        "LDTT", "individual", "Nguyễn Thị Hoa", "Văn phòng Sở", "101/QĐ-SCT", date(2018, 12, 20)
    ),
)


def _final() -> Review:
    return Review("tong-ket", PLAN, date(2018, 12, 26), None, _rollup(), AWARDS)


def _midterm() -> Review:
    return Review("so-ket", PLAN, date(2018, 6, 30), date(2018, 6, 30), _rollup(), (), phase=1)


def _text(document: object) -> str:
    from services.reporting.documents.document import Document, Paragraph

    assert isinstance(document, Document)
    parts = [document.title, document.subtitle]
    for block in document.blocks:
        if isinstance(block, Grid):
            parts += [" | ".join(block.columns), *(" | ".join(r) for r in block.rows)]
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def pdf_text(body: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext lays it out (skips the test without poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    (tmp_path / "r.pdf").write_bytes(body)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_place_and_date_take_leading_zeros_as_the_decree_writes_them() -> None:
    assert place_and_date("Gia Lai", date(2018, 12, 26)) == "Gia Lai, ngày 26 tháng 12 năm 2018"
    assert place_and_date("Bạc Liêu", date(2019, 2, 5)) == "Bạc Liêu, ngày 05 tháng 02 năm 2019"
    assert place_and_date("Bạc Liêu", date(2019, 8, 2)) == "Bạc Liêu, ngày 02 tháng 8 năm 2019"


def test_the_letterhead_names_the_province_above_its_department() -> None:
    assert bodies("Sở Công Thương Gia Lai", "Gia Lai") == ("UBND TỈNH GIA LAI", "SỞ CÔNG THƯƠNG")
    assert bodies("Ủy ban nhân dân thành phố Bạc Liêu", "Bạc Liêu") == (
        None,
        "ỦY BAN NHÂN DÂN THÀNH PHỐ BẠC LIÊU",
    )


def test_the_title_names_the_movement_of_the_plan() -> None:
    assert movement(PLAN.title) == "phong trào thi đua năm 2018"
    assert movement("Tổ chức phong trào thi đua phát huy sáng kiến năm 2019") == (
        "phong trào thi đua phát huy sáng kiến năm 2019"
    )
    assert movement("Truyền thông hướng tới Đại hội thi đua yêu nước lần thứ V") == (
        "phong trào thi đua theo truyền thông hướng tới Đại hội thi đua yêu nước lần thứ V"
    )
    assert plan_reference(PLAN) == (
        "Kế hoạch của Sở Công Thương Gia Lai về phát động phong trào thi đua năm 2018"
    )


def test_a_deputy_signs_for_the_director() -> None:
    assert signature(PLAN) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    alone = Plan(CAMPAIGN, "t", 2018, date(2018, 1, 1), date(2018, 12, 31), "Sở X", None)
    assert signature(alone) == ("GIÁM ĐỐC",)


def test_the_final_review_holds_the_figures_the_targets_and_the_awards_with_names() -> None:
    document = review_document(_final())
    head = document.letterhead
    assert (head.parent_body, head.issuing_body) == ("UBND TỈNH GIA LAI", "SỞ CÔNG THƯƠNG")
    assert head.number == "Số:       /BC-SCT"
    assert head.place_and_date == "Gia Lai, ngày 26 tháng 12 năm 2018"
    assert document.subtitle == "Tổng kết phong trào thi đua năm 2018"
    text = _text(document)
    # Figures by phase and for the whole campaign.
    assert "Nội dung | Đợt 1 | Đợt 2 | Cả phong trào" in text
    assert "Tập thể đăng ký thi đua | 8 | 0 | 8" in text
    assert "Cá nhân đăng ký thi đua | 0 | 230 | 230" in text
    assert "  trong đó: cá nhân | 0 | 201 | 201" in text
    # Economic targets: the plan's, no actual yet; emulation targets of this campaign only.
    assert f"Giá trị sản xuất công nghiệp | tỷ đồng | 19.663 | +8,76% | {NO_DATA} | " in text
    assert f"Tổng kim ngạch nhập khẩu | triệu USD | 86 | -31,20% | {NO_DATA} | " in text
    assert "Lao động tiên tiến | ≥ 90% tổng số CBCCVCLĐ | 83,75% (201/240) | Chưa đạt" in text
    assert "Chiến sĩ thi đua cơ sở" not in text.split("3. Sáng kiến")[0]
    # Initiatives by kind and level; the awards with names and decisions.
    assert "Kỹ thuật | 12 | 9 | 0 | 0 | 2" in text
    assert "Quản lý | 3 | 0 | 0 | 0 | 0" in text
    assert "Lao động tiên tiến | 201 | 201 | 0 | 83.817.000" in text
    assert (
        "1 | Nguyễn Thị Hoa | Văn phòng Sở | Lao động tiên tiến | 101/QĐ-SCT | 20/12/2018" in text
    )
    assert document.recipients == ("Ban TĐKT tỉnh (b/c)", "Lãnh đạo Sở", "Lưu: VT.")
    assert document.signer_name == "Đào Thị Thu Nguyệt"
    assert "PHƯƠNG HƯỚNG" not in text


def test_the_midterm_review_shows_its_phase_and_the_running_total() -> None:
    document = review_document(_midterm())
    assert document.subtitle == "Sơ kết đợt 1 phong trào thi đua năm 2018"
    text = _text(document)
    assert "đợt 1 (từ ngày 01/01/2018 đến ngày 30/06/2018)" in text
    assert "Nội dung | Trong đợt 1 | Lũy kế đến 30/06/2018" in text
    assert "Tập thể đăng ký thi đua | 8 | 8" in text
    assert "Chưa có quyết định khen thưởng" not in text  # the rollup has awards
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI" in text
    assert "Đợt 2 (01/07/2018 - 31/12/2018): Về đích sớm." in text
    assert "Hạn đăng ký thi đua: 30/08/2018." in text
    assert document.file_stem == f"so-ket-dot-1-{CAMPAIGN}"


def test_a_period_tally_reads_the_rollups_period_keys() -> None:
    tally = Tally.of_period(
        {
            "registrations.units": 3,
            "awards|TTLDTT|collective|regular|department_director": 2,
            "awards|LDTT|individual|regular|department_director": 5,
            "initiatives.recognized|technical|unit": 1,
        }
    )
    assert (tally.units, tally.awards, tally.awards_collective, tally.awards_individual) == (
        3,
        7,
        2,
        5,
    )
    assert tally.initiatives_recognized == 1


def test_the_docx_holds_the_layout_and_the_figures() -> None:
    body = review_docx(review_document(_final()))
    doc = read_docx(io.BytesIO(body))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    paragraphs = [p.text for p in doc.paragraphs]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(cells)
    assert "Độc lập - Tự do - Hạnh phúc" in "\n".join(cells)
    assert "Gia Lai, ngày 26 tháng 12 năm 2018" in "\n".join(cells)
    assert "Số:       /BC-SCT" in "\n".join(cells)
    assert "BÁO CÁO" in paragraphs
    assert "Tổng kết phong trào thi đua năm 2018" in paragraphs
    assert "Nguyễn Thị Hoa" in cells and "83.817.000" in cells and NO_DATA in cells
    assert "Nơi nhận:" in "\n".join(cells) and "- Lưu: VT." in "\n".join(cells)
    assert "Đào Thị Thu Nguyệt" in "\n".join(cells)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30


@pytest.mark.skipif(not (FONT_DIR / "DejaVuSerif.ttf").is_file(), reason="fonts-dejavu-core")
def test_the_pdf_writes_vietnamese_text(tmp_path: Path) -> None:
    body = review_pdf(review_document(_final()))
    assert body.startswith(b"%PDF")
    text = pdf_text(body, tmp_path)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Gia Lai, ngày 26 tháng 12 năm 2018",
        "Tổng kết phong trào thi đua năm 2018",
        "Nguyễn Thị Hoa",
        "83.817.000",
        NO_DATA,
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
    ):
        assert expected in text, expected


def test_without_the_font_the_pdf_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(FontMissing, match="fonts-dejavu-core"):
        review_pdf(review_document(_final()), font_dir=tmp_path)
