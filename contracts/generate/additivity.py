"""Additivity: within a version, a payload type only grows. The baselines
(``baseline/v<N>.json``) record every field path of each version's types, its JSON type,
whether it is required and the values of its enumerations; ``breaking`` lists what the
current contracts break of them.

Apart from the generated documents because normal generation never touches the baselines:
they record what each version promised, and change only by ``--baseline``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contracts.base import EVENT_TYPES, EventData
from contracts.generate.layout import BASELINE_DIR, REPO_ROOT, Json, dump, event_types

Snapshot = dict[str, dict[str, Json]]  # type name -> field path -> {type, required, enum?}


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
