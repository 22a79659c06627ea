"""Runs one outbox relay in its own process, so that a test can kill it with SIGKILL."""

from __future__ import annotations

import asyncio
import logging
import sys

from thidua.es.db import create_pool
from thidua.es.outbox import OutboxRelay


async def main(
    dsn: str, schema: str, bootstrap: str, topic: str, batch_size: int, lease_seconds: float
) -> None:
    pool = await create_pool(dsn, schema)
    relay = OutboxRelay(
        pool,
        bootstrap,
        "crash-test",
        events_topic=topic,
        rejections_stem=topic + ".rejections",
        batch_size=batch_size,
        lease_seconds=lease_seconds,
    )
    await relay.run(asyncio.Event())


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    lease = float(sys.argv[6]) if len(sys.argv) > 6 else 5.0
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), lease))
