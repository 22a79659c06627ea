"""Generate the committed JSON Schemas, the AsyncAPI document and the additivity baselines.

    python -m contracts.generate             # write contracts/schemas/, contracts/asyncapi.json
    python -m contracts.generate --check     # exit 1 listing drifted files and breaking changes
    python -m contracts.generate --baseline  # record contracts/baseline/v<N>.json (additive only)

Normal generation never touches the baselines: they record what each version promised, so
that a field removed, retyped or newly required within a version is caught (see ``breaking``).
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from contracts import topics
from contracts.base import EVENT_TYPES, EventData
from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = "contracts/schemas"
ASYNCAPI = "contracts/asyncapi.json"
BASELINE_DIR = "contracts/baseline"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_ID = "urn:thidua:schema:cloudevent"
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

Json = dict[str, Any]
Snapshot = dict[str, dict[str, Json]]  # type name -> field path -> {type, required, enum?}


def dump(document: Any) -> str:
    """The one JSON layout of every generated file: sorted keys, 2-space indent, newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def event_types() -> list[type[EventData]]:
    return [EVENT_TYPES[name] for name in sorted(EVENT_TYPES)]


def _doc(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "")


# --- JSON Schema -----------------------------------------------------------------------------


def payload_schema(cls: type[EventData]) -> Json:
    """The standalone JSON Schema of one payload type (``dataschema`` points here)."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": cls.schema_uri(),
        **cls.model_json_schema(),
        "examples": EXAMPLES.get(cls, []),
        "x-thidua": {
            "type": cls.type_name(),
            "service": cls.service,
            "version": cls.event_version,
            "submittable": cls.submittable,
        },
    }


def envelope_schema() -> Json:
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": ENVELOPE_ID, **CloudEvent.model_json_schema()}


# --- AsyncAPI --------------------------------------------------------------------------------


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


def render() -> dict[str, str]:
    """Every generated file (path relative to the repository root → text)."""
    files = {
        f"{SCHEMA_DIR}/{cls.type_name()}.json": dump(payload_schema(cls)) for cls in event_types()
    }
    files[f"{SCHEMA_DIR}/cloudevent.json"] = dump(envelope_schema())
    files[ASYNCAPI] = dump(asyncapi())
    return files


def find_drift(root: Path = REPO_ROOT) -> list[str]:
    """Generated files that differ from ``render()``: changed, missing or stale."""
    expected = render()
    drifted = [
        path
        for path, text in expected.items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]
    schema_dir = root / SCHEMA_DIR
    if schema_dir.is_dir():
        drifted += [
            f"{SCHEMA_DIR}/{p.name}"
            for p in schema_dir.glob("*.json")
            if f"{SCHEMA_DIR}/{p.name}" not in expected
        ]
    return sorted(drifted)


def write(root: Path = REPO_ROOT) -> list[str]:
    """Write every generated file and delete stale schemas; returns the paths written."""
    expected = render()
    for stale in find_drift(root):
        if stale not in expected:
            (root / stale).unlink()
    for path, text in expected.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return sorted(expected)


# --- additivity ------------------------------------------------------------------------------


def _resolve(node: Json, defs: Json) -> Json:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _json_type(node: Json, defs: Json) -> str:
    node = _resolve(node, defs)
    if "anyOf" in node:
        return "|".join(sorted({_json_type(n, defs) for n in node["anyOf"]}))
    kind = node.get("type", "any")
    if kind == "array":
        return f"array<{_json_type(node.get('items', {}), defs)}>"
    if kind == "string" and "format" in node:
        return f"string:{node['format']}"
    return str(kind)


def _enum(node: Json, defs: Json) -> set[Any]:
    node = _resolve(node, defs)
    values = set(node.get("enum", ()))
    for member in node.get("anyOf", ()):
        values |= _enum(member, defs)
    return values


def _objects(node: Json, defs: Json, path: str) -> list[tuple[str, Json]]:
    """Object schemas nested in ``node``, with the path prefix of their fields."""
    node = _resolve(node, defs)
    if "properties" in node:
        return [(f"{path}.", node)]
    if node.get("type") == "array" and "items" in node:
        return _objects(node["items"], defs, f"{path}[]")
    return [found for member in node.get("anyOf", ()) for found in _objects(member, defs, path)]


def _fields(node: Json, defs: Json, prefix: str, out: dict[str, Json]) -> None:
    required = set(node.get("required", ()))
    for name, prop in node.get("properties", {}).items():
        path = prefix + name
        entry: Json = {"type": _json_type(prop, defs), "required": name in required}
        if values := _enum(prop, defs):
            entry["enum"] = sorted(values, key=str)
        out[path] = entry
        for sub_prefix, sub in _objects(prop, defs, path):
            _fields(sub, defs, sub_prefix, out)


def snapshot_of(cls: type[EventData]) -> dict[str, Json]:
    """Every field path of a payload (``a.b``, ``list[].c``) with its JSON type and
    required-ness, and the allowed values of enumerations."""
    schema = cls.model_json_schema()
    out: dict[str, Json] = {}
    _fields(schema, schema.get("$defs", {}), "", out)
    return out


def snapshot(version: int) -> Snapshot:
    return {
        cls.type_name(): snapshot_of(cls) for cls in event_types() if cls.event_version == version
    }


def versions() -> list[int]:
    return sorted({cls.event_version for cls in EVENT_TYPES.values()})


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0].removesuffix("[]") if "." in path else ""


def breaking(baseline: Snapshot, current: Snapshot) -> list[str]:
    """What ``current`` breaks of ``baseline``: removed types or fields, changed types, newly
    required fields, removed enumeration values. New optional fields and new values are fine."""
    problems = []
    for type_name, old_fields in sorted(baseline.items()):
        new_fields = current.get(type_name)
        if new_fields is None:
            problems.append(f"{type_name}: type removed")
            continue
        for path, old in sorted(old_fields.items()):
            new = new_fields.get(path)
            if new is None:
                problems.append(f"{type_name}: field {path} removed")
                continue
            if new["type"] != old["type"]:
                problems.append(
                    f"{type_name}: field {path} changed type {old['type']} -> {new['type']}"
                )
            if new["required"] and not old["required"]:
                problems.append(f"{type_name}: field {path} became required")
            if "enum" in old and "enum" in new:
                if lost := sorted(set(old["enum"]) - set(new["enum"]), key=str):
                    problems.append(f"{type_name}: field {path} lost values {lost}")
            elif "enum" in new:
                problems.append(f"{type_name}: field {path} became an enumeration")
        for path, new in sorted(new_fields.items()):
            parent = _parent(path)
            if path not in old_fields and new["required"] and (not parent or parent in old_fields):
                problems.append(f"{type_name}: new required field {path}")
    return problems


def baseline_path(version: int, root: Path = REPO_ROOT) -> Path:
    return root / BASELINE_DIR / f"v{version}.json"


def load_baseline(version: int, root: Path = REPO_ROOT) -> Snapshot:
    path = baseline_path(version, root)
    if not path.is_file():
        return {}
    loaded: Snapshot = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def breaking_changes(root: Path = REPO_ROOT) -> list[str]:
    return [p for v in versions() for p in breaking(load_baseline(v, root), snapshot(v))]


def write_baselines(root: Path = REPO_ROOT) -> list[str]:
    """Record the current fields of every version, refusing if that would hide a break."""
    problems = breaking_changes(root)
    if problems:
        raise ValueError("breaking changes within a version:\n" + "\n".join(problems))
    written = []
    for version in versions():
        path = baseline_path(version, root)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(snapshot(version)), encoding="utf-8")
        written.append(str(path.relative_to(root)))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m contracts.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="report drift; write nothing")
    mode.add_argument("--baseline", action="store_true", help="record the additivity baselines")
    args = parser.parse_args(argv)
    if args.check:
        drifted = find_drift()
        problems = breaking_changes()
        for path in drifted:
            print(f"drifted: {path}")
        for problem in problems:
            print(f"breaking: {problem}")
        if drifted:
            print("run python -m contracts.generate")
        return 1 if drifted or problems else 0
    if args.baseline:
        try:
            written = write_baselines()
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
    else:
        written = write()
    print(f"wrote {len(written)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
