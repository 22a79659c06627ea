"""PostgreSQL roles: one login role per service, owning only its own schema, and a read-only
role for reporting's API; the admin (a superuser) provisions them and runs the ops tools.

| role               | may                                                                  |
|--------------------|----------------------------------------------------------------------|
| ``thidua`` (admin) | everything (superuser): provisioning, ``thidua dlq``, bench, chaos…  |
| ``registration``   | own schema ``registration`` (tables, migrations); nothing elsewhere  |
| ``awards``         | own schema ``awards``; nothing elsewhere                             |
| ``notifications``  | own schema ``notifications``; nothing elsewhere                      |
| ``reporting``      | own schema ``reporting`` and the model schemas ``reporting_<n>`` a   |
|                    | rebuild creates (CREATE on the database: schemas it then owns)       |
| ``reporting_reader`` | SELECT (and schema USAGE) on what ``reporting`` owns; no writes    |

No service reads another service's schema (each learns from events only), so no role is
granted anything in another's schema. Passwords are SCRAM-SHA-256; locally each is generated at
the stack's first start into ``<state>/secrets/postgres/<role>`` (mode 0600); a deployment
hands them in through ``THIDUA_PG_*PASSWORD`` variables or ``*_FILE`` files.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

import asyncpg

from contracts.topics import SERVICES
from thidua.settings import StackSettings, secret_from_env

SERVICE_ROLES = SERVICES
"""Each service's login role has the service's name and owns the schema of that name."""
MODELS_OWNER = "reporting"
"""Creates a schema per rebuilt read model (``reporting_<n>``), so it may create schemas."""
READER_ROLE = "reporting_reader"
"""Reporting's API: reads what ``reporting`` owns, writes nothing."""
ROLES = (*SERVICE_ROLES, READER_ROLE)


class ProvisioningError(RuntimeError):
    """The database holds something provisioning must not silently take over."""


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    # standard_conforming_strings is on (the default since 9.1): only quotes are special.
    return "'" + text.replace("'", "''") + "'"


def ensure_local_password(settings: StackSettings, role: str) -> str:
    """``role``'s password in the state directory, generated (mode 0600) if it has none."""
    existing = settings.local_pg_password(role)
    if existing:
        return existing
    path = settings.local_pg_password_file(role)
    parents = [path.parent]
    if settings.pg_secrets_dir is None:
        parents.insert(0, path.parent.parent)  # <state>/secrets, closed as well
    for directory in parents:
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
    password = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(password + "\n")
    return password


def local_passwords(settings: StackSettings) -> dict[str, str]:
    """Every role's password in the local stack's state directory (generated when missing)."""
    return {role: ensure_local_password(settings, role) for role in ROLES}


def passwords_from_env() -> dict[str, str]:
    """Every role's password from ``THIDUA_PG_<ROLE>_PASSWORD`` (or ``…_PASSWORD_FILE``), as a
    deployment's provisioning job gets them. Raises ``ProvisioningError`` naming the missing."""
    found = {role: secret_from_env(password_variable(role)) for role in ROLES}
    missing = [password_variable(r) for r, p in found.items() if not p]
    if missing:
        raise ProvisioningError(f"set {', '.join(missing)} (or the same names with _FILE)")
    return {role: password for role, password in found.items() if password}


def password_variable(role: str) -> str:
    return f"THIDUA_PG_{role.upper()}_PASSWORD"


async def provision(conn: asyncpg.Connection, database: str, passwords: Mapping[str, str]) -> None:
    """Create or update the roles (with ``passwords``), the service schemas and the grants,
    as a superuser connected to ``database``. Idempotent: run at every ``thidua stack up``."""
    db = ident(database)
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('thidua provisioning'))")
        # Only the roles below may connect; nobody but an owner creates anything in public.
        await conn.execute(f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
        await conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        for role in ROLES:
            exists = await conn.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", role)
            await conn.execute(
                f"{'ALTER' if exists else 'CREATE'} ROLE {ident(role)} WITH LOGIN NOSUPERUSER "
                f"NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                f"PASSWORD {literal(passwords[role])}"
            )
            await conn.execute(f"GRANT CONNECT ON DATABASE {db} TO {ident(role)}")
        for service in SERVICE_ROLES:
            await conn.execute(
                f"CREATE SCHEMA IF NOT EXISTS {ident(service)} AUTHORIZATION {ident(service)}"
            )
            owner = await conn.fetchval(
                "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = $1", service
            )
            if owner != service:
                raise ProvisioningError(
                    f"schema {service} belongs to {owner}, not to the role {service}: it was "
                    "made before the services had roles; drop it (its data are rebuilt from "
                    "Kafka only for reporting) or ALTER its objects' owner to the role"
                )
        await create_extensions(conn)
        await conn.execute(f"GRANT CREATE ON DATABASE {db} TO {ident(MODELS_OWNER)}")
        owner, reader = ident(MODELS_OWNER), ident(READER_ROLE)
        # What reporting creates later (a rebuild's model schema and tables) is readable at once.
        await conn.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT USAGE ON SCHEMAS TO {reader}"
        )
        await conn.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT SELECT ON TABLES TO {reader}"
        )
        owned = await conn.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspowner = $1::regrole", MODELS_OWNER
        )
        for row in owned:
            schema = ident(row["nspname"])
            await conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {reader}")
            await conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}")


SEARCH_EXTENSIONS = ("unaccent", "pg_trgm")
"""Reporting's search (issue 18): names without diacritics, trigram indexes. Both ship with the
PostgreSQL server; created once in ``public`` by the admin, used (not owned) by every role."""


async def create_extensions(conn: asyncpg.Connection) -> None:
    for name in SEARCH_EXTENSIONS:
        await conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ident(name)} SCHEMA public")


async def provision_from_env(settings: StackSettings) -> None:
    """Provision with the passwords of :func:`passwords_from_env`, connected as the admin the
    environment names (a deployment's one-shot job: ``thidua db-roles``)."""
    passwords = passwords_from_env()
    conn = await asyncpg.connect(settings.database_url, timeout=30)
    try:
        await provision(conn, await conn.fetchval("SELECT current_database()"), passwords)
    finally:
        await conn.close()


def service_database_url(settings: StackSettings, service: str) -> str:
    """Where ``service`` connects: what the environment says (``THIDUA_DATABASE_URL``, or
    ``THIDUA_PG_USER`` with its password, as a deployment sets them), else as its own role
    with the password the local stack generated."""
    if "THIDUA_DATABASE_URL" in os.environ or "THIDUA_PG_USER" in os.environ:
        return settings.database_url
    return local_role_url(settings, service)


def reader_database_url(settings: StackSettings) -> str:
    """Where reporting's API connects (read-only): ``THIDUA_API_DATABASE_URL``, else as
    ``THIDUA_PG_API_USER`` with ``THIDUA_PG_API_PASSWORD`` (or ``…_FILE``), else as
    ``reporting_reader`` with the local stack's password. A deployment that sets only the
    service's own connection (``THIDUA_DATABASE_URL`` or ``THIDUA_PG_USER``) gives the API
    that one."""
    if "THIDUA_API_DATABASE_URL" in os.environ:
        return os.environ["THIDUA_API_DATABASE_URL"]
    if "THIDUA_PG_API_USER" in os.environ:
        user = os.environ["THIDUA_PG_API_USER"]
        return settings.postgres_url(user, secret_from_env("THIDUA_PG_API_PASSWORD"))
    if "THIDUA_DATABASE_URL" in os.environ or "THIDUA_PG_USER" in os.environ:
        return settings.database_url
    return local_role_url(settings, READER_ROLE)


def local_role_url(settings: StackSettings, role: str) -> str:
    """The local stack's database as ``role``, with its generated password."""
    password = settings.local_pg_password(role)
    if password is None:
        raise ProvisioningError(
            f"no password for the PostgreSQL role {role} in "
            f"{settings.local_pg_password_file(role)}: run `thidua stack up` first"
        )
    return settings.postgres_url(role, password)
