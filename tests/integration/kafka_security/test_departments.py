"""A department's principal on the real broker (issue 14): it writes only its own ingress
topic and reads only its own refusals, a client without credentials or with a wrong password
is refused, ``rotate`` and ``disable`` take effect (by the CLI too), and a scenario's
department systems publish as their own principals, what Kafka refuses failing their publish.
Some steps go through ``kcat -F <the written config>``, a client nobody here wrote."""

from __future__ import annotations

import asyncio
import os
import ssl
import stat
import subprocess
from collections import Counter

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import TopicAuthorizationFailedError
from typer.testing import CliRunner

from contracts import topics
from scenarios import build_scenario
from scenarios.publisher import Publisher
from scenarios.sending import Producers, PublishFailed
from tests.integration.kafka_security.conftest import (
    _admin_password,
    connects,
    connects_with,
    kcat,
    needs_kcat,
    partitions,
    principal,
    send,
)
from tests.support import eventually, produce
from thidua import loading
from thidua.cli import app
from thidua.es.kafka import KafkaPrincipal, client_options
from thidua.security import acls, credentials
from thidua.security.departments import Departments, config_file
from thidua.security.provision import Provisioner
from thidua.settings import StackSettings


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
