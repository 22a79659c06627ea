"""Runs one outbox relay in its own process, so that a test can kill it with SIGKILL."""

from __future__ import annotations

import asyncio
import logging
import sys

from thidua.es.db import create_pool
from thidua.es.outbox import OutboxRelay


async def main(dsn: str, schema: str, bootstrap: str, topic: str, batch_size: int) -> None:
    pool = await create_pool(dsn, schema)
    relay = OutboxRelay(
        pool,
        bootstrap,
        "crash-test",
        events_topic=topic,
        rejections_topic=topic + ".rejections",
        batch_size=batch_size,
    )
    await relay.run(asyncio.Event())


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
