"""Removing what a run (a test, a bench, a fuzz run) made on a shared stack: its topics and
its schemas, so that a system later started on the same stack does not consume its data."""

from __future__ import annotations

from collections.abc import Callable

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from thidua.es.kafka import client_options


async def delete_topics(bootstrap: str, chosen: Callable[[str], bool]) -> int:
    """Delete the topics whose names ``chosen`` accepts; how many there were."""
    admin = AIOKafkaAdminClient(**client_options(bootstrap))
    await admin.start()
    try:
        names = [t for t in await admin.list_topics() if chosen(t)]
        if names:
            await admin.delete_topics(names)
        return len(names)
    finally:
        await admin.close()


async def drop_schemas(database_url: str, prefix: str) -> None:
    """Drop the schemas whose names start with ``prefix``."""
    conn = await asyncpg.connect(database_url)
    try:
        for row in await conn.fetch(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", prefix
        ):
            await conn.execute(f'DROP SCHEMA "{row["nspname"]}" CASCADE')
    finally:
        await conn.close()


async def remove_run(database_url: str, bootstrap: str, uid: str, schema_prefix: str) -> None:
    """The topics named with ``uid`` and the schemas ``<schema_prefix>_<uid>…``."""
    await delete_topics(bootstrap, lambda name: uid in name)
    await drop_schemas(database_url, f"{schema_prefix}_{uid}")
