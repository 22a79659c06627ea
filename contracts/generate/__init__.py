"""Generate the committed JSON Schemas, the AsyncAPI document and the additivity baselines.

Run it as ``python -m contracts.generate`` (``--check``, ``--baseline``: see ``cli``); call
it from here (``generate.find_drift()``, ``generate.breaking(...)``). It lives in:

- ``layout``: where the generated files go, the one JSON layout (``dump``), the type order;
- ``schemas``: the JSON Schema of each payload and of the envelope;
- ``asyncapi_document``: the AsyncAPI document (``asyncapi()``): topics, messages, who sends
  and receives what;
- ``files``: every generated file rendered, the drift check, the writer;
- ``additivity``: the baselines and what breaks them within a version (``breaking``);
- ``cli``: the command line (``main``); ``__main__`` runs it.
"""

from contracts.generate.additivity import (
    Snapshot,
    baseline_path,
    breaking,
    breaking_changes,
    load_baseline,
    snapshot,
    snapshot_of,
    versions,
    write_baselines,
)
from contracts.generate.asyncapi_document import (
    CONSUMES,
    DLQ_HEADERS,
    SERVICES_WITH_EVENTS,
    asyncapi,
)
from contracts.generate.cli import main
from contracts.generate.files import find_drift, render, write
from contracts.generate.layout import (
    ASYNCAPI,
    BASELINE_DIR,
    REPO_ROOT,
    SCHEMA_DIR,
    Json,
    dump,
    event_types,
)
from contracts.generate.schemas import (
    ENVELOPE_ID,
    JSON_SCHEMA_DIALECT,
    envelope_schema,
    payload_schema,
)

__all__ = [
    "ASYNCAPI",
    "BASELINE_DIR",
    "CONSUMES",
    "DLQ_HEADERS",
    "ENVELOPE_ID",
    "JSON_SCHEMA_DIALECT",
    "REPO_ROOT",
    "SCHEMA_DIR",
    "SERVICES_WITH_EVENTS",
    "Json",
    "Snapshot",
    "asyncapi",
    "baseline_path",
    "breaking",
    "breaking_changes",
    "dump",
    "envelope_schema",
    "event_types",
    "find_drift",
    "load_baseline",
    "main",
    "payload_schema",
    "render",
    "snapshot",
    "snapshot_of",
    "versions",
    "write",
    "write_baselines",
]
