"""A real SMTP server (aiosmtpd), a real webhook endpoint, and the service wired to unique
topics and a fresh schema."""

from __future__ import annotations

import asyncio
import email
import json
import os
import signal
import socket
import threading
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message as EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from contracts.base import EventData
from contracts.envelope import CloudEvent
from services.notifications.app import NotificationsRuntime, Settings, SourceTopics, build
from services.notifications.channels import SmtpSettings, verify
from services.notifications.clock import ShiftedClock
from services.notifications.dispatcher import DispatchSettings
from tests.support import as_service_role, produce
from thidua.es.consumer import ConsumerPolicy
from thidua.es.db import Pool
from thidua.es.service import ServiceTopics

WEBHOOK_SECRET = "bi-mat-thu-nghiem"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    message_id: str
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(email.header.make_header(email.header.decode_header(self.message["Subject"])))

    @property
    def body(self) -> str:
        payload = self.message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode("utf-8")


@dataclass
class SmtpServer:
    """Records every message it accepts; can SIGKILL a process while holding the n-th one
    (after the data arrived, before answering 250: the moment a sender cannot know)."""

    port: int
    received: list[Received] = field(default_factory=list)
    kill_pid: int | None = None
    kill_at: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.received.append(
                Received(str(parsed["Message-ID"]), list(envelope.rcpt_tos), parsed)
            )
            count = len(self.received)
            if self.kill_pid is not None and count == self.kill_at:
                os.kill(self.kill_pid, signal.SIGKILL)
                self.kill_pid = None
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [r for r in list(self.received) if address in r.to]

    def duplicates(self) -> dict[str, int]:
        counts = Counter(r.message_id for r in list(self.received))
        return {k: n for k, n in counts.items() if n > 1}

    async def count(self) -> int:
        return len(self.received)


@pytest.fixture
def smtp_server() -> Any:
    handler = SmtpServer(free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@dataclass
class WebhookServer:
    """Fails the first ``failures`` requests of each idempotency key with 500, then accepts;
    keeps what it accepted by key, as a careful receiver would."""

    failures: int = 2
    requests: list[dict[str, Any]] = field(default_factory=list)
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    port: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_line = await reader.readline()
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        key = headers.get("idempotency-key", "")
        signed = verify(
            WEBHOOK_SECRET,
            headers.get("x-thidua-timestamp", ""),
            body,
            headers.get("x-thidua-signature", ""),
        )
        seen = sum(1 for r in self.requests if r["key"] == key)
        self.requests.append({"key": key, "signed": signed, "line": request_line, "body": body})
        if seen < self.failures or not signed:
            status = "500 Internal Server Error" if signed else "401 Unauthorized"
        else:
            self.accepted.setdefault(key, json.loads(body))
            status = "200 OK"
        writer.write(
            f"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        writer.close()


@pytest.fixture
async def webhook_server() -> AsyncIterator[WebhookServer]:
    server = WebhookServer()
    await server.start()
    yield server
    await server.stop()


@dataclass
class Harness:
    """The service under test, its topics and clock, and ways to feed it upstream facts."""

    uid: str
    bootstrap: str
    sources: SourceTopics
    out: ServiceTopics
    clock: ShiftedClock
    runtime: NotificationsRuntime | None = None

    @property
    def pool(self) -> Pool:
        assert self.runtime is not None and self.runtime.pool is not None
        return self.runtime.pool

    async def publish(
        self, topic: str, *payloads: EventData, department: str | None = None
    ) -> list[CloudEvent]:
        source = "urn:thidua:service:" + (
            "registration" if topic == self.sources.registration else "awards"
        )
        events = [CloudEvent.new(p, source=source, department=department) for p in payloads]
        await produce(self.bootstrap, topic, [e.to_json() for e in events])
        return events

    async def registration(
        self, *payloads: EventData, department: str | None = None
    ) -> list[CloudEvent]:
        return await self.publish(self.sources.registration, *payloads, department=department)

    async def awards(self, *payloads: EventData, department: str | None = None) -> list[CloudEvent]:
        return await self.publish(self.sources.awards, *payloads, department=department)

    def count(self, sql: str, *args: Any) -> Callable[[], Awaitable[int]]:
        async def probe() -> int:
            return int(await self.pool.fetchval(sql, *args))

        return probe


def topics_for(uid: str) -> tuple[SourceTopics, ServiceTopics]:
    sources = SourceTopics(
        registration=f"test.{uid}.registration.events",
        awards=f"test.{uid}.awards.events",
        rejections=f"test.{uid}.rejections",
    )
    out = ServiceTopics(
        events=f"test.{uid}.notifications.events",
        dlq=f"test.{uid}.notifications.dlq",
        rejections=f"test.{uid}.notifications.rejections",
    )
    return sources, out


def settings_for(smtp_port: int, **dispatch: Any) -> Settings:
    return Settings(
        smtp=SmtpSettings(host="127.0.0.1", port=smtp_port, sender="thidua@sct.gialai.gov.vn"),
        dispatch=DispatchSettings(
            webhook_secret=WEBHOOK_SECRET,
            backoff_seconds=0.05,
            max_backoff_seconds=0.5,
            idle_interval=0.05,
            **dispatch,
        ),
        http_port=0,
    )


def service(
    database_url: str, bootstrap: str, uid: str, smtp_port: int, clock: ShiftedClock
) -> NotificationsRuntime:
    """The service on the test's own schema and topics."""
    sources, out = topics_for(uid)
    return build(
        database_url,
        bootstrap,
        schema=f"test_{uid}",
        writes_to=out,
        source_topics=sources,
        group_id=f"notifications-{uid}",
        settings=settings_for(smtp_port),
        clock=clock,
        policy=ConsumerPolicy(backoff_seconds=0.05),
    )


@pytest.fixture
async def harness(
    database_url: str, bootstrap: str, uid: str, smtp_server: SmtpServer
) -> AsyncIterator[Harness]:
    sources, out = topics_for(uid)
    clock = ShiftedClock()
    # As the service's own role, in a schema of the role: its rights are enough to run.
    as_role = await as_service_role(database_url, "notifications", f"test_{uid}")
    runtime = service(as_role, bootstrap, uid, smtp_server.port, clock)
    await runtime.start()
    yield Harness(uid, bootstrap, sources, out, clock, runtime)
    await runtime.stop()


def at(text: str) -> datetime:
    """A Vietnam local time, e.g. at("2018-08-23 08:00")."""
    from services.notifications.clock import VIETNAM

    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM)
