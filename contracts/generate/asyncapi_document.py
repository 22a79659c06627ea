"""The AsyncAPI 3.0 document: every topic, every message (the envelope with its payload) and
which service or department sends or receives what.

Apart because it is most of the generator: the channels and operations state the topology of
the whole system (who reads whose facts), not the shape of one payload.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from pydantic.json_schema import models_json_schema

from contracts import topics
from contracts.base import EVENT_TYPES, EventData
from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES
from contracts.generate.layout import Json, event_types

SERVICES_WITH_EVENTS = ("registration", "awards", "notifications")
CONSUMES = {  # service -> the event topics it reads besides its ingress
    "awards": ("registration",),
    "notifications": ("registration", "awards"),
    "reporting": ("registration", "awards", "notifications"),
}
DLQ_HEADERS = {
    "thidua-error": "The error of the last attempt.",
    "thidua-error-type": "The exception type of the last attempt.",
    "thidua-attempts": "How many attempts were made.",
    "thidua-original-topic": "Topic the record was read from.",
    "thidua-original-partition": "Partition it was read from.",
    "thidua-original-offset": "Offset it was read from.",
}


def _doc(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "")


def _message(cls: type[EventData]) -> Json:
    doc = _doc(cls)
    return {
        "name": cls.event_name,
        "title": f"{cls.event_name} v{cls.event_version}",
        "summary": doc.split("\n\n")[0].replace("\n", " "),
        "contentType": "application/cloudevents+json",
        "tags": [{"name": cls.service}],
        "correlationId": {"$ref": "#/components/correlationIds/correlationid"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "Aggregate id (the event's subject)."},
                "bindingVersion": "0.5.0",
            }
        },
        "payload": {
            "allOf": [
                {"$ref": "#/components/schemas/CloudEvent"},
                {
                    "type": "object",
                    "required": ["type", "data"],
                    "properties": {
                        "type": {"const": cls.type_name()},
                        "dataschema": {"const": cls.schema_uri()},
                        "data": {"$ref": f"#/components/schemas/{cls.__name__}"},
                    },
                },
            ]
        },
    }


def _dead_letter() -> Json:
    return {
        "name": "DeadLetter",
        "title": "Dead letter",
        "summary": "A record that still failed after bounded retries, as received, with the "
        "error in headers.",
        "contentType": "application/cloudevents+json",
        "headers": {
            "type": "object",
            "properties": {k: {"type": "string", "description": v} for k, v in DLQ_HEADERS.items()},
        },
        "payload": {"$ref": "#/components/schemas/CloudEvent"},
    }


def _refs(channel: str, message_ids: Iterable[str]) -> list[Json]:
    return [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in message_ids]


def _operation(action: str, channel: str, summary: str, message_ids: Iterable[str]) -> Json:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": summary,
        "messages": _refs(channel, message_ids),
    }


def asyncapi() -> Json:
    """An AsyncAPI 3.0 document of every topic, message and who sends or receives what."""
    types = event_types()
    _, top = models_json_schema(
        [(cls, "validation") for cls in types], ref_template="#/components/schemas/{model}"
    )
    schemas: Json = dict(top["$defs"])
    for cls in types:
        schemas[cls.__name__] = {**schemas[cls.__name__], "examples": EXAMPLES.get(cls, [])}
    schemas["CloudEvent"] = CloudEvent.model_json_schema()

    by_service: dict[str, list[str]] = {}
    for cls in types:
        by_service.setdefault(cls.service, []).append(cls.type_name())
    ingress_by_service = {
        service: [n for n in names if EVENT_TYPES[n].submittable]
        for service, names in by_service.items()
    }
    submittable = sorted(n for names in ingress_by_service.values() for n in names)
    rejected = by_service["rejections"]

    def message_map(names: Iterable[str]) -> Json:
        return {n: {"$ref": f"#/components/messages/{n}"} for n in names}

    channels: Json = {
        "ingress": {
            "address": topics.INGRESS_PREFIX + "{department}",
            "title": "A department's submissions",
            "description": "What one department's system proposes. Only that department may "
            "write it; the owning service refuses events about other departments' units.",
            "parameters": {"department": {"description": "Department code, [a-z0-9-]."}},
            "messages": message_map(submittable),
        },
        "rejections": {
            "address": topics.REJECTIONS_PREFIX + "{department}",
            "title": "A department's refused inputs",
            "description": "Every input refused from one department's ingress topic, with "
            "machine-readable reasons, the original id and the producer. Only that department "
            "(and operators) may read it. A province's board is a department code of its own, "
            "`<province>-board`: the only one that may register provinces and ministries and "
            "place departments.",
            "parameters": {"department": {"description": "Department code, [a-z0-9-]."}},
            "messages": message_map(rejected),
        },
        "unroutedRejections": {
            "address": topics.rejections(topics.UNROUTED),
            "title": "Refused inputs of no department",
            "description": "Refusals of records that no department's ingress topic carried "
            "(a service's own topics): for operators only. `unrouted` is a reserved code.",
            "messages": message_map(rejected),
        },
    }
    for service in SERVICES_WITH_EVENTS:
        channels[f"{service}Events"] = {
            "address": topics.events(service),
            "title": f"Facts accepted by {service}",
            "description": "Written only by the service's outbox relay; key = aggregate id.",
            "messages": message_map(by_service[service]),
        }
    for service in topics.SERVICES:
        channels[f"{service}Dlq"] = {
            "address": topics.dlq(service),
            "title": f"Dead letters of {service}",
            "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
        }

    operations: Json = {
        "departmentSubmits": _operation(
            "send",
            "ingress",
            "A department's system proposes facts on its ingress topic.",
            submittable,
        ),
        "departmentReceivesRejections": _operation(
            "receive",
            "rejections",
            "A department's system learns why an input was refused.",
            rejected,
        ),
    }
    for service in ("registration", "awards"):
        operations[f"{service}ReceivesIngress"] = _operation(
            "receive",
            "ingress",
            f"{service} validates and decides on its proposed facts.",
            ingress_by_service[service],
        )
        operations[f"{service}SendsRejections"] = _operation(
            "send",
            "rejections",
            f"{service} publishes the inputs it refused on the sending department's topic.",
            rejected,
        )
        operations[f"{service}SendsUnroutedRejections"] = _operation(
            "send",
            "unroutedRejections",
            f"{service} publishes the refusals of records that no department sent.",
            rejected,
        )
    for service in SERVICES_WITH_EVENTS:
        operations[f"{service}SendsEvents"] = _operation(
            "send",
            f"{service}Events",
            f"{service} publishes the facts it accepted.",
            by_service[service],
        )
    for service, sources in CONSUMES.items():
        for source in sources:
            operations[f"{service}Receives{source.capitalize()}Events"] = _operation(
                "receive",
                f"{source}Events",
                f"{service} reads {source}'s facts.",
                by_service[source],
            )
    for service in ("notifications", "reporting"):
        operations[f"{service}ReceivesRejections"] = _operation(
            "receive", "rejections", f"{service} reads refused inputs.", rejected
        )
    for service in topics.SERVICES:
        operations[f"{service}SendsDeadLetters"] = _operation(
            "send", f"{service}Dlq", f"{service} parks records that keep failing.", ["DeadLetter"]
        )

    messages: Json = {cls.type_name(): _message(cls) for cls in types}
    messages["DeadLetter"] = _dead_letter()
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "thidua: emulation and commendation events",
            "version": "1.0.0",
            "description": _doc(CloudEvent) + "\n\nEvery message is a "
            "CloudEvents 1.0 envelope in JSON structured mode; its `data` is the payload "
            "schema of its `type`. Within a type's version, changes are additive only.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": schemas,
            "messages": messages,
            "correlationIds": {
                "correlationid": {
                    "description": "The business conversation this event belongs to.",
                    "location": "$message.payload#/correlationid",
                }
            },
        },
    }
