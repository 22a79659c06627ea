"""A headless Debian chromium driven over the Chrome DevTools Protocol on a pipe.

``--remote-debugging-pipe`` makes chromium read protocol messages on fd 3 and write on fd 4,
each a JSON object ended by a NUL byte: no websocket library, no port, no driver download.
Clicks are real mouse events at an element's centre; downloads go to a directory of ours.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--password-store=basic",
    "--window-size=1280,900",
    "--remote-debugging-pipe",
)


def chromium_path() -> str | None:
    return os.environ.get("THIDUA_CHROMIUM") or shutil.which("chromium")


class Chromium:
    """One browser process; ``page()`` opens a tab."""

    def __init__(self, process: asyncio.subprocess.Process, reader: asyncio.StreamReader, fd: int):
        self.process = process
        self._reader = reader
        self._write_fd = fd
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()
        self._task = asyncio.create_task(self._read())

    @classmethod
    async def launch(cls, executable: str, profile: Path) -> Chromium:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()

        def on_fds_3_and_4() -> None:  # in the child, before exec
            a = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        process = await asyncio.create_subprocess_exec(
            executable,
            *FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=on_fds_3_and_4,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
        await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(from_child_r, "rb", 0)
        )
        return cls(process, reader, to_child_w)

    async def _read(self) -> None:
        while True:
            try:
                raw = await self._reader.readuntil(b"\0")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                for future in self._pending.values():
                    if not future.done():
                        future.set_exception(RuntimeError("chromium closed the pipe"))
                return
            message = json.loads(raw[:-1])
            if "id" in message and message["id"] in self._pending:
                self._pending.pop(message["id"]).set_result(message)
            else:
                self.events.append(message)
                self._arrived.set()

    async def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        os.write(self._write_fd, json.dumps(message).encode() + b"\0")
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    async def event(
        self, method: str, accept: Callable[[dict[str, Any]], bool], *, timeout: float = 30
    ) -> dict[str, Any]:
        """The first event ``method`` (seen so far or arriving) whose params ``accept`` holds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        seen = 0
        while True:
            for message in self.events[seen:]:
                if message.get("method") == method and accept(message.get("params", {})):
                    return message["params"]  # type: ignore[no-any-return]
            seen = len(self.events)
            self._arrived.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no {method} event within {timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def page(self) -> Page:
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        page = Page(self, attached["sessionId"])
        await page.call("Page.enable")
        await page.call("Runtime.enable")
        await page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        return page

    async def allow_downloads(self, directory: Path) -> None:
        await self.send(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(directory), "eventsEnabled": True},
        )

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.send("Browser.close"), 5)
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        with contextlib.suppress(OSError):
            os.close(self._write_fd)


class Page:
    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    async def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.browser.send(method, params, session=self.session)

    async def evaluate(self, expression: str) -> Any:
        reply = await self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    async def wait_for(self, expression: str, *, timeout: float = 20, what: str = "") -> Any:
        """Poll a JavaScript expression until it is truthy (bounded)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with contextlib.suppress(RuntimeError):
                value = await self.evaluate(expression)
                if value:
                    return value
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what or expression}")
            await asyncio.sleep(0.05)

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", {"url": url})
        await self.wait_for(
            f"document.readyState === 'complete' && location.href === {json.dumps(url)}",
            what=f"{url} loaded",
        )

    async def click(self, selector: str) -> None:
        """A real left click at the centre of the element (scrolled into view)."""
        found = f"document.querySelector({json.dumps(selector)}) !== null"
        await self.wait_for(found, what=f"{selector} on the page")
        x, y = await self.evaluate(
            f"""(() => {{
                const e = document.querySelector({json.dumps(selector)});
                e.scrollIntoView({{block: 'center'}});
                const r = e.getBoundingClientRect();
                return [r.x + r.width / 2, r.y + r.height / 2];
            }})()"""
        )
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    async def screenshot(self) -> bytes:
        """The whole page as PNG."""
        metrics = await self.call("Page.getLayoutMetrics")
        size = metrics["cssContentSize"]
        shot = await self.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": 1280, "height": size["height"], "scale": 1},
            },
        )
        return base64.b64decode(shot["data"])


async def log_in(page: Page, url: str, username: str, password: str) -> None:
    """Open ``url`` without a session: the dashboard's 401 page links to the login, which
    goes to the identity provider's own form (Keycloak's), typed into and submitted as a person
    would; back on the dashboard, ``url`` is shown."""
    await page.goto(url)
    await page.wait_for("document.querySelector('#login') !== null", what="the login link")
    assert await page.evaluate("document.title") == "Vui lòng đăng nhập"
    await page.click("#login")
    await page.wait_for(
        "document.querySelector('#username') !== null && document.readyState === 'complete'",
        what="the identity provider's login form",
    )
    for field, value in (("username", username), ("password", password)):
        await page.evaluate(f"document.querySelector('#{field}').value = {json.dumps(value)}")
    await page.click("#kc-login")
    await page.wait_for(
        f"location.href === {json.dumps(url)} && document.readyState === 'complete'",
        what=f"back on {url} after the login",
    )
