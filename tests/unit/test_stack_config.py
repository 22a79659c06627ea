"""Pure pieces of the local stack: generated config, argument lists, prerequisite messages."""

from __future__ import annotations

import base64
import shutil
import signal
import stat
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from cryptography import x509
from typer.testing import CliRunner

from thidua.cli import app
from thidua.security.tls import ensure_certificates
from thidua.settings import StackSettings
from thidua.stack import LocalStack, PrerequisiteMissing, fetch, pgsetup, zipkin
from thidua.stack.kafka import new_cluster_id, render_server_properties
from thidua.stack.process import (
    is_running,
    process_tree,
    start_detached,
    stop_group,
    tracked_pid,
    wait_until,
)


def _settings(tmp_path: Path) -> StackSettings:
    return StackSettings(
        kafka_bootstrap="127.0.0.1:29092",
        kafka_controller_port=29093,
        postgres_host="127.0.0.1",
        postgres_port=25432,
        postgres_user="thidua",
        postgres_db="thidua",
        zipkin_port=29411,
        state_dir=tmp_path / "state",
        cache_dir=tmp_path / "cache",
    )


def _props(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_server_properties_single_node_kraft_on_loopback(tmp_path: Path) -> None:
    props = _props(render_server_properties(_settings(tmp_path), tmp_path / "data"))

    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["listeners"] == "SASL_PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093"
    assert props["advertised.listeners"] == "SASL_PLAINTEXT://127.0.0.1:29092"
    assert props["controller.quorum.bootstrap.servers"] == "127.0.0.1:29093"
    assert props["controller.listener.names"] == "CONTROLLER"
    assert props["log.dirs"] == str(tmp_path / "data")
    assert props["log.retention.hours"] == "-1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["auto.create.topics.enable"] == "false"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
    ):
        assert props[key] == "1", key


def test_the_broker_authenticates_every_client_and_authorizes_by_acl(tmp_path: Path) -> None:
    """SASL/SCRAM-SHA-512 for clients and brokers, SASL/PLAIN (the admin only) on the
    controller listener, the StandardAuthorizer denying what no ACL allows."""
    text = render_server_properties(_settings(tmp_path), tmp_path / "data", 1, "pw-xyz")
    props = _props(text)
    assert props["listener.security.protocol.map"] == (
        "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"
    )
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["sasl.mechanism.inter.broker.protocol"] == "SCRAM-SHA-512"
    assert props["sasl.mechanism.controller.protocol"] == "PLAIN"
    assert props["authorizer.class.name"].endswith("StandardAuthorizer")
    assert props["super.users"] == "User:admin"
    assert props["allow.everyone.if.no.acl.found"] == "false"
    jaas = props["listener.name.controller.plain.sasl.jaas.config"]
    assert 'user_admin="pw-xyz"' in jaas and 'username="admin"' in jaas
    assert "pw-xyz" in props["listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config"]
    assert "PLAINTEXT://" not in props["listeners"].replace("SASL_PLAINTEXT://", "")


def test_locally_clients_and_brokers_speak_tls_with_the_stack_s_own_ca(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path, ["127.0.0.1", "localhost"])
    props = _props(render_server_properties(_settings(tmp_path), tmp_path / "data", 1, "pw", files))
    assert props["listeners"] == "SASL_SSL://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093"
    assert props["listener.security.protocol.map"] == "SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL"
    assert props["ssl.keystore.type"] == props["ssl.truststore.type"] == "PEM"
    assert props["ssl.keystore.location"] == str(files.keystore)
    assert "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config" in props
    assert stat.S_IMODE(files.keystore.stat().st_mode) == 0o600
    ca = x509.load_pem_x509_certificate(files.ca.read_bytes())
    chain = files.keystore.read_bytes()
    assert chain.startswith(b"-----BEGIN PRIVATE KEY-----")
    broker = x509.load_pem_x509_certificate(chain[chain.index(b"-----BEGIN CERTIFICATE") :])
    assert broker.issuer == ca.subject
    names = broker.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    again = ensure_certificates(tmp_path, ["localhost", "127.0.0.1"])
    assert again.keystore.read_bytes() == chain  # kept while the hosts are the same


def test_cluster_id_is_22_char_base64url_uuid() -> None:
    for _ in range(200):
        cluster_id = new_cluster_id()
        assert len(cluster_id) == 22
        assert not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('java version "1.8.0_292"', 8),
        ('openjdk version "21" 2023-09-19', 21),
        ("garbage", None),
    ],
)
def test_java_major_version(output: str, major: int | None) -> None:
    assert fetch.java_major_version(output) == major


def test_missing_java_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(PrerequisiteMissing) as info:
        fetch.require_java()
    assert str(info.value) == (
        "java not found: install OpenJDK 17 (apt-get install openjdk-17-jre-headless)"
    )


def test_missing_postgres_binaries_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setattr(pgsetup, "PG_LIB_DIR", tmp_path / "nowhere")
    with pytest.raises(PrerequisiteMissing, match=r"initdb.*not found: install .*postgresql-15"):
        pgsetup.find_pg_bin()


def test_cli_exits_2_with_one_line_on_missing_prerequisite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def missing(_self: LocalStack) -> None:
        raise PrerequisiteMissing("mvn", fetch.MAVEN_HINT)

    monkeypatch.setattr(LocalStack, "up", missing)
    result = CliRunner().invoke(app, ["stack", "up"])
    assert result.exit_code == 2
    assert result.output.strip() == "mvn not found: install Maven (apt-get install maven)"


def test_postgres_server_args_listen_on_loopback_only(tmp_path: Path) -> None:
    args = pgsetup.server_args(_settings(tmp_path), tmp_path / "data", tmp_path / "run")
    settings = {args[i + 1] for i, arg in enumerate(args) if arg == "-c"}
    assert args[:2] == ["-D", str(tmp_path / "data")]
    assert {
        "listen_addresses=127.0.0.1",
        "port=25432",
        f"unix_socket_directories={tmp_path / 'run'}",
        "max_connections=200",
    } <= settings
    assert not any(s.startswith("fsync") for s in settings)


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        (["C", "C.utf8", "POSIX"], ["--locale=C.UTF-8", "--lc-collate=C"]),
        (["C", "C.UTF-8"], ["--locale=C.UTF-8", "--lc-collate=C"]),
        (["C", "POSIX"], ["--no-locale"]),
        ([], ["--no-locale"]),
    ],
)
def test_initdb_locale_choice(available: list[str], expected: list[str]) -> None:
    assert pgsetup.locale_args(available) == expected


def test_root_runs_postgres_as_unprivileged_account() -> None:
    assert pgsetup.pick_run_as(euid=1000) is None
    run_as = pgsetup.pick_run_as(euid=0)
    assert run_as is not None
    assert run_as.user in pgsetup.RUN_AS_CANDIDATES
    assert run_as.uid != 0


def test_untraversable_dir_finds_the_blocking_directory() -> None:
    # Under /tmp itself: pytest's tmp_path sits below a 0700 directory, which would be the answer.
    base = Path(tempfile.mkdtemp(prefix="thidua-traverse-", dir="/tmp"))
    try:
        base.chmod(0o755)
        closed = base / "closed"
        target = closed / "inner" / "data"
        target.mkdir(parents=True)
        closed.chmod(0o700)
        stranger = (54321, 54321)
        assert pgsetup.untraversable_dir(target, *stranger) == closed
        closed.chmod(0o755)
        assert pgsetup.untraversable_dir(target, *stranger) is None
    finally:
        shutil.rmtree(base)


def test_zipkin_binds_loopback_on_configured_port() -> None:
    args = zipkin.server_args(29411)
    assert "--armeria.ports[0].ip=127.0.0.1" in args
    assert "--armeria.ports[0].port=29411" in args
    assert zipkin.ZIPKIN_ENV["STORAGE_TYPE"] == "mem"
    assert zipkin.ZIPKIN_ENV["COLLECTOR_KAFKA_ENABLED"] == "false"
    # The store (about 3.6 kB a span) fits in the old generation, with room for queries.
    sizes = {a[:4]: a[4:] for a in zipkin.ZIPKIN_JVM if a.startswith(("-Xmx", "-Xmn"))}
    mib = {"g": 1024, "m": 1}
    old = sum(
        sign * int(v[:-1]) * mib[v[-1]]
        for sign, v in zip((1, -1), (sizes["-Xmx"], sizes["-Xmn"]), strict=True)
    )
    assert int(zipkin.ZIPKIN_ENV["MEM_MAX_SPANS"]) * 3_600 < old * 2**20 / 2


def test_incomplete_fetch_is_not_done(tmp_path: Path) -> None:
    job = fetch.MavenFetch(
        component="kafka",
        label="jars",
        target=tmp_path / "kafka-4.1.1",
        goal=("x",),
        output_subdir="libs",
        expect="kafka.jar",
    )
    (job.target / "libs").mkdir(parents=True)
    assert not job.done
    (job.target / fetch.COMPLETE_MARKER).write_text("")
    assert job.done


async def test_wait_until_gives_up_at_the_deadline() -> None:
    calls = 0

    def never() -> bool:
        nonlocal calls
        calls += 1
        return False

    started = time.monotonic()
    assert await wait_until(never, timeout=0.3, interval=0.05) is False
    assert 0.3 <= time.monotonic() - started < 2
    assert calls >= 3


async def test_stop_group_kills_a_stubborn_tree_including_escaped_workers(tmp_path: Path) -> None:
    marker = f"thidua-test-{uuid.uuid4().hex}"
    # One worker leaves the process group (as PostgreSQL backends do); the rest ignore SIGTERM.
    script = "setsid sleep 300 & trap '' TERM; sleep 300 & wait"
    pid_file = tmp_path / "run" / "x.pid"
    pid = start_detached(
        ["bash", "-c", script, marker], log_file=tmp_path / "x.log", pid_file=pid_file, cwd=tmp_path
    )
    assert await wait_until(lambda: len(process_tree(pid)) >= 3, timeout=10)
    assert tracked_pid(pid_file, marker) == pid
    assert tracked_pid(pid_file, "someone-else") is None
    tree = process_tree(pid)

    graceful = await stop_group(pid, sig=signal.SIGTERM, timeout=0.5)

    assert graceful is False  # needed the SIGKILL fallback
    assert not any(is_running(p) for p in tree)
    assert tracked_pid(pid_file, marker, clean=True) is None
    assert not pid_file.exists()


def test_three_brokers_on_loopback_form_one_static_quorum(tmp_path: Path) -> None:
    settings = StackSettings(
        kafka_bootstrap="127.0.0.1:29092",
        kafka_brokers=3,
        kafka_controller_port=29093,
        state_dir=tmp_path / "state",
    )
    assert settings.kafka_bootstrap == "127.0.0.1:29092,127.0.0.1:29102,127.0.0.1:29112"
    voters = "1@127.0.0.1:29093,2@127.0.0.1:29103,3@127.0.0.1:29113"
    for node, port in ((1, 29092), (2, 29102), (3, 29112)):
        props = _props(render_server_properties(settings, tmp_path / "data", node))
        assert props["node.id"] == str(node)
        assert props["listeners"] == (
            f"SASL_PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}"
        )
        assert props["controller.quorum.voters"] == voters
        assert "controller.quorum.bootstrap.servers" not in props
        assert props["default.replication.factor"] == "3"
        assert props["min.insync.replicas"] == "2"
        assert props["auto.create.topics.enable"] == "false"
    names = [c.name for c in LocalStack(settings).components]
    assert names == ["kafka-1", "kafka-2", "kafka-3", "postgres", "zipkin", "keycloak"]
    only = LocalStack(settings, zipkin=False, keycloak=False)
    assert [c.name for c in only.components][-1] == "postgres"


def test_the_cluster_size_chosen_by_stack_up_is_kept_in_the_state_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("THIDUA_KAFKA_BROKERS", raising=False)
    monkeypatch.setenv("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:29092")
    assert StackSettings().kafka_brokers == 1
    (tmp_path / "kafka-brokers").write_text("3\n")
    assert StackSettings().broker_addresses == [
        "127.0.0.1:29092",
        "127.0.0.1:29102",
        "127.0.0.1:29112",
    ]
    monkeypatch.setenv("THIDUA_KAFKA_BROKERS", "1")
    assert StackSettings().kafka_bootstrap == "127.0.0.1:29092"
