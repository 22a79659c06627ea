"""Fenced leases: one leader per job among a service's instances, and a stale one fenced off.

A lease is a row (``leases``) with a holder, an epoch and an expiry. Taking it over when it has
expired draws the next epoch. The holder renews it well before it expires; a holder that
stalls (a long pause, SIGSTOP, a partition) loses it to another instance after ``ttl`` seconds,
and every write it makes as leader checks its epoch (:meth:`Lease.fence`), so the stale
leader's writes are refused once it wakes up. Locally the holder also stops acting as leader
as soon as its own clock says the lease may have expired, before asking the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections.abc import Awaitable
from typing import TypeVar

from thidua.es.db import Conn, Pool

T = TypeVar("T")


class LeaseLost(Exception):
    """Another instance holds the lease now: stop acting as leader."""


FENCE = "SELECT epoch FROM leases WHERE name = $1 AND holder = $2 AND epoch = $3 FOR SHARE"
"""The lease row, held until the statement's transaction commits, if it is still the holder's
at its epoch (no row otherwise): see :meth:`Lease.fence_arguments`."""


class Lease:
    def __init__(self, pool: Pool, name: str, *, ttl: float = 5.0) -> None:
        self.pool = pool
        self.name = name
        self.ttl = ttl
        # Who holds it, for an operator (and the chaos run, which stalls the leader's process):
        # host and pid, then a random part that no other process reuses.
        self.holder = f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4()}"
        self.epoch: int | None = None
        self._valid_until = 0.0

    async def acquire(self) -> bool:
        """Take the lease if it is free or expired; True if this instance now leads."""
        started = time.monotonic()
        epoch = await self.pool.fetchval(
            """INSERT INTO leases (name, holder, epoch, expires_at)
               VALUES ($1, $2, 1, clock_timestamp() + make_interval(secs => $3))
               ON CONFLICT (name) DO UPDATE
               SET holder = excluded.holder, epoch = leases.epoch + 1,
                   expires_at = excluded.expires_at
               WHERE leases.expires_at < clock_timestamp()
               RETURNING epoch""",
            self.name,
            self.holder,
            self.ttl,
        )
        if epoch is None:
            return False
        self.epoch = int(epoch)
        self._valid_until = started + self.ttl
        return True

    async def renew(self) -> None:
        """Extend the lease; raises :class:`LeaseLost` if it is no longer this instance's."""
        if self.epoch is None or not self.valid():
            raise LeaseLost(self.name)
        started = time.monotonic()
        renewed = await self.pool.fetchval(
            """UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $4)
               WHERE name = $1 AND holder = $2 AND epoch = $3 RETURNING true""",
            self.name,
            self.holder,
            self.epoch,
            self.ttl,
        )
        if not renewed:
            self.epoch = None
            raise LeaseLost(self.name)
        self._valid_until = started + self.ttl

    def valid(self, margin: float = 0.5) -> bool:
        """Whether, by this instance's own clock, the lease is surely still held."""
        return self.epoch is not None and time.monotonic() < self._valid_until - margin

    def due(self) -> bool:
        """Whether it is time to renew (a third of the lease has passed)."""
        return time.monotonic() > self._valid_until - self.ttl * 2 / 3

    def fence_arguments(self) -> tuple[str, str, int]:
        """The parameters ($1-$3) of :data:`FENCE`, for a leader's write made in one statement:
        ``WITH held AS (FENCE) <write> … FROM held``; raises :class:`LeaseLost` if this
        instance's own clock already says the lease may have expired."""
        if self.epoch is None or not self.valid():
            raise LeaseLost(self.name)
        return self.name, self.holder, self.epoch

    async def renewed_during(self, work: Awaitable[T]) -> T:
        """Run ``work`` while renewing the lease every third of it; raises
        :class:`LeaseLost` if the lease was lost meanwhile (the outbox relay's sends, which
        Kafka may hold for longer than the lease, and its take-over check)."""

        async def beat() -> None:
            while True:
                await asyncio.sleep(self.ttl / 3)
                await self.renew()

        heart = asyncio.create_task(beat())
        try:
            done = await work
        finally:
            heart.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heart
        if not self.valid():
            raise LeaseLost(self.name)
        return done

    def lost(self) -> LeaseLost:
        """The lease was found taken over: stop leading."""
        self.epoch = None
        return LeaseLost(self.name)

    async def fence(self, conn: Conn) -> int:
        """Inside a leader's write transaction: hold the lease row (a takeover waits for the
        commit) and check that it is still this instance's; returns the epoch."""
        held = await conn.fetchval(FENCE, *self.fence_arguments())
        if held is None:
            raise self.lost()
        return int(held)

    async def release(self) -> None:
        if self.epoch is None:
            return
        await self.pool.execute(
            """UPDATE leases SET expires_at = clock_timestamp() - interval '1 second'
               WHERE name = $1 AND holder = $2 AND epoch = $3""",
            self.name,
            self.holder,
            self.epoch,
        )
        self.epoch = None
