"""Downloads of the dashboard (CSV, XLSX, form PDFs) and its as-of view, over HTTP against the
live model, checked against figures computed from the scenario's inputs."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import date

import httpx
import openpyxl
import pytest

from scenarios.seeds import BAC_LIEU, GIA_LAI, KHANH_HOA
from tests.integration.reporting.conftest import Live, api_client
from tests.integration.reporting.expected import expected


@pytest.fixture
async def http(live: Live, database_url: str, uid: str) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(database_url, uid) as client:
        yield client


def figures_of(rows: list[list[str]]) -> dict[str, str]:
    """Code → value of the key-figure section of a downloaded CSV."""
    return {r[0]: r[2] for r in rows if len(r) == 3 and re.fullmatch(r"[a-z_]+", r[0])}


async def test_the_ministry_csv_holds_the_sector_figures_and_opens_in_excel(
    live: Live, http: httpx.AsyncClient
) -> None:
    feed = live[0]
    sc = feed.scenario
    want = expected(feed, {sc.code(GIA_LAI), sc.code(BAC_LIEU), sc.code(KHANH_HOA)}, None)
    reply = await http.get(
        "/tai-ve/tong-hop", params={"cap": "bo", "ma": "bct", "nam": 2018, "dinh-dang": "csv"}
    )
    assert reply.status_code == 200
    assert reply.headers["content-disposition"] == (
        'attachment; filename="tong-hop-bo-bct-2018.csv"'
    )
    assert reply.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads Vietnamese
    rows = list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    assert rows[1] == ["Bộ: Bộ Công Thương"]
    got = figures_of(rows)
    assert got["staff"] == str(want["staff"][0])
    assert got["cash_vnd"] == str(want["cash"])
    for title, n in want["awarded"].items():
        assert got[f"{title.lower()}_awarded"] == str(n), title


async def test_forms_download_as_pdf_and_as_xlsx_with_the_same_rows(
    http: httpx.AsyncClient,
) -> None:
    params = {"bieu": "0603.N", "cap": "bo", "ma": "bct", "nam": 2018}
    pdf = await http.get("/tai-ve/bieu-mau", params={**params, "dinh-dang": "pdf"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].endswith('filename="bieu-0603.n-bo-bct-2018.pdf"')
    assert pdf.content.startswith(b"%PDF") and b"DejaVuSans" in pdf.content
    book = await http.get("/tai-ve/bieu-mau", params={**params, "dinh-dang": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content))["0603.N"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0]]
    header = next(r for r in rows if r[0] == "Chỉ tiêu")
    body = {r[0]: dict(zip(header, r, strict=True)) for r in rows[rows.index(header) + 1 :]}
    # Ministry/province-level awards of the sector: the provincial flag and a Bằng khen.
    assert body["Tổng số"]["Tổng số"] == 2
    assert body["Cờ thi đua"]["Tập thể"] == 1
    assert body["Bằng khen"]["Đột xuất"] == 1


async def test_the_province_view_as_of_a_date_leaves_out_later_decisions(
    live: Live, http: httpx.AsyncClient
) -> None:
    feed = live[0]
    want = expected(feed, {feed.scenario.code(GIA_LAI)}, date(2019, 1, 10))
    page = await http.get("/tinh/gia-lai", params={"nam": 2018, "den-ngay": "10/01/2019"})
    assert page.status_code == 200
    html = page.text
    assert "Số liệu tính đến ngày 10/01/2019" in html
    assert 'data-figure="co_thi_dua_awarded"' not in html  # decided 15/01/2019
    ldtt = re.search(r'data-figure="ldtt_awarded" data-value="(\d+)"', html)
    assert ldtt is not None and int(ldtt.group(1)) == want["awarded"]["LDTT"]
    assert 'id="download-xlsx"' in html and "den-ngay=10%2F01%2F2019" in html


async def test_a_wrong_date_or_an_unknown_province_is_explained_in_vietnamese(
    http: httpx.AsyncClient,
) -> None:
    wrong = await http.get("/tinh/gia-lai", params={"nam": 2018, "den-ngay": "31/02/2019"})
    assert wrong.status_code == 422
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["title"] == "Tham số không hợp lệ"
    assert "31/02/2019" in wrong.json()["detail"] and "dd/mm/yyyy" in wrong.json()["detail"]
    assert [e["name"] for e in wrong.json()["errors"]] == ["den-ngay"]
    unknown = await http.get("/tinh/khong-co", params={"nam": 2018})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["detail"] == "Không tìm thấy tỉnh có mã 'khong-co'."
    api = await http.get("/rollups/province/khong-co", params={"year": 2018})
    assert (api.status_code, api.json()["title"]) == (404, "Không tìm thấy")
    nul = await http.get("/rollups/province/gia-lai", params={"year": 2018, "campaign_id": "a\0"})
    assert nul.status_code == 422 and nul.json()["errors"][0]["name"] == "campaign_id"
    epoch = await http.get("/rollups/province/gia-lai", params={"year": 2018, "as_of": "0"})
    assert epoch.status_code == 422 and "YYYY-MM-DD" in epoch.json()["detail"]
