"""PostgreSQL connections: one pool per service, bound to that service's schema."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from typing import TypeAlias, TypeVar

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# What handlers receive: a plain connection or one borrowed from a pool.
Conn: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"
Pool: TypeAlias = "asyncpg.Pool[asyncpg.Record]"

T = TypeVar("T")
U = TypeVar("U")

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
    dsn: str,
    schema: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    custom_plans: bool = False,
    parallel: bool = True,
    reset: Callable[[asyncpg.Connection], Awaitable[None]] | None = None,
) -> asyncpg.Pool:
    """A pool whose connections see ``schema`` first, so service SQL stays unqualified.
    The schema is created when missing (a service's own role finds it provisioned: it may not
    create schemas, and ``CREATE SCHEMA IF NOT EXISTS`` checks that right first).

    ``custom_plans``: every statement is planned for its own parameters
    (``plan_cache_mode = force_custom_plan``), as the write path needs. Its statements look
    rows up by arrays of keys (``key = ANY($1)``, ``unnest``), and PostgreSQL's generic plan
    of such a statement, chosen after five executions, is kept until the table's statistics
    change: planned while a new schema's tables were nearly empty, it scans them whole and
    compares every row with every key of the array (a parameter's array is not hashed, a
    constant's is). Measured on the reporting projection: 66 ms per lookup of people for a
    batch, 10.7 of its 18 s of PostgreSQL CPU, until autovacuum's first ANALYZE.

    ``parallel=False``: no parallel workers (``max_parallel_workers_per_gather = 0``), as an
    API's short reads need. Measured on the reporting rollup over 1M events: PostgreSQL
    planned a Gather for an as-of rollup whose work took 1.5 ms, and starting the two workers
    on this 2-core machine made it 11 ms.

    ``reset``: what a release does to a connection instead of asyncpg's default reset (a round
    trip: advisory locks, cursors, LISTEN and settings undone)."""
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
        server_settings={
            "search_path": f'"{schema}", public',
            "application_name": schema,
            **({"plan_cache_mode": "force_custom_plan"} if custom_plans else {}),
            **({} if parallel else {"max_parallel_workers_per_gather": "0"}),
        },
        connection_class=_Connection,
        reset=reset,
    )
    assert pool is not None
    return pool


async def overlapped(statement: Awaitable[T], work: Callable[[], U]) -> tuple[T, U]:
    """``statement``'s result and ``work()``'s, with ``work`` (Python only: no I/O, and not on
    the statement's connection) run while PostgreSQL executes the statement: the statement is
    sent first, then ``work`` runs, then its answer is read. A batch's CPU and the database's
    then overlap instead of taking turns. The statement is always awaited (its connection is
    free again) before an error of ``work`` is raised."""
    running = asyncio.ensure_future(statement)
    try:
        await asyncio.sleep(0)  # the statement runs up to its first wait: it is sent
        done = work()
    except BaseException:
        with contextlib.suppress(BaseException):
            await running
        raise
    return await running, done
