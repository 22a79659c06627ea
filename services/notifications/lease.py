"""A fenced lease: one leader per service for a background task, with an epoch that every
write of the leader checks in its own transaction.

An advisory lock on an idle connection elects a leader, but cannot stop an old leader that
lost its connection (or was paused) from writing after a new one took over. Here:

- the leader holds a row ``leases(name)`` with its ``holder`` id, an ``epoch`` and an expiry
  (database time); it renews the row well before it expires;
- a candidate takes the row only once it has expired, and the epoch goes up by one;
- every write transaction of the leader first reads the row ``FOR SHARE`` and goes on only if
  it still holds that epoch and the lease has not expired. A takeover updates the row, so it
  waits for such a transaction to end, and one that starts after it sees the new epoch and
  raises :class:`LeaseLost`: no write of an old epoch lands after a new epoch began.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from thidua.es.db import Conn, Pool


class LeaseLost(Exception):
    """This instance no longer holds the lease it writes under: it must stop writing."""


@dataclass
class Lease:
    pool: Pool
    name: str
    ttl_seconds: float = 10.0
    holder: str = field(default_factory=lambda: str(uuid.uuid4()))
    epoch: int | None = None

    @property
    def held(self) -> bool:
        return self.epoch is not None

    async def acquire(self) -> bool:
        """Take the lease if it is free or expired (a new epoch); True when held."""
        self.epoch = await self.pool.fetchval(
            """INSERT INTO leases (name, holder, epoch, expires_at)
               VALUES ($1, $2, 1, clock_timestamp() + make_interval(secs => $3))
               ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
                   epoch = leases.epoch + 1, expires_at = excluded.expires_at
               WHERE leases.expires_at < clock_timestamp()
               RETURNING epoch""",
            self.name,
            self.holder,
            self.ttl_seconds,
        )
        return self.held

    async def renew(self) -> None:
        """Extend the lease; :class:`LeaseLost` when another holder took it meanwhile."""
        renewed = await self.pool.fetchval(
            """UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $4)
               WHERE name = $1 AND holder = $2 AND epoch = $3
                   AND expires_at > clock_timestamp()
               RETURNING epoch""",
            self.name,
            self.holder,
            self.epoch,
            self.ttl_seconds,
        )
        if renewed is None:
            self.epoch = None
            raise LeaseLost(self.name)

    async def fence(self, conn: Conn) -> None:
        """Inside a write transaction: go on only under the epoch this instance holds."""
        held = self.epoch is not None and await conn.fetchval(
            """SELECT true FROM leases WHERE name = $1 AND holder = $2 AND epoch = $3
                   AND expires_at > clock_timestamp() FOR SHARE""",
            self.name,
            self.holder,
            self.epoch,
        )
        if not held:
            self.epoch = None
            raise LeaseLost(self.name)

    def holds(self, first: int) -> tuple[str, tuple[str, str, int | None]]:
        """The fence as a condition of one statement (``$first`` … ``$first+2``) and its
        arguments: a single-statement write checks the epoch without a transaction of its own."""
        n = first
        return (
            f"""EXISTS (SELECT 1 FROM leases WHERE name = ${n} AND holder = ${n + 1}
                AND epoch = ${n + 2} AND expires_at > clock_timestamp() FOR SHARE)""",
            (self.name, self.holder, self.epoch),
        )

    async def release(self) -> None:
        """Give the lease up at once (a clean stop), so that another instance takes over."""
        if self.epoch is not None:
            await self.pool.execute(
                """UPDATE leases SET expires_at = clock_timestamp()
                   WHERE name = $1 AND holder = $2 AND epoch = $3""",
                self.name,
                self.holder,
                self.epoch,
            )
        self.epoch = None
