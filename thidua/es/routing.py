"""Where the outbox relay publishes each event of a service's store, and which streams it keeps.

Refusals go to the rejections topic of the department whose record was refused, every other
fact to the service's events topic; private streams (claims) are never published. Apart from
the relay because what stays private is also what other readers of a store pass over (the
chaos checks, awards' read models).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from contracts import topics

Route = Callable[[str, str], str]
"""(event type, stored envelope) → the topic it is published on."""


REJECTION_TYPE_PREFIX = "vn.thidua.rejections."
PRIVATE_STREAM_PREFIX = "claim:"
"""Streams that stay in the store: claims a decision makes to keep a value unique (a plan
number), which are not facts for other services."""


def route_to(events_topic: str, rejections_stem: str = topics.REJECTIONS) -> Route:
    """Refusals go to the rejections topic of the department that sent the refused record
    (``<stem>.<code>``, or ``<stem>.unrouted`` when no department did: the refusal's ``topic``
    is then not an ingress topic); every other fact to the service's events topic."""

    def route(event_type: str, envelope: str) -> str:
        if event_type.startswith(REJECTION_TYPE_PREFIX):
            source = json.loads(envelope).get("data", {}).get("topic")
            return topics.rejections_of(source if isinstance(source, str) else "", rejections_stem)
        return events_topic

    return route
