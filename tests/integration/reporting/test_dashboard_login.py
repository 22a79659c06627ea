"""People log in to the dashboard through the identity provider (Keycloak's own login form,
in a real headless chromium) and see only what their role allows: the Sở Công Thương Gia Lai
its own department and units, never the province; the board of Gia Lai the whole province;
logging out closes the session."""

from __future__ import annotations

import pytest

from tests.integration.reporting.browser import Chromium, Page, chromium_path, log_in
from thidua.stack.keycloak import sample_users

CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install -y chromium; or set THIDUA_CHROMIUM)",
)
PASSWORDS = {u["username"]: u["password"] for u in sample_users()}


async def links(page: Page, kind: str) -> list[str]:
    found = await page.evaluate(
        f"[...document.querySelectorAll('[data-drill={kind}]')].map(a => a.dataset.id)"
    )
    return sorted(str(x) for x in found)


async def shown(page: Page, url: str) -> str:
    """Open ``url`` in the logged-in browser; the page's title."""
    await page.goto(url)
    return str(await page.evaluate("document.title"))


async def test_a_department_sees_its_own_department_and_units_only(
    gia_lai_url: str, browser: Chromium
) -> None:
    page = await browser.page()
    await log_in(page, f"{gia_lai_url}/", "sct-gialai", PASSWORDS["sct-gialai"])

    assert "sct-gialai" in await page.evaluate("document.querySelector('#who').textContent")
    assert await links(page, "province") == []
    assert await links(page, "ministry") == []
    assert await links(page, "department") == ["sct-gialai"]
    await page.click('[data-drill="department"][data-id="sct-gialai"]')
    await page.wait_for(
        "location.pathname === '/so/sct-gialai' && document.readyState === 'complete'",
        what="its department's view",
    )
    units = await links(page, "unit")
    assert "sct-gialai/vp" in units and all(u.startswith("sct-gialai/") for u in units)
    await page.click('[data-drill="unit"][data-id="sct-gialai/vp"]')
    await page.wait_for(
        "location.pathname === '/don-vi/sct-gialai/vp' && document.readyState === 'complete'",
        what="its unit's view",
    )

    for outside in ("/tinh/gia-lai", "/bo/bct", "/so/sct-baclieu", "/don-vi/sct-baclieu/ttkc"):
        assert await shown(page, f"{gia_lai_url}{outside}") == "Không có quyền truy cập", outside

    await page.click("#logout")  # here, and at the identity provider
    await page.wait_for(
        "document.readyState === 'complete' && location.host !== ''", what="the logout"
    )
    if await page.evaluate("document.querySelector('#kc-logout') !== null"):
        await page.click("#kc-logout")  # Keycloak asks before ending its own session
    await page.wait_for("document.title === 'Đã đăng xuất'", what="logged out")
    assert await shown(page, f"{gia_lai_url}/so/sct-gialai") == "Vui lòng đăng nhập"


async def test_the_board_sees_the_whole_province_and_no_ministry(
    gia_lai_url: str, browser: Chromium
) -> None:
    page = await browser.page()
    await log_in(page, f"{gia_lai_url}/", "bantdkt-gialai", PASSWORDS["bantdkt-gialai"])

    assert await links(page, "province") == ["gia-lai"]
    assert await links(page, "ministry") == []
    await page.click('[data-drill="province"][data-id="gia-lai"]')
    await page.wait_for(
        "location.pathname === '/tinh/gia-lai' && document.readyState === 'complete'",
        what="the province view",
    )
    assert await links(page, "department") == ["sct-gialai"]  # the feed's one in Gia Lai
    assert await shown(page, f"{gia_lai_url}/so/sct-gialai") != "Không có quyền truy cập"
    assert await shown(page, f"{gia_lai_url}/don-vi/sct-gialai/vp") != "Không có quyền truy cập"
    for outside in ("/bo/bct", "/tinh/bac-lieu", "/so/sct-baclieu"):
        assert await shown(page, f"{gia_lai_url}{outside}") == "Không có quyền truy cập", outside
