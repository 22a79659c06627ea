"""PostgreSQL connections: one pool per service, bound to that service's schema."""

from __future__ import annotations

import re
from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# What handlers receive: a plain connection or one borrowed from a pool.
Conn: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"
Pool: TypeAlias = "asyncpg.Pool[asyncpg.Record]"

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def checked_schema(schema: str) -> str:
    """A schema name safe to interpolate into SQL (services never take it from input)."""
    if not _SCHEMA_NAME.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    return schema


class _Connection(asyncpg.Connection):
    """A pooled connection released without asyncpg's reset query (``pg_advisory_unlock_all();
    CLOSE ALL; UNLISTEN *; RESET ALL``): one round trip per acquire saved, and none of them is
    needed here. Open transactions are still rolled back on release; session settings come
    from the connection's start (``search_path``) and statements only ``SET LOCAL``; no cursor
    or LISTEN outlives a transaction; the relay releases its session advisory lock itself
    (and a connection that fails is closed, which releases it)."""

    def get_reset_query(self) -> str:
        return ""


async def create_pool(
    dsn: str, schema: str, *, min_size: int = 1, max_size: int = 10
) -> asyncpg.Pool:
    """A pool whose connections see ``schema`` first, so service SQL stays unqualified.
    The schema is created when missing (a service's own role finds it provisioned: it may not
    create schemas, and ``CREATE SCHEMA IF NOT EXISTS`` checks that right first)."""
    schema = checked_schema(schema)
    admin = await asyncpg.connect(dsn)
    try:
        if not await admin.fetchval("SELECT true FROM pg_namespace WHERE nspname = $1", schema):
            await admin.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    finally:
        await admin.close()
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        server_settings={"search_path": f'"{schema}", public', "application_name": schema},
        connection_class=_Connection,
    )
    assert pool is not None
    return pool
