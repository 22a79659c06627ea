"""Keycloak (the local identity provider) run from its server distribution.

The distribution (``org.keycloak:keycloak-quarkus-dist``, a zip on Maven Central) is unpacked
once into the cache directory and shared; each stack gets a Keycloak home of its own in its
state directory (``-Dkc.home.dir``), whose ``data/import`` holds the realm to import: the
committed realm ``deploy/keycloak/realm-thidua.json`` plus the local sample users
(``sample-users.json``). Storage is Keycloak's embedded file database in that home; when the
realm files change, it is deleted and the realm imported afresh, so the committed files stay
the whole truth of the local realm (a restart with unchanged files skips the import, a third
of the start-up). The server is built once per
distribution (``kc.sh build``) and started ``--optimized``: ``start-dev`` builds it again at
every start, which took half of its start-up here.

Keycloak 26 needs Java 21 or newer; the stack's default ``java`` (17, for Kafka) is too old,
so a newer JDK is looked for under ``/usr/lib/jvm`` (or ``THIDUA_KEYCLOAK_JAVA_HOME``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx

from thidua.settings import PROJECT_ROOT, StackSettings
from thidua.stack.base import SILENT, Component, Reporter
from thidua.stack.errors import ComponentFailed, PrerequisiteMissing
from thidua.stack.fetch import DEPENDENCY_PLUGIN, MavenFetch

KEYCLOAK_VERSION = "26.5.6"
KEYCLOAK_ARTIFACT = f"org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:zip"
BIND_HOST = "127.0.0.1"
REALM = "thidua"
REALM_DIR = PROJECT_ROOT / "deploy" / "keycloak"
REALM_FILE = REALM_DIR / "realm-thidua.json"
SAMPLE_USERS_FILE = REALM_DIR / "sample-users.json"
MIN_JAVA = 21
JVM_DIR = Path("/usr/lib/jvm")
JAVA_HINT = "a JDK 21 or newer for Keycloak (e.g. apt-get install openjdk-21-jre-headless)"

BUILD_OPTIONS = ("--db=dev-file", "--health-enabled=true", "--cache=local")
"""Build-time options of the local server: its embedded file database (in the stack's state
directory), one node."""
REALM_DIGEST = "realm.sha256"
BUILT_MARKER = ".thidua-built"
BUILD_LOCK = ".thidua-build.lock"
BUILD_TIMEOUT = 600.0

LOCAL_SECRETS = {
    # Local samples only, like the sample users' passwords: the realm of a deployment gets
    # its secrets from the environment (docker-compose.yml, ``${VAR:?}``).
    "THIDUA_OIDC_DASHBOARD_SECRET": "local-dashboard-secret",
    "THIDUA_OIDC_OPS_SECRET": "local-ops-secret",
    "THIDUA_OIDC_PROVISIONER_SECRET": "local-provisioner-secret",
    # Keycloak matches a loopback redirect on any port (RFC 8252 §7.3): the dashboard of
    # `make up`, of the tests and of a second instance all log in through the same client.
    "THIDUA_OIDC_REDIRECT_URIS": "http://127.0.0.1/*",
}


def java_release(home: Path) -> int | None:
    """The major version a JDK's ``release`` file states (``JAVA_VERSION="25.0.1"`` → 25)."""
    try:
        text = (home / "release").read_text()
    except OSError:
        return None
    match = re.search(r'^JAVA_VERSION="(\d+)', text, re.MULTILINE)
    return int(match.group(1)) if match else None


def find_java_home(jvm_dir: Path = JVM_DIR) -> Path:
    """``THIDUA_KEYCLOAK_JAVA_HOME``, else the newest JDK ≥ 21 under ``/usr/lib/jvm``."""
    given = os.environ.get("THIDUA_KEYCLOAK_JAVA_HOME")
    if given:
        return Path(given)
    found = []
    if jvm_dir.is_dir():
        for home in jvm_dir.iterdir():
            version = java_release(home)
            if version is not None and version >= MIN_JAVA and (home / "bin" / "java").is_file():
                found.append((version, home.name, home))
    if not found:
        raise PrerequisiteMissing("java", JAVA_HINT, problem=f"no JDK {MIN_JAVA}+ in {jvm_dir}")
    return max(found)[2]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def local_realm() -> dict[str, Any]:
    """The committed realm with the local sample users added (what the local stack imports)."""
    realm: dict[str, Any] = json.loads(REALM_FILE.read_text())
    samples = json.loads(SAMPLE_USERS_FILE.read_text())
    realm["users"] = [*realm.get("users", []), *samples["users"]]
    return realm


def sample_users() -> list[dict[str, str]]:
    """Username, password, role and scope of each local sample user (for ``thidua up``)."""
    rows = []
    for user in json.loads(SAMPLE_USERS_FILE.read_text())["users"]:
        scope = ", ".join(f"{k}={v[0]}" for k, v in user.get("attributes", {}).items())
        rows.append(
            {
                "username": user["username"],
                "password": user["credentials"][0]["value"],
                "role": user["realmRoles"][0],
                "scope": scope,
            }
        )
    return rows


class KeycloakComponent(Component):
    name = "keycloak"
    ready_timeout = 240.0  # the first start of a fresh distribution builds it (~1 min here)
    stop_timeout = 30.0

    def __init__(self, settings: StackSettings, report: Reporter = SILENT) -> None:
        super().__init__(settings, report)
        self._java_home: Path | None = None

    @property
    def dist_dir(self) -> Path:
        return self.settings.cache_dir / f"keycloak-{KEYCLOAK_VERSION}"

    @property
    def home(self) -> Path:
        return self.state_dir / "keycloak"

    @property
    def address(self) -> str:
        return f"{BIND_HOST}:{self.settings.keycloak_port}"

    @property
    def url(self) -> str:
        return self.settings.keycloak_url

    @property
    def marker(self) -> str:
        return f"-Dthidua.stack.component=keycloak@{self.state_dir}"

    def fetches(self) -> list[MavenFetch]:
        return [
            MavenFetch(
                component=self.name,
                label=f"Keycloak {KEYCLOAK_VERSION} server distribution",
                target=self.dist_dir,
                goal=(f"{DEPENDENCY_PLUGIN}:unpack", f"-Dartifact={KEYCLOAK_ARTIFACT}"),
                output_subdir="",
                expect=f"keycloak-{KEYCLOAK_VERSION}/bin/kc.sh",
            )
        ]

    def check_prerequisites(self) -> None:
        self._java_home = find_java_home()

    @property
    def kc_sh(self) -> Path:
        return self.dist_dir / f"keycloak-{KEYCLOAK_VERSION}" / "bin" / "kc.sh"

    def prepare(self) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        imports = self.home / "data" / "import"
        imports.mkdir(parents=True, exist_ok=True)
        realm = json.dumps(local_realm(), ensure_ascii=False, sort_keys=True)
        recorded = self.home / "data" / REALM_DIGEST
        if not recorded.is_file() or recorded.read_text() != _digest(realm):
            # Keycloak imports a realm only when it does not have it: a changed realm file
            # (or a start that never finished its import) replaces the stored one.
            shutil.rmtree(self.home / "data" / "h2", ignore_errors=True)
            recorded.unlink(missing_ok=True)
        (imports / f"{REALM}.json").write_text(realm)
        # The home's code is the distribution's (its built ``lib``, which --optimized looks
        # for under the home), its data the stack's own.
        dist = self.kc_sh.parent.parent
        for shared in ("lib", "conf", "themes", "providers"):
            link = self.home / shared
            if not link.is_symlink():
                link.symlink_to(dist / shared, target_is_directory=True)
        self._build()

    def _build(self) -> None:
        """``kc.sh build`` once per distribution (~30 s here), so that each start is an
        optimized one instead of ``start-dev``'s build at every start. Stacks share the
        distribution: a lock keeps two from building it at once."""
        done = self.dist_dir / BUILT_MARKER
        wanted = " ".join(BUILD_OPTIONS)
        with (self.dist_dir / BUILD_LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if done.is_file() and done.read_text() == wanted:
                return
            self.report("building Keycloak's server for the local stack (once)…")
            result = subprocess.run(
                [str(self.kc_sh), "build", *BUILD_OPTIONS],
                env=self.environment(),
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT,
                check=False,
            )
            if result.returncode != 0:
                tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
                raise ComponentFailed(self.name, f"kc.sh build failed:\n{tail}")
            done.write_text(wanted)

    def command(self) -> list[str]:
        port = self.settings.keycloak_port
        return [
            str(self.kc_sh),
            "start",
            "--optimized",
            self.marker,
            f"-Dkc.home.dir={self.home}",
            "--import-realm",
            "--http-enabled=true",
            f"--http-host={BIND_HOST}",
            f"--http-port={port}",
            f"--http-management-port={port + 1}",
            f"--hostname=http://127.0.0.1:{port}",
            # One node: no JGroups cluster (it would listen on 7800 of every interface).
            "--cache=local",
        ]

    def environment(self) -> dict[str, str]:
        java_home = self._java_home or find_java_home()
        secrets = {name: os.environ.get(name, value) for name, value in LOCAL_SECRETS.items()}
        return {
            **os.environ,
            **secrets,
            "JAVA_HOME": str(java_home),
            # Java 24+ refuses the thread-local reset JBoss threads asks for at shutdown.
            "JAVA_OPTS_APPEND": "--add-opens=java.base/java.lang=ALL-UNNAMED",
        }

    async def on_started(self) -> None:
        """The realm is imported (the server answers for it): its digest is recorded."""
        realm = (self.home / "data" / "import" / f"{REALM}.json").read_text()
        (self.home / "data" / REALM_DIGEST).write_text(_digest(realm))

    async def probe(self) -> bool:
        """Ready once the realm is imported: its OpenID configuration names its issuer."""
        try:
            async with httpx.AsyncClient(timeout=3) as client:
                response = await client.get(
                    f"{self.settings.oidc_issuer}/.well-known/openid-configuration"
                )
            body = response.json()
            return response.status_code == 200 and body.get("issuer") == self.settings.oidc_issuer
        except (httpx.HTTPError, ValueError):
            return False


def login_lines(dashboard_url: str, settings: StackSettings) -> list[str]:
    """What ``thidua up`` prints: where to log in, and the local sample users."""
    lines = [
        f"  login              {dashboard_url}/auth/login"
        f"  (Keycloak {settings.keycloak_url}, realm {REALM})",
        "  sample users (local only; password · role · scope):",
    ]
    for user in sample_users():
        lines.append(
            f"    {user['username']:<16} {user['password']:<22} {user['role']:<10} {user['scope']}"
        )
    return lines
