"""PostgreSQL from the machine's server binaries, on loopback, with its data in the state dir.

Where the server binaries are, who runs them and the settings the server starts with are
``thidua.stack.pgsetup``'s; this module is the cluster's life (initdb, start, stop, recovery,
roles).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from thidua import dbroles
from thidua.settings import StackSettings
from thidua.stack.base import SILENT, Component, Reporter
from thidua.stack.errors import ComponentFailed
from thidua.stack.pgsetup import (
    available_locales,
    find_pg_bin,
    hba_trusts,
    locale_args,
    pick_run_as,
    server_args,
    untraversable_dir,
)
from thidua.stack.process import RunAs, is_running, process_state, processes_in


class PostgresComponent(Component):
    name = "postgres"
    # SIGINT is PostgreSQL's "fast" shutdown (SIGTERM would wait for every client to leave);
    # it is only the fallback when `pg_ctl stop -m fast` did not work.
    stop_signal = signal.SIGINT
    stop_timeout = 30.0

    def __init__(self, settings: StackSettings, report: Reporter = SILENT) -> None:
        super().__init__(settings, report)
        self._bin: Path | None = None

    @property
    def home(self) -> Path:
        return self.state_dir / "postgres"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def socket_dir(self) -> Path:
        return self.home / "run"

    @property
    def address(self) -> str:
        return f"{self.settings.postgres_host}:{self.settings.postgres_port}"

    @property
    def url(self) -> str:
        # Shown by `thidua stack status`: the admin's password stays in its file.
        return self.settings.postgres_url(self.settings.postgres_user, None)

    @property
    def admin_password(self) -> str:
        password = self.settings.local_pg_password(self.settings.postgres_user)
        if password is None:
            path = self.settings.local_pg_password_file(self.settings.postgres_user)
            raise ComponentFailed(
                self.name,
                f"the admin's password file {path} is missing; without it nobody can log in "
                f"to {self.data_dir}: delete that with `thidua stack down --purge`",
            )
        return password

    @property
    def marker(self) -> str:
        return str(self.data_dir)

    @property
    def bin_dir(self) -> Path:
        if self._bin is None:
            self._bin = find_pg_bin()
        return self._bin

    def check_prerequisites(self) -> None:
        self._bin = find_pg_bin()

    def run_as(self) -> RunAs | None:
        if os.geteuid() != 0:
            return None
        # Stop and restart as whoever initialised the cluster, whatever the candidates are now.
        with contextlib.suppress(FileNotFoundError, KeyError):
            owner = self.data_dir.stat().st_uid
            if owner != 0:
                entry = pwd.getpwuid(owner)
                return RunAs(entry.pw_name, entry.pw_uid, entry.pw_gid)
        return pick_run_as()

    def environment(self) -> dict[str, str]:
        # PG* variables (PGDATA, PGPORT, ...) from the caller's shell must not redirect our tools.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["HOME"] = str(self.home)
        return env

    def _run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        run_as = self.run_as()
        return subprocess.run(
            argv,
            cwd=self.home,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            user=run_as.uid if run_as else None,
            group=run_as.gid if run_as else None,
            extra_groups=[] if run_as else None,
        )

    def prepare(self) -> None:
        self.recover()
        run_as = self.run_as()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if run_as is not None:
            # Our own state dir may have been created under a strict umask; the server's account
            # must be able to pass through it. Parents outside it we only diagnose.
            mode = self.state_dir.stat().st_mode
            self.state_dir.chmod(stat.S_IMODE(mode) | stat.S_IXGRP | stat.S_IXOTH)
            blocked = untraversable_dir(self.home, run_as.uid, run_as.gid)
            if blocked is not None:
                raise ComponentFailed(
                    self.name,
                    f"user {run_as.user} cannot enter {blocked}; set THIDUA_STATE_DIR to a "
                    "directory outside it (e.g. /var/tmp/thidua-stack)",
                )
        for directory in (self.home, self.socket_dir):
            directory.mkdir(parents=True, exist_ok=True)
            directory.chmod(0o700)
            if run_as is not None:
                os.chown(directory, run_as.uid, run_as.gid)
        if (self.data_dir / "PG_VERSION").is_file():
            self.refuse_trust()
            self.admin_password  # noqa: B018 - raises, with what to do, when it is missing
            return
        # A data dir without PG_VERSION is an initdb that did not finish: start over.
        shutil.rmtree(self.data_dir, ignore_errors=True)
        who = f" as user {run_as.user}" if run_as else ""
        self.report(f"initialising PostgreSQL data directory{who}…")
        password = dbroles.ensure_local_password(self.settings, self.settings.postgres_user)
        # initdb reads the superuser's password from a file it can open as the server's user.
        pwfile = self.home / "initdb-password"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        if run_as is not None:
            os.chown(pwfile, run_as.uid, run_as.gid)
        try:
            result = self._run(
                [
                    str(self.bin_dir / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "-U",
                    self.settings.postgres_user,
                    "-E",
                    "UTF8",
                    *locale_args(available_locales()),
                ],
                timeout=300,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()
            raise ComponentFailed(self.name, f"initdb failed:\n{output}")

    def refuse_trust(self) -> None:
        """A cluster an earlier thidua made lets anyone in without a password: refuse it."""
        if hba_trusts(self.data_dir / "pg_hba.conf"):
            raise ComponentFailed(
                self.name,
                f"{self.data_dir} was created by an earlier thidua with `trust` authentication "
                "(no passwords, one user for everything). Its data are local only: delete it "
                "with `thidua down` then `thidua stack down --purge`, and start again "
                "(`make up`); it is created with SCRAM passwords and a role per service.",
            )

    def command(self) -> list[str]:
        return [
            str(self.bin_dir / "postgres"),
            *server_args(self.settings, self.data_dir, self.socket_dir),
        ]

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "postmaster.pid"

    def _locked_by(self) -> int | None:
        try:
            return int(self.lock_file.read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError, PermissionError):
            return None

    def discover_pid(self) -> int | None:
        # A postmaster from our data dir holds its lock file; starting another would fail.
        pid = self._locked_by()
        return pid if pid is not None and is_running(pid, self.marker) else None

    def recover(self) -> None:
        """After a postmaster was killed (``kill -9``): stop the backends it left running in
        the data directory, then remove its lock file. PostgreSQL cannot tell a dead
        postmaster's pid from a live one when that pid is now a zombie or another program,
        and refuses to start ("lock file postmaster.pid already exists")."""
        if not self.lock_file.exists() or self.discover_pid() is not None:
            return
        pid = self._locked_by()
        orphans = processes_in(self.data_dir)
        if orphans:
            self.report(
                f"stopping {len(orphans)} PostgreSQL processes left by a postmaster that died…"
            )
            for orphan in orphans:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(orphan, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while processes_in(self.data_dir) and time.monotonic() < deadline:
                time.sleep(0.1)
            if processes_in(self.data_dir):
                raise ComponentFailed(self.name, f"processes still use {self.data_dir}")
        state = process_state(pid) if pid is not None else None
        why = {None: "gone", "Z": "a zombie"}.get(state, "another program")
        self.report(f"removing the stale postmaster.pid of pid {pid} ({why})")
        self.lock_file.unlink(missing_ok=True)

    def stop_command(self) -> list[str]:
        return [
            str(self.bin_dir / "pg_ctl"),
            "stop",
            "-D",
            str(self.data_dir),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
        ]

    @contextlib.asynccontextmanager
    async def admin(self, database: str, timeout: float) -> AsyncIterator[asyncpg.Connection]:
        """A connection as the cluster's admin, all of its work within ``timeout`` seconds."""
        async with asyncio.timeout(timeout):
            conn = await asyncpg.connect(
                host=self.settings.postgres_host,
                port=self.settings.postgres_port,
                user=self.settings.postgres_user,
                password=self.admin_password,
                database=database,
                timeout=min(timeout, 10),
            )
            try:
                yield conn
            finally:
                await conn.close()

    async def _query_one(self, database: str, sql: str, *args: object) -> object:
        async with self.admin(database, timeout=8) as conn:
            return await conn.fetchval(sql, *args)

    async def reachable(self) -> bool:
        try:
            return await self._query_one("postgres", "SELECT 1") == 1
        except Exception:
            return False

    async def on_started(self) -> None:
        self.refuse_trust()  # a cluster of an earlier thidua that was running already
        db = self.settings.postgres_db
        exists = await self._query_one(
            "postgres", "SELECT 1 FROM pg_database WHERE datname = $1", db
        )
        if not exists:
            self.report(f"creating database {db}…")
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await self._query_one("postgres", f"CREATE DATABASE {dbroles.ident(db)}")
        await self.provision_roles()

    async def provision_roles(self) -> None:
        """The services' roles, schemas and grants (idempotent: at every start)."""
        passwords = dbroles.local_passwords(self.settings)
        async with self.admin(self.settings.postgres_db, timeout=60) as conn:
            await dbroles.provision(conn, self.settings.postgres_db, passwords)

    async def probe(self) -> bool:
        try:
            return await self._query_one(self.settings.postgres_db, "SELECT 1") == 1
        except Exception:
            return False
