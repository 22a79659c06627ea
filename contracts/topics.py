"""The topic map (ARCHITECTURE.md, "Topics")."""

from __future__ import annotations

import functools
import re

SERVICES = ("registration", "awards", "notifications", "reporting")
REJECTIONS = "thidua.rejections"
INGRESS_PREFIX = "thidua.ingress."
INGRESS_PATTERN = r"thidua\.ingress\.[a-z0-9-]+"
REJECTIONS_PREFIX = "thidua.rejections."
REJECTIONS_PATTERN = r"thidua\.rejections\.[a-z0-9-]+"
UNROUTED = "unrouted"
"""The rejections topic of refusals that no department sent (a record on a service's own
topic, an unreadable topic name): ``thidua.rejections.unrouted``, read by operators only. The
code is reserved: no department may be registered under it."""
BOARD_SUFFIX = "-board"
"""A province's board (Ban Thi đua - Khen thưởng tỉnh) publishes on the ingress topic of the
code ``<province id>-board``: the only ingress that may register provinces and ministries and
place a department in a province. No department may be registered under such a code."""
_DEPARTMENT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}$")


def ingress(department_code: str) -> str:
    """What one department's system submits; only that department may write it."""
    return f"{INGRESS_PREFIX}{department_code_or_raise(department_code)}"


def rejections(department_code: str) -> str:
    """The refusals of one department's records; only that department (and operators) may
    read it (issue 14: one shared topic let every department read every refusal)."""
    return f"{REJECTIONS_PREFIX}{department_code_or_raise(department_code)}"


def department_topics(department_code: str) -> list[str]:
    """The topics a department's provisioning creates, together: its ingress topic and its
    rejections topic (which must exist before the first refusal is written)."""
    return [ingress(department_code), rejections(department_code)]


def rejections_of(source_topic: str, stem: str = REJECTIONS) -> str:
    """Where a refusal of a record read from ``source_topic`` goes: the rejections topic of the
    department whose ingress topic it is (``<stem>.<code>``), else the operators' topic
    (``<stem>.unrouted``). ``stem`` is ``thidua.rejections`` but in tests and benchmarks."""
    department = department_of_ingress(source_topic)
    return f"{stem}.{department or UNROUTED}"


def rejections_pattern(stem: str = REJECTIONS) -> str:
    """Every rejections topic under ``stem`` (every department's and the unrouted one)."""
    return re.escape(stem) + r"\.[a-z0-9-]+"


def board(province_id: str) -> str:
    """The department code under which a province's board publishes (``gia-lai-board``)."""
    return department_code_or_raise(f"{province_id}{BOARD_SUFFIX}")


def is_board(department_code: str | None) -> bool:
    return department_code is not None and department_code.endswith(BOARD_SUFFIX)


def is_reserved(department_code: str) -> bool:
    """Codes no department may take: a board's, and the unrouted refusals' topic."""
    return department_code == UNROUTED or is_board(department_code)


def department_code_or_raise(code: str) -> str:
    if not _DEPARTMENT_CODE.match(code):
        raise ValueError(f"invalid department code {code!r}")
    return code


@functools.lru_cache(maxsize=4096)
def department_of_ingress(topic: str) -> str | None:
    """The producing department of an ingress topic, or None for any other topic (asked for
    every record a service reads: kept for the topics seen)."""
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
