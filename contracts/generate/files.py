"""The generated files as a whole: render them, find those that drifted, write them.

Apart from the documents it renders so that the check (``--check``) and the tests compare
exactly what ``write`` would write, and from the command line that calls it.
"""

from __future__ import annotations

from pathlib import Path

from contracts.generate.asyncapi_document import asyncapi
from contracts.generate.layout import ASYNCAPI, REPO_ROOT, SCHEMA_DIR, dump, event_types
from contracts.generate.schemas import envelope_schema, payload_schema


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
