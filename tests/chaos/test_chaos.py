"""The chaos run at CI size: ``thidua chaos`` on a stack of its own (three Kafka brokers on
ports from 27500, PostgreSQL, two supervised instances of every service, state under /var/tmp),
a scenario of about 2,500 events while ≥ 10 service instances are SIGKILLed, one broker and
PostgreSQL are killed with ``kill -9`` and restarted, and the registration relay's leader is
stopped past its lease. Then nothing may be lost or doubled. ``thidua chaos --events 20000``
is the same run at full size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.timeout(900)

PORT_BASE = 27500
EVENTS = 2500
KILLS = 10


def test_nothing_is_lost_or_doubled_under_kills_stalls_and_restarts() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "thidua.cli",
            "chaos",
            f"--events={EVENTS}",
            f"--kills={KILLS}",
            "--gap=4",
            f"--port-base={PORT_BASE}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    output = run.stdout + run.stderr
    # The fault log and the counts, for the test report (pytest -rP shows them).
    print("\n".join(line for line in run.stdout.splitlines() if line.startswith(("[", "  "))))
    lines = [line for line in run.stdout.splitlines() if line.startswith("chaos counts ")]
    assert lines, output
    counts = json.loads(lines[-1].removeprefix("chaos counts "))
    assert counts["problems"] == [], output
    assert run.returncode == 0, output

    faults = counts["faults"]
    assert faults["service_kills"] >= KILLS
    assert faults["broker_kills"] == 1 and faults["postgres_kills"] == 1
    assert faults["relay_leader_stalls"] == 1
    assert sum(counts["restarts"].values()) >= faults["service_kills"]
    assert counts["scenario_events"] >= EVENTS
    assert counts["ingress_offsets"] >= counts["scenario_events"]
    outcomes = counts["ingress_outcomes"]
    assert sum(outcomes.values()) == counts["ingress_offsets"], outcomes
    for zero in (
        "province_rollup_differences",
        "ministry_rollup_differences",
        "ingress_offsets_unaccounted",
        "ingress_offsets_counted_twice",
        "event_ids_twice_on_topics",
        "stored_events_not_published",
        "dlq_records",
        "deliveries_not_sent",
        "notification_sent_twice",
        "mails_twice",
        "emails_confirmed_without_mail",
        "emails_unconfirmed_without_mail",
    ):
        assert counts[zero] == 0, (zero, output)
    assert counts["events_stored"] > counts["scenario_events"]
    assert counts["mails"] > 0 and counts["notifications_sent_events"] >= counts["mails"]
