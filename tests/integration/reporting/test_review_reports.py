"""The review reports (sơ kết, tổng kết) of the Gia Lai 2018 campaign, downloaded over HTTP
from the API served on a model projected live (with the audit trail, which holds the plan's
text), in both formats: the DOCX's text and the PDF's (pdftotext) hold the campaign's key
figures, counted here from the scenario's inputs; the PDF's first page renders to a PNG
(pdftoppm) of A4 proportions. ``THIDUA_REVIEW_PNG_DIR=dir`` keeps the two first pages
(``so-ket.png``, ``tong-ket.png``: the pictures in docs/)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from scenarios.seeds import GIA_LAI
from services.reporting import app as reporting
from tests.auth import service_auth
from tests.documents import docx_text, pdf_text, table_rows
from tests.integration.reporting.conftest import projected
from tests.integration.reporting.scenario import Feed, build_feed
from tests.integration.reporting.scenario_registration import GL_CAMPAIGN
from thidua.es.db import create_pool

NO_DATA = "chưa có số liệu"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils is not installed (apt-get install -y poppler-utils)",
)


@pytest.fixture
async def served(
    database_url: str, bootstrap: str, uid: str
) -> AsyncIterator[tuple[Feed, httpx.AsyncClient]]:
    feed = build_feed(f"{uid}-")
    async with projected(database_url, bootstrap, uid, feed, audit=True):
        pool = await create_pool(database_url, f"test_{uid}_ctl")
        try:
            api = reporting.create_api(pool, control_schema=f"test_{uid}_ctl")
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=api),
                base_url="http://reporting",
                auth=service_auth(),
                timeout=60,
            ) as client:
                yield feed, client
        finally:
            await pool.close()


def first_page_png(pdf: Path) -> Path:
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return stem.with_suffix(".png")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


async def download(client: httpx.AsyncClient, name: str, tmp: Path) -> tuple[str, str, Path]:
    """The report ``name`` (e.g. ``tong-ket``) in both formats: DOCX text, PDF text, PNG."""
    base = f"/v1/campaigns/{GL_CAMPAIGN}/reports/{name}"
    word = await client.get(f"{base}.docx")
    assert word.status_code == 200, word.text
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert word.headers["content-disposition"].endswith('.docx"')
    pdf = await client.get(f"{base}.pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    path = tmp / f"{name}.pdf"
    path.write_bytes(pdf.content)
    png = first_page_png(path)
    width, height = png_size(png)
    # A4 at 100 dpi: 827 by 1169 pixels; a page with text is far more than a blank one.
    assert abs(width - 827) <= 2 and abs(height - 1169) <= 2, (width, height)
    assert png.stat().st_size > 30_000
    keep = os.environ.get("THIDUA_REVIEW_PNG_DIR")
    if keep:
        shutil.copy(png, Path(keep) / f"{name.split('-dot-')[0]}.png")
    return docx_text(word.content), pdf_text(path), png


async def test_the_final_review_holds_the_campaigns_figures_in_docx_and_pdf(
    served: tuple[Feed, httpx.AsyncClient], tmp_path: Path
) -> None:
    feed, client = served
    department = feed.scenario.code(GIA_LAI)
    # Counted from the scenario's inputs: 2 units and 4 people registered (one withdrew), 3
    # initiatives (2 recognised, 1 not); 8 titles decided for the campaign, one revoked.
    rollup = (
        await client.get(
            f"/rollups/department/{department}",
            params={"year": 2018, "campaign_id": GL_CAMPAIGN},
        )
    ).json()
    assert rollup["registrations"]["units"] == 2 and rollup["registrations"]["individuals"] == 3
    word, pdf, _ = await download(client, "tong-ket", tmp_path)
    for text in (word, pdf):
        for expected in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH GIA LAI",
            "SỞ CÔNG THƯƠNG",
            "/BC-SCT",
            "Gia Lai, ngày 31 tháng 12 năm 2018",  # the period's end: the plan sets no review date
            "BÁO CÁO",
            "Tổng kết phong trào thi đua năm 2018",
            "Giá trị sản xuất công nghiệp",
            "19.663",
            "+8,76%",
            NO_DATA,
            "Nguyễn Thị Lan",  # LĐTT, CSTĐCS and CSTĐ toàn quốc
            "Trần Văn Minh",  # LĐTT
            "Văn phòng Sở",  # TTLĐTT
            "Chiến sĩ thi đua toàn quốc",
            "Nơi nhận:",
            "Ban TĐKT tỉnh (b/c);",
            "KT. GIÁM ĐỐC",
            "Đào Thị Thu Nguyệt",
        ):
            assert expected in text, expected
        assert "Cán bộ p-0100" not in text  # the revoked LĐTT is not in the list
    rows = table_rows(word)
    assert rows["Tập thể đăng ký thi đua"] == ["2", "0", "2"]  # đợt 1, đợt 2, cả phong trào
    assert rows["Cá nhân đăng ký thi đua"] == ["3", "0", "3"]
    assert rows["Sáng kiến đăng ký"] == ["0", "3", "3"]
    assert rows["Sáng kiến được công nhận"] == ["0", "2", "2"]
    # 7 decided in đợt 2; in all, 7 in force: one LĐTT revoked (03/2019), the flag (01/2019).
    assert rows["Danh hiệu, hình thức khen thưởng đã quyết định"] == ["0", "7", "7"]
    awarded = sum(t["count"] for t in rollup["awards"])
    assert awarded == 7
    assert rows["Lao động tiên tiến"][:1] == ["3"]  # the summary by title: 3 LĐTT in force
    # The PDF's table holds the same row.
    assert any(
        line.split()[:4] == ["Tập", "thể", "đăng", "ký"] and line.split()[-3:] == ["2", "0", "2"]
        for line in pdf.splitlines()
    )


async def test_the_midterm_review_of_the_first_phase_and_the_refusals(
    served: tuple[Feed, httpx.AsyncClient], tmp_path: Path
) -> None:
    feed, client = served
    word, pdf, _ = await download(client, "so-ket-dot-1", tmp_path)
    for text in (word, pdf):
        for expected in (
            "Gia Lai, ngày 30 tháng 6 năm 2018",
            "Sơ kết đợt 1 phong trào thi đua năm 2018",
            "30/06/2018",
            "Chưa có quyết định khen thưởng trong kỳ báo cáo.",
            "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
            "Hạn đăng ký thi đua: 30/08/2018.",
            NO_DATA,
        ):
            assert expected in text, expected
    assert "Nội dung | Trong đợt 1 | Lũy kế đến 30/06/2018" in word
    rows = table_rows(word)
    assert rows["Tập thể đăng ký thi đua"] == ["2", "2"]  # in đợt 1, up to 30/06
    assert rows["Cá nhân đăng ký thi đua"] == ["3", "3"]  # 4 registered, 1 withdrew (01/06)
    on_time = [line.split(" | ")[1:] for line in word.splitlines() if "đăng ký đúng hạn" in line]
    assert on_time == [["2", "2"], ["3", "3"]]  # units, people: all before 30/08
    assert rows["Sáng kiến đăng ký"] == ["0", "0"]

    # Refusals: problems in Vietnamese.
    unknown = await client.get("/v1/campaigns/sct-gialai/2099/khong-co/reports/tong-ket.pdf")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert "Không tìm thấy phong trào thi đua" in unknown.json()["detail"]
    no_phase = await client.get(f"/v1/campaigns/{GL_CAMPAIGN}/reports/so-ket-dot-3.docx")
    assert no_phase.status_code == 409
    assert no_phase.headers["content-type"] == "application/problem+json"
    assert "không có đợt 3 (kế hoạch có 2 đợt)" in no_phase.json()["detail"]
    bad = await client.get(f"/v1/campaigns/{GL_CAMPAIGN}/reports/tong-ket.odt")
    assert bad.status_code == 422
    # The dashboard links them: the department's page, then the campaign's reports.
    department = feed.scenario.code(GIA_LAI)
    page = await client.get(f"/so/{department}", params={"nam": 2018})
    assert 'id="review-reports"' in page.text and "/bao-cao/phong-trao?ma=" in page.text
    reports = await client.get("/bao-cao/phong-trao", params={"ma": GL_CAMPAIGN})
    assert reports.status_code == 200
    for link in ("so-ket-dot-1.docx", "so-ket-dot-2.pdf", "tong-ket.docx", "tong-ket.pdf"):
        assert f"/v1/campaigns/{GL_CAMPAIGN}/reports/{link}" in reports.text, link
    openapi = (await client.get("/openapi.json")).json()["paths"]
    assert "/v1/campaigns/{campaign_id}/reports/tong-ket.{extension}" in openapi
    assert "/v1/campaigns/{campaign_id}/reports/so-ket-dot-{phase}.{extension}" in openapi
