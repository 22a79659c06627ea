"""Where the stack's components listen: one place, overridable by environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BROKER_PORT_STEP = 10
"""Ports of local broker n (1-based): the first broker's + 10·(n-1), controller likewise."""
BROKERS_FILE = "kafka-brokers"
"""In the state directory: the cluster size ``thidua stack up --brokers`` chose."""
PG_SECRETS_DIR = Path("secrets") / "postgres"
"""In the state directory: one file per PostgreSQL role holding its generated password."""


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def secret_from_env(name: str) -> str | None:
    """The value of ``name``, or the content of the file ``<name>_FILE`` names (Docker's
    convention for secrets), without its trailing newline; None when neither is set."""
    if name in os.environ:
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    return Path(path).read_text().rstrip("\r\n") if path else None


@dataclass(frozen=True)
class StackSettings:
    """Addresses and directories of the local stack (loopback only)."""

    kafka_bootstrap: str = field(
        default_factory=lambda: _env("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    )
    """Where clients bootstrap: every broker's address (see ``kafka_brokers``)."""
    kafka_brokers: int = field(default_factory=lambda: int(_env("THIDUA_KAFKA_BROKERS", "0")))
    """Brokers of the local KRaft cluster (1, or 3: every one a controller too): the
    environment's ``THIDUA_KAFKA_BROKERS``, else what ``thidua stack up --brokers`` recorded
    in the state directory, else 1. With one address in ``THIDUA_KAFKA_BOOTSTRAP``, broker n
    listens on its port + 10·(n-1)."""
    kafka_controller_port: int = field(
        default_factory=lambda: int(_env("THIDUA_KAFKA_CONTROLLER_PORT", "19093"))
    )
    postgres_host: str = field(default_factory=lambda: _env("THIDUA_PG_HOST", "127.0.0.1"))
    postgres_port: int = field(default_factory=lambda: int(_env("THIDUA_PG_PORT", "15432")))
    postgres_user: str = field(default_factory=lambda: _env("THIDUA_PG_USER", "thidua"))
    postgres_db: str = field(default_factory=lambda: _env("THIDUA_PG_DB", "thidua"))
    http_host: str = field(default_factory=lambda: _env("THIDUA_HTTP_HOST", "127.0.0.1"))
    """The address services bind their HTTP servers to (0.0.0.0 in containers)."""
    zipkin_port: int = field(default_factory=lambda: int(_env("THIDUA_ZIPKIN_PORT", "19411")))
    keycloak_port: int = field(default_factory=lambda: int(_env("THIDUA_KEYCLOAK_PORT", "18180")))
    """The local identity provider (Keycloak); its management interface is on the next port."""
    state_dir: Path = field(
        default_factory=lambda: Path(_env("THIDUA_STATE_DIR", str(PROJECT_ROOT / ".stack")))
    )
    pg_secrets_dir: Path | None = field(
        default_factory=lambda: Path(p) if (p := os.environ.get("THIDUA_PG_SECRETS_DIR")) else None
    )
    """Where the local stack keeps its PostgreSQL roles' passwords: ``THIDUA_PG_SECRETS_DIR``,
    else ``<state_dir>/secrets/postgres`` (a process run with a state directory of its own on
    another's stack, as the e2e tests' services, points here at the stack's)."""
    cache_dir: Path = field(
        default_factory=lambda: Path(
            _env("THIDUA_CACHE_DIR", str(Path.home() / ".cache" / "thidua"))
        )
    )

    def __post_init__(self) -> None:
        if self.kafka_brokers == 0:
            recorded = self.state_dir / BROKERS_FILE
            brokers = int(recorded.read_text()) if recorded.is_file() else 1
            object.__setattr__(self, "kafka_brokers", brokers)
        if self.kafka_brokers < 1:
            raise ValueError(f"THIDUA_KAFKA_BROKERS must be 1 or more, not {self.kafka_brokers}")
        given = self.kafka_bootstrap.split(",")
        if len(given) == 1 and self.kafka_brokers > 1:
            host, _, port = given[0].rpartition(":")
            step = BROKER_PORT_STEP
            spread = [f"{host}:{int(port) + step * n}" for n in range(self.kafka_brokers)]
            object.__setattr__(self, "kafka_bootstrap", ",".join(spread))

    @property
    def broker_addresses(self) -> list[str]:
        """host:port of each local broker, node 1 first."""
        return self.kafka_bootstrap.split(",")[: self.kafka_brokers]

    def controller_port(self, node: int) -> int:
        """The KRaft controller port of local node ``node`` (1-based)."""
        return self.kafka_controller_port + BROKER_PORT_STEP * (node - 1)

    def service_port(self, service: str) -> int:
        """HTTP port of a service's first local instance (health, metrics, its API)."""
        base = int(_env("THIDUA_HTTP_PORT_BASE", "18080"))
        order = ("registration", "awards", "notifications", "reporting")
        return base + 1 + (order.index(service) if service in order else len(order))

    @property
    def database_url(self) -> str:
        """Where this process connects: ``THIDUA_DATABASE_URL``, else as ``THIDUA_PG_USER``
        (the local stack's admin by default) with ``THIDUA_PG_PASSWORD`` (or the file
        ``THIDUA_PG_PASSWORD_FILE``), else the local stack's generated password of that user."""
        if "THIDUA_DATABASE_URL" in os.environ:
            return os.environ["THIDUA_DATABASE_URL"]
        password = secret_from_env("THIDUA_PG_PASSWORD")
        if password is None:
            password = self.local_pg_password(self.postgres_user)
        return self.postgres_url(self.postgres_user, password)

    def postgres_url(self, user: str, password: str | None) -> str:
        """The URL of the stack's database as ``user`` (without a password: for display)."""
        secret = f":{quote(password, safe='')}" if password is not None else ""
        return (
            f"postgresql://{quote(user, safe='')}{secret}@{self.postgres_host}:"
            f"{self.postgres_port}/{self.postgres_db}"
        )

    def local_pg_password_file(self, role: str) -> Path:
        return (self.pg_secrets_dir or self.state_dir / PG_SECRETS_DIR) / role

    def local_pg_password(self, role: str) -> str | None:
        """The password the local stack generated for ``role`` (None before its first start)."""
        try:
            return self.local_pg_password_file(role).read_text().strip()
        except FileNotFoundError:
            return None

    @property
    def zipkin_url(self) -> str:
        return f"http://127.0.0.1:{self.zipkin_port}"

    @property
    def keycloak_url(self) -> str:
        return f"http://127.0.0.1:{self.keycloak_port}"

    @property
    def oidc_issuer(self) -> str:
        """The OIDC issuer every HTTP door trusts: the local Keycloak's realm ``thidua``
        unless ``THIDUA_OIDC_ISSUER`` names another provider."""
        return _env("THIDUA_OIDC_ISSUER", f"{self.keycloak_url}/realms/thidua")

    @property
    def zipkin_spans_endpoint(self) -> str:
        return f"{self.zipkin_url}/api/v2/spans"
