"""A decision's documents (issue 18), downloaded over HTTP from the API served on a model
projected live with its audit trail: the draft of the decision (DOCX, and PDF rendered to a
PNG of A4 proportions) lists exactly the decision's awardees, with their units, titles and
cash, and the total; the legal bases of the rule set applied; the number left blank.
``THIDUA_REVIEW_PNG_DIR=dir`` keeps the draft's first page (``quyet-dinh.png``: docs/)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from scenarios.seeds import GIA_LAI
from tests.documents import docx_text, pdf_text, table_rows
from tests.integration.reporting.conftest import api_client, projected
from tests.integration.reporting.decision_feed import (
    DECISION_ID,
    Expected,
    with_decision,
)
from tests.integration.reporting.scenario import Feed, build_feed
from tests.integration.reporting.test_review_reports import first_page_png, png_size

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils is not installed (apt-get install -y poppler-utils)",
)

Served = tuple[Feed, list[Expected], httpx.AsyncClient, tuple[str, str]]


@pytest.fixture
async def served(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Served]:
    feed = build_feed(f"{uid}-")
    expected = with_decision(feed)
    async with (
        projected(database_url, bootstrap, uid, feed, audit=True) as (_, _, topics),
        api_client(database_url, uid) as client,
    ):
        yield feed, expected, client, topics


def keep_picture(png: Path, name: str) -> None:
    keep = os.environ.get("THIDUA_REVIEW_PNG_DIR")
    if keep:
        shutil.copy(png, Path(keep) / name)


def vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".")


async def test_the_draft_decision_lists_exactly_its_awardees_and_their_cash(
    served: Served, tmp_path: Path
) -> None:
    feed, expected, client, _ = served
    base = f"/v1/decisions/{DECISION_ID}/draft"
    word = await client.get(f"{base}.docx")
    assert word.status_code == 200, word.text
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert word.headers["content-disposition"].endswith('.docx"')
    pdf = await client.get(f"{base}.pdf")
    assert pdf.status_code == 200, pdf.text
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(pdf.content)
    png = first_page_png(path)
    width, height = png_size(png)
    assert abs(width - 827) <= 2 and abs(height - 1169) <= 2, (width, height)
    assert png.stat().st_size > 30_000
    keep_picture(png, "quyet-dinh.png")

    text, printed = docx_text(word.content), pdf_text(path)
    total = sum(e.cash_vnd for e in expected)
    assert "Số:       /QĐ-SCT" in text  # the number left blank for the clerk
    for document in (" ".join(text.split()), " ".join(printed.split())):
        for line in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH GIA LAI",
            "SỞ CÔNG THƯƠNG",
            "Số: /QĐ-SCT",
            "Gia Lai, ngày 24 tháng 12 năm 2018",
            "QUYẾT ĐỊNH",
            "GIÁM ĐỐC SỞ CÔNG THƯƠNG",
            # The rule set the awards were judged by (nd-91-2017).
            "Căn cứ Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013);",
            "Căn cứ Nghị định 91/2017/NĐ-CP;",
            "Điều 1.",
            "Điều 2.",
            "Điều 3.",
            f"tổng số tiền thưởng: {vnd(total)} đồng",
            "Nơi nhận:",
            "KT. GIÁM ĐỐC",
            "PHÓ GIÁM ĐỐC",
            "Đào Thị Thu Nguyệt",
            "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG",
        ):
            assert line in document, line
        assert "215/QĐ-SCT" not in document  # a draft: the clerk gives the number
        assert "Cán bộ p-0100" not in document  # the dossier the decision rejected
    assert "“Lao động tiên tiến”: 02 cá nhân;" in text
    assert "Tập thể lao động tiên tiến”: 01 tập thể;" in text
    rows = [
        line.split(" | ")
        for line in text.splitlines()
        if " | " in line and line.split(" | ")[0].isdigit()
    ]
    listed = sorted((r[1], r[2], r[3], r[4]) for r in rows)
    assert listed == sorted(
        (
            e.name,
            e.unit,
            {"LDTT": "Lao động tiên tiến", "TTLDTT": "Tập thể lao động tiên tiến"}[e.title],
            vnd(e.cash_vnd),
        )
        for e in expected
    )
    assert table_rows(text)[""][:4] == ["Tổng cộng", "", "", vnd(total)]
    # The PDF's annex holds each awardee with the same cash.
    for e in expected:
        assert any(
            e.name in line and line.rstrip().endswith(vnd(e.cash_vnd))
            for line in printed.splitlines()
        ), e

    # Refusals: problems in Vietnamese.
    unknown = await client.get("/v1/decisions/sct-gialai/qd/khong-co/draft.docx")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert "Không tìm thấy quyết định khen thưởng" in unknown.json()["detail"]
    bad = await client.get(f"/v1/decisions/{DECISION_ID}/draft.odt")
    assert bad.status_code == 422
    # The dashboard links them: the department's page, then its decisions of the year.
    department = feed.scenario.code(GIA_LAI)
    page = await client.get(f"/so/{department}", params={"nam": 2018})
    assert 'id="decisions"' in page.text
    listing = await client.get("/bao-cao/quyet-dinh", params={"so": department, "nam": 2018})
    assert listing.status_code == 200
    assert "215/QĐ-SCT" in listing.text and "24/12/2018" in listing.text
    assert f"/v1/decisions/{DECISION_ID}/draft.docx" in listing.text
    openapi = (await client.get("/openapi.json")).json()["paths"]
    assert "/v1/decisions/{decision_id}/draft.{extension}" in openapi
