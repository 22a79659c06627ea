"""PostgreSQL on the real local stack: SCRAM passwords for everyone (no ``trust``), one login
role per service owning only its own schema, a read-only role for reporting's API.

That each service's role can migrate and run its own schema is shown by the services' own
suites, which run as the role (``tests.support.as_service_role``; reporting's projection as
``reporting``, its queries as ``reporting_reader``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

import asyncpg
import pytest

from tests.support import as_service_role
from thidua import dbroles
from thidua.settings import StackSettings
from thidua.stack.pgsetup import hba_trusts

pytestmark = pytest.mark.integration


@asynccontextmanager
async def connected(url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(url)
    try:
        yield conn
    finally:
        await conn.close()


async def denied(statement: Awaitable[object]) -> str:
    """The statement fails for want of a privilege (SQLSTATE 42501); returns the message."""
    with pytest.raises(asyncpg.InsufficientPrivilegeError) as refused:
        await statement
    return str(refused.value)


async def no_writes(conn: asyncpg.Connection, table: str) -> None:
    """``conn``'s role may not change a row of ``table``, in any way."""
    await denied(conn.execute(f"INSERT INTO {table} DEFAULT VALUES"))
    await denied(conn.execute(f"UPDATE {table} SET id = 3"))
    await denied(conn.execute(f"DELETE FROM {table}"))
    await denied(conn.execute(f"TRUNCATE {table}"))


async def creates_nothing_in(conn: asyncpg.Connection, *schemas: str) -> None:
    """``conn``'s role may create no table in ``schemas`` or public, and no schema."""
    for schema in (*schemas, "public"):
        await denied(conn.execute(f"CREATE TABLE {schema}.intruder (id int)"))
    await denied(conn.execute(f"CREATE SCHEMA intruder_{uuid.uuid4().hex[:8]}"))


def socket_dir(settings: StackSettings) -> str:
    return str(settings.state_dir / "postgres" / "run")


@pytest.fixture(autouse=True)
def no_client_password_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """The client finds no password but the one a test gives (no PGPASSWORD, no ~/.pgpass)."""
    for name in ("PGPASSWORD", "PGPASSFILE", "PGUSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.mark.parametrize("over", ["tcp", "unix socket"])
@pytest.mark.parametrize("password", [None, "wrong"], ids=["no password", "wrong password"])
async def test_no_one_gets_in_without_the_right_password(
    settings: StackSettings, database_url: str, over: str, password: str | None
) -> None:
    host = settings.postgres_host if over == "tcp" else socket_dir(settings)
    for user in (settings.postgres_user, *dbroles.ROLES):
        with pytest.raises(asyncpg.InvalidPasswordError):  # 28P01, from the server
            await asyncpg.connect(
                host=host,
                port=settings.postgres_port,
                user=user,
                password=password,
                database=settings.postgres_db,
                passfile=None,
                timeout=10,
            )


async def test_every_rule_of_pg_hba_asks_for_a_scram_password(
    settings: StackSettings, database_url: str
) -> None:
    async with connected(database_url) as conn:
        methods = {r["auth_method"] for r in await conn.fetch("SELECT * FROM pg_hba_file_rules")}
        hba_file = await conn.fetchval("SHOW hba_file")
        encryption = await conn.fetchval("SHOW password_encryption")
        stored = await conn.fetch(
            "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)",
            [settings.postgres_user, *dbroles.ROLES],
        )
    assert methods == {"scram-sha-256"}
    assert not hba_trusts(settings.state_dir / "postgres" / "data" / "pg_hba.conf")
    assert hba_file.endswith("pg_hba.conf")
    assert encryption == "scram-sha-256"
    assert len(stored) == 1 + len(dbroles.ROLES)
    assert all(r["rolpassword"].startswith("SCRAM-SHA-256$") for r in stored)


async def test_the_passwords_are_kept_for_their_owner_only(settings: StackSettings) -> None:
    secrets = settings.state_dir / "secrets"
    assert secrets.stat().st_mode & 0o077 == 0
    for role in (settings.postgres_user, *dbroles.ROLES):
        assert settings.local_pg_password_file(role).stat().st_mode & 0o777 == 0o600


async def test_each_service_owns_its_schema_and_nothing_else(
    settings: StackSettings, database_url: str
) -> None:
    async with connected(database_url) as conn:
        owners = dict(
            await conn.fetch(
                "SELECT nspname, nspowner::regrole::text FROM pg_namespace WHERE nspname = ANY($1)",
                list(dbroles.SERVICE_ROLES),
            )
        )
        powers = await conn.fetch(
            "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls"
            " FROM pg_roles WHERE rolname = ANY($1)",
            list(dbroles.ROLES),
        )
        create_db = {
            role: await conn.fetchval(
                "SELECT has_database_privilege($1, current_database(), 'CREATE')", role
            )
            for role in dbroles.ROLES
        }
    assert owners == {s: s for s in dbroles.SERVICE_ROLES}
    assert all(not any(r[1:]) for r in powers), powers
    # Only reporting may create schemas: a rebuild puts each new model in one of its own.
    assert create_db == {r: r == dbroles.MODELS_OWNER for r in dbroles.ROLES}


async def test_registration_cannot_read_write_or_create_in_awards_schema(
    settings: StackSettings, database_url: str, uid: str
) -> None:
    theirs = f"test_{uid}_awards"
    awards_url = await as_service_role(database_url, "awards", theirs)
    async with connected(awards_url) as awards:
        await awards.execute(f"CREATE TABLE {theirs}.nominations (id int)")
        await awards.execute(f"INSERT INTO {theirs}.nominations VALUES (1)")
    mine = f"test_{uid}_registration"
    registration_url = await as_service_role(database_url, "registration", mine)
    async with connected(registration_url) as registration:
        await registration.execute(f"CREATE TABLE {mine}.units (id int)")  # its own: fine
        table = f"{theirs}.nominations"
        message = await denied(registration.fetch(f"SELECT * FROM {table}"))
        assert f"permission denied for schema {theirs}" in message
        await no_writes(registration, table)
        await denied(registration.execute(f"DROP TABLE {table}"))
        # Nor in the provisioned schemas of the others, public, or a schema of its own making.
        await creates_nothing_in(registration, theirs, "awards", "notifications", "reporting")
        await denied(registration.fetch("SELECT * FROM awards.schema_migrations"))
    async with connected(awards_url) as awards:
        assert await awards.fetchval(f"SELECT count(*) FROM {table}") == 1


async def test_reporting_api_role_reads_the_read_models_and_writes_nothing(
    settings: StackSettings, database_url: str, uid: str
) -> None:
    model = f"test_{uid}_model"
    owner_url = dbroles.local_role_url(settings, dbroles.MODELS_OWNER)
    async with connected(owner_url) as reporting:
        # What a rebuild does: a schema of its own making, then tables in it.
        await reporting.execute(f"CREATE SCHEMA {model}")
        await reporting.execute(f"CREATE TABLE {model}.province_rollup (id int, n int)")
        await reporting.execute(f"INSERT INTO {model}.province_rollup VALUES (1, 10)")
    table = f"{model}.province_rollup"
    async with connected(dbroles.local_role_url(settings, dbroles.READER_ROLE)) as reader:
        assert await reader.fetchval(f"SELECT n FROM {table}") == 10
        await no_writes(reader, table)
        await creates_nothing_in(reader, model, "reporting", "registration")
    async with connected(owner_url) as reporting:
        assert await reporting.fetchval(f"SELECT n FROM {table}") == 10


async def test_provisioning_again_changes_nothing_and_keeps_the_passwords(
    settings: StackSettings, database_url: str, uid: str
) -> None:
    passwords = dbroles.local_passwords(settings)
    model = f"test_{uid}_again"
    async with connected(dbroles.local_role_url(settings, dbroles.MODELS_OWNER)) as reporting:
        await reporting.execute(f"CREATE SCHEMA {model}")
        await reporting.execute(f"CREATE TABLE {model}.t (id int)")
    async with connected(database_url) as admin:
        await dbroles.provision(admin, settings.postgres_db, passwords)
        await dbroles.provision(admin, settings.postgres_db, passwords)
    assert dbroles.local_passwords(settings) == passwords
    for role in dbroles.ROLES:
        async with connected(dbroles.local_role_url(settings, role)) as conn:
            assert await conn.fetchval("SELECT current_user") == role
    async with connected(dbroles.local_role_url(settings, dbroles.READER_ROLE)) as reader:
        assert await reader.fetchval(f"SELECT count(*) FROM {model}.t") == 0
