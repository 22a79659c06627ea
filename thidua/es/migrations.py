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
    """Apply what is missing, in order; returns the migrations applied now. Four round trips
    in one transaction, however many are missing: a rebuild makes a new model's tables while
    its event loop is busy reading the log, and each round trip waits for a turn of it (with one
    statement per migration and one per record, the tables were ready only after the log)."""
    async with pool.acquire() as conn, conn.transaction():
        # One instance migrates at a time; the others wait and then find nothing to do.
        await conn.execute(
            """SELECT pg_advisory_xact_lock(hashtext('migrate:' || current_schema()));
               CREATE TABLE IF NOT EXISTS schema_migrations (
                   component text NOT NULL,
                   version integer NOT NULL,
                   name text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   PRIMARY KEY (component, version))"""
        )
        rows = await conn.fetch("SELECT component, version FROM schema_migrations")
        done = {(r["component"], r["version"]) for r in rows}
        missing = [
            m
            for m in sorted(
                migrations, key=lambda m: (m.component != "runtime", m.component, m.version)
            )
            if (m.component, m.version) not in done
        ]
        if not missing:
            return []
        try:
            # One simple query: each file ends on a line of its own (a last comment ends there).
            await conn.execute("\n;\n".join(m.sql for m in missing))
        except Exception as exc:
            names = ", ".join(f"{m.component}/{m.version:04d}_{m.name}" for m in missing)
            exc.add_note(f"applying migrations {names}")
            raise
        await conn.execute(
            """INSERT INTO schema_migrations (component, version, name)
               SELECT * FROM unnest($1::text[], $2::integer[], $3::text[])""",
            [m.component for m in missing],
            [m.version for m in missing],
            [m.name for m in missing],
        )
    return missing


def runtime_migrations() -> list[Migration]:
    return load_migrations("runtime", RUNTIME_MIGRATIONS)
