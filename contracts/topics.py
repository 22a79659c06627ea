"""The topic map (ARCHITECTURE.md, "Topics")."""

from __future__ import annotations

import re

SERVICES = ("registration", "awards", "notifications", "reporting")
REJECTIONS = "thidua.rejections"
INGRESS_PREFIX = "thidua.ingress."
INGRESS_PATTERN = r"thidua\.ingress\.[a-z0-9-]+"
REJECTIONS_PREFIX = "thidua.rejections."
REJECTIONS_PATTERN = r"thidua\.rejections\.[a-z0-9-]+"
_DEPARTMENT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}$")


def ingress(department_code: str) -> str:
    """What one department's system submits; only that department may write it."""
    if not _DEPARTMENT_CODE.match(department_code):
        raise ValueError(f"invalid department code {department_code!r}")
    return f"{INGRESS_PREFIX}{department_code}"


def rejections(department_code: str) -> str:
    """The refusals of one department's records; only that department (and operators) may
    read it (issue 14: one shared topic let every department read every refusal)."""
    if not _DEPARTMENT_CODE.match(department_code):
        raise ValueError(f"invalid department code {department_code!r}")
    return f"{REJECTIONS_PREFIX}{department_code}"


def department_of_ingress(topic: str) -> str | None:
    """The producing department of an ingress topic, or None for any other topic."""
    if not topic.startswith(INGRESS_PREFIX):
        return None
    code = topic.removeprefix(INGRESS_PREFIX)
    return code if _DEPARTMENT_CODE.match(code) else None


def events(service: str) -> str:
    """Facts a service has accepted, written only by that service's outbox relay."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    return f"thidua.{service}.events"


def dlq(service: str) -> str:
    """Messages that still fail after bounded retries, with the error in headers."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    return f"thidua.{service}.dlq"
