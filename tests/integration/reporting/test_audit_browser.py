"""A department's officer, logged in through the identity provider in a real headless
chromium, looks a person up in the home page's audit box: the printable trail lists the
person's facts in order, and printed it leaves out the header and the search box; a unit's
drill-down page links to the unit's trail."""

from __future__ import annotations

import json

import pytest

from tests.integration.reporting.browser import Chromium, chromium_path, log_in
from thidua.stack.keycloak import sample_users

pytestmark = pytest.mark.skipif(
    chromium_path() is None,
    reason="chromium is not installed (apt-get install -y chromium; or set THIDUA_CHROMIUM)",
)
PERSON = "sct-gialai/p-0042"


async def test_an_officer_finds_a_persons_trail_and_prints_it(
    gia_lai_url: str, browser: Chromium
) -> None:
    page = await browser.page()
    password = {u["username"]: u["password"] for u in sample_users()}["sct-gialai"]
    await log_in(page, f"{gia_lai_url}/", "sct-gialai", password)
    await page.evaluate(
        f"document.querySelector('#audit-search input[name=ma]').value = {json.dumps(PERSON)}"
    )
    await page.click("#audit-search button")
    await page.wait_for(
        "location.pathname === '/nhat-ky' && document.readyState === 'complete'"
        " && document.querySelector('#audit') !== null",
        what="the person's trail",
    )
    title = await page.evaluate("document.querySelector('#audit-title').textContent")
    assert title == f"Nhật ký: cá nhân {PERSON}"
    kinds = await page.evaluate(
        "[...document.querySelectorAll('#audit tbody tr')].map(r => r.cells[2].textContent)"
    )
    assert kinds[0] == "Tiếp nhận cán bộ" and "Quyết định khen thưởng" in kinds, kinds
    times = await page.evaluate(
        "[...document.querySelectorAll('#audit tbody tr')].map(r => r.cells[1].textContent)"
    )
    assert all(len(t) == 16 and t[2] == "/" and t[5] == "/" for t in times), times

    shown = "getComputedStyle(document.querySelector({})).display"
    assert await page.evaluate(shown.format(json.dumps("header"))) != "none"
    await page.call("Emulation.setEmulatedMedia", {"media": "print"})
    assert await page.evaluate(shown.format(json.dumps("header"))) == "none"
    assert await page.evaluate(shown.format(json.dumps("#audit-search"))) == "none"
    assert await page.evaluate(shown.format(json.dumps("#audit"))) != "none"

    await page.call("Emulation.setEmulatedMedia", {"media": "screen"})
    await page.goto(f"{gia_lai_url}/don-vi/sct-gialai/vp?nam=2018")  # a unit's drill-down
    await page.click('[data-audit="unit"]')
    await page.wait_for(
        "document.querySelector('#audit-title') !== null"
        " && document.querySelector('#audit-title').dataset.subjectId === 'sct-gialai/vp'",
        what="the unit's trail",
    )
    rows = await page.evaluate("document.querySelectorAll('#audit tbody tr[data-event]').length")
    assert rows > 0
