"""Where the generated files go and the one JSON layout they share, and the event types in
the order every generator lists them.

Apart so that the payload schemas, the AsyncAPI document, the baselines and the drift check
write and compare the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contracts.base import EVENT_TYPES, EventData

REPO_ROOT = Path(__file__).resolve().parents[2]  # contracts/generate/layout.py
SCHEMA_DIR = "contracts/schemas"
ASYNCAPI = "contracts/asyncapi.json"
BASELINE_DIR = "contracts/baseline"

Json = dict[str, Any]


def dump(document: Any) -> str:
    """The one JSON layout of every generated file: sorted keys, 2-space indent, newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def event_types() -> list[type[EventData]]:
    return [EVENT_TYPES[name] for name in sorted(EVENT_TYPES)]
