"""Applies principals, topics and ACLs to the cluster as the admin, through confluent-kafka's
AdminClient (librdkafka, the client kcat is built on): aiokafka's admin client can create
neither SCRAM credentials nor ACLs, and Kafka's own tools cost a JVM start per call.

Everything here is idempotent: a credential is upserted, an existing topic is left as it is,
an ACL already there is created again without effect."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, cast

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    NewTopic,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialDeletion,
    UserScramCredentialUpsertion,
)

from thidua.es.kafka import (
    KafkaPrincipal,
    default_replication,
    librdkafka_config,
    partitions_for_new,
)
from thidua.security.acls import Grant

SCRAM_ITERATIONS = 8192
TIMEOUT = 60.0

_RESOURCES = {
    "topic": ResourceType.TOPIC,
    "group": ResourceType.GROUP,
    "cluster": ResourceType.BROKER,
}
_PATTERNS = {"literal": ResourcePatternType.LITERAL, "prefixed": ResourcePatternType.PREFIXED}
_OPERATIONS = {
    "read": AclOperation.READ,
    "write": AclOperation.WRITE,
    "describe": AclOperation.DESCRIBE,
    "create": AclOperation.CREATE,
    "idempotent_write": AclOperation.IDEMPOTENT_WRITE,
}


def binding(grant: Grant) -> AclBinding:
    return AclBinding(
        _RESOURCES[grant.resource],
        grant.name,
        _PATTERNS[grant.pattern],
        grant.principal,
        "*",
        _OPERATIONS[grant.operation],
        AclPermissionType.ALLOW,
    )


def _all_of(principal: str) -> AclBindingFilter:
    """Every ACL of ``principal`` (None: any name, any host, as librdkafka documents)."""
    return AclBindingFilter(
        ResourceType.ANY,
        None,  # type: ignore[arg-type]
        ResourcePatternType.ANY,
        principal,
        None,  # type: ignore[arg-type]
        AclOperation.ANY,
        AclPermissionType.ANY,
    )


def _wait(futures: Iterable[Future[Any]]) -> None:
    for future in futures:
        future.result(timeout=TIMEOUT)


class Provisioner:
    """The admin's view of the cluster (synchronous: librdkafka's futures; callers in an
    event loop run it in a thread)."""

    def __init__(
        self, bootstrap: str, admin: KafkaPrincipal, state_dir: Path | None = None
    ) -> None:
        self.bootstrap = bootstrap
        self.state_dir = state_dir
        config: dict[str, Any] = {
            **librdkafka_config(bootstrap, admin, state_dir),
            "client.id": "thidua-provision",
        }
        self.admin = AdminClient(config)

    def set_password(self, username: str, password: str) -> None:
        """Create the user's SCRAM-SHA-512 credential, or replace it (rotation)."""
        info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS)
        upsert = UserScramCredentialUpsertion(username, info, password.encode())
        _wait(self.admin.alter_user_scram_credentials([upsert]).values())

    def await_login(self, principal: KafkaPrincipal, timeout: float = TIMEOUT) -> None:
        """Return once ``principal`` can log in: a new credential reaches the brokers' caches
        through the metadata log, a moment after the controller accepted it."""
        deadline = time.monotonic() + timeout
        while True:
            config: dict[str, Any] = librdkafka_config(self.bootstrap, principal, self.state_dir)
            # A refused login is what this waits out: librdkafka would print each one to stderr
            # ("SASL authentication error"), in the middle of `make up`'s progress line. The
            # last one is raised below when the deadline passes.
            config["log_level"] = 0
            client = AdminClient(config)
            try:
                client.list_topics(timeout=5)
                return
            except KafkaException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def delete_user(self, username: str) -> None:
        """Delete the user's credential (no error when it has none)."""
        deletion = UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_512)
        try:
            _wait(self.admin.alter_user_scram_credentials([deletion]).values())
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.RESOURCE_NOT_FOUND:
                raise

    def users(self) -> set[str]:
        """Users that have a SCRAM credential."""
        described = cast(Future[Any], self.admin.describe_user_scram_credentials())
        return set(described.result(timeout=TIMEOUT))

    def grant(self, grants: Sequence[Grant]) -> None:
        if grants:
            _wait(self.admin.create_acls([binding(g) for g in grants]).values())

    def revoke_all(self, principal: str) -> None:
        """Delete every ACL of ``principal`` (``User:<name>``)."""
        _wait(self.admin.delete_acls([_all_of(principal)]).values())

    def acls_of(self, principal: str) -> list[AclBinding]:
        found: list[AclBinding] = self.admin.describe_acls(_all_of(principal)).result(
            timeout=TIMEOUT
        )
        return found

    def create_topics(
        self,
        names: Iterable[str],
        *,
        partitions: int | None = None,
        replication: int | None = None,
    ) -> list[str]:
        """Create the topics that do not exist yet; returns those it created."""
        existing = set(self.admin.list_topics(timeout=TIMEOUT).topics)
        missing = [t for t in dict.fromkeys(names) if t not in existing]
        if not missing:
            return []
        replicas = default_replication() if replication is None else replication
        futures = self.admin.create_topics(
            [
                NewTopic(
                    t,
                    num_partitions=partitions or partitions_for_new(t),
                    replication_factor=replicas,
                )
                for t in missing
            ],
            operation_timeout=TIMEOUT,
        )
        for future in futures.values():
            try:
                future.result(timeout=TIMEOUT)
            except KafkaException as exc:  # created meanwhile by another provisioning
                if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                    raise
        return missing
