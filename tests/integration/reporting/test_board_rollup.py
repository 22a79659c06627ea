"""The provincial board in the whole pipeline (issue 17, item 3): the seed scenario (60 people,
a namespace of its own) through the registration, awards and reporting services on the real
Kafka and PostgreSQL, phase by phase as ``thidua up`` publishes it (each once the previous is
absorbed). Gia Lai's 2018 rollup must equal the scenario's expectation, which includes the
CSTĐ tỉnh the board's council voted and the chair decided on the board's ingress, the
processing days, the vote results and the direct workers' awards (what tests/e2e checks on
``make up``'s stack, here on the tests' own)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

import pytest

from contracts import topics
from scenarios import Submission, build_scenario
from scenarios.board import DECISION
from scenarios.expectation import differences, observed
from scenarios.lag import Lag
from services.awards.app import build as awards
from services.registration.app import build as registration
from services.reporting import app as reporting
from services.reporting import queries
from tests.support import as_service_role, count_topic, eventually, produce
from thidua import dbroles
from thidua.es.consumer import ConsumerPolicy
from thidua.es.db import create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.settings import StackSettings

PEOPLE = 60
POLICY = ConsumerPolicy(max_attempts=2, backoff_seconds=0.05)


async def publish(bootstrap: str, phase: Sequence[Submission]) -> None:
    by_code: dict[str, list[bytes]] = defaultdict(list)
    for submission in phase:
        by_code[submission.department].append(submission.event.to_json())
    for code, values in by_code.items():
        await produce(bootstrap, topics.ingress(code), values, key=code.encode())


async def published(runtime: ServiceRuntime, relay: str) -> None:
    """The service's outbox relay has published everything it stored."""
    assert runtime.pool is not None
    pool = runtime.pool
    await eventually(
        lambda: pool.fetchval(
            """SELECT coalesce((SELECT max(position) FROM events), 0) - coalesce(
                (SELECT position FROM outbox_checkpoint WHERE relay = $1), 0)""",
            relay,
        ),
        lambda behind: behind == 0,
        timeout=240,
        what=f"{relay}'s outbox published",
    )


async def caught_up(lag: Lag, group: str, topic_names: Sequence[str]) -> None:
    async def behind() -> int:
        done, end = await lag.committed(group, topic_names)
        return end - done

    await eventually(behind, lambda n: n == 0, timeout=300, what=f"{group} caught up")


@pytest.mark.timeout(1500)
async def test_the_boards_cstd_tinh_and_figures_roll_up_in_gia_lai(
    database_url: str, bootstrap: str, uid: str
) -> None:
    scenario = build_scenario(PEOPLE, prefix=f"{uid}-")
    assert DECISION in [p.name for p in scenario.phases]
    ingress = [topics.ingress(c) for c in scenario.publishers]
    await ensure_topics(
        bootstrap, [t for c in scenario.publishers for t in topics.department_topics(c)]
    )
    rejections = f"test.{uid}.rejections"
    registered = ServiceTopics(
        f"test.{uid}.registration.events", f"test.{uid}.registration.dlq", rejections
    )
    awarded = ServiceTopics(f"test.{uid}.awards.events", f"test.{uid}.awards.dlq", rejections)
    await ensure_topics(bootstrap, [registered.events, awarded.events])
    settings = StackSettings()
    owner = dbroles.local_role_url(settings, dbroles.MODELS_OWNER)
    registrar = registration(
        await as_service_role(database_url, "registration", f"test_{uid}_r"),
        bootstrap,
        schema=f"test_{uid}_r",
        writes_to=registered,
        ingress_topics=ingress,
        group_id=f"registration-{uid}",
        policy=POLICY,
    )
    judge = awards(
        await as_service_role(database_url, "awards", f"test_{uid}_a"),
        bootstrap,
        schema=f"test_{uid}_a",
        writes_to=awarded,
        ingress_topics=ingress,
        registration_topic=registered.events,
        group_id=f"awards-{uid}",
        policy=POLICY,
    )
    model = await reporting.ensure_control(owner, f"test_{uid}_ctl")
    projection = reporting.build(
        owner,
        bootstrap,
        schema=model,
        source_topics=(registered.events, awarded.events),
        group_id=f"reporting-{uid}",
        writes_to=ServiceTopics.isolated(f"test.{uid}", "reporting"),
    )
    for runtime in (registrar, judge, projection):
        await runtime.start()
    try:
        async with Lag(bootstrap) as lag:
            for phase in scenario.phases:
                await publish(bootstrap, phase.submissions)
                await caught_up(lag, f"registration-{uid}", ingress)
                await published(registrar, "registration")
                await caught_up(lag, f"awards-{uid}.registration-facts", [registered.events])
                await caught_up(lag, f"awards-{uid}.ingress", ingress)
                await published(judge, "awards")
        total = await count_topic(bootstrap, registered.events) + await count_topic(
            bootstrap, awarded.events
        )
        runner = projection.projection_runners()[0]
        await eventually(
            runner.checkpoints,
            lambda c: sum(c.values()) == total,
            timeout=300,
            what=f"the projection at the end of {total} facts",
        )
        reader = await create_pool(dbroles.local_role_url(settings, dbroles.READER_ROLE), model)
        try:
            async with reader.acquire() as conn:
                rollup = await queries.province_rollup(conn, scenario.province_id, scenario.year)
        finally:
            await reader.close()
        actual = observed(json.loads(rollup.model_dump_json()))
        expected = scenario.expectation.figures()
        assert differences(expected, actual) == []
        assert next(a for a in actual["awards"] if a["title"] == "CSTD_BO_TINH")["count"] == 1
        assert actual["votes"] and actual["processing_days"] and actual["direct_worker_awards"]
        # The board's bloc ranking: the first leads, and got the province's flag.
        [bloc] = rollup.blocs
        assert bloc.leader_id == scenario.main_departments[0] and bloc.flag_awarded
        assert [m.rank for m in bloc.ranking] == list(range(1, len(bloc.ranking) + 1))
    finally:
        for runtime in (projection, judge, registrar):
            await runtime.stop()
