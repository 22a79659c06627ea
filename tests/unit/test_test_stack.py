"""The suites run on a stack of their own (``tests/conftest.py``), never on that of ``make up``."""

from __future__ import annotations

import os

import pytest

from thidua import runner
from thidua.settings import StackSettings

EPHEMERAL = 32768
"""Linux's ephemeral ports start here: a client's connection may hold any of them."""


def ports(settings: StackSettings) -> set[int]:
    listening = {
        int(settings.kafka_bootstrap.rsplit(":", 1)[1]),
        settings.kafka_controller_port,
        settings.postgres_port,
        settings.zipkin_port,
        runner.smtp_port(),
        int(os.environ.get("THIDUA_NOTIFICATIONS_HTTP_PORT", "18093")),
    }
    return listening | {settings.service_port(s) for s in runner.available_services()}


def test_the_suites_stack_shares_no_port_directory_or_database_with_make_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours = StackSettings()
    our_ports = ports(ours)
    for name in [n for n in os.environ if n.startswith("THIDUA_")]:
        monkeypatch.delenv(name)
    dev = StackSettings()  # what `make up` uses (no THIDUA_* set)

    assert ours.state_dir != dev.state_dir
    assert ours.state_dir.name == ".stack-test"
    assert ours.database_url != dev.database_url
    assert our_ports.isdisjoint(ports(dev)), our_ports & ports(dev)
    assert max(our_ports) < EPHEMERAL
