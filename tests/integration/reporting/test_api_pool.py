"""The pool the API reads through: no parallel workers, and a release that keeps the session
(no reset round trip) yet never hands on a transaction left open."""

from __future__ import annotations

from services.reporting.app import create_api_pool


async def test_the_api_pool_reads_serially_and_ends_what_a_request_left_open(
    database_url: str, uid: str
) -> None:
    pool = await create_api_pool(database_url, f"test_{uid}_api")
    try:
        async with pool.acquire() as conn:
            assert await conn.fetchval("SHOW max_parallel_workers_per_gather") == "0"
            backend = await conn.fetchval("SELECT pg_backend_pid()")
            left_open = conn.transaction()
            await left_open.start()  # a request that never ends its transaction
            await conn.execute("CREATE TABLE written_then_abandoned (x int)")
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT pg_backend_pid()") == backend  # the same one
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT to_regclass('written_then_abandoned')") is None
    finally:
        await pool.close()
