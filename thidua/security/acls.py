"""Who may do what on the cluster: the ACL plan, pure data (provisioning applies it).

One principal per service and one per department; the admin (``super.users``) needs none.
Nothing is allowed that no ACL allows (``allow.everyone.if.no.acl.found=false``). READ and
WRITE imply DESCRIBE in Kafka's authorizer; DESCRIBE is granted explicitly with WRITE anyway,
so the plan reads as the issue states it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from contracts import topics

Resource = Literal["topic", "group", "cluster"]
Pattern = Literal["literal", "prefixed"]
Operation = Literal["read", "write", "describe", "create", "idempotent_write"]

CLUSTER = "kafka-cluster"
SERVICE_USER_PREFIX = "svc-"
DEPARTMENT_USER_PREFIX = "dept-"
DEPARTMENT_GROUP_PREFIX = "dept."
DOOR_USER = "svc-door"
"""The HTTP door's principal (reporting's API process publishes what departments post)."""
DOOR_SERVICE = "reporting"
"""The service whose process runs the door and holds its credentials."""

READS: dict[str, tuple[str, ...]] = {
    "registration": (),
    "awards": (topics.events("registration"),),
    "notifications": (topics.events("registration"), topics.events("awards")),
    "reporting": (
        topics.events("registration"),
        topics.events("awards"),
        topics.events("notifications"),  # the audit trail records every service's facts
    ),
}
"""Events topics each service consumes (besides ingress and refusals, below)."""
READS_INGRESS = ("registration", "awards")
READS_REFUSALS = ("notifications", "reporting")
"""Notifications tells a department of its refusals; reporting's audit trail records them."""
PUBLISHES = ("registration", "awards", "notifications")
"""Services whose outbox relay publishes events and refusals; reporting publishes nothing."""


@dataclass(frozen=True, order=True)
class Grant:
    """ALLOW ``operation`` on ``resource`` ``name`` (matched as ``pattern``) to ``principal``,
    from any host."""

    principal: str
    resource: Resource
    name: str
    pattern: Pattern
    operation: Operation

    def __str__(self) -> str:
        name = f"{self.name}*" if self.pattern == "prefixed" else self.name
        return f"{self.principal} {self.operation.upper()} {self.resource}:{name}"


def service_user(service: str) -> str:
    if service not in topics.SERVICES:
        raise ValueError(f"unknown service {service!r}")
    return f"{SERVICE_USER_PREFIX}{service}"


def department_user(code: str) -> str:
    topics.ingress(code)  # validates the code
    return f"{DEPARTMENT_USER_PREFIX}{code}"


def department_group_prefix(code: str) -> str:
    topics.ingress(code)
    return f"{DEPARTMENT_GROUP_PREFIX}{code}."


def _user(name: str) -> str:
    return f"User:{name}"


def service_grants(service: str) -> list[Grant]:
    """A service writes only its own events and DLQ topics and the refusals topics; it reads
    what it consumes and what it publishes (the relay's take-over check reads the partitions
    it writes), and commits offsets in consumer groups named after it. Reporting writes only
    its DLQ: a record its projection cannot apply goes there rather than stop the read
    model."""
    who = _user(service_user(service))
    grants: list[Grant] = []

    def topic(name: str, pattern: Pattern, *operations: Operation) -> None:
        grants.extend(Grant(who, "topic", name, pattern, op) for op in operations)

    topic(topics.dlq(service), "literal", "write", "describe")
    if service in PUBLISHES:
        # The relay reads back what it published (its take-over check), hence READ too.
        topic(topics.events(service), "literal", "write", "describe", "read")
        # A department's refusals topic is made with its ingress topic (``departments add``,
        # ``thidua up``); CREATE is for the relay's fallback when a record comes from a topic
        # provisioning did not make it for (thidua.es.outbox), and is limited to that prefix.
        topic(topics.REJECTIONS_PREFIX, "prefixed", "write", "describe", "read", "create")
    else:  # reporting's rebuild reads its DLQ first, not to send a bad record twice
        topic(topics.dlq(service), "literal", "read")
    for name in READS[service]:
        topic(name, "literal", "read", "describe")
    if service in READS_INGRESS:
        topic(topics.INGRESS_PREFIX, "prefixed", "read", "describe")
    if service in READS_REFUSALS:
        topic(topics.REJECTIONS_PREFIX, "prefixed", "read", "describe")
    grants.append(Grant(who, "group", service, "prefixed", "read"))
    grants.append(Grant(who, "group", service, "prefixed", "describe"))
    grants.append(Grant(who, "cluster", CLUSTER, "literal", "idempotent_write"))
    return sorted(set(grants))


def department_grants(code: str) -> list[Grant]:
    """A department's system writes its own ingress topic and reads its own refusals, in
    consumer groups of its own (``dept.<code>.…``)."""
    who = _user(department_user(code))
    return [
        Grant(who, "topic", topics.ingress(code), "literal", "write"),
        Grant(who, "topic", topics.ingress(code), "literal", "describe"),
        Grant(who, "topic", topics.rejections(code), "literal", "read"),
        Grant(who, "topic", topics.rejections(code), "literal", "describe"),
        Grant(who, "group", department_group_prefix(code), "prefixed", "read"),
        Grant(who, "group", department_group_prefix(code), "prefixed", "describe"),
        Grant(who, "cluster", CLUSTER, "literal", "idempotent_write"),
    ]


def door_grants() -> list[Grant]:
    """The HTTP door writes any department's (and board's) ingress topic, as that department's
    own system would (it has checked the poster's token for that code first), with an
    idempotent producer; it reads nothing and has no consumer group."""
    who = _user(DOOR_USER)
    return [
        Grant(who, "topic", topics.INGRESS_PREFIX, "prefixed", "write"),
        Grant(who, "topic", topics.INGRESS_PREFIX, "prefixed", "describe"),
        Grant(who, "cluster", CLUSTER, "literal", "idempotent_write"),
    ]


def service_topics() -> list[str]:
    """Every topic the services write or read, besides the departments' own."""
    names = [topics.rejections(topics.UNROUTED)]
    for service in topics.SERVICES:
        if service in PUBLISHES:
            names.append(topics.events(service))
        names.append(topics.dlq(service))
    return names


def department_topics(code: str) -> list[str]:
    return topics.department_topics(code)


def successor_grants(code: str, into: str) -> list[Grant]:
    """The successor of a merged-away department takes its identity over (issue 16): it reads
    the history the old system submitted (``thidua.ingress.<code>``) and the refusals it got,
    in the successor's own consumer groups, and it may still write the old ingress topic, so
    that history dated before the merger, filed late, is recorded under the old department
    (the organisation it belongs to). Anything dated from the merger on is refused there by
    the services, naming the successor."""
    who = _user(department_user(into))
    reads = [
        Grant(who, "topic", topic, "literal", operation)
        for topic in topics.department_topics(code)
        for operation in ("read", "describe")
    ]
    return [*reads, Grant(who, "topic", topics.ingress(code), "literal", "write")]
