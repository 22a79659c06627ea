"""The dispatcher: sends what the consumers planned, and records every attempt as an event.

One dispatcher per service is active at a time: it holds the kernel's fenced lease
``dispatcher`` (``thidua/es/lease.py``, as the outbox relay does), and every transaction it
writes in first checks that it still holds the lease's epoch, so a dispatcher that lost the
lease (paused, cut off) cannot write after another took over. Each round it plans the reminders
that fell due, claims due deliveries (``FOR UPDATE SKIP LOCKED``), sends them, and for each
attempt records in one transaction the delivery row's new state and a ``NotificationSent`` or
``NotificationFailed`` event (published by the outbox relay).

States: pending → sending → (email: confirming →) sent | pending (retry) | failed.
On taking over after a crash: ``sending`` rows were not accepted by anybody (an email's final
``.`` is only written after ``confirming`` is committed, under the lease; a webhook is resent
with the same ``Idempotency-Key``), so they are retried; ``confirming`` rows were handed over,
and are recorded as sent without confirmation, never sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

import asyncpg
import httpx

from contracts.notifications import Channel
from services.notifications import channels, digests, rules
from services.notifications.attempts import Attempt, Outcome, Recorder, Records, Retry, Row
from services.notifications.channels import SmtpSession, SmtpSettings, WebhookAddresses
from services.notifications.clock import Clock, SystemClock
from services.notifications.reminders import plan_due_reminders
from services.notifications.templates import Message
from thidua.es.db import Conn, Pool
from thidua.es.lease import Lease, LeaseLost

log = logging.getLogger(__name__)

LEASE = "dispatcher"


@dataclass(frozen=True)
class DispatchSettings:
    batch_size: int = 200
    smtp_connections: int = 4
    webhook_concurrency: int = 16
    max_attempts: int = 5
    backoff_seconds: float = 30.0
    max_backoff_seconds: float = 3600.0
    idle_interval: float = 0.2
    webhook_secret: str = ""
    webhook_addresses: WebhookAddresses = field(default_factory=WebhookAddresses)
    """Checked again before each webhook: an address that got past the API (an old
    subscription, a contact, a row written by hand) fails for good instead of being tried."""
    webhook_timeout: float = 10.0
    lease_seconds: float = 5.0
    """How long the leader's lease lasts unrenewed (a killed leader is replaced after it)."""
    digest_time: time = time(17, 0)
    """When (Vietnam time) the day's digests are sent to the organisations that chose one
    (``THIDUA_DIGEST_TIME``; ``digests.py``)."""
    record_every: int = 25
    """Attempts recorded together, in one transaction. A crash leaves at most this many
    emails handed over but not recorded: they are recorded as sent, unconfirmed."""


@dataclass
class Dispatcher:
    pool: Pool
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    settings: DispatchSettings = field(default_factory=DispatchSettings)
    clock: Clock = field(default_factory=SystemClock)
    sent: int = 0
    failed: int = 0
    leading: bool = False
    lease: Lease | None = None

    async def run(self, stop: asyncio.Event) -> None:
        self.lease = lease = Lease(self.pool, LEASE, ttl=self.settings.lease_seconds)
        while not stop.is_set():
            try:
                leader = await lease.acquire()
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("dispatcher lease not reachable: %r", exc)
                leader = False
            if not leader:
                await _wait(stop, min(1.0, self.settings.lease_seconds / 4))
                continue
            self.leading = True
            renewing = asyncio.create_task(self._renew(lease, stop))
            try:
                await self._lead(stop)
            except LeaseLost:
                log.warning("dispatcher lease lost; standing by")
            finally:
                self.leading = False
                renewing.cancel()
                with contextlib.suppress(BaseException):
                    await renewing
                with contextlib.suppress(Exception):
                    await lease.release()

    async def _record_all(self, attempts: Sequence[Attempt]) -> None:
        """Record a group of attempts in one transaction under the lease."""
        if not attempts:
            return
        retry = Retry(
            self.settings.max_attempts,
            self.settings.backoff_seconds,
            self.settings.max_backoff_seconds,
        )
        records = Records.of(attempts, self.clock.now(), retry)
        async with self.pool.acquire() as conn, conn.transaction():
            await self._fence(conn)
            await records.write(conn)
        self.sent += len(records.sent)
        self.failed += records.failed

    async def _lead(self, stop: asyncio.Event) -> None:
        assert self.lease is not None
        await self.recover()
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout) as client:
            while not stop.is_set() and self.lease.valid():
                try:
                    busy = await self.round(client)
                except (OSError, asyncpg.PostgresError) as exc:
                    log.warning("dispatch round failed: %r", exc)
                    busy = False
                if not busy:
                    await _wait(stop, self.settings.idle_interval)

    async def _renew(self, lease: Lease, stop: asyncio.Event) -> None:
        """Renew when a third of the lease has passed (beside the rounds, which may be long);
        a failed renewal leaves the writes to the fence."""
        while not stop.is_set() and lease.epoch is not None:
            await _wait(stop, lease.ttl / 6)
            if not lease.due():
                continue
            try:
                await lease.renew()
            except LeaseLost:
                return
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("dispatcher lease not renewed: %r", exc)

    async def _fence(self, conn: Conn) -> None:
        """Every write transaction: only under the lease's epoch (see ``lease.py``)."""
        if self.lease is None:
            raise LeaseLost(LEASE)
        await self.lease.fence(conn)

    async def round(self, client: httpx.AsyncClient) -> bool:
        """Plan due reminders, send one batch; True when there was work."""
        now = self.clock.now()
        planned = await plan_due_reminders(self.pool, now, self._fence)
        planned += await digests.plan_due_digests(
            self.pool, now, self.settings.digest_time, self._fence
        )
        batch = await self.claim(now)
        if not batch:
            return planned > 0
        await self.send(batch, client)
        return True

    async def recover(self) -> None:
        """Resolve what a previous dispatcher left in flight (see the module's docstring)."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT * FROM deliveries WHERE status IN ('sending', 'confirming')"
            )
        interrupted = Outcome(
            sent=False, error="Lần gửi bị gián đoạn do dịch vụ dừng", interrupted=True
        )
        await self._record_all(
            [
                Attempt(row, Outcome(sent=True, confirmed=False))
                if row["status"] == "confirming"
                else Attempt(row, interrupted)
                for row in rows
            ]
        )
        if rows:
            log.info("recovered %d deliveries left in flight", len(rows))

    async def claim(self, now: datetime) -> list[Row]:
        async with self.pool.acquire() as conn, conn.transaction():
            await self._fence(conn)
            rows = await conn.fetch(
                """WITH due AS (
                       SELECT delivery_id FROM deliveries
                       WHERE status = 'pending' AND next_attempt_at <= $1
                       ORDER BY next_attempt_at, planned_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                   UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1
                   FROM due WHERE d.delivery_id = due.delivery_id RETURNING d.*""",
                now,
                self.settings.batch_size,
            )
            resolved = await _resolve_channels(conn, rows)
            held = await digests.hold(conn, resolved)
            return [row for row in resolved if row["delivery_id"] not in held]

    async def send(self, batch: Sequence[Row], client: httpx.AsyncClient) -> None:
        """Send a claimed batch; then record every attempt of it in one transaction."""
        by_channel: dict[str, list[Row]] = {c.value: [] for c in Channel}
        for row in batch:
            by_channel[row["channel"]].append(row)
        emails = by_channel[Channel.EMAIL.value]
        n = max(1, min(self.settings.smtp_connections, len(emails)))
        limit = asyncio.Semaphore(self.settings.webhook_concurrency)
        recorder = Recorder(self._record_all, self.settings.record_every)
        # The in-app inbox is our own table: stored with the attempts' record, all of the
        # batch's at once (``record_every`` bounds what a crash leaves handed over but not
        # recorded, and nothing is handed over here).
        await self._record_all(
            [
                Attempt(row, Outcome(sent=True), inbox=True)
                for row in by_channel[Channel.INBOX.value]
            ]
        )

        async def webhook(row: Row) -> None:
            async with limit:
                await recorder.add(Attempt(row, await self._post(client, row)))

        try:
            await asyncio.gather(
                *(self._email_chunk(emails[i::n], recorder) for i in range(n) if emails[i::n]),
                *(webhook(row) for row in by_channel[Channel.WEBHOOK.value]),
            )
        finally:
            await recorder.flush()

    async def _email_chunk(self, rows: Sequence[Row], recorder: Recorder) -> None:
        pending = list(rows)
        try:
            async with SmtpSession(self.smtp) as session:
                while pending:
                    row = pending.pop(0)
                    await recorder.add(Attempt(row, await self._email(session, row)))
        except (TimeoutError, OSError, channels.SmtpReplyError) as exc:
            for row in pending:  # never handed over: retry later
                await recorder.add(Attempt(row, Outcome(sent=False, error=f"SMTP: {exc!r}")))

    async def _email(self, session: SmtpSession, row: Row) -> Outcome:
        delivery = str(row["delivery_id"])
        content = channels.build_email(
            self.smtp.sender, row["address"], _message(row), delivery, self.clock.now()
        )

        async def confirming() -> None:
            # A lost lease: no final ".", and the next leader sends the message again.
            lease = self.lease
            if lease is None or not lease.valid():
                raise LeaseLost(LEASE)
            done = await self.pool.execute(
                """UPDATE deliveries SET status = 'confirming' WHERE delivery_id = $1
                   AND EXISTS (SELECT 1 FROM leases
                       WHERE name = $2 AND holder = $3 AND epoch = $4 FOR SHARE)""",
                row["delivery_id"],
                lease.name,
                lease.holder,
                lease.epoch,
            )
            if not done.endswith(" 1"):
                raise LeaseLost(LEASE)

        try:
            await session.send(row["address"], content, confirming)
        except channels.SmtpReplyError as exc:
            return Outcome(sent=False, error=str(exc), transient=exc.transient)
        except channels.SmtpAmbiguous as exc:
            log.warning("delivery %s handed over without confirmation: %s", delivery, exc)
            return Outcome(sent=True, confirmed=False)
        return Outcome(sent=True)

    async def _post(self, client: httpx.AsyncClient, row: Row) -> Outcome:
        delivery = str(row["delivery_id"])
        refusal = self.settings.webhook_addresses.refusal(row["address"])
        if refusal is not None:
            return Outcome(sent=False, error=refusal, transient=False)
        body = channels.webhook_body(delivery, _message(row), json.loads(row["data"]))
        try:
            await channels.post_webhook(
                client, row["address"], self.settings.webhook_secret, delivery, body
            )
        except channels.WebhookError as exc:
            return Outcome(sent=False, error=str(exc), transient=exc.transient)
        except Exception as exc:  # one delivery must never stop the dispatcher
            log.exception("webhook %s to %r failed unexpectedly", delivery, row["address"])
            return Outcome(sent=False, error=f"{type(exc).__name__}: {exc}", transient=False)
        return Outcome(sent=True)


async def _resolve_channels(conn: Conn, rows: Sequence[Row]) -> list[Row]:
    """An organisation's contact is looked up when first sent (it may arrive after the plan);
    without one, the message goes to the organisation's in-app inbox. One lookup and one
    update for the whole claimed batch (two statements a row took an eighth of the service's
    time during the bench's scenario)."""
    unresolved = [row for row in rows if row["channel"] is None]
    if not unresolved:
        return list(rows)
    orgs = sorted({(row["recipient_kind"], row["recipient_id"]) for row in unresolved})
    found = await conn.fetch(
        """SELECT c.org_kind, c.org_id, c.email, c.webhook_url
           FROM unnest($1::text[], $2::text[]) AS o(kind, id)
           JOIN contacts c ON c.org_kind = o.kind AND c.org_id = o.id""",
        [kind for kind, _ in orgs],
        [id_ for _, id_ in orgs],
    )
    contacts = {(c["org_kind"], c["org_id"]): c for c in found}
    chosen: dict[Any, tuple[str, str]] = {}
    for row in unresolved:
        contact = contacts.get((row["recipient_kind"], row["recipient_id"]))
        route = (
            rules.contact_channel(
                contact["email"], contact["webhook_url"], for_systems=row["route"] == "system"
            )
            if contact is not None
            else None
        )
        channel, address = route or (Channel.INBOX, row["recipient_id"])
        chosen[row["delivery_id"]] = (channel.value, address)
    await conn.execute(
        """UPDATE deliveries d SET channel = u.channel, address = u.address
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(delivery_id, channel, address)
           WHERE d.delivery_id = u.delivery_id""",
        list(chosen),
        [channel for channel, _ in chosen.values()],
        [address for _, address in chosen.values()],
    )
    out: list[Row] = []
    for row in rows:
        picked = chosen.get(row["delivery_id"])
        out.append(
            row if picked is None else {**dict(row), "channel": picked[0], "address": picked[1]}
        )
    return out


def _message(row: Row) -> Message:
    return Message(row["template"], row["subject"], row["body"])


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
