"""The official CloudEvents SDK (``cloudevents`` on PyPI, 2.x core API) as a department's HTTP
client would use it: an event of the contracts turned into the SDK's event, then into an HTTP
message in binary or structured mode by the SDK's own ``to_binary``/``to_structured``.

The SDK has no batch helper (2.2.0): a batch body is built as the HTTP binding specifies it
(§3.3: a JSON array of events in the JSON event format, ``application/cloudevents-batch+json``),
each element written by the SDK's own ``JSONFormat``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cloudevents.core.bindings.http import HTTPMessage, to_binary, to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent as SdkEvent

from contracts.envelope import CloudEvent

BATCH_CONTENT_TYPE = "application/cloudevents-batch+json"
FORMAT = JSONFormat()


def sdk_event(event: CloudEvent) -> SdkEvent:
    attributes: dict[str, Any] = event.model_dump(mode="json", exclude_none=True)
    data = attributes.pop("data")
    if "time" in attributes:
        attributes["time"] = datetime.fromisoformat(attributes["time"].replace("Z", "+00:00"))
    return SdkEvent(attributes=attributes, data=data)


def binary(event: CloudEvent) -> HTTPMessage:
    return to_binary(sdk_event(event), FORMAT)


def structured(event: CloudEvent) -> HTTPMessage:
    return to_structured(sdk_event(event), FORMAT)


def batch(events: Sequence[CloudEvent]) -> HTTPMessage:
    body = b"[" + b",".join(FORMAT.write(sdk_event(e)) for e in events) + b"]"
    return HTTPMessage(headers={"content-type": BATCH_CONTENT_TYPE}, body=body)
