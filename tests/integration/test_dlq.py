"""``thidua dlq`` against the real stack: a service dead-letters records while a cause lasts;
the operator lists and shows them, fixes the cause, replays them, and they are processed
once, however often the replay is asked for."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from contracts.envelope import CloudEvent
from contracts.registration import UnitEstablished
from tests.integration.test_consumer_policy import Alpha, establish_unit, start_alpha, unit_of
from tests.support import count_topic, eventually, produce, read_topic
from thidua.cli import app
from thidua.es import dlq
from thidua.es.consumer import Outcome, UnitOfWork
from thidua.es.db import Pool


@dataclass
class Directory:
    """A handler that fails for the units named in ``unavailable`` (a cause that an operator
    fixes), and establishes the others."""

    unavailable: set[str] = field(default_factory=set)

    async def establish(self, uow: UnitOfWork, event: CloudEvent, payload: object) -> None:
        assert isinstance(payload, UnitEstablished)
        if payload.name in self.unavailable:
            raise RuntimeError(f"the directory has no room for {payload.name}")
        await establish_unit(uow, event, payload)


@pytest.fixture
def directory() -> Directory:
    return Directory()


@pytest.fixture
async def alpha(
    database_url: str, bootstrap: str, uid: str, pool: Pool, directory: Directory
) -> AsyncIterator[Alpha]:
    started = await start_alpha(database_url, bootstrap, uid, directory.establish, attempts=2)
    yield started
    await started.runtime.stop()


async def thidua(uid: str, *args: str) -> Result:
    """The real CLI, in a thread (it runs its own event loop), with a replay log of this test."""
    runner = CliRunner()
    env = {"THIDUA_DLQ_SCHEMA": f"test_{uid}_dlq"}
    return await asyncio.to_thread(runner.invoke, app, ["dlq", *args], env=env)


def listed(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


async def test_dead_letters_are_listed_shown_and_replayed_once_the_cause_is_fixed(
    alpha: Alpha, directory: Directory, bootstrap: str, uid: str, pool: Pool
) -> None:
    first = unit_of(alpha.department, 1, name="Phòng Một")
    second = unit_of(alpha.department, 2, name="Phòng Hai")
    fine = unit_of(alpha.department, 3)
    directory.unavailable = {"Phòng Một", "Phòng Hai"}
    odd_header = ("x-note", b"\xff\x1b[31m not UTF-8")
    await produce(bootstrap, alpha.ingress, [first.to_json()], key=b"k1")
    await produce(bootstrap, alpha.ingress, [second.to_json()], key=b"k2", headers=[odd_header])
    await produce(bootstrap, alpha.ingress, [fine.to_json()], key=b"k3")
    await eventually(
        lambda: count_topic(bootstrap, alpha.out.dlq), lambda n: n == 2, what="2 dead letters"
    )
    await eventually(
        lambda: count_topic(bootstrap, alpha.out.events), lambda n: n == 1, what="1 fact"
    )

    entries = listed(await thidua(uid, "list", "--topic", alpha.out.dlq, "--json"))
    by_id = {e["event_id"]: e for e in entries}
    assert set(by_id) == {first.id, second.id}
    for e in entries:
        assert e["service"] == "alpha"
        assert e["status"] == "pending"
        assert e["original"].startswith(f"{alpha.ingress}/")
        assert e["error_type"] == "RuntimeError"
        assert e["attempts"] == 2
        assert e["event_type"] == "vn.thidua.registration.UnitEstablished.v1"
    assert "no room for Phòng Hai" in by_id[second.id]["error"]
    text = await thidua(uid, "list", "--topic", alpha.out.dlq, "--reason", "no room for Phòng Một")
    assert text.exit_code == 0
    assert f"1 dead letters in {alpha.out.dlq}: 1 pending" in text.stdout

    ref = by_id[second.id]["ref"]
    shown = await thidua(uid, "show", ref)
    assert shown.exit_code == 0, shown.output
    assert "x-note: <16 bytes, not UTF-8> b'\\xff\\x1b[31m not UTF-8'" in shown.stdout
    assert "\x1b" not in shown.stdout  # nothing of the record reaches the terminal raw
    assert f"from           {by_id[second.id]['original']}" in shown.stdout
    assert '"name": "Phòng Hai"' in shown.stdout
    raw = await thidua(uid, "show", ref, "--raw")
    assert raw.stdout_bytes == second.to_json()

    # The cause is fixed; the operator replays every dead letter of the service.
    directory.unavailable = set()
    before = await count_topic(bootstrap, alpha.ingress)
    replayed = await thidua(uid, "replay", "--topic", alpha.out.dlq, "--all")
    assert replayed.exit_code == 0, replayed.output
    assert "replayed 2, skipped 0, failed 0" in replayed.stdout
    facts = await eventually(
        lambda: read_topic(bootstrap, alpha.out.events), lambda r: len(r) == 3, what="3 facts"
    )
    causes = sorted(CloudEvent.from_json(r.value or b"").causationid or "" for r in facts)
    assert causes == sorted([first.id, second.id, fine.id])
    # Each copy went where its record came from: same partition, key and headers, marked.
    ingress = await read_topic(bootstrap, alpha.ingress)
    copies = [r for r in ingress if any(k == dlq.REPLAY_OF for k, _ in r.headers)]
    assert len(copies) == 2
    copy = next(r for r in copies if r.key == b"k2")
    assert copy.value == second.to_json()
    assert list(copy.headers) == [odd_header, (dlq.REPLAY_OF, ref.encode())]
    assert f"{alpha.ingress}/{copy.partition}/" in by_id[second.id]["original"]

    # Asked again, nothing is published twice by accident.
    again = await thidua(uid, "replay", "--topic", alpha.out.dlq, "--all")
    assert again.exit_code == 0
    assert "replayed 0, skipped 2, failed 0" in again.stdout
    assert "replayed already on" in again.stdout
    assert await count_topic(bootstrap, alpha.ingress) == before + 2
    statuses = listed(await thidua(uid, "list", "--topic", alpha.out.dlq, "--json"))
    assert {e["status"] for e in statuses} == {"replayed"}
    assert all(e["replayed_to"].startswith(f"{alpha.ingress}/") for e in statuses)

    # Forced, it is published again, and the service recognises the event id: no second fact.
    forced = await thidua(uid, "replay", ref, "--again")
    assert "replayed 1, skipped 0, failed 0" in forced.stdout
    await eventually(
        lambda: _counts(alpha),
        lambda c: c.get(Outcome.DUPLICATE, 0) == 1,
        what="the forced copy seen as a duplicate",
    )
    assert await count_topic(bootstrap, alpha.out.events) == 3
    assert await count_topic(bootstrap, alpha.out.dlq) == 2
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 3


async def _counts(alpha: Alpha) -> dict[str, int]:
    return dict(alpha.runtime.command_consumers()[0].counts)


async def test_replay_names_what_it_cannot_find_and_needs_a_choice(uid: str) -> None:
    dlq_topic = f"test.{uid}.alpha.dlq"
    unchosen = await thidua(uid, "replay", "--topic", dlq_topic)
    assert unchosen.exit_code == 2
    assert "--all" in unchosen.output
    missing = await thidua(uid, "replay", f"{dlq_topic}/0/7")
    assert missing.exit_code == 1
    assert f"no dead letter at {dlq_topic}/0/7" in missing.stdout
