"""The in-app inbox over HTTP (and subscriptions, health): a small HTTP/1.1 server on asyncio.

GET  /inbox/<recipient kind>/<recipient id>[?unread=1]   → {"messages": [...]}, newest first
POST /inbox/messages/<message id>/read                   → 204
POST /subscriptions      (body: SubscriptionCreated JSON) → 201, or 200 if it existed
GET  /healthz                                            → {"status": "ok", ...}
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import ValidationError

from contracts.notifications import SubscriptionCreated
from services.notifications.subscriptions import subscribe
from thidua.es.db import Pool

log = logging.getLogger(__name__)

Response = tuple[int, Any]
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    500: "Internal Server Error",
}
MAX_BODY = 1 << 20


class InboxServer:
    def __init__(
        self, pool: Pool, host: str, port: int, health: Callable[[], dict[str, Any]]
    ) -> None:
        self.pool = pool
        self.host = host
        self.port = port
        self.health = health
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                method, target, body = request
                try:
                    status, payload = await self.route(method, target, body)
                except Exception:
                    log.exception("inbox request failed: %s %s", method, target)
                    status, payload = 500, {"error": "internal"}
                data = b"" if status == 204 else json.dumps(payload, ensure_ascii=False).encode()
                writer.write(
                    f"HTTP/1.1 {status} {_REASONS.get(status, '')}\r\n"
                    "Content-Type: application/json; charset=utf-8\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def route(self, method: str, target: str, body: bytes) -> Response:
        url = urlsplit(target)
        parts = [unquote(p) for p in url.path.strip("/").split("/") if p]
        if parts == ["healthz"] and method == "GET":
            return 200, {"status": "ok", **self.health()}
        if parts == ["subscriptions"] and method == "POST":
            try:
                sub = SubscriptionCreated.model_validate_json(body)
            except ValidationError as exc:
                return 400, {"error": "invalid", "details": json.loads(exc.json())}
            return (201 if await subscribe(self.pool, sub) else 200), {
                "subscription_id": sub.subscription_id
            }
        if len(parts) == 4 and parts[:2] == ["inbox", "messages"] and parts[3] == "read":
            if method != "POST":
                return 405, {"error": "method"}
            try:
                message_id = uuid.UUID(parts[2])
            except ValueError:
                return 404, {"error": "not found"}
            done = await self.pool.execute(
                """UPDATE inbox_messages SET read_at = coalesce(read_at, now())
                   WHERE message_id = $1""",
                message_id,
            )
            return (204, None) if done.endswith(" 1") else (404, {"error": "not found"})
        if len(parts) >= 3 and parts[0] == "inbox" and method == "GET":
            kind, recipient = parts[1], "/".join(parts[2:])
            unread = parse_qs(url.query).get("unread", ["0"])[0] in ("1", "true")
            rows = await self.pool.fetch(
                """SELECT message_id, template, subject, body, data, delivered_at, read_at
                   FROM inbox_messages WHERE recipient_kind = $1 AND recipient_id = $2
                   AND (NOT $3 OR read_at IS NULL) ORDER BY delivered_at DESC LIMIT 200""",
                kind,
                recipient,
                unread,
            )
            return 200, {
                "recipient": {"kind": kind, "id": recipient},
                "messages": [
                    {
                        "message_id": str(r["message_id"]),
                        "template": r["template"],
                        "subject": r["subject"],
                        "body": r["body"],
                        "event": json.loads(r["data"]),
                        "delivered_at": r["delivered_at"].isoformat(),
                        "read_at": r["read_at"].isoformat() if r["read_at"] else None,
                    }
                    for r in rows
                ],
            }
        return 404, {"error": "not found"}


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, bytes] | None:
    line = await reader.readline()
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    length = 0
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length > MAX_BODY:
        raise ValueError("body too large")
    body = await reader.readexactly(length) if length else b""
    return method.upper(), target, body
