"""Where the stack's components listen: one place, overridable by environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class StackSettings:
    """Addresses and directories of the local stack (loopback only)."""

    kafka_bootstrap: str = field(
        default_factory=lambda: _env("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    )
    kafka_controller_port: int = field(
        default_factory=lambda: int(_env("THIDUA_KAFKA_CONTROLLER_PORT", "19093"))
    )
    postgres_host: str = field(default_factory=lambda: _env("THIDUA_PG_HOST", "127.0.0.1"))
    postgres_port: int = field(default_factory=lambda: int(_env("THIDUA_PG_PORT", "15432")))
    postgres_user: str = field(default_factory=lambda: _env("THIDUA_PG_USER", "thidua"))
    postgres_db: str = field(default_factory=lambda: _env("THIDUA_PG_DB", "thidua"))
    zipkin_port: int = field(default_factory=lambda: int(_env("THIDUA_ZIPKIN_PORT", "19411")))
    state_dir: Path = field(
        default_factory=lambda: Path(_env("THIDUA_STATE_DIR", str(PROJECT_ROOT / ".stack")))
    )
    cache_dir: Path = field(
        default_factory=lambda: Path(
            _env("THIDUA_CACHE_DIR", str(Path.home() / ".cache" / "thidua"))
        )
    )

    def service_port(self, service: str) -> int:
        """HTTP port of a service's first local instance (health, metrics, its API)."""
        base = int(_env("THIDUA_HTTP_PORT_BASE", "18080"))
        order = ("registration", "awards", "notifications", "reporting")
        return base + 1 + (order.index(service) if service in order else len(order))

    @property
    def database_url(self) -> str:
        return _env(
            "THIDUA_DATABASE_URL",
            f"postgresql://{self.postgres_user}@{self.postgres_host}:{self.postgres_port}"
            f"/{self.postgres_db}",
        )

    @property
    def zipkin_url(self) -> str:
        return f"http://127.0.0.1:{self.zipkin_port}"

    @property
    def zipkin_spans_endpoint(self) -> str:
        return f"{self.zipkin_url}/api/v2/spans"
