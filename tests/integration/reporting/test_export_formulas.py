"""A unit named like a spreadsheet formula comes out of the downloads as text: a string cell in
XLSX (never a formula), a quoted field in CSV (OWASP, CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import httpx
import openpyxl
import pytest

from scenarios.seeds import GIA_LAI
from services.reporting import app as reporting
from tests.auth import service_auth
from tests.integration.reporting.conftest import projected
from tests.integration.reporting.scenario import build_feed

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
async def download(
    database_url: str, bootstrap: str, uid: str
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str | int]]]:
    """The reporting API over the scenario in which one Gia Lai unit is named ``FORMULA``."""
    feed = build_feed(f"{uid}-")
    department = feed.scenario.code(GIA_LAI)
    [named] = [
        e
        for _, e in feed.registration
        if e.type.endswith(".UnitEstablished.v1") and e.data["department_code"] == department
    ][:1]
    named.data["name"] = FORMULA
    async with projected(database_url, bootstrap, uid, feed) as (_, pool, _source):
        api = reporting.create_api(pool, control_schema=f"test_{uid}_ctl")
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://reporting", auth=service_auth()
        ) as client:
            yield client, {"cap": "so", "ma": department, "nam": 2018}


async def test_a_unit_named_like_a_formula_is_text_in_xlsx_and_csv(
    download: tuple[httpx.AsyncClient, dict[str, str | int]],
) -> None:
    client, params = download
    book = await client.get("/tai-ve/tong-hop", params={**params, "dinh-dang": "xlsx"})
    assert book.status_code == 200, book.text
    sheets = openpyxl.load_workbook(io.BytesIO(book.content))
    cells = [c for sheet in sheets for row in sheet.iter_rows() for c in row]
    [named] = [c for c in cells if c.value == FORMULA]
    assert named.data_type == "s"  # a string, not "f" (formula)
    assert not [c for c in cells if c.data_type == "f"]
    numbers = [c for c in cells if c.data_type == "n" and c.value is not None]
    assert numbers and all(isinstance(c.value, int | float) for c in numbers)

    text = await client.get("/tai-ve/tong-hop", params={**params, "dinh-dang": "csv"})
    assert text.status_code == 200, text.text
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    fields = [f for row in rows for f in row]
    assert "'" + FORMULA in fields
    assert not [f for f in fields if f.startswith(("=", "+", "@", "\t", "\r"))]
    [unit_row] = [row for row in rows if "'" + FORMULA in row]
    assert all(f.isdigit() for f in unit_row[2:])  # its figures stay numbers
