"""Apache Kafka in KRaft mode, run from Maven Central jars: one broker+controller node, or a
cluster of three (``THIDUA_KAFKA_BROKERS=3``, ``thidua stack up --brokers 3``) with a static
quorum of all three, replication factor 3, ``min.insync.replicas`` 2 and no automatic topic
creation: the topology of ``docker-compose.yml`` (``cluster_settings`` is what both share)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from thidua.es.kafka import KafkaPrincipal, client_options
from thidua.security import credentials
from thidua.security.tls import TlsFiles, ensure_certificates
from thidua.settings import PROJECT_ROOT, StackSettings
from thidua.stack.base import SILENT, Component, Reporter
from thidua.stack.errors import ComponentFailed
from thidua.stack.fetch import DEPENDENCY_PLUGIN, MavenFetch, require_java
from thidua.stack.process import tcp_reachable

KAFKA_VERSION = "4.1.1"
DEPLOY_DIR = PROJECT_ROOT / "deploy" / "local" / "kafka"
POM = DEPLOY_DIR / "pom.xml"
LOG4J_CONFIG = DEPLOY_DIR / "log4j2.properties"
CLUSTER_PARTITIONS = 3

_SHARED_SECRETS = threading.Lock()
"""Held while a node draws or reads what every node of the cluster shares."""


def cluster_settings(brokers: int) -> dict[str, str]:
    """The replication settings of a cluster of ``brokers`` nodes (also checked against
    ``docker-compose.yml``): with three, every partition on all three, a write acknowledged by
    two (``acks=all``) so one broker may die, and topics only as the services declare them."""
    replicas = str(min(brokers, 3))
    isr = "2" if brokers >= 3 else "1"
    return {
        "default.replication.factor": replicas,
        "min.insync.replicas": isr,
        "offsets.topic.replication.factor": replicas,
        "transaction.state.log.replication.factor": replicas,
        "transaction.state.log.min.isr": isr,
        "share.coordinator.state.topic.replication.factor": replicas,
        "share.coordinator.state.topic.min.isr": isr,
        # A topic exists only as provisioning or `ensure_topics` made it (replicated, min
        # ISR 2 on a cluster), never because a client asked for its metadata.
        "auto.create.topics.enable": "false",
    }


def split_host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port)


def new_cluster_id() -> str:
    """A Kafka cluster id: a random UUID as 22 chars of unpadded base64url.

    Like Kafka's Uuid.randomUuid we avoid a leading '-', which command-line parsers misread.
    """
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def controller_address(settings: StackSettings, node: int) -> str:
    host, _ = split_host_port(settings.broker_addresses[node - 1])
    return f"{host}:{settings.controller_port(node)}"


AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule"
PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule"


def security_settings(tls: bool = False) -> dict[str, str]:
    """Authentication and authorization of every node (also checked against
    ``docker-compose.yml``, which has no TLS yet): clients and the other brokers on one SASL
    listener (over TLS locally) with SCRAM-SHA-512; the controller listener with SASL PLAIN,
    whose one user (the admin) is in the node's own JAAS line, since KRaft controllers cannot
    use SCRAM (its credentials live in the metadata they serve); ACLs by KRaft's
    StandardAuthorizer, denying what no ACL allows; the admin a super user; no topic made by a
    client's metadata request."""
    protocol = "SASL_SSL" if tls else "SASL_PLAINTEXT"
    return {
        "listener.security.protocol.map": f"{protocol}:{protocol},CONTROLLER:{protocol}",
        "inter.broker.listener.name": protocol,
        "controller.listener.names": "CONTROLLER",
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "authorizer.class.name": AUTHORIZER,
        "super.users": f"User:{credentials.ADMIN}",
        "allow.everyone.if.no.acl.found": "false",
        "auto.create.topics.enable": "false",
    }


def tls_settings(files: TlsFiles | None) -> dict[str, str]:
    """The node's key and certificate (PEM, made by ``thidua.security.tls``) and the CA it
    trusts when it connects to the other nodes; clients present no certificate."""
    if files is None:
        return {}
    return {
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(files.keystore),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(files.ca),
        "ssl.client.auth": "none",
    }


def jaas_settings(admin_password: str, tls: bool = False) -> dict[str, str]:
    """The admin's own credentials, with which a node talks to the other nodes (SCRAM) and to
    the controllers (PLAIN, which also lists the one user the controller listener accepts)."""
    admin, secret = credentials.ADMIN, admin_password
    listener = "sasl_ssl" if tls else "sasl_plaintext"
    return {
        f"listener.name.{listener}.scram-sha-512.sasl.jaas.config": (
            f'{SCRAM_LOGIN} required username="{admin}" password="{secret}";'
        ),
        "listener.name.controller.plain.sasl.jaas.config": (
            f'{PLAIN_LOGIN} required username="{admin}" password="{secret}"'
            f' user_{admin}="{secret}";'
        ),
    }


def render_server_properties(
    settings: StackSettings,
    log_dir: Path,
    node: int = 1,
    admin_password: str = "<secret>",
    tls: TlsFiles | None = None,
) -> str:
    host, port = split_host_port(settings.broker_addresses[node - 1])
    controller = controller_address(settings, node)
    protocol = "SASL_SSL" if tls else "SASL_PLAINTEXT"
    props = {
        "node.id": str(node),
        "process.roles": "broker,controller",
        "listeners": f"{protocol}://{host}:{port},CONTROLLER://{controller}",
        "advertised.listeners": f"{protocol}://{host}:{port}",
        **security_settings(tls is not None),
        **jaas_settings(admin_password, tls is not None),
        **tls_settings(tls),
        "log.dirs": str(log_dir),
        "num.partitions": str(CLUSTER_PARTITIONS),
        **cluster_settings(settings.kafka_brokers),
        # Consumers in tests and dev join at once; the default 3 s delay only slows them down.
        "group.initial.rebalance.delay.ms": "0",
        # The event log is the source of truth that read models are rebuilt from: keep it all.
        "log.retention.hours": "-1",
    }
    if settings.kafka_brokers == 1:
        props["controller.quorum.bootstrap.servers"] = controller
    else:  # a static quorum of every node, as in docker-compose.yml
        props["controller.quorum.voters"] = ",".join(
            f"{n}@{controller_address(settings, n)}" for n in range(1, settings.kafka_brokers + 1)
        )
    lines = ["# Generated by `thidua stack up`; edits are overwritten on the next start."]
    lines += [f"{key}={value}" for key, value in props.items()]
    return "\n".join(lines) + "\n"


class KafkaComponent(Component):
    """One node of the cluster: ``kafka`` when it is alone, ``kafka-<n>`` in a cluster."""

    def __init__(self, settings: StackSettings, report: Reporter = SILENT, node: int = 1) -> None:
        super().__init__(settings, report)
        self._java = "java"
        self.node = node
        self.name = "kafka" if settings.kafka_brokers == 1 else f"kafka-{node}"

    @property
    def home(self) -> Path:
        return self.state_dir / self.name

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def scram_marker(self) -> Path:
        return self.home / "scram-admin"

    @property
    def properties_file(self) -> Path:
        return self.home / "server.properties"

    @property
    def cluster_id_file(self) -> Path:
        """Shared by every node of a cluster (they must be formatted with the same id)."""
        if self.settings.kafka_brokers == 1:
            return self.home / "cluster-id"
        return self.state_dir / "kafka-cluster-id"

    @property
    def dist_dir(self) -> Path:
        return self.settings.cache_dir / f"kafka-{KAFKA_VERSION}"

    @property
    def classpath(self) -> str:
        return f"{self.dist_dir / 'libs'}/*"

    @property
    def address(self) -> str:
        return self.settings.broker_addresses[self.node - 1]

    @property
    def marker(self) -> str:
        return f"-Dthidua.stack.component={self.name}@{self.state_dir}"

    def fetches(self) -> list[MavenFetch]:
        return [
            MavenFetch(
                component=self.name,
                label=f"Kafka {KAFKA_VERSION} jars",
                target=self.dist_dir,
                goal=(
                    "-f",
                    str(POM),
                    f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                    "-DincludeScope=runtime",
                ),
                output_subdir="libs",
                expect=f"kafka_2.13-{KAFKA_VERSION}.jar",
            )
        ]

    def check_prerequisites(self) -> None:
        self._java = require_java()

    def _jvm(self, heap: list[str]) -> list[str]:
        return [
            self._java,
            *heap,
            "-Djava.awt.headless=true",
            self.marker,
            f"-Dlog4j2.configurationFile={LOG4J_CONFIG}",
            f"-Dkafka.logs.dir={self.log_file.parent}",
            "-cp",
            self.classpath,
        ]

    def cluster_id(self) -> str:
        """The cluster's id, drawn once (the nodes of a cluster format concurrently: the
        first to get here writes it, the others read it)."""
        target = self.cluster_id_file
        target.parent.mkdir(parents=True, exist_ok=True)
        draft = target.with_name(f".{target.name}.{self.name}")
        draft.write_text(new_cluster_id() + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(draft, target)  # atomic: a reader sees no file or the whole id
        draft.unlink()
        return target.read_text().strip()

    def prepare(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        hosts = [split_host_port(a)[0] for a in self.settings.broker_addresses]
        # The nodes of a cluster prepare at once (threads of one `stack up`): the admin's
        # password and the CA are drawn by the first and read by the others, never drawn twice.
        with _SHARED_SECRETS:
            admin_password = credentials.ensure_password(self.state_dir, credentials.ADMIN)
            # Clients reach the brokers over TLS (SASL_SSL), trusting the stack's own CA.
            tls = ensure_certificates(self.state_dir, [*hosts, "localhost"])
        credentials.write_secret(
            self.properties_file,
            render_server_properties(self.settings, self.data_dir, self.node, admin_password, tls),
        )
        if (self.data_dir / "meta.properties").is_file():
            if not self.scram_marker.is_file():
                raise ComponentFailed(
                    self.name,
                    f"{self.data_dir} was formatted without the admin's SCRAM credential"
                    " (before Kafka authentication): `thidua stack down --purge` starts afresh",
                )
            return
        # A data dir without meta.properties is a format that did not finish: start over.
        shutil.rmtree(self.data_dir, ignore_errors=True)
        cluster_id = self.cluster_id()
        self.report(f"formatting Kafka storage (cluster id {cluster_id})…")
        result = subprocess.run(
            [
                *self._jvm(["-Xmx256m"]),
                "kafka.tools.StorageTool",
                "format",
                *(["--standalone"] if self.settings.kafka_brokers == 1 else []),
                "-t",
                cluster_id,
                "-c",
                str(self.properties_file),
                # The admin exists before the first start: the nodes talk to each other as it.
                "--add-scram",
                f"SCRAM-SHA-512=[name={credentials.ADMIN},password={admin_password}]",
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip().replace(admin_password, "<secret>")
            raise ComponentFailed(self.name, f"formatting storage failed:\n{output}")
        self.scram_marker.write_text("SCRAM-SHA-512 admin added at format\n")

    def command(self) -> list[str]:
        return [
            *self._jvm(["-Xms256m", "-Xmx1g", "-XX:+UseG1GC"]),
            "kafka.Kafka",
            str(self.properties_file),
        ]

    async def probe(self) -> bool:
        # A bare TCP check first keeps aiokafka from logging connection errors while we poll.
        if not await tcp_reachable(self.address):
            return False
        password = credentials.read_password(self.state_dir, credentials.ADMIN)
        if password is None:
            return False
        admin = AIOKafkaAdminClient(
            **client_options(
                self.address, KafkaPrincipal(credentials.ADMIN, password), self.state_dir
            ),
            request_timeout_ms=5000,
        )
        try:
            async with asyncio.timeout(8):
                await admin.start()
                cluster = await admin.describe_cluster()
            return bool(cluster.get("brokers"))
        except Exception:
            return False
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
