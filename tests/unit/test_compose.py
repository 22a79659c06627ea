"""docker-compose.yml is a valid Compose file and has the deployment shape deploy/README.md
promises (no container engine needed: the file is checked against the Compose Specification's
JSON Schema, deploy/compose/compose-spec.schema.json), and its brokers are configured as the
local three-broker cluster (``thidua stack up --brokers 3``) that the chaos suite runs on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from contracts import topics
from scenarios.seeds import DEPARTMENTS, PROVINCES
from thidua import dbroles
from thidua.settings import StackSettings
from thidua.stack import pgsetup
from thidua.stack.kafka import cluster_settings, render_server_properties, security_settings

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("registration", "awards", "notifications", "reporting")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_file_satisfies_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads((ROOT / "deploy/compose/compose-spec.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_kafka_is_three_kraft_nodes_voting_together(compose: dict[str, Any]) -> None:
    brokers = {n: s for n, s in compose["services"].items() if n.startswith("kafka-")}
    assert sorted(brokers) == ["kafka-1", "kafka-2", "kafka-3"]
    ids = set()
    for name, service in brokers.items():
        env = service["environment"]
        assert "controller" in env["KAFKA_PROCESS_ROLES"]
        voters = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")
        assert sorted(v.split("@")[1].split(":")[0] for v in voters) == sorted(brokers)
        assert env["KAFKA_ADVERTISED_LISTENERS"] == f"SASL_PLAINTEXT://{name}:9092"
        assert int(env["KAFKA_DEFAULT_REPLICATION_FACTOR"]) == 3
        assert int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]) == 3
        assert int(env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"]) == 3
        assert int(env["KAFKA_MIN_INSYNC_REPLICAS"]) == 2
        ids.add(int(env["KAFKA_NODE_ID"]))
    assert ids == {1, 2, 3}


def test_every_service_runs_twice_against_all_brokers(compose: dict[str, Any]) -> None:
    for name in SERVICES:
        service = compose["services"][name]
        assert service["deploy"]["replicas"] == 2
        assert service["command"] == ["run", name] or service["command"] == [name]
        env = service["environment"]
        assert env["THIDUA_KAFKA_BOOTSTRAP"].split(",") == [
            "kafka-1:9092",
            "kafka-2:9092",
            "kafka-3:9092",
        ]
        assert int(env["THIDUA_TOPIC_REPLICATION"]) == 3
        assert env["OTEL_TRACES_EXPORTER"] == "otlp"
        assert "otel-collector" in env["OTEL_EXPORTER_OTLP_ENDPOINT"]
        assert service["depends_on"]["topics"]["condition"] == "service_completed_successfully"
        assert service["depends_on"]["principals"]["condition"] == (
            "service_completed_successfully"
        )
        assert env["THIDUA_KAFKA_USERNAME"] == f"svc-{name}"
        assert env["THIDUA_KAFKA_PASSWORD"].startswith(f"${{THIDUA_KAFKA_{name.upper()}_PASSWORD:?")


def test_traces_go_through_a_collector_to_a_trace_ui(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "otel-collector" in services and "zipkin" in services
    config = yaml.safe_load((ROOT / "deploy/compose/otel-collector.yaml").read_text())
    assert "otlp" in config["receivers"]
    exporters = config["service"]["pipelines"]["traces"]["exporters"]
    assert any(e.startswith("zipkin") for e in exporters)
    assert "zipkin:9411" in json.dumps(config["exporters"])


def test_the_topics_job_creates_every_topic_replicated(compose: dict[str, Any]) -> None:
    script = "\n".join(compose["services"]["topics"]["command"])
    expected = {topics.rejections(topics.UNROUTED)}
    expected |= {topics.events(s) for s in SERVICES if s != "reporting"}
    expected |= {topics.dlq(s) for s in SERVICES}
    publishers = [*DEPARTMENTS, *(topics.board(p) for p, _ in PROVINCES)]
    expected |= {t for d in publishers for t in topics.department_topics(d)}
    # The departments' topics are named in a loop: thidua.ingress.$d for each code d.
    codes = re.search(r"for d in (.*?); do", script, re.S)
    assert codes is not None
    loop = codes.group(1).replace("\\", " ").split()
    named = set(re.findall(r"thidua\.[a-z0-9.-]+[a-z0-9]", script))
    named |= {t for d in loop for t in topics.department_topics(d)}
    assert expected <= named, sorted(expected - named)
    assert "--replication-factor 3" in script
    assert "min.insync.replicas=2" in script


def _kafka_env(key: str) -> str:
    """The Apache Kafka image's variable for a server property."""
    return "KAFKA_" + key.upper().replace(".", "_")


def test_the_brokers_have_the_settings_of_the_local_three_broker_cluster(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    """What the chaos suite proves on loopback holds for this file: replication 3, min ISR 2,
    no automatic topic creation, a static quorum of the three nodes."""
    local = StackSettings(
        kafka_bootstrap="127.0.0.1:26092",
        kafka_brokers=3,
        kafka_controller_port=26093,
        state_dir=tmp_path,
    )
    brokers = [compose["services"][f"kafka-{n}"]["environment"] for n in (1, 2, 3)]
    for node, env in enumerate(brokers, start=1):
        props = dict(
            line.split("=", 1)
            for line in render_server_properties(local, tmp_path, node).splitlines()
            if line and not line.startswith("#")
        )
        for key, value in cluster_settings(3).items():
            assert str(env[_kafka_env(key)]).lower() == value == props[key], key
        assert env["KAFKA_PROCESS_ROLES"] == props["process.roles"]
        assert int(env["KAFKA_NODE_ID"]) == int(props["node.id"]) == node
        voters = [v.split("@")[0] for v in props["controller.quorum.voters"].split(",")]
        assert voters == [v.split("@")[0] for v in env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")]
    assert cluster_settings(3)["default.replication.factor"] == "3"
    assert cluster_settings(3)["min.insync.replicas"] == "2"
    assert cluster_settings(3)["auto.create.topics.enable"] == "false"
    script = "\n".join(compose["services"]["topics"]["command"])
    assert f"--replication-factor {cluster_settings(3)['default.replication.factor']}" in script
    assert f"min.insync.replicas={cluster_settings(3)['min.insync.replicas']}" in script


def test_services_listen_on_every_interface_in_containers(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SERVICES:
        env = compose["services"][name]["environment"]
        assert env["THIDUA_HTTP_HOST"] == "0.0.0.0"
        assert int(env["THIDUA_TOPIC_REPLICATION"]) == int(
            cluster_settings(3)["default.replication.factor"]
        )
    monkeypatch.setenv("THIDUA_HTTP_HOST", "0.0.0.0")
    assert StackSettings().http_host == "0.0.0.0"
    monkeypatch.delenv("THIDUA_HTTP_HOST")
    assert StackSettings().http_host == "127.0.0.1"


INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?[^}]*\}")


def _required(variable: str) -> re.Pattern[str]:
    """A value that is ``variable`` from the host, refused (``:?``) when it is unset or empty."""
    return re.compile(rf"^\$\{{{variable}:\?[^}}]*\}}$")


def test_postgres_asks_every_connection_for_a_scram_password(compose: dict[str, Any]) -> None:
    env = compose["services"]["postgres"]["environment"]
    assert env["POSTGRES_HOST_AUTH_METHOD"] == "scram-sha-256"
    initdb = set(env["POSTGRES_INITDB_ARGS"].split())
    assert {"--auth-local=scram-sha-256", "--auth-host=scram-sha-256"} <= initdb
    assert not {a for a in initdb if a.startswith("--auth")} - {
        "--auth-local=scram-sha-256",
        "--auth-host=scram-sha-256",
    }


def test_postgres_in_compose_is_created_like_the_local_stacks(compose: dict[str, Any]) -> None:
    """The same collation and character type as ``thidua stack`` gives its cluster."""
    env = compose["services"]["postgres"]["environment"]
    initdb = set(env["POSTGRES_INITDB_ARGS"].split())
    assert set(pgsetup.locale_args(["C.UTF-8"])) <= initdb
    assert _required("THIDUA_PG_ADMIN_PASSWORD").match(env["POSTGRES_PASSWORD"])
    assert "trust" not in (ROOT / "docker-compose.yml").read_text()


def test_no_password_or_secret_has_a_default_in_the_compose_file() -> None:
    found = INTERPOLATION.findall((ROOT / "docker-compose.yml").read_text())
    secrets = {(name, op) for name, op in found if "PASSWORD" in name or "SECRET" in name}
    assert secrets and {op for _, op in secrets} == {":?"}, secrets


def test_each_service_logs_in_to_postgres_as_its_own_role(compose: dict[str, Any]) -> None:
    for name in SERVICES:
        service = compose["services"][name]
        env = service["environment"]
        assert env["THIDUA_PG_USER"] == name
        assert _required(dbroles.password_variable(name)).match(env["THIDUA_PG_PASSWORD"]), name
        assert "THIDUA_DATABASE_URL" not in env
        assert service["depends_on"]["db-roles"]["condition"] == "service_completed_successfully"
    reporting = compose["services"]["reporting"]["environment"]
    assert reporting["THIDUA_PG_API_USER"] == dbroles.READER_ROLE
    reader_password = dbroles.password_variable(dbroles.READER_ROLE)
    assert _required(reader_password).match(reporting["THIDUA_PG_API_PASSWORD"])


def test_the_roles_job_provisions_every_role_as_the_admin(compose: dict[str, Any]) -> None:
    job = compose["services"]["db-roles"]
    assert job["entrypoint"] == ["thidua", "db-roles"]
    assert job["depends_on"]["postgres"]["condition"] == "service_healthy"
    env = job["environment"]
    assert env["THIDUA_PG_USER"] == compose["services"]["postgres"]["environment"]["POSTGRES_USER"]
    assert _required("THIDUA_PG_ADMIN_PASSWORD").match(env["THIDUA_PG_PASSWORD"])
    for role in dbroles.ROLES:
        variable = dbroles.password_variable(role)
        assert _required(variable).match(env[variable]), role


def test_the_brokers_authenticate_and_authorize_as_the_local_stack_does(
    compose: dict[str, Any],
) -> None:
    """SASL on every listener, the StandardAuthorizer denying what no ACL allows, the admin the
    one super user; every secret from the environment with no default (``${VAR:?…}``). The one
    difference: the admin logs in with PLAIN here (its password in the JAAS lines), since the
    image cannot add a SCRAM credential when it formats its storage."""
    shared = security_settings()
    for name in ("kafka-1", "kafka-2", "kafka-3"):
        env = compose["services"][name]["environment"]
        for key in (
            "listener.security.protocol.map",
            "inter.broker.listener.name",
            "controller.listener.names",
            "sasl.mechanism.controller.protocol",
            "listener.name.controller.sasl.enabled.mechanisms",
            "authorizer.class.name",
            "super.users",
            "allow.everyone.if.no.acl.found",
            "auto.create.topics.enable",
        ):
            assert str(env[_kafka_env(key)]) == shared[key], key
        assert "SCRAM-SHA-512" in env["KAFKA_SASL_ENABLED_MECHANISMS"].split(",")
        assert "PLAINTEXT://" not in env["KAFKA_LISTENERS"].replace("SASL_PLAINTEXT://", "")
    text = (ROOT / "docker-compose.yml").read_text()
    for secret in re.findall(r"\$\{(THIDUA_KAFKA_[A-Z_]*PASSWORD)([^}]*)\}", text):
        assert secret[1].startswith(":?"), secret
    principals = compose["services"]["principals"]["environment"]
    assert principals["THIDUA_KAFKA_USERNAME"] == "admin"
    for service in SERVICES:
        assert f"THIDUA_KAFKA_{service.upper()}_PASSWORD" in principals


def test_every_http_door_trusts_the_keycloak_of_the_file_with_secrets_from_the_environment(
    compose: dict[str, Any],
) -> None:
    keycloak = compose["services"]["keycloak"]
    assert "--import-realm" in keycloak["command"]
    assert any("realm-thidua.json" in v for v in keycloak["volumes"])
    for name, value in keycloak["environment"].items():
        if "SECRET" in name or "PASSWORD" in name:
            assert value.startswith("${") and ":?" in value, name
    for name in SERVICES:
        env = compose["services"][name]["environment"]
        assert env["THIDUA_OIDC_ISSUER"].endswith("/realms/thidua")
    reporting = compose["services"]["reporting"]["environment"]
    assert ":?" in reporting["THIDUA_SESSION_SECRET"]
    assert ":?" in reporting["THIDUA_OIDC_DASHBOARD_SECRET"]


def test_compose_postgres_is_planned_as_the_local_stacks(compose: dict[str, Any]) -> None:
    """The planner and autovacuum settings the services' statements were tuned under are the
    same in Compose as on the local stack (``thidua.stack.pgsetup.server_args``)."""
    tuned = {"autovacuum_naptime", "random_page_cost"}
    args = pgsetup.server_args(StackSettings(), Path("data"), Path("run"))
    local = {a for a in args if a.split("=")[0] in tuned}
    command = compose["services"]["postgres"]["command"]
    composed = {a for a in command if a.split("=")[0] in tuned}
    assert local == composed == {"autovacuum_naptime=10s", "random_page_cost=1.1"}
