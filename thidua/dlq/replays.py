"""The replay log: which dead letters were replayed, when, by whom and to where.

A replay is claimed (a row) before the copy is published and confirmed with the copy's offset
after, so a dead letter is not replayed twice by accident, even by two operators at once: the
second claim conflicts. A claim left unconfirmed (the tool died between the two) is shown as
such; ``--again`` replays it anyway, which is harmless to the services, as they recognise an
event id they have already processed (inbox).
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from thidua.es import migrations
from thidua.es.db import Pool, create_pool
from thidua.es.dlq import DeadLetter

SCHEMA = "thidua_dlq"
MIGRATIONS = Path(__file__).parent / "sql"


@dataclass(frozen=True)
class Replay:
    number: int
    target_topic: str
    target_partition: int
    target_offset: int | None
    operator: str
    claimed_at: datetime
    replayed_at: datetime | None

    @property
    def confirmed(self) -> bool:
        return self.target_offset is not None

    @property
    def target(self) -> str:
        offset = "?" if self.target_offset is None else str(self.target_offset)
        return f"{self.target_topic}/{self.target_partition}/{offset}"


def operator() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}"


class ReplayLog:
    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, database_url: str, schema: str = SCHEMA) -> ReplayLog:
        pool = await create_pool(database_url, schema, min_size=1, max_size=2)
        await migrations.apply_migrations(pool, migrations.load_migrations("dlq", MIGRATIONS))
        return cls(pool)

    async def close(self) -> None:
        await self.pool.close()

    async def latest(self, topics: Sequence[str]) -> dict[str, Replay]:
        """The last replay of each dead letter of ``topics`` that was replayed, by its ref."""
        rows = await self.pool.fetch(
            """SELECT DISTINCT ON (dlq_topic, dlq_partition, dlq_offset) *
               FROM dlq_replays WHERE dlq_topic = ANY($1::text[])
               ORDER BY dlq_topic, dlq_partition, dlq_offset, replay DESC""",
            list(topics),
        )
        return {
            f"{r['dlq_topic']}/{r['dlq_partition']}/{r['dlq_offset']}": Replay(
                r["replay"],
                r["target_topic"],
                r["target_partition"],
                r["target_offset"],
                r["operator"],
                r["claimed_at"],
                r["replayed_at"],
            )
            for r in rows
        }

    async def claim(self, dead: DeadLetter, *, again: bool) -> int | None:
        """Claim the next replay of ``dead``; its number, or None if it was claimed before
        (and ``again`` is not set) or is being claimed by someone else right now."""
        assert dead.original_topic is not None and dead.original_partition is not None
        number = await self.pool.fetchval(
            """INSERT INTO dlq_replays (dlq_topic, dlq_partition, dlq_offset, replay, event_id,
                                        target_topic, target_partition, operator)
               SELECT $1, $2, $3, coalesce(max(replay), 0) + 1, $4, $5, $6, $7
               FROM dlq_replays WHERE dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = $3
               HAVING $8 OR count(*) = 0
               ON CONFLICT DO NOTHING
               RETURNING replay""",
            dead.topic,
            dead.partition,
            dead.offset,
            dead.event_id,
            dead.original_topic,
            dead.original_partition,
            operator(),
            again,
        )
        return None if number is None else int(number)

    async def confirm(self, dead: DeadLetter, number: int, offset: int) -> None:
        await self.pool.execute(
            f"""UPDATE dlq_replays SET target_offset = $5, replayed_at = clock_timestamp()
                WHERE {_ONE}""",
            *_key(dead, number),
            offset,
        )

    async def release(self, dead: DeadLetter, number: int) -> None:
        """Withdraw a claim whose copy could not be published."""
        await self.pool.execute(f"DELETE FROM dlq_replays WHERE {_ONE}", *_key(dead, number))


_ONE = "dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = $3 AND replay = $4"


def _key(dead: DeadLetter, number: int) -> tuple[str, int, int, int]:
    return dead.topic, dead.partition, dead.offset, number
