"""The outside world: an SMTP client whose last step can wait for our commit, and webhooks
signed with HMAC-SHA256."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import httpx

from services.notifications.templates import Message


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "thidua@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0
    helo_name: str = "thidua.notifications"


class SmtpReplyError(Exception):
    """The server answered with an error code: 4xx is worth retrying, 5xx is final."""

    def __init__(self, code: int, text: str, during: str) -> None:
        super().__init__(f"SMTP {code} {text} ({during})")
        self.code = code
        self.transient = 400 <= code < 500


class SmtpAmbiguous(Exception):
    """The message was handed over but the server's answer never came: it may be delivered."""


def message_id(delivery_id: str) -> str:
    return f"<{delivery_id}@thidua.notifications>"


def set_subject(email: EmailMessage, subject: str) -> None:
    """The subject, which mail readers show as written. A Vietnamese one is RFC 2047 encoded
    by ``email.header.Header``, whose encoded words carry their spaces inside them: CPython's
    own folder (``email.policy``, 3.11) splits a long non-ASCII subject between two encoded
    words and drops the space there ("Bội chi quỹ" read as "Bội chiquỹ"). Kept raw, already
    folded within 78 characters a line, the policy writes it as it is."""
    if subject.isascii():
        email["Subject"] = subject
        return
    email.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())


def build_email(sender: str, to: str, msg: Message, delivery_id: str, sent_at: datetime) -> bytes:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = to
    set_subject(email, msg.subject)
    email["Date"] = format_datetime(sent_at)
    # The delivery id is the idempotency key: a copy resent after a crash has the same id.
    email["Message-ID"] = message_id(delivery_id)
    email["X-Thidua-Delivery-Id"] = delivery_id
    email["X-Thidua-Template"] = msg.template
    email.set_content(msg.body, charset="utf-8")
    return email.as_bytes()


def _dot_stuffed(content: bytes) -> bytes:
    content = re.sub(rb"\r?\n", b"\r\n", content)
    if not content.endswith(b"\r\n"):
        content += b"\r\n"
    return re.sub(rb"(?m)^\.", b"..", content)


class SmtpSession:
    """One SMTP connection, several messages in turn (RSET between them)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> SmtpSession:
        s = self.settings
        self._reader, self._writer = await asyncio.wait_for(
            asyncio.open_connection(s.host, s.port), s.timeout
        )
        await self._expect(220, "greeting")
        features = await self._command(f"EHLO {s.helo_name}", 250)
        if s.starttls:
            await self._command("STARTTLS", 220)
            assert self._writer is not None
            await self._writer.start_tls(ssl.create_default_context(), server_hostname=s.host)
            features = await self._command(f"EHLO {s.helo_name}", 250)
        if s.username is not None:
            if "AUTH" not in features.upper():
                raise SmtpReplyError(502, "server offers no AUTH", "login")
            import base64

            token = base64.b64encode(f"\0{s.username}\0{s.password or ''}".encode()).decode()
            await self._command(f"AUTH PLAIN {token}", 235)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._writer is None:
            return
        try:
            if exc[0] is None:
                await self._command("QUIT", 221)
        except (TimeoutError, OSError, SmtpReplyError):
            pass
        finally:
            self._writer.close()

    async def send(
        self, to: str, content: bytes, before_commit: Callable[[], Awaitable[None]]
    ) -> None:
        """Send one message; ``before_commit`` runs after the content is transmitted and
        before the final ``.`` that makes the server take it.

        A crash before the ``.`` leaves nothing at the server (it discards unterminated data),
        so a message whose ``before_commit`` has not completed can be sent again safely.
        """
        try:
            await self._command(f"MAIL FROM:<{self.settings.sender}> BODY=8BITMIME", 250)
            await self._command(f"RCPT TO:<{to}>", 250)
            await self._command("DATA", 354)
        except SmtpReplyError:
            await self._reset()
            raise
        assert self._writer is not None
        self._writer.write(_dot_stuffed(content))
        await self._writer.drain()
        await before_commit()
        self._writer.write(b".\r\n")
        try:
            await self._writer.drain()
            await self._expect(250, "end of data")
        except SmtpReplyError:
            raise
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            raise SmtpAmbiguous(f"no answer after the end of data: {exc!r}") from exc

    async def _reset(self) -> None:
        with contextlib.suppress(SmtpReplyError):
            await self._command("RSET", 250)

    async def _command(self, line: str, expected: int) -> str:
        assert self._writer is not None
        self._writer.write(line.encode() + b"\r\n")
        await self._writer.drain()
        return await self._expect(expected, line.split(" ", 1)[0])

    async def _expect(self, expected: int, during: str) -> str:
        assert self._reader is not None
        lines = []
        while True:
            raw = await asyncio.wait_for(self._reader.readline(), self.settings.timeout)
            if not raw:
                raise ConnectionError(f"SMTP server closed the connection ({during})")
            text = raw.decode(errors="replace").rstrip("\r\n")
            lines.append(text[4:])
            if len(text) < 4 or text[3] != "-":
                break
        code = int(text[:3])
        if code != expected:
            raise SmtpReplyError(code, " ".join(lines), during)
        return "\n".join(lines)


# --- webhooks --------------------------------------------------------------------------------

SIGNATURE_HEADER = "X-Thidua-Signature"
TIMESTAMP_HEADER = "X-Thidua-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)*[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?"
"""A DNS name whose last label starts with a letter (never taken for an IPv4 address)."""
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
_PATH = r"/[A-Za-z0-9._~!$&'()*+,;=:@/?-]*"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
HTTP_HOSTS_VARIABLE = "THIDUA_WEBHOOK_HTTP_HOSTS"


@dataclass(frozen=True)
class WebhookAddresses:
    """Where a webhook may be sent: https to any host, plain http only to a local host or one
    of ``THIDUA_WEBHOOK_HTTP_HOSTS`` (comma-separated, e.g. a receiver on the same private
    network)."""

    http_hosts: frozenset[str] = field(default=LOCAL_HOSTS)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WebhookAddresses:
        extra = env.get(HTTP_HOSTS_VARIABLE, "").split(",")
        hosts = {h.strip().lower().strip("[]") for h in extra if h.strip()}
        return cls(LOCAL_HOSTS | {h for h in hosts if re.fullmatch(r"[a-z0-9.:-]+", h)})

    @property
    def pattern(self) -> str:
        """The addresses allowed, as a regular expression (also stated in the OpenAPI)."""
        local = "|".join(
            f"\\[{h}\\]" if ":" in h else h.replace(".", "\\.") for h in sorted(self.http_hosts)
        )
        return f"^(?:https://{_HOST}|http://(?:{local}))(?::{_PORT})?(?:{_PATH})?$"

    def refusal(self, address: str) -> str | None:
        """Why no webhook may be sent to ``address`` (in Vietnamese), or None when it may."""
        if re.fullmatch(self.pattern, address) is None:
            return self._why_not(address) or (
                "Địa chỉ webhook không hợp lệ: chỉ gồm tên máy chủ, cổng (1-65535) và đường dẫn "
                "không dấu, ví dụ https://he-thong.vn/hook."
            )
        return self._why_not(address)

    def _why_not(self, address: str) -> str | None:
        try:
            url = httpx.URL(address)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            return f"Địa chỉ webhook không hợp lệ ({exc})."
        if url.scheme not in ("https", "http") or not url.host:
            return "Địa chỉ webhook phải là một URL https đầy đủ, ví dụ https://he-thong.vn/hook."
        if url.port is not None and not 0 < url.port < 65536:
            return f"Địa chỉ webhook không hợp lệ (cổng {url.port})."
        if url.scheme == "http" and url.host.lower() not in self.http_hosts:
            return (
                f"Địa chỉ webhook phải dùng https; http chỉ được dùng cho máy cục bộ "
                f"({', '.join(sorted(self.http_hosts))}), không cho {url.host}."
            )
        return None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>." + body)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def webhook_body(delivery_id: str, msg: Message, data: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "notification_id": delivery_id,
            "template": msg.template,
            "subject": msg.subject,
            "body": msg.body,
            "event": data,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


class WebhookError(Exception):
    def __init__(self, text: str, *, transient: bool = True) -> None:
        super().__init__(text)
        self.transient = transient


async def post_webhook(
    client: httpx.AsyncClient, url: str, secret: str, delivery_id: str, body: bytes
) -> int:
    """POST once; the receiver deduplicates on ``Idempotency-Key`` (the delivery id)."""
    timestamp = str(int(time.time()))
    try:
        response = await client.post(
            url,
            content=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                IDEMPOTENCY_HEADER: delivery_id,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: sign(secret, timestamp, body),
            },
        )
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        # An address no request can go to: trying again will not change it.
        raise WebhookError(f"{type(exc).__name__}: {exc}", transient=False) from exc
    except httpx.HTTPError as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    if 200 <= response.status_code < 300:
        return response.status_code
    # 4xx other than 408/429 means the receiver refuses this request for good.
    transient = response.status_code >= 500 or response.status_code in (408, 429)
    raise WebhookError(f"HTTP {response.status_code}", transient=transient)
