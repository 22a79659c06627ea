"""The board opens the dashboard in a real headless chromium: the province view shows the
figures computed independently from the scenario's inputs, a drill-down reaches a unit and the
events behind its awards, and the XLSX the browser downloads holds the same numbers."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import openpyxl
import pytest
import uvicorn

from contracts import registration as rg
from contracts.envelope import CloudEvent
from scenarios.seeds import GIA_LAI
from services.reporting import app as reporting
from tests.integration.reporting.browser import Chromium, Page, chromium_path, log_in
from tests.integration.reporting.conftest import Live, produce_keyed
from tests.integration.reporting.expected import expected
from tests.support import eventually
from thidua.es.db import create_pool
from thidua.stack.keycloak import sample_users

CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install -y chromium; or set THIDUA_CHROMIUM)",
)
UNIT = "sct-gialai/vp"


def password(username: str) -> str:
    return {u["username"]: u["password"] for u in sample_users()}[username]


def vn(n: int) -> str:
    """Vietnamese digit grouping, written independently of the service: 1.390.000."""
    digits = str(abs(n))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ("-" if n < 0 else "") + ".".join(groups)


@pytest.fixture
async def server(live: Live, database_url: str, uid: str) -> AsyncIterator[str]:
    """The reporting API (dashboard included) on a free loopback port, reading the live model
    through its control pointer as the service does."""
    pool = await create_pool(database_url, f"test_{uid}_ctl")
    api = reporting.create_api(pool, control_schema=f"test_{uid}_ctl")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(api, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))

    async def started() -> bool:
        return server.started

    try:
        await eventually(started, bool, timeout=20, what="uvicorn serving")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving
        sock.close()
        await pool.close()


async def figure(page: Page, code: str) -> str | None:
    value = await page.evaluate(
        f"document.querySelector('[data-figure={json.dumps(code)}]')?.textContent ?? null"
    )
    return None if value is None else str(value)


def keep(png: bytes, tmp_path: Path, name: str) -> None:
    """Kept with the test's files; also in THIDUA_SCREENSHOT_DIR when set (for a human)."""
    for directory in (tmp_path, os.environ.get("THIDUA_SCREENSHOT_DIR")):
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            (Path(directory) / f"{name}.png").write_bytes(png)


async def test_the_board_reads_the_province_drills_down_to_a_unit_and_downloads_the_same_figures(
    live: Live, server: str, browser: Chromium, tmp_path: Path, bootstrap: str
) -> None:
    feed = live[0]
    gl = feed.scenario.code(GIA_LAI)
    want = expected(feed, {gl}, None)
    staff, _, _, _, _ = want["staff"]
    units, individuals, _ = want["registrations"]
    received, late, returned, _ = want["dossiers"]
    shown = {
        "staff": staff,
        "registrations_units": units,
        "registrations_individuals": individuals,
        "cash_vnd": want["cash"],
        "dossiers_received": received,
        "dossiers_late": late,
        "dossiers_returned": returned,
        "awards_total": sum(want["awarded"].values()),
        **{f"{title.lower()}_awarded": n for title, n in want["awarded"].items()},
    }
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    await browser.allow_downloads(downloads)
    page = await browser.page()

    # The board of Gia Lai logs in at the identity provider, then, home: choose the province,
    # then the year 2018 in the filter form.
    await log_in(page, f"{server}/", "bantdkt-gialai", password("bantdkt-gialai"))
    assert await page.evaluate("document.documentElement.lang") == "vi"
    await page.click('[data-drill="province"][data-id="gia-lai"]')
    await page.wait_for(
        "location.pathname === '/tinh/gia-lai' && document.readyState === 'complete'",
        what="the province view",
    )
    await page.evaluate("document.querySelector('select[name=nam]').value = '2018'")
    await page.click("form.filters button")
    await page.wait_for(
        "document.querySelector('#scope-title')?.dataset.year === '2018'", what="year 2018"
    )
    assert "Tỉnh Gia Lai" in await page.evaluate("document.querySelector('h1').textContent")
    for code, value in shown.items():
        assert await figure(page, code) == vn(value), code
    assert await page.evaluate("document.querySelectorAll('svg[data-chart]').length") == 2
    keep(await page.screenshot(), tmp_path, "tinh-gia-lai-2018")

    # The XLSX the page offers, downloaded by the browser, holds the same numbers.
    await page.click("#download-xlsx")
    began = await browser.event("Browser.downloadWillBegin", lambda p: True)
    assert began["suggestedFilename"] == "tong-hop-tinh-gia-lai-2018.xlsx"
    await browser.event(
        "Browser.downloadProgress",
        lambda p: p["guid"] == began["guid"] and p["state"] == "completed",
    )
    book = openpyxl.load_workbook(downloads / began["suggestedFilename"])
    sheet = book["Chỉ số chính"]
    cells = {row[0]: row[2] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    for code, value in shown.items():
        assert cells[code] == value, code
    assert sheet["A2"].value == "Tỉnh: Gia Lai"

    # Drill down: the department, then its Văn phòng and the events behind its awards.
    await page.click(f'[data-drill="department"][data-id="{gl}"]')
    await page.wait_for(
        f"location.pathname === '/so/{gl}' && document.readyState === 'complete'",
        what="the department view",
    )
    await page.click(f'[data-drill="unit"][data-id="{UNIT}"]')
    await page.wait_for(
        f"location.pathname === '/don-vi/{UNIT}' && document.readyState === 'complete'",
        what="the unit view",
    )
    unit_awards = [
        a
        for a in feed.approvals
        if a.unit == UNIT and a.decided <= "2099-12-31" and a.revoked_on is None
    ]
    by_title: dict[str, int] = {}
    for award in unit_awards:
        by_title[award.title] = by_title.get(award.title, 0) + 1
    for title, n in by_title.items():
        assert await figure(page, f"{title.lower()}_awarded") == vn(n), title
    listed = set(
        await page.evaluate(
            "[...document.querySelectorAll('table[data-table=su-kien] tbody tr')]"
            ".map(tr => tr.lastElementChild.textContent)"
        )
    )
    decisions = {
        event
        for nomination, event in feed.decision_events.items()
        if nomination in ("gl/ldtt-0042", "gl/cstdcs-0042", "gl/cstdtq-0042", "gl/ttldtt-vp")
    }
    assert decisions <= listed
    keep(await page.screenshot(), tmp_path, "don-vi-van-phong")

    # The 2025 restructuring (issue 16): the board records Bình Định merged into Gia Lai on
    # 01/07/2025. The province list shows today's Gia Lai with the former Bình Định linked
    # beneath it; its page still opens and says whom it merged into.
    await merge_binh_dinh_into_gia_lai(live, bootstrap)
    await page.goto(f"{server}/")
    await page.wait_for(
        "document.querySelector('[data-former-of=\"gia-lai\"]') !== null",
        what="the former province beneath Gia Lai",
    )
    listed = await page.evaluate(
        "[...document.querySelectorAll('#provinces > li > a')].map(a => a.dataset.id)"
    )
    assert listed == ["gia-lai"]
    beneath = await page.evaluate(
        "[...document.querySelectorAll('#provinces > li > ul.formers a')]"
        ".map(a => [a.dataset.id, a.closest('li').textContent])"
    )
    assert beneath == [["binh-dinh", "Bình Định (đã hợp nhất vào tỉnh Gia Lai từ ngày 01/07/2025)"]]
    keep(await page.screenshot(), tmp_path, "trang-chu-tinh-cu")
    await page.click('[data-drill="province"][data-id="binh-dinh"]')
    await page.wait_for(
        "location.pathname === '/tinh/binh-dinh' && document.readyState === 'complete'",
        what="the former province's view",
    )
    note = await page.evaluate("document.querySelector('#merged-into').textContent")
    assert "đã hợp nhất vào tỉnh Gia Lai từ ngày 01/07/2025" in note
    keep(await page.screenshot(), tmp_path, "tinh-binh-dinh-cu")
    # Back to Gia Lai: the checkbox includes the former Bình Định, and says so.
    await page.click("#successor-link")
    await page.wait_for(
        "location.pathname === '/tinh/gia-lai' && document.readyState === 'complete'",
        what="the successor's view",
    )
    label = await page.evaluate(
        "document.querySelector('#with-predecessors').parentNode.textContent"
    )
    assert label.strip() == "Gồm cả tỉnh cũ đã hợp nhất (Bình Định)"
    await page.click("#with-predecessors")
    await page.click("form.filters button")
    await page.wait_for(
        "document.querySelector('#predecessors-included') !== null", what="with predecessors"
    )
    assert await page.evaluate("document.querySelector('#with-predecessors').checked")
    keep(await page.screenshot(), tmp_path, "tinh-gia-lai-gom-tien-than")


async def merge_binh_dinh_into_gia_lai(live: Live, bootstrap: str) -> None:
    """The board's facts as registration publishes them, on the live model's source topic."""
    feed, runtime, _, source = live
    facts = [
        rg.ProvinceRegistered(province_id="binh-dinh", name="Bình Định"),
        rg.ProvinceMerged.model_validate(
            {
                "province_id": "binh-dinh",
                "into_province_id": "gia-lai",
                "effective_on": "2025-07-01",
                "legal_basis": {"number": "202/2025/QH15", "issuer": "Quốc hội"},
            }
        ),
    ]
    events = [CloudEvent.new(f, source="urn:thidua:service:registration") for f in facts]
    await produce_keyed(bootstrap, source[0], [(b"reference", e) for e in events])
    total = len(feed.registration) + len(feed.awards) + len(events)
    await eventually(
        runtime.projection_runners()[0].checkpoints,
        lambda found: sum(found.values()) == total,
        what="the merger projected",
    )
