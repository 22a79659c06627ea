"""The HTTP door on the suites' real Kafka and Keycloak, with the official CloudEvents SDK as
the department's client: binary, structured and batch posts are published on the
department's ingress topic as the services read it; bad events, another department's post
and a post without a token are refused with problems, and nothing is published for them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import pytest
from cloudevents.core.bindings.http import HTTPMessage

from contracts import topics
from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined
from tests import cloudevents_sdk as sdk
from tests.integration.reporting.door import Door, door_served
from tests.support import read_topic
from thidua.es.intake import Incoming, read_event


def joined(code: str, n: int) -> CloudEvent:
    payload = PersonJoined(
        person_id=f"{code}/p-{n}",
        department_code=code,
        unit_id=f"{code}/vp",
        full_name=f"Cán bộ {n}",
        sex="female",
        joined_on=date(2016, 1, 4),
    )
    return CloudEvent.new(payload, source=f"urn:thidua:department:{code}", department=code)


@pytest.fixture
async def door(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Door]:
    async with door_served(database_url, bootstrap, uid, [f"{uid}-sct", f"{uid}-stc"]) as served:
        yield served


async def published(bootstrap: str, code: str) -> list[tuple[bytes | None, CloudEvent]]:
    records = await read_topic(bootstrap, topics.ingress(code))
    return [
        (r.key, read_event(Incoming(r.topic, r.partition, r.offset, r.key, r.value or b"")))
        for r in sorted(records, key=lambda r: (r.partition, r.offset))
    ]


def problem(reply: object) -> dict[str, object]:
    assert reply.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body: dict[str, object] = reply.json()  # type: ignore[attr-defined]
    return body


@pytest.mark.timeout(240)
async def test_binary_structured_and_batch_posts_from_the_sdk_reach_the_ingress_topic(
    door: Door, bootstrap: str, uid: str
) -> None:
    code = f"{uid}-sct"
    one, two, *three = (joined(code, n) for n in range(5))
    answers = [
        await door.post(code, sdk.binary(one)),
        await door.post(code, sdk.structured(two)),
        await door.post(code, sdk.batch(three)),
    ]
    assert [a.status_code for a in answers] == [202, 202, 202], [a.text for a in answers]
    assert [a.json()["ids"] for a in answers] == [[one.id], [two.id], [e.id for e in three]]
    assert answers[2].json()["topic"] == topics.ingress(code)
    got = await published(bootstrap, code)
    # Keyed by the department (one partition, the order posted), in structured mode, and the
    # very events the SDK sent.
    assert [event for _, event in got] == [one, two, *three]
    assert {key for key, _ in got} == {code.encode()}


@pytest.mark.timeout(240)
async def test_a_batch_with_a_bad_event_is_refused_whole_with_each_reason(
    door: Door, bootstrap: str, uid: str
) -> None:
    code = f"{uid}-sct"
    good = joined(code, 1)
    foreign = joined(f"{uid}-stc", 2)
    broken = joined(code, 3).model_copy(update={"data": {"person_id": 7}})
    reply = await door.post(code, sdk.batch([good, foreign, broken]))
    assert reply.status_code == 422
    body = problem(reply)
    assert body["code"] == "door.events_refused"
    assert body["title"] == "Sự kiện không hợp lệ"
    assert body["detail"] == "2 trong 3 sự kiện không hợp lệ; không sự kiện nào được tiếp nhận."
    events = body["events"]
    assert isinstance(events, list)
    assert [(e["index"], e["id"]) for e in events] == [(1, foreign.id), (2, broken.id)]
    assert {r["code"] for r in events[0]["reasons"]} == {"producer.foreign_department"}
    assert {r["code"] for r in events[1]["reasons"]} == {"data.invalid"}
    # Nothing of the batch was published, not even its good event.
    accepted = await door.post(code, sdk.structured(joined(code, 4)))
    assert accepted.status_code == 202
    assert [e.id for _, e in await published(bootstrap, code)] == accepted.json()["ids"]
    # And what is no CloudEvent at all.
    not_ce = HTTPMessage(headers={"content-type": "application/json"}, body=b"{}")
    reply = await door.post(code, not_ce)
    assert (reply.status_code, problem(reply)["code"]) == (415, "door.unsupported_content")
    unreadable = HTTPMessage(headers={"content-type": sdk.BATCH_CONTENT_TYPE}, body=b"[{")
    reply = await door.post(code, unreadable)
    assert (reply.status_code, problem(reply)["code"]) == (400, "door.batch_unreadable")


@pytest.mark.timeout(240)
async def test_a_department_cannot_post_for_another_and_nobody_without_a_token(
    door: Door, bootstrap: str, uid: str
) -> None:
    mine, theirs = f"{uid}-sct", f"{uid}-stc"
    event = joined(theirs, 1)
    reply = await door.post(theirs, sdk.structured(event), as_code=mine)
    assert reply.status_code == 403
    assert mine in str(problem(reply)["detail"]) and theirs in str(problem(reply)["detail"])
    reply = await door.post(theirs, sdk.structured(event), token="")
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert problem(reply)["title"] == "Chưa xác thực"
    assert await published(bootstrap, theirs) == []
    # Its own system may.
    assert (await door.post(theirs, sdk.structured(event))).status_code == 202
    assert [e for _, e in await published(bootstrap, theirs)] == [event]
    # A department without an ingress topic (never provisioned): 404, whoever posts.
    unknown = f"{uid}-so-moi"
    reply = await door.post(unknown, sdk.structured(joined(unknown, 1)))
    assert (reply.status_code, problem(reply)["code"]) == (404, "door.unknown_department")
    assert json.loads(reply.text)["status"] == 404
