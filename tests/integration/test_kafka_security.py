"""Kafka authentication and authorization on the real broker (issue 14): a department's
principal writes only its own ingress topic and reads only its own refusals, a client without
credentials or with a wrong password is refused, ``rotate`` and ``disable`` take effect. Some
steps go through ``kcat -F <the written config>``, a client nobody here wrote."""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
import stat
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError, TopicAuthorizationFailedError
from typer.testing import CliRunner

from contracts import topics
from scenarios import build_scenario
from scenarios.publisher import Publisher
from scenarios.sending import Producers, PublishFailed
from tests.support import eventually, produce, read_topic
from thidua import loading
from thidua.auth.client import client_credentials, request_token
from thidua.auth.machines import (
    LOCAL_PROVISIONER_SECRET,
    PROVISIONER_CLIENT,
    MachineLogin,
    MachineLogins,
)
from thidua.cli import app
from thidua.es.kafka import KafkaPrincipal, client_options, ensure_topics, partitions_for_new
from thidua.security import acls, credentials
from thidua.security.departments import (
    Departments,
    config_file,
    department_principal,
    provision_services,
    service_credentials_env,
)
from thidua.security.kcat import kcat_environment
from thidua.security.provision import Provisioner
from thidua.settings import StackSettings

KCAT = shutil.which("kcat")
needs_kcat = pytest.mark.skipif(KCAT is None, reason="kcat is not installed (make system-deps)")


def partitions(topic: str) -> list[TopicPartition]:
    """Every partition of a topic made by provisioning."""
    return [TopicPartition(topic, p) for p in range(partitions_for_new(topic))]


@pytest.fixture
def departments(settings: StackSettings) -> Departments:
    return Departments(settings)


@pytest.fixture
def two(departments: Departments, uid: str) -> Iterator[tuple[str, str]]:
    """Departments ``<uid>-a`` and ``<uid>-b``, disabled again after the test."""
    codes = (f"{uid}-a", f"{uid}-b")
    for code in codes:
        departments.add(code, province="gia-lai", ministry="bo-cong-thuong")
    yield codes
    for code in codes:
        known = departments.get(code)
        if known is not None and known.state == "active":
            departments.disable(code)


def principal(settings: StackSettings, code: str) -> KafkaPrincipal:
    found = department_principal(settings.state_dir, code)
    assert found is not None
    return found


async def send(bootstrap: str, who: KafkaPrincipal | None, topic: str, value: bytes) -> None:
    options = client_options(bootstrap, who) if who else {"bootstrap_servers": bootstrap}
    producer = AIOKafkaProducer(**options, acks="all", request_timeout_ms=15000)
    await producer.start()
    try:
        await asyncio.wait_for(producer.send_and_wait(topic, value, key=b"k"), 30)
    finally:
        await producer.stop()


async def connects(bootstrap: str, who: KafkaPrincipal | None) -> bool:
    """Whether a client authenticated as ``who`` (None: no SASL at all) gets the metadata."""
    return await connects_with(
        client_options(bootstrap, who) if who else {"bootstrap_servers": bootstrap}
    )


async def connects_with(options: dict[str, Any]) -> bool:
    admin = AIOKafkaAdminClient(**options, request_timeout_ms=10000)
    try:
        async with asyncio.timeout(30):
            await admin.start()
            await admin.list_topics()
        return True
    except (KafkaError, TimeoutError):
        return False
    finally:
        await admin.close()


def kcat(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert KCAT is not None
    # With a librdkafka that speaks SCRAM to Kafka 4 (Debian 12's does not: thidua.security.kcat).
    env = kcat_environment()
    return subprocess.run(
        [KCAT, *args], input=data, capture_output=True, timeout=60, check=False, env=env
    )


@pytest.fixture(autouse=True)
async def registration_events(bootstrap: str) -> AsyncIterator[None]:
    await ensure_topics(bootstrap, [topics.events("registration")])
    yield


@needs_kcat
async def test_a_department_writes_its_own_ingress_and_no_other_topic(
    settings: StackSettings, bootstrap: str, two: tuple[str, str]
) -> None:
    a, b = two
    config = str(config_file(settings.state_dir, a))
    mine = kcat("-F", config, "-P", "-t", topics.ingress(a), "-k", a, data=b'{"x": 1}\n')
    assert mine.returncode == 0, mine.stderr.decode()
    theirs = kcat("-F", config, "-P", "-t", topics.ingress(b), "-k", a, data=b'{"x": 2}\n')
    assert theirs.returncode != 0
    assert b"authoriz" in theirs.stderr.lower(), theirs.stderr.decode()

    who = principal(settings, a)
    with pytest.raises(TopicAuthorizationFailedError):
        await send(bootstrap, who, topics.ingress(b), b"forged")
    with pytest.raises(TopicAuthorizationFailedError):
        await send(bootstrap, who, topics.events("registration"), b"DepartmentRegistered")
    # What was written is only A's own record, on A's topic.
    parts = partitions(topics.ingress(a))
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(parts)
        other = partitions(topics.ingress(b))
        assert sum((await consumer.end_offsets(other)).values()) == 0
    finally:
        await consumer.stop()
    assert sum(ends.values()) == 1


async def test_a_client_without_credentials_or_with_a_wrong_password_is_refused(
    settings: StackSettings, bootstrap: str, two: tuple[str, str]
) -> None:
    a, _ = two
    right = principal(settings, a)
    assert await connects(bootstrap, right)
    assert not await connects(bootstrap, None)
    assert not await connects(bootstrap, KafkaPrincipal(right.username, right.password + "x"))
    assert not await connects(bootstrap, KafkaPrincipal("dept-nobody", right.password))
    # The right password without TLS: the listener speaks only TLS.
    plain = {**client_options(bootstrap, right), "security_protocol": "SASL_PLAINTEXT"}
    del plain["ssl_context"]
    assert not await connects_with(plain)
    # TLS that trusts another CA refuses the broker's certificate.
    other = ssl.create_default_context()
    assert not await connects_with({**client_options(bootstrap, right), "ssl_context": other})


@needs_kcat
def test_kcat_without_credentials_is_refused(bootstrap: str) -> None:
    listed = kcat("-b", bootstrap, "-L", "-m", "10")
    assert listed.returncode != 0
    assert b"thidua" not in listed.stdout


@needs_kcat
async def test_a_department_reads_its_own_refusals_and_not_another_s(
    settings: StackSettings, bootstrap: str, two: tuple[str, str]
) -> None:
    a, b = two
    await produce(bootstrap, topics.rejections(a), [b"refusal of a"], key=a.encode())
    await produce(bootstrap, topics.rejections(b), [b"refusal of b"], key=b.encode())
    config = str(config_file(settings.state_dir, a))
    group = f"{acls.department_group_prefix(a)}reader"
    own = kcat("-F", config, "-G", group, topics.rejections(a), "-o", "beginning", "-e", "-q")
    assert own.returncode == 0, own.stderr.decode()
    assert own.stdout.strip() == b"refusal of a"
    theirs = kcat("-F", config, "-C", "-t", topics.rejections(b), "-o", "beginning", "-e")
    assert theirs.returncode != 0
    assert b"refusal of b" not in theirs.stdout
    assert b"authoriz" in theirs.stderr.lower(), theirs.stderr.decode()

    consumer = AIOKafkaConsumer(**client_options(bootstrap, principal(settings, a)))
    await consumer.start()
    try:
        # aiokafka's fetcher drops what it is not authorized to fetch (or raises): no record.
        consumer.assign(partitions(topics.rejections(b)))
        await consumer.seek_to_beginning()
        try:
            fetched = await consumer.getmany(timeout_ms=5000)
        except TopicAuthorizationFailedError:
            fetched = {}
        assert not any(fetched.values())
    finally:
        await consumer.stop()


async def test_rotate_makes_the_old_password_fail_and_the_new_one_work(
    settings: StackSettings, bootstrap: str, departments: Departments, two: tuple[str, str]
) -> None:
    a, _ = two
    old = principal(settings, a)
    written = departments.rotate(a)
    new = principal(settings, a)
    assert new.password != old.password
    assert f"sasl.password={new.password}" in written.read_text()
    assert old.password not in written.read_text()
    await eventually(lambda: connects(bootstrap, old), lambda ok: not ok, what="old refused")
    assert await connects(bootstrap, new)
    await send(bootstrap, new, topics.ingress(a), b"after rotation")
    account = departments.get(a)
    assert account is not None and account.rotated is not None


async def test_disable_removes_the_credential_and_the_acls_but_keeps_the_topics(
    settings: StackSettings, bootstrap: str, departments: Departments, two: tuple[str, str]
) -> None:
    a, _ = two
    before = principal(settings, a)
    await send(bootstrap, before, topics.ingress(a), b"before")
    departments.disable(a)
    await eventually(lambda: connects(bootstrap, before), lambda ok: not ok, what="refused")
    admin = Provisioner(bootstrap, KafkaPrincipal(credentials.ADMIN, _admin_password(settings)))
    assert admin.acls_of(f"User:{acls.department_user(a)}") == []
    assert acls.department_user(a) not in admin.users()
    assert set(acls.department_topics(a)) <= set(admin.admin.list_topics(timeout=30).topics)
    assert not config_file(settings.state_dir, a).exists()
    account = departments.get(a)
    assert account is not None and account.state == "disabled"


def _admin_password(settings: StackSettings) -> str:
    password = credentials.read_password(settings.state_dir, credentials.ADMIN)
    assert password is not None
    return password


def test_the_cli_adds_lists_rotates_and_disables(settings: StackSettings, uid: str) -> None:
    code = f"{uid}-cli"
    runner = CliRunner()
    added = runner.invoke(
        app, ["departments", "add", code, "--province", "gia-lai", "--ministry", "bo-noi-vu"]
    )
    assert added.exit_code == 0, added.output
    path = config_file(settings.state_dir, code)
    assert str(path) in added.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    for key in ("bootstrap.servers", "security.protocol", "sasl.mechanisms", "sasl.username"):
        assert f"\n{key}=" in text
    again = runner.invoke(
        app, ["departments", "add", code, "--province", "gia-lai", "--ministry", "bo-noi-vu"]
    )
    assert again.exit_code == 1 and "already" in again.output
    listed = runner.invoke(app, ["departments", "list"])
    assert listed.exit_code == 0
    [row] = [line for line in listed.output.splitlines() if line.startswith(code)]
    assert row.split()[:4] == [code, "gia-lai", "bo-noi-vu", "active"]
    assert runner.invoke(app, ["departments", "rotate", code]).exit_code == 0
    assert runner.invoke(app, ["departments", "disable", code]).exit_code == 0
    listed = runner.invoke(app, ["departments", "list"])
    [row] = [line for line in listed.output.splitlines() if line.startswith(code)]
    assert row.split()[3] == "disabled"
    unknown = runner.invoke(app, ["departments", "rotate", f"{uid}-none"])
    assert unknown.exit_code == 1 and "no department" in unknown.output


@needs_kcat
def test_the_command_the_cli_suggests_works_as_printed(settings: StackSettings, uid: str) -> None:
    """``departments add`` ends with a ``kcat`` line to try the credential: pasted into a
    shell as it is, it logs in (Debian's kcat alone cannot: thidua.security.kcat)."""
    code = f"{uid}-hint"
    added = CliRunner().invoke(
        app, ["departments", "add", code, "--province", "gia-lai", "--ministry", "bo-noi-vu"]
    )
    assert added.exit_code == 0, added.output
    try:
        [hint] = [
            line.split("try it: ", 1)[1] for line in added.output.splitlines() if "try it: " in line
        ]
        env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
        tried = subprocess.run(
            ["bash", "-c", hint + " -m 20"], env=env, capture_output=True, timeout=60
        )
        assert tried.returncode == 0, tried.stderr.decode(errors="replace")
        assert b"broker" in tried.stdout and topics.ingress(code).encode() in tried.stdout
    finally:
        Departments(settings).disable(code)


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


async def test_a_scenario_s_department_systems_publish_as_their_own_principals(
    settings: StackSettings, bootstrap: str, departments: Departments, uid: str
) -> None:
    """What ``thidua up`` does before it publishes its scenario: an account for every
    department (kept when it has one), then each department's records written as itself."""
    scenario = build_scenario(60, prefix=f"{uid}-")
    principal_for = await loading.provision_departments(settings, scenario)
    try:
        for code in scenario.departments:
            who = principal_for(code)
            assert who is not None and who.username == f"dept-{code}"
        gia_lai = departments.get(scenario.departments[0])
        assert gia_lai is not None and gia_lai.province == scenario.province_id
        phase = scenario.phases[0]
        producers = Producers(bootstrap, principal_for)
        values = [s.event.to_json() for s in phase.submissions]
        await Publisher(bootstrap, {}, principal_for=principal_for)._publish(
            producers, phase, values
        )
        sent = Counter(s.department for s in phase.submissions)
        consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
        await consumer.start()
        try:
            for code, count in sent.items():
                parts = partitions(topics.ingress(code))
                assert sum((await consumer.end_offsets(parts)).values()) == count
        finally:
            await consumer.stop()
        again = await loading.provision_departments(settings, scenario)
        assert all(again(code) == principal_for(code) for code in scenario.departments)
    finally:
        for code in scenario.departments:
            known = departments.get(code)
            if known is not None and known.state == "active":
                await asyncio.to_thread(departments.disable, code)


# --- issue 16: a merged-away department's identity is retired, its history kept ----------------


async def _dashboard_user(settings: StackSettings, code: str) -> tuple[str, str]:
    """A dashboard login of department ``code`` (attribute ``department``), as an operator
    makes one in the identity provider; returns its username and password."""
    username, password = f"{code}-vanphong", f"pw-{code}-2025"
    issuer = settings.oidc_issuer
    token = await client_credentials(issuer, PROVISIONER_CLIENT, LOCAL_PROVISIONER_SECRET)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    admin_url = issuer.replace("/realms/", "/admin/realms/", 1)
    async with httpx.AsyncClient(base_url=admin_url, headers=headers, timeout=30) as admin:
        made = await admin.post(
            "/users",
            json={
                "username": username,
                "enabled": True,
                "email": f"{username}@thidua.local",
                "emailVerified": True,
                "firstName": "Văn phòng",
                "lastName": code,
                "attributes": {"department": [code]},
                "credentials": [{"type": "password", "value": password, "temporary": False}],
            },
        )
        made.raise_for_status()
    return username, password


async def _forget_logins(settings: StackSettings, code: str, username: str) -> None:
    token = await client_credentials(
        settings.oidc_issuer, PROVISIONER_CLIENT, LOCAL_PROVISIONER_SECRET
    )
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    admin_url = settings.oidc_issuer.replace("/realms/", "/admin/realms/", 1)
    async with httpx.AsyncClient(base_url=admin_url, headers=headers, timeout=30) as admin:
        for user in (await admin.get("/users", params={"username": username})).json():
            await admin.delete(f"/users/{user['id']}")
    await MachineLogins(settings).remove(code)


async def _password_login(settings: StackSettings, username: str, password: str) -> bool:
    form = {
        "grant_type": "password",
        "client_id": "thidua-cli",
        "username": username,
        "password": password,
    }
    try:
        await request_token(settings.oidc_issuer, form)
        return True
    except PermissionError:
        return False


async def _cli(*args: str) -> Any:
    """``thidua <args>`` (it runs its own event loop: in a thread of its own here)."""
    return await asyncio.to_thread(CliRunner().invoke, app, list(args))


async def _client_login(settings: StackSettings, login: MachineLogin) -> bool:
    try:
        await client_credentials(settings.oidc_issuer, login.client_id, login.client_secret)
        return True
    except PermissionError:
        return False


@needs_kcat
async def test_merge_retires_the_old_identity_keeps_its_history_and_the_successor_reads_it(
    settings: StackSettings, bootstrap: str, departments: Departments, two: tuple[str, str]
) -> None:
    old_code, new_code = two
    old, new = principal(settings, old_code), principal(settings, new_code)
    await send(bootstrap, old, topics.ingress(old_code), b"before the merger")
    await produce(bootstrap, topics.rejections(old_code), [b"refusal of the old"])
    logins = MachineLogins(settings)
    system = await logins.ensure(old_code)
    username, password = await _dashboard_user(settings, old_code)
    try:
        assert await _client_login(settings, system)
        assert await _password_login(settings, username, password)

        result = await _cli("departments", "merge", old_code, "--into", new_code)
        assert result.exit_code == 0, result.output
        assert f"department {old_code} merged into {new_code}:" in result.output
        assert f"client dept-{old_code} disabled; users disabled: {username}" in result.output
        account = departments.get(old_code)
        assert account is not None
        assert (account.state, account.merged_into) == ("merged", new_code)

        # Kafka: the old login is refused, and it has no ACL left: even a credential set again
        # by mistake could not write the old ingress topic.
        await eventually(lambda: connects(bootstrap, old), lambda ok: not ok, what="refused")
        admin = Provisioner(
            bootstrap,
            KafkaPrincipal(credentials.ADMIN, _admin_password(settings)),
            settings.state_dir,
        )
        assert admin.acls_of(f"User:{old.username}") == []
        assert old.username not in admin.users()
        admin.set_password(old.username, old.password)
        admin.await_login(old)
        try:
            with pytest.raises(TopicAuthorizationFailedError):
                await send(bootstrap, old, topics.ingress(old_code), b"after the merger")
        finally:
            admin.delete_user(old.username)
        # The successor writes its own topic, and takes the old identity over: it reads the
        # old one's history and refusals, and may file late history on the old topic (the
        # services refuse there anything dated from the merger, naming the successor).
        await send(bootstrap, new, topics.ingress(new_code), b"the successor")
        await send(bootstrap, new, topics.ingress(old_code), b"late history of the old")
        with pytest.raises(TopicAuthorizationFailedError):
            await send(bootstrap, new, topics.rejections(old_code), b"no refusal of its own")
        for topic, wanted in (
            (topics.ingress(old_code), [b"before the merger", b"late history of the old"]),
            (topics.rejections(old_code), [b"refusal of the old"]),
        ):
            assert [r.value for r in await read_topic(bootstrap, topic)] == wanted  # operator
            group = f"{acls.department_group_prefix(new_code)}history"
            read = kcat(
                "-F", str(config_file(settings.state_dir, new_code)), "-G", group, topic,
                "-o", "beginning", "-e", "-q",
            )  # fmt: skip
            assert read.returncode == 0, read.stderr.decode()
            assert read.stdout.strip() == b"\n".join(wanted)

        # The identity provider: the system's client and the dashboard user are disabled.
        assert not await _client_login(settings, system)
        assert not await _password_login(settings, username, password)

        # Again: nothing changes, said so; unknown departments are clear errors.
        again = await _cli("departments", "merge", old_code, "--into", new_code)
        assert again.exit_code == 0 and "(already)" in again.output, again.output
        unknown = await _cli("departments", "merge", "khong-co", "--into", new_code)
        assert unknown.exit_code == 1 and "no department khong-co" in unknown.output
        nowhere = await _cli("departments", "merge", new_code, "--into", "khong-co")
        assert nowhere.exit_code == 1 and "add the successor first" in nowhere.output
        elsewhere = await _cli("departments", "merge", old_code, "--into", "x-y")
        assert elsewhere.exit_code == 1 and f"merged into {new_code} already" in elsewhere.output
        retired = await _cli("departments", "rotate", old_code)
        assert retired.exit_code == 1 and f"merged into {new_code}" in retired.output
    finally:
        await _forget_logins(settings, old_code, username)


async def test_a_department_system_s_records_refused_by_kafka_fail_its_publish(
    settings: StackSettings, bootstrap: str, two: tuple[str, str]
) -> None:
    """The departments' systems' producers (librdkafka) report what Kafka refused: A's
    record on B's ingress fails the flush, and A's own is acknowledged."""
    a, b = two
    producers = Producers(bootstrap, lambda code: principal(settings, a))
    await producers.connect([a], topics.ingress)
    producers.send(a, topics.ingress(a), b'{"own": 1}', key=a.encode())
    await producers.flush(30)
    producers.send(a, topics.ingress(b), b'{"forged": 1}', key=a.encode())
    with pytest.raises(PublishFailed, match=r"1 records refused by Kafka: .*uthoriz"):
        await producers.flush(30)
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        assert sum((await consumer.end_offsets(partitions(topics.ingress(a)))).values()) == 1
        assert sum((await consumer.end_offsets(partitions(topics.ingress(b)))).values()) == 0
    finally:
        await consumer.stop()
    producers.close()
