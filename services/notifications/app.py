"""Wiring of the notifications service: consumers that plan (the decider table of ``handlers``),
a dispatcher that sends, and the
in-app inbox over HTTP. ``build`` returns a ServiceRuntime whose start/stop also run the
dispatcher and the HTTP server, so ``thidua run notifications`` needs nothing else."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import TracerProvider

from contracts import topics
from services.notifications.channels import SmtpSettings, WebhookAddresses
from services.notifications.clock import Clock, SystemClock
from services.notifications.dispatcher import Dispatcher, DispatchSettings
from services.notifications.handlers import decider
from services.notifications.http import InboxServer
from services.notifications.rules import ReminderPolicy
from thidua.es.consumer import ConsumerPolicy, Ownership
from thidua.es.db import Pool
from thidua.es.service import ServiceRuntime, ServiceTopics

NAME = "notifications"
MIGRATIONS = Path(__file__).parent / "sql"
REJECTIONS_OWNERSHIP = Ownership(("vn.thidua.rejections.",), gatekeeper=False)
LOCAL = "local"
"""``THIDUA_ENV`` of local development (``thidua up`` and the local runner set it): the only
place webhooks may go unsigned."""


class MissingWebhookSecret(ValueError):
    """Outside local development, webhooks are only sent signed."""


@dataclass(frozen=True)
class SourceTopics:
    """What the service listens to (tests substitute unique topics)."""

    registration: str = topics.events("registration")
    awards: str = topics.events("awards")
    rejections: str = topics.REJECTIONS
    """The stem of the rejections topics: every department's (``<stem>.<code>``) is read."""


@dataclass(frozen=True)
class Settings:
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    dispatch: DispatchSettings = field(default_factory=DispatchSettings)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    http_host: str = "127.0.0.1"
    http_port: int | None = 18093
    """None: no HTTP server; 0: any free port."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        def days(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
            raw = env.get(name)
            return tuple(int(d) for d in raw.split(",") if d.strip()) if raw else default

        port = env.get("THIDUA_NOTIFICATIONS_HTTP_PORT", "18093")
        secret = env.get("THIDUA_WEBHOOK_SECRET", "")
        if not secret and env.get("THIDUA_ENV", "") != LOCAL:
            raise MissingWebhookSecret(
                "notifications: THIDUA_WEBHOOK_SECRET is not set. Webhooks are signed with it "
                "(HMAC-SHA256) and their receivers check the signature, so the service does not "
                f"start without it outside local development (THIDUA_ENV={LOCAL})."
            )
        return cls(
            smtp=SmtpSettings(
                host=env.get("THIDUA_SMTP_HOST", "127.0.0.1"),
                port=int(env.get("THIDUA_SMTP_PORT", "25")),
                sender=env.get("THIDUA_SMTP_SENDER", "thidua@localhost"),
                username=env.get("THIDUA_SMTP_USERNAME") or None,
                password=env.get("THIDUA_SMTP_PASSWORD") or None,
                starttls=env.get("THIDUA_SMTP_STARTTLS", "") in ("1", "true", "yes"),
            ),
            dispatch=DispatchSettings(
                webhook_secret=secret,
                webhook_addresses=WebhookAddresses.from_env(env),
                max_attempts=int(env.get("THIDUA_NOTIFY_MAX_ATTEMPTS", "5")),
                backoff_seconds=float(env.get("THIDUA_NOTIFY_BACKOFF_SECONDS", "30")),
                smtp_connections=int(env.get("THIDUA_SMTP_CONNECTIONS", "4")),
                digest_time=time.fromisoformat(env.get("THIDUA_DIGEST_TIME", "17:00")),
            ),
            reminders=ReminderPolicy(
                registration_days=days("THIDUA_REMINDER_DAYS", (7, 1)),
                dossier_days=days("THIDUA_DOSSIER_REMINDER_DAYS", (7, 1)),
                send_time=time.fromisoformat(env.get("THIDUA_REMINDER_TIME", "08:00")),
                review_days=days("THIDUA_REVIEW_REMINDER_DAYS", (7, 1)),
                conference_report_days=days("THIDUA_CONFERENCE_REMINDER_DAYS", (7, 1)),
            ),
            http_host=env.get(
                "THIDUA_NOTIFICATIONS_HTTP_HOST", env.get("THIDUA_HTTP_HOST", "127.0.0.1")
            ),
            http_port=None if port in ("", "off") else int(port),
        )


@dataclass
class NotificationsRuntime(ServiceRuntime):
    """The shared runtime plus this service's background dispatcher and HTTP inbox."""

    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    dispatcher: Dispatcher | None = None
    inbox: InboxServer | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.background(self._dispatch)

    async def _dispatch(self, pool: Pool, stop: asyncio.Event) -> None:
        """Deliveries start as soon as the schema is ready, before the consumers join."""
        self.dispatcher = Dispatcher(pool, self.settings.smtp, self.settings.dispatch, self.clock)
        await self.dispatcher.run(stop)

    async def start(self) -> None:
        await super().start()
        assert self.pool is not None
        if self.settings.http_port is not None:
            self.inbox = InboxServer(
                self.pool,
                self.settings.http_host,
                self.settings.http_port,
                self._health,
                self.settings.dispatch.webhook_addresses,
            )
            await self.inbox.start()

    async def stop(self) -> None:
        if self.inbox is not None:
            await self.inbox.stop()
        await super().stop()

    def _health(self) -> dict[str, Any]:
        d = self.dispatcher
        return {"dispatching": bool(d and d.leading), "sent": d.sent if d else 0}


def build(
    database_url: str,
    bootstrap: str,
    *,
    schema: str | None = None,
    writes_to: ServiceTopics | None = None,
    source_topics: SourceTopics | None = None,
    group_id: str | None = None,
    tracer_provider: TracerProvider | None = None,
    settings: Settings | None = None,
    clock: Clock | None = None,
    policy: ConsumerPolicy | None = None,
) -> NotificationsRuntime:
    settings = settings or Settings.from_env()
    clock = clock or SystemClock()
    sources = source_topics or SourceTopics()
    runtime = NotificationsRuntime(
        NAME,
        database_url,
        bootstrap,
        schema=schema,
        writes_to=writes_to,
        migrations_dir=MIGRATIONS,
        tracer_provider=tracer_provider,
        policy=policy or ConsumerPolicy(),
        settings=settings,
        clock=clock,
    )
    table = decider(clock, settings.reminders)
    group = group_id or NAME
    for topic, ownership, suffix in (
        (sources.registration, Ownership.service("registration"), "registration"),
        (sources.awards, Ownership.service("awards"), "awards"),
    ):
        runtime.handle(
            table,
            topics=[topic],
            group_id=f"{group}.{suffix}",
            ownership=ownership,
            gathers=True,
        )
    # What it sends is read by people, in their mailbox or inbox: its consumers gather
    # (``thidua.es.subscribe.GATHER_MS``) rather than wake for every event of the province.
    runtime.handle(
        table,
        pattern=topics.rejections_pattern(sources.rejections),
        group_id=f"{group}.rejections",
        ownership=REJECTIONS_OWNERSHIP,
        gathers=True,
    )
    return runtime
