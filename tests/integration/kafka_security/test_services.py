"""The services' principals on the real broker (issue 14), as ``thidua up`` provisions them:
each service writes only its own topics, the HTTP door (``svc-door``) only ingress topics, and
reporting reads every department's refusals for the audit trail."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import TopicAuthorizationFailedError

from contracts import topics
from tests.integration.kafka_security.conftest import send
from tests.support import eventually, produce
from thidua.es.kafka import KafkaPrincipal, client_options, ensure_topics
from thidua.security import acls, credentials
from thidua.security.departments import provision_services, service_credentials_env
from thidua.settings import StackSettings


async def test_a_service_writes_only_its_own_topics(
    settings: StackSettings, bootstrap: str
) -> None:
    """The services' principals, as ``thidua up`` provisions them: registration may publish
    its events and refusals but not awards' events nor any department's ingress; reporting
    writes nothing but its dead letters."""
    await asyncio.to_thread(provision_services, settings)

    def service(name: str) -> KafkaPrincipal:
        user = acls.service_user(name)
        password = credentials.read_password(settings.state_dir, user)
        assert password is not None
        return KafkaPrincipal(user, password)

    registration = service("registration")
    await send(bootstrap, registration, topics.events("registration"), b"fact")
    with pytest.raises(TopicAuthorizationFailedError):
        await send(bootstrap, registration, topics.events("awards"), b"forged")
    await ensure_topics(bootstrap, [topics.ingress("sct-gialai")])
    with pytest.raises(TopicAuthorizationFailedError):
        await send(bootstrap, registration, topics.ingress("sct-gialai"), b"forged")
    reporting = service("reporting")
    with pytest.raises(TopicAuthorizationFailedError):
        await send(bootstrap, reporting, topics.events("registration"), b"forged")
    await send(bootstrap, reporting, topics.dlq("reporting"), b"dead letter")
    with pytest.raises(TopicAuthorizationFailedError):  # the HTTP door has its own principal
        await send(bootstrap, reporting, topics.ingress("sct-gialai"), b"forged")


async def test_the_http_door_writes_ingress_topics_and_nothing_else(
    settings: StackSettings, bootstrap: str, uid: str
) -> None:
    """``svc-door``, as ``thidua up`` provisions it and gives it to the reporting process:
    any department's ingress topic (a board's too), no events, refusals or DLQ topic."""
    await asyncio.to_thread(provision_services, settings)
    env = service_credentials_env(settings, "reporting")
    assert env["THIDUA_DOOR_KAFKA_USERNAME"] == acls.DOOR_USER
    kept = credentials.password_file(settings.state_dir, acls.DOOR_USER)
    assert env["THIDUA_DOOR_KAFKA_PASSWORD_FILE"] == str(kept)
    password = credentials.read_password(settings.state_dir, acls.DOOR_USER)
    assert password is not None
    door = KafkaPrincipal(acls.DOOR_USER, password)
    ingress = [topics.ingress(f"{uid}-sct"), topics.ingress(topics.board(f"{uid}-gia-lai"))]
    await ensure_topics(bootstrap, [*ingress, topics.rejections(f"{uid}-sct")])
    for topic in ingress:
        await send(bootstrap, door, topic, b"posted")
    for forbidden in (
        topics.events("registration"),
        topics.rejections(f"{uid}-sct"),
        topics.dlq("reporting"),
    ):
        with pytest.raises(TopicAuthorizationFailedError):
            await send(bootstrap, door, forbidden, b"forged")


async def test_reporting_reads_every_departments_refusals_for_the_audit_trail(
    settings: StackSettings, bootstrap: str, two: tuple[str, str]
) -> None:
    """The audit trail records every refusal: reporting's principal reads each department's
    rejections topic (in a group of its own prefix), and may still write none of them."""
    await asyncio.to_thread(provision_services, settings)
    user = acls.service_user("reporting")
    password = credentials.read_password(settings.state_dir, user)
    assert password is not None
    reporting = KafkaPrincipal(user, password)
    for code in two:
        await produce(bootstrap, topics.rejections(code), [f"refusal of {code}".encode()])
    consumer = AIOKafkaConsumer(
        *[topics.rejections(code) for code in two],
        **client_options(bootstrap, reporting),
        group_id=f"reporting.audit-acl-{two[0]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        seen: set[bytes] = set()

        async def read() -> set[bytes]:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                seen.update(r.value or b"" for r in records)
            return seen

        await eventually(read, lambda s: len(s) == 2, what="both departments' refusals")
    finally:
        await consumer.stop()
    with pytest.raises(TopicAuthorizationFailedError):
        await send(bootstrap, reporting, topics.rejections(two[0]), b"forged")
