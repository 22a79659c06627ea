"""Where a chaos run lives: a state directory of its own and ports from a base (never those of
the shared stack or of ``thidua up``), set in this process's environment for everything the run
starts (the stack, the supervisor, the services it runs)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_PORT_BASE = 27000
"""Below Linux's ephemeral range (32768+), apart from the shared stack (15432, 19092, 1808x)."""


def chaos_environment(state_dir: Path, port_base: int = DEFAULT_PORT_BASE) -> dict[str, str]:
    """The variables of a run on ``state_dir``: three brokers at base+92, +102, +112
    (controllers +93, +103, +113), PostgreSQL at base+432, services from base+51 (second
    instances from base+71), notifications' inbox at base+63 (+83), the SMTP sink at base+25."""
    b = port_base
    return {
        "THIDUA_STATE_DIR": str(state_dir),
        "THIDUA_KAFKA_BOOTSTRAP": f"127.0.0.1:{b + 92}",
        "THIDUA_KAFKA_BROKERS": "3",
        "THIDUA_KAFKA_CONTROLLER_PORT": str(b + 93),
        "THIDUA_PG_PORT": str(b + 432),
        "THIDUA_ZIPKIN_PORT": str(b + 411),
        "THIDUA_KEYCLOAK_PORT": str(b + 180),  # and b + 181 (its management interface)
        "THIDUA_HTTP_PORT_BASE": str(b + 50),
        "THIDUA_NOTIFICATIONS_HTTP_PORT": str(b + 63),
        "THIDUA_SMTP_SINK_PORT": str(b + 25),
        "THIDUA_SMTP_PORT": str(b + 25),
        "THIDUA_SERVICE_INSTANCES": "2",
        # Restarted quickly: the run measures recovery, not the backoff's patience.
        "THIDUA_RESTART_INITIAL": "0.2",
        "THIDUA_RESTART_CAP": "5",
        "THIDUA_NOTIFY_BACKOFF_SECONDS": "2",
        # No trace UI in the run: two cores are better spent on the services.
        "OTEL_TRACES_EXPORTER": "none",
    }


def enter(state_dir: Path, port_base: int = DEFAULT_PORT_BASE) -> dict[str, str]:
    """Point this process (and what it starts) at the run's stack; returns the variables."""
    env = chaos_environment(state_dir, port_base)
    kept = {"THIDUA_CACHE_DIR"}  # the downloaded jars may be shared
    for name in [n for n in os.environ if n.startswith("THIDUA_") and n not in kept]:
        del os.environ[name]
    os.environ.update(env)
    return env
