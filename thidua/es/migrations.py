"""Versioned SQL migrations, applied at start, once, under an advisory lock.

Each component (the runtime itself, then each service) owns a folder of files named
``NNNN_description.sql``; they are applied in order inside the pool's schema and recorded in
``schema_migrations`` so that a restart or a second instance applies nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from thidua.es.db import Pool

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
RUNTIME_MIGRATIONS = Path(__file__).parent / "sql"


@dataclass(frozen=True)
class Migration:
    component: str
    version: int
    name: str
    sql: str


def load_migrations(component: str, folder: Path) -> list[Migration]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _FILE.match(path.name)
        if not match:
            raise ValueError(f"migration file {path} is not named NNNN_description.sql")
        found.append(Migration(component, int(match[1]), match[2], path.read_text()))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration versions in {folder}")
    return found


async def apply_migrations(pool: Pool, migrations: list[Migration]) -> list[Migration]:
    """Apply what is missing, in order; returns the migrations applied now."""
    applied_now: list[Migration] = []
    async with pool.acquire() as conn, conn.transaction():
        schema = await conn.fetchval("SELECT current_schema()")
        # One instance migrates at a time; the others wait and then find nothing to do.
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"migrate:{schema}")
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   component text NOT NULL,
                   version integer NOT NULL,
                   name text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   PRIMARY KEY (component, version))"""
        )
        rows = await conn.fetch("SELECT component, version FROM schema_migrations")
        done = {(r["component"], r["version"]) for r in rows}
        for migration in sorted(
            migrations, key=lambda m: (m.component != "runtime", m.component, m.version)
        ):
            if (migration.component, migration.version) in done:
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)",
                migration.component,
                migration.version,
                migration.name,
            )
            applied_now.append(migration)
    return applied_now


def runtime_migrations() -> list[Migration]:
    return load_migrations("runtime", RUNTIME_MIGRATIONS)
