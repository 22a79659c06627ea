"""The ACL plan (which principal may do what) and the clients' connection options. That the
broker enforces the plan is shown against the real broker in
tests/integration/kafka_security/."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts import topics
from services.reporting.readmodels import ReportingProjection
from thidua.es.kafka import KafkaPrincipal, client_options, librdkafka_config, principal_from_env
from thidua.es.logread import replay_group
from thidua.security import acls, credentials
from thidua.security.acls import Grant
from thidua.security.departments import render_client_config


def allowed(grants: list[Grant], operation: str, topic: str) -> bool:
    """Whether ``grants`` allow ``operation`` on ``topic`` (READ and WRITE imply DESCRIBE)."""
    implied = {"describe": {"describe", "read", "write"}}.get(operation, {operation})
    return any(
        g.resource == "topic"
        and g.operation in implied
        and (g.name == topic if g.pattern == "literal" else topic.startswith(g.name))
        for g in grants
    )


def test_a_department_writes_its_own_ingress_and_reads_its_own_refusals_only() -> None:
    grants = acls.department_grants("sct-gialai")
    assert {g.principal for g in grants} == {"User:dept-sct-gialai"}
    assert allowed(grants, "write", topics.ingress("sct-gialai"))
    assert allowed(grants, "read", topics.rejections("sct-gialai"))
    for other in (
        topics.ingress("sct-baclieu"),
        topics.rejections("sct-baclieu"),
        topics.events("registration"),
        topics.REJECTIONS,
    ):
        assert not allowed(grants, "write", other), other
        assert not allowed(grants, "read", other), other
    assert not allowed(grants, "read", topics.ingress("sct-gialai"))
    groups = [g for g in grants if g.resource == "group"]
    assert {(g.name, g.pattern) for g in groups} == {("dept.sct-gialai.", "prefixed")}
    assert all(g.pattern == "literal" for g in grants if g.resource == "topic")


@pytest.mark.parametrize("service", topics.SERVICES)
def test_a_service_writes_only_its_own_topics(service: str) -> None:
    grants = acls.service_grants(service)
    assert {g.principal for g in grants} == {f"User:svc-{service}"}
    assert allowed(grants, "write", topics.dlq(service))
    for other in topics.SERVICES:
        if other != service:
            assert not allowed(grants, "write", topics.events(other))
            assert not allowed(grants, "write", topics.dlq(other))
    assert not allowed(grants, "write", topics.ingress("sct-gialai"))
    groups = {g.name for g in grants if g.resource == "group"}
    assert groups == {service}


def test_what_each_service_reads() -> None:
    def reads(service: str, topic: str) -> bool:
        return allowed(acls.service_grants(service), "read", topic)

    ingress = topics.ingress("sct-gialai")
    assert reads("registration", ingress) and reads("awards", ingress)
    assert not reads("notifications", ingress) and not reads("reporting", ingress)
    assert reads("awards", topics.events("registration"))
    assert not reads("awards", topics.events("notifications"))
    assert reads("notifications", topics.rejections("sct-gialai"))
    assert reads("reporting", topics.events("awards"))
    # the audit trail: every service's facts and every department's refusals
    assert reads("reporting", topics.events("notifications"))
    assert reads("reporting", topics.rejections("sct-gialai"))
    assert reads("reporting", topics.rejections(topics.UNROUTED))


def test_reporting_writes_nothing_but_its_dead_letters() -> None:
    grants = acls.service_grants("reporting")
    writes = {g.name for g in grants if g.operation == "write"}
    assert writes == {topics.dlq("reporting")}
    assert not allowed(grants, "write", topics.events("reporting"))
    assert not allowed(grants, "write", topics.rejections("sct-gialai"))


def test_reporting_s_replay_names_a_group_its_principal_may_use() -> None:
    """A librdkafka consumer looks up its group's coordinator even when it only assigns
    partitions; outside the service's prefix, that lookup is refused while the log is read."""
    group = replay_group(ReportingProjection.name)
    allowed = {
        g.operation
        for g in acls.service_grants("reporting")
        if g.resource == "group" and g.pattern == "prefixed" and group.startswith(g.name)
    }
    assert {"read", "describe"} <= allowed


def test_publishing_services_write_each_department_s_refusals_topic_and_may_make_one() -> None:
    for service in ("registration", "awards", "notifications"):
        grants = acls.service_grants(service)
        assert allowed(grants, "write", topics.rejections("sct-gialai"))
        assert allowed(grants, "create", topics.rejections("sct-gialai"))  # the relay's fallback
        assert allowed(grants, "write", topics.rejections(topics.UNROUTED))
        assert not allowed(grants, "create", topics.ingress("sct-gialai"))
        assert not allowed(grants, "create", topics.events(service))


def test_the_topics_provisioning_creates() -> None:
    assert set(acls.service_topics()) == {
        topics.rejections(topics.UNROUTED),
        *(topics.events(s) for s in ("registration", "awards", "notifications")),
        *(topics.dlq(s) for s in topics.SERVICES),
    }
    assert acls.department_topics("sct-gialai") == [
        "thidua.ingress.sct-gialai",
        "thidua.rejections.sct-gialai",
    ]


def test_invalid_codes_are_refused() -> None:
    for bad in ("", "Bad", "a.b", "-x", "a" * 60):
        with pytest.raises(ValueError):
            acls.department_user(bad)
    with pytest.raises(ValueError):
        acls.service_user("billing")


def test_client_options_authenticate_with_scram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    who = KafkaPrincipal("dept-x", "s3cret")
    options = client_options("h:1", who, tmp_path)
    assert options == {
        "bootstrap_servers": "h:1",
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "dept-x",
        "sasl_plain_password": "s3cret",
    }
    assert librdkafka_config("h:1", who, tmp_path)["sasl.mechanisms"] == "SCRAM-SHA-512"
    assert "s3cret" not in repr(who)


def test_the_principal_comes_from_the_environment_or_the_state_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("THIDUA_KAFKA_USERNAME", "THIDUA_KAFKA_PASSWORD", "THIDUA_KAFKA_PASSWORD_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert principal_from_env(tmp_path) is None
    password = credentials.ensure_password(tmp_path, credentials.ADMIN)
    assert credentials.ensure_password(tmp_path, credentials.ADMIN) == password
    assert principal_from_env(tmp_path) == KafkaPrincipal("admin", password)
    mode = credentials.password_file(tmp_path, "admin").stat().st_mode & 0o777
    assert mode == 0o600
    secret = tmp_path / "svc.password"
    secret.write_text("from-file\n")
    monkeypatch.setenv("THIDUA_KAFKA_USERNAME", "svc-awards")
    monkeypatch.setenv("THIDUA_KAFKA_PASSWORD_FILE", str(secret))
    assert principal_from_env(tmp_path) == KafkaPrincipal("svc-awards", "from-file")
    monkeypatch.setenv("THIDUA_KAFKA_PASSWORD", "from-env")
    assert principal_from_env(tmp_path) == KafkaPrincipal("svc-awards", "from-env")
    monkeypatch.delenv("THIDUA_KAFKA_PASSWORD")
    monkeypatch.delenv("THIDUA_KAFKA_PASSWORD_FILE")
    with pytest.raises(RuntimeError):
        principal_from_env(tmp_path)


def test_the_department_client_config_is_what_kcat_reads(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    config = librdkafka_config("h:1", KafkaPrincipal("dept-x", "pw"), tmp_path)
    assert "ssl.ca.location" not in config
    text = render_client_config(config, "x")
    props = dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )
    assert props == {
        "bootstrap.servers": "h:1",
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": "dept-x",
        "sasl.password": "pw",
    }
    credentials.ca_file(tmp_path).parent.mkdir(parents=True)
    credentials.ca_file(tmp_path).write_text("-----BEGIN CERTIFICATE-----\n")
    tls = librdkafka_config("h:1", KafkaPrincipal("dept-x", "pw"), tmp_path)
    assert tls["security.protocol"] == "SASL_SSL"
    assert tls["ssl.ca.location"] == str(credentials.ca_file(tmp_path))
    assert ca != credentials.ca_file(tmp_path)


def test_the_http_door_writes_ingress_topics_and_nothing_else() -> None:
    grants = acls.door_grants()
    assert {g.principal for g in grants} == {"User:svc-door"}
    assert allowed(grants, "write", topics.ingress("sct-gialai"))
    assert allowed(grants, "write", topics.ingress(topics.board("gia-lai")))
    assert not any(g.operation == "read" for g in grants)
    assert not any(g.resource == "group" for g in grants)
    for other in (topics.rejections("sct-gialai"), *map(topics.events, topics.SERVICES)):
        assert not allowed(grants, "write", other), other
    assert not allowed(grants, "create", topics.ingress("sct-gialai"))
    assert ("cluster", "idempotent_write") in {(g.resource, g.operation) for g in grants}
