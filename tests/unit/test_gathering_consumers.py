"""Which consumers gather their fetches (``thidua.es.subscribe.GATHER_MS``) and which answer at
once, and that the choice reaches the Kafka consumer FastStream builds."""

from __future__ import annotations

from typing import Any

import pytest
from faststream.kafka import KafkaBroker
from opentelemetry import trace

from services.awards.app import build as build_awards
from services.notifications.app import Settings as NotificationSettings
from services.notifications.app import build as build_notifications
from services.registration.app import build as build_registration
from services.reporting.app import build as build_reporting
from services.reporting.audit.app import build_audit
from thidua.es.offsets import OffsetCommitter
from thidua.es.ops import Metrics
from thidua.es.service import ServiceRuntime
from thidua.es.subscribe import COMMANDS, GATHER_BYTES, GATHER_MS, PROJECTIONS, subscribe_batches

DB = "postgresql://nobody@127.0.0.1:1/none"
KAFKA = "127.0.0.1:1"


def test_gathering_changes_only_what_the_broker_waits_for() -> None:
    for settings in (COMMANDS, PROJECTIONS):
        gathering = settings.gathering()
        assert (gathering.fetch_max_wait_ms, gathering.fetch_min_bytes) == (
            GATHER_MS,
            GATHER_BYTES,
        )
        assert (gathering.max_records, gathering.timeout_ms) == (
            settings.max_records,
            settings.timeout_ms,
        )
        # Kafka's defaults: the broker answers as soon as one record is there.
        assert (settings.fetch_max_wait_ms, settings.fetch_min_bytes) == (500, 1)


@pytest.mark.parametrize(
    ("settings", "wait", "least"),
    [(COMMANDS, 500, 1), (COMMANDS.gathering(), GATHER_MS, GATHER_BYTES)],
)
def test_the_settings_reach_the_consumer(settings: Any, wait: int, least: int) -> None:
    broker = KafkaBroker(KAFKA)

    async def handle(batch: Any, spans: Any) -> list[str]:
        return []

    subscribe_batches(
        broker,
        topics=["t"],
        pattern=None,
        group_id="g",
        settings=settings,
        handle=handle,
        metrics=Metrics("unit-gathering"),
        committer=OffsetCommitter(),
        tracer=trace.get_tracer("unit"),
    )
    (subscriber,) = broker.subscribers
    found: Any = subscriber  # FastStream keeps AIOKafkaConsumer's options on it
    options: dict[str, Any] = found._connection_args
    assert (options["fetch_max_wait_ms"], options["fetch_min_bytes"]) == (wait, least)


def _gathers(runtime: ServiceRuntime) -> dict[str, bool]:
    return {sub.group_id: sub.gathers for sub in runtime._subscriptions}


def test_the_path_to_the_rollup_answers_at_once_and_the_followers_gather() -> None:
    # A department's event → registration → the reporting model: nothing waits on purpose.
    assert _gathers(build_registration(DB, KAFKA)) == {"registration": False}
    assert set(_gathers(build_reporting(DB, KAFKA)).values()) == {False}
    # Awards' paperwork, notifications read by people, the audit trail read page by page.
    assert _gathers(build_awards(DB, KAFKA)) == {
        "awards.ingress": True,
        "awards.registration-facts": True,
    }
    assert _gathers(build_notifications(DB, KAFKA, settings=NotificationSettings())) == {
        "notifications.registration": True,
        "notifications.awards": True,
        "notifications.rejections": True,
    }
    assert set(_gathers(build_audit(DB, KAFKA)).values()) == {True}
