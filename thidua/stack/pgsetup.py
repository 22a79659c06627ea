"""The machine's PostgreSQL and how the local stack sets its server up: where the server
binaries are, which account runs them (PostgreSQL refuses root), the locale ``initdb`` gets,
and the settings the server starts with.

Apart from :class:`thidua.stack.postgres.PostgresComponent` (the cluster's life: initdb, start,
stop, recovery, roles) because these answer the same for any cluster, and Compose's must
match them (``tests/unit/test_compose.py``).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
from collections.abc import Iterable
from pathlib import Path

from thidua.settings import StackSettings
from thidua.stack.errors import ComponentFailed, PrerequisiteMissing
from thidua.stack.process import RunAs

PG_TOOLS = ("initdb", "pg_ctl", "postgres")
PG_HINT = "the PostgreSQL 15 server (apt-get install postgresql-15)"
# Debian/Ubuntu keep server binaries off PATH, one directory per major version.
PG_LIB_DIR = Path("/usr/lib/postgresql")
PG_PREFERRED_MAJOR = "15"
# Accounts tried, in order, when the caller is root: PostgreSQL refuses to run as root.
RUN_AS_CANDIDATES = ("postgres", "nobody")


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name))


def find_pg_bin() -> Path:
    """The directory holding initdb, pg_ctl and postgres (PATH first, then Debian's layout)."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        # Resolve symlinks (e.g. /usr/local/bin/initdb) so all three come from one installation.
        candidates.append(Path(on_path).resolve().parent)
    candidates.append(PG_LIB_DIR / PG_PREFERRED_MAJOR / "bin")
    candidates += sorted(PG_LIB_DIR.glob("*/bin"), key=_version_key, reverse=True)
    for bin_dir in candidates:
        if all(os.access(bin_dir / tool, os.X_OK) for tool in PG_TOOLS):
            return bin_dir
    raise PrerequisiteMissing("PostgreSQL server binaries (initdb, pg_ctl, postgres)", PG_HINT)


def pick_run_as(euid: int | None = None) -> RunAs | None:
    """Who runs the server: ourselves, or an unprivileged account when we are root."""
    if (os.geteuid() if euid is None else euid) != 0:
        return None
    for name in RUN_AS_CANDIDATES:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return RunAs(name, entry.pw_uid, entry.pw_gid)
    raise ComponentFailed(
        "postgres", "running as root and there is no 'postgres' or 'nobody' account to run it as"
    )


def untraversable_dir(path: Path, uid: int, gid: int) -> Path | None:
    """The first existing ancestor of `path` that (uid, gid) may not search, if any."""
    for directory in [*reversed(path.parents), path]:
        try:
            st = directory.stat()
        except FileNotFoundError:
            return None
        if uid == 0:
            continue
        if st.st_uid == uid:
            bit = stat.S_IXUSR
        elif st.st_gid == gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            return directory
    return None


def hba_trusts(hba_file: Path) -> bool:
    """Whether a line of ``pg_hba.conf`` lets clients in with ``trust`` (no password)."""
    try:
        lines = hba_file.read_text().splitlines()
    except FileNotFoundError:
        return False
    return any("trust" in line.split("#", 1)[0].split() for line in lines)


def locale_args(available: Iterable[str]) -> list[str]:
    """C.UTF-8 gives Unicode case mapping (lower('Đ') works); the collation is C: the same
    order (UTF-8's byte order is its code points' order, C.UTF-8's order), but PostgreSQL
    compares and sorts C text by memcmp and abbreviated keys instead of through the C
    library's strcoll (sorts up to twice as fast here, index builds 10-20%)."""
    normalized = {name.lower().replace("-", "") for name in available}
    if "c.utf8" in normalized:
        return ["--locale=C.UTF-8", "--lc-collate=C"]
    return ["--no-locale"]


def available_locales() -> list[str]:
    try:
        result = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return result.stdout.split()


def server_args(settings: StackSettings, data_dir: Path, socket_dir: Path) -> list[str]:
    settings_ = {
        "listen_addresses": settings.postgres_host,
        "port": str(settings.postgres_port),
        # Inside the state dir: no clash with a system PostgreSQL's /var/run/postgresql.
        "unix_socket_directories": str(socket_dir),
        # Each service instance has its own pool; a dev machine runs many instances at once.
        "max_connections": "200",
        "shared_buffers": "256MB",
        # A new read model (a rebuild's, a fresh stack's) is planned without statistics until
        # autovacuum's first ANALYZE; checking every 10 s instead of every minute keeps its
        # first minute from running on plans made for empty tables (docs/decisions.md).
        "autovacuum_naptime": "10s",
        # The services' tables and indexes are read from memory (shared buffers, the page
        # cache), not from spinning disks: with the default 4.0 the planner answered a batch's
        # lookup of a few hundred keys by hashing the whole read copy (awards' ratings: 12-15 ms
        # a batch at 55,000 rows, growing with every year) instead of probing its index for each
        # key (under 4 ms). 1.1 is PostgreSQL's usual advice for SSDs (docs/decisions.md).
        "random_page_cost": "1.1",
        # PostgreSQL 15's default, stated: a password set by ALTER ROLE is stored as SCRAM.
        "password_encryption": "scram-sha-256",
    }
    args = ["-D", str(data_dir)]
    for key, value in settings_.items():
        args += ["-c", f"{key}={value}"]
    return args
